"""The sampling estimators over the engine (estimators are values: see :mod:`interplay.methods`).

  Permutation    shapley_values                                        (Castro et al. 2009)
  PairSampling   pair_interactions, interaction_matrix, multi_order_interaction  (the papers' contexts)
  SharedPairs    pair_interactions, interaction_matrix                 (one shared context per sample)
  instability    E|T(u) − T(v)| / E|T(w)| over repeated runs           (both papers)
"""
from .border import border_cost
from .instability import instability
from .pairs import PairSampling, SharedPairs, SharedPlan
from .permutation import Permutation

__all__ = ["PairSampling", "Permutation", "SharedPairs", "SharedPlan", "border_cost", "instability"]
