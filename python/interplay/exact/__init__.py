"""Exact indices from the game's 2^n table, computed in C (csrc/core/exact)."""
from .contexts import pair_contexts
from .estimator import Exact

__all__ = ["Exact", "pair_contexts"]
