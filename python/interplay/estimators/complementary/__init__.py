"""The complementary-pair family: Shapley / Banzhaf values and pair interactions from complementary
pairs (S, N ∖ S), a surrogate of the game and its Monte Carlo correction.

  design        the law of the draw, the border enumerated and the band sampled, the evaluated pairs
  index_sums    every index as Σ_S w(S) v(S): its sums over coalition rows
  cross_fit     a surrogate's index corrected by the pairs it did not see: estimate and stderr
  base          ComplementaryPairs: plan within the budget, draw, exact path, result
  regression    Regression: a k-additive surrogate by weighted least squares (kadditive)
  gaussian_process  GaussianProcess: the posterior mean under a Walsh prior (walsh)
"""
from .base import ComplementaryPairs
from .gaussian_process import GaussianProcess
from .regression import Regression

__all__ = ["ComplementaryPairs", "GaussianProcess", "Regression"]
