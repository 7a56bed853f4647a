"""Estimators as values (:class:`Estimator`): the sampling estimators over the engine, their
registry and the rule that resolves a public function's ``method=`` and keywords.

  Permutation    shapley_values                                        (Castro et al. 2009)
  PairSampling   pair_interactions, interaction_matrix, multi_order_interaction  (the papers' contexts)
  SharedPairs    pair_interactions, interaction_matrix                 (one shared context per sample)
  instability    E|T(u) − T(v)| / E|T(w)| over repeated runs           (both papers)
"""
from .base import Estimator, Sampler, default_sampler, methods_for, registered, resolve
from .border import border_cost
from .instability import instability
from .pairs import PairSampling, SharedPairs, SharedPlan
from .permutation import Permutation

__all__ = ["Estimator", "PairSampling", "Permutation", "Sampler", "SharedPairs", "SharedPlan", "border_cost",
           "default_sampler", "instability", "methods_for", "registered", "resolve"]
