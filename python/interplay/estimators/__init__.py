"""The sampling estimators over the engine (estimators are values: see :mod:`interplay.methods`).

  Permutation    shapley_values                                        (Castro et al. 2009)
  PairSampling   pair_interactions, interaction_matrix, multi_order_interaction  (the papers' contexts)
  SharedPairs    pair_interactions, interaction_matrix                 (one shared context per sample)
  Regression     shapley_values, banzhaf_values, pair_interactions, interaction_matrix
                 (k-additive least squares + unbiased Monte Carlo correction of the residual)
  GaussianProcess  shapley_values, banzhaf_values, pair_interactions, interaction_matrix
                 (posterior mean under a Gaussian prior on the Walsh coefficients)
                 — the two of the complementary-pair family (:mod:`.complementary`)
  instability    E|T(u) − T(v)| / E|T(w)| over repeated runs           (both papers)
"""
from .border import border_cost
from .complementary import ComplementaryPairs, GaussianProcess, Regression
from .instability import instability
from .pairs import PairSampling, SharedPairs, SharedPlan
from .permutation import Permutation

__all__ = ["ComplementaryPairs", "GaussianProcess", "PairSampling", "Permutation", "Regression", "SharedPairs", "SharedPlan", "border_cost", "instability"]
