"""Multivariate interactions by sampling (multivariate paper Eq. 7-9).

:class:`LearnedPartitions` (``"learned_partitions"``): T([A]) by the learned partition search;
:class:`CoalitionSampling` (``"coalition_sampling"``): φ([C] | N_C) by Eq. 7; :func:`prototypes`:
T([A]) of a run of words of a sentence, the words carried into the result.
"""
from .coalitions import CoalitionSampling
from .learned import LearnedPartitions
from .prototypes import prototypes
from .search_parts import learned_budget, runs_of

__all__ = ["CoalitionSampling", "LearnedPartitions", "learned_budget", "prototypes", "runs_of"]
