"""The weight tables w(s, t) of the interaction indices over the Harsanyi dividends (Möbius transform):

    I(T) = Σ_{S ⊇ T} w(|S|, |T|) d(S)      for every T with |T| <= k,

computed exactly (``fractions.Fraction``) and rounded once to float64, so that no weight carries the
cancellation of its defining sums (k-SII's Bernoulli sums reach 1.7e9-sized terms at n = 30). The C
core (``csrc/core/exact/interaction_values.c``) applies them with one Möbius transform.

Conventions follow shapiq 1.4.1 (``ExactComputer`` / ``MoebiusConverter``), the empty set included:

| index | w(s, t), t >= 1 | I(∅) |
|---|---|---|
| SV (k = 1) | 1/s | v(∅) |
| BV (k = 1) | 2^{1-s} | Σ_S d(S)/2^s (the mean of v, as shapiq's BV) |
| SII (Grabisch & Roubens 1999) | 1/(s-t+1) | Σ_S d(S)/(s+1) |
| BII | 2^{-(s-t)} | Σ_S d(S)/2^s |
| k-SII (Bordt & von Luxburg 2023) | Σ_{r=t}^{min(s,k)} C(s-t, r-t) B_{r-t}/(s-r+1) (B_1 = -1/2) | v(∅) |
| STII (Sundararajan et al. 2020) | t < k: [s = t]; t = k: 1/C(s, k) | v(∅) |
| FSII (Tsai et al. 2023) | s <= k: [s = t]; s > k: (-1)^{k-t} t/(k+t) C(k,t) C(s-1,k)/C(s+k-1,k+t) | v(∅) |
| FBII (Tsai et al. 2023) | s <= k: [s = t]; s > k: (-1)^{k-t} 2^{-(s-t)} C(s-t-1, k-t) | d(∅) + Σ_{s>k} (-1)^k 2^{-s} C(s-1,k) d(S) |
| Moebius | [s = t] | v(∅) |
| Co-Moebius | 1 (the superset sums; I(T) = Δ_T v(N∖T)) | v(∅) (shapiq's; the formula gives v(N)) |

shapiq names SII and BII of order 1 "SV" and "BV" (``get_index_from_computation_index``);
:func:`interplay.interaction_values` does the same. Where interplay differs from shapiq's
``ExactComputer``: FSII is the exact constrained least-squares solution (shapiq solves it with the
constraints weighted by 1e8, to ~1e-9), and the values come from the 2^n table in O((k+1) n 2^n)
rather than O(3^n) or O(2^n · #interactions) loops.
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from math import comb

import torch

from ..results import INTERACTION_INDICES  # shapiq's names


@lru_cache(maxsize=None)
def bernoulli(m: int) -> tuple[Fraction, ...]:
    """B_0 .. B_m with B_1 = -1/2 (scipy's and shapiq's convention)."""
    b = [Fraction(1)]
    for j in range(1, m + 1):
        b.append(-sum(comb(j + 1, i) * b[i] for i in range(j)) / (j + 1))
    return tuple(b)


def _weight(index: str, s: int, t: int, k: int) -> Fraction:
    if s < t:
        return Fraction(0)
    same = Fraction(int(s == t))
    if index == "Moebius":
        return same
    if index == "Co-Moebius":
        return same if t == 0 else Fraction(1)
    if index == "SV":
        return same if t == 0 else Fraction(1, s)
    if index == "BV":
        return Fraction(1 if t == 0 else 2, 2 ** s)
    if index == "SII":
        return Fraction(1, s - t + 1)
    if index == "BII":
        return Fraction(1, 2 ** (s - t))
    if index == "k-SII":
        if t == 0:
            return same
        B = bernoulli(k)
        return sum((comb(s - t, r - t) * B[r - t] / (s - r + 1) for r in range(t, min(s, k) + 1)), Fraction(0))
    if index == "STII":
        if t < k or s <= k:
            return same
        return Fraction(1, comb(s, k))
    if index == "FSII":
        if t == 0 or s <= k:
            return same
        return (-1) ** (k - t) * Fraction(t, k + t) * Fraction(comb(k, t) * comb(s - 1, k), comb(s + k - 1, k + t))
    if index == "FBII":
        if s <= k:
            return same
        if t == 0:
            return (-1) ** k * Fraction(comb(s - 1, k), 2 ** s)
        return (-1) ** (k - t) * Fraction(comb(s - t - 1, k - t), 2 ** (s - t))
    raise ValueError(f"unknown interaction index {index!r}; known: {list(INTERACTION_INDICES)}")


@lru_cache(maxsize=256)
def _table(index: str, n: int, k: int) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(float(_weight(index, s, t, k)) for t in range(k + 1)) for s in range(n + 1))


def index_weights(index: str, n: int, order: int) -> torch.Tensor:
    """The float64 table ``[n + 1, order + 1]`` (row s, column t) of ``index`` at ``order`` for n players."""
    return torch.tensor(_table(index, n, order), dtype=torch.float64)


@lru_cache(maxsize=256)
def _derivative_table(index: str, n: int, k: int) -> tuple[tuple[float, ...], ...]:
    columns = min(k, 2) + 1
    w = [[_weight(index, s, t, k) for t in range(columns)] for s in range(n + 1)]
    return tuple(tuple(float(sum((comb(n - t - r, q) * (-1) ** q * w[t + r + q][t] for q in range(n - t - r + 1)),
                                 Fraction(0))) if r <= n - t else 0.0
                       for t in range(columns)) for r in range(n + 1))


def derivative_weights(index: str, n: int, order: int) -> torch.Tensor:
    """The float64 table ``[n + 1, min(order, 2) + 1]`` of g_t(r) = Σ_q C(n-t-r, q) (-1)^q w(t+r+q, t), the
    weights of I(T) = Σ_{U ⊆ N∖T} g_t(|U|) Δ_T v(U) (row r = |U|, column t <= 2), exact then rounded once.
    The C core computes the sizes t <= 2 this way, straight from v (``ip_low_order_values``)."""
    return torch.tensor(_derivative_table(index, n, order), dtype=torch.float64)
