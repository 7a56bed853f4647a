"""The index algebra: every index this family estimates is linear in the game, I(v) = Σ_S w(S) v(S),
with w(S) a function of |S| and of the membership of the index's players (SV_i, BV_i: i ∈ S; SII_ij,
BII_ij: i, j ∈ S). These sums over coalition rows are formed here in blocks, for pairs without a
[rows, pairs] matrix (:func:`pair_sums`)."""
from __future__ import annotations

from typing import Optional

import torch


def log_comb(n: torch.Tensor | int, k: torch.Tensor) -> torch.Tensor:
    """log C(n, k), float64 (elementwise over ``k``)."""
    n = torch.as_tensor(n, dtype=torch.float64)
    return torch.lgamma(n + 1) - torch.lgamma(k + 1) - torch.lgamma(n - k + 1)


SUM_ROWS = 8192  # rows per block of index_sums and pair_sums (their memory: [SUM_ROWS, n] float64)


def index_weights(x: torch.Tensor, index: str, pairs: Optional[torch.Tensor]) -> torch.Tensor:
    """w(S) of I(v) = Σ_S w(S) v(S) for the rows ``x`` [rows, n]: ``[rows, out]`` float64 (the
    definition; :func:`index_sums` forms Σ_S w(S) β(S) without this matrix)."""
    n = x.shape[1]
    xf = x.to(torch.float64)
    s = xf.sum(1, keepdim=True)
    if index == "SV":
        inv = torch.exp(-log_comb(n, s))
        return torch.where(x, inv / s.clamp_min(1), -inv / (n - s).clamp_min(1))
    if index == "BV":
        return (2 * xf - 1) / 2.0 ** (n - 1)
    return signed_by_others(x, pairs, _pair_weight_by_others(index, n, x.device))


def _pair_weight_by_others(index: str, n: int, device) -> torch.Tensor:
    """|w(S)| of a pair index by |S ∖ {i, j}|, ``[n-1]``: 1 / ((n-1) C(n-2, ·)) (SII), 2^-(n-2) (BII)."""
    if index == "BII":
        return torch.full((n - 1,), 2.0 ** -(n - 2), dtype=torch.float64, device=device)
    return torch.exp(-log_comb(n - 2, torch.arange(n - 1, dtype=torch.float64))).to(device) / (n - 1)


def index_sums(x: torch.Tensor, index: str, pairs: Optional[torch.Tensor], beta: torch.Tensor,
               squared: bool = False) -> torch.Tensor:
    """Σ_S w(S) β(S) (or Σ_S w(S)² β(S) with ``squared``) over the rows ``x`` [rows, n] with the
    weights ``β`` [rows]: ``[out]``, equal to ``index_weights(x, ...).t() @ β`` but for pairs without
    a [rows, P] matrix (:func:`pair_sums`)."""
    if index in ("SV", "BV"):
        out = torch.zeros(x.shape[1], dtype=torch.float64, device=x.device)
        for r in range(0, len(x), SUM_ROWS):
            w = index_weights(x[r:r + SUM_ROWS], index, pairs)
            out += (w.square() if squared else w).t() @ beta[r:r + SUM_ROWS]
        return out
    g = _pair_weight_by_others(index, x.shape[1], x.device)
    return pair_sums(x, pairs, pair_table(g.square() if squared else g, signed=not squared), beta)


def pair_table(g: torch.Tensor, signed: bool = True) -> torch.Tensor:
    """``[n+1, 2, 2]``: at (|S|, i ∈ S, j ∈ S) the value (2 x_i - 1)(2 x_j - 1) g[|S ∖ {i, j}|]
    (without the sign unless ``signed``) of a pair term that depends on the others' count only
    (``g`` [n-1]); 0 where no coalition has that (size, membership)."""
    k = torch.arange(len(g) + 2, device=g.device)[:, None, None]
    a, b = torch.arange(2, device=g.device)[:, None], torch.arange(2, device=g.device)
    at = k - a - b
    sign = (2 * a - 1) * (2 * b - 1) if signed else torch.ones(2, 2, dtype=torch.long, device=g.device)
    return torch.where((at >= 0) & (at < len(g)), sign * g[at.clamp(0, len(g) - 1)], 0.0)


def signed_by_others(x: torch.Tensor, pairs: torch.Tensor, g: torch.Tensor) -> torch.Tensor:
    """(2 x_i - 1)(2 x_j - 1) g[|S ∖ {i, j}|] for the bool rows S = ``x`` [m, n] and the ``pairs``
    [P, 2] (``g`` [n-1]): ``[m, P]``, in one gather from :func:`pair_table`."""
    xl = x.long()
    code = 4 * xl.sum(1, keepdim=True) + 2 * xl[:, pairs[:, 0]] + xl[:, pairs[:, 1]]
    return pair_table(g).reshape(-1)[code]


def pair_sums(x: torch.Tensor, pairs: torch.Tensor, table: torch.Tensor, beta: torch.Tensor) -> torch.Tensor:
    """Σ_m β_m table[|S_m|, i ∈ S_m, j ∈ S_m] for each of the ``pairs`` (i, j) [P, 2] over the bool
    rows S_m = ``x`` [m, n] (``table`` [n+1, 2, 2], e.g. :func:`pair_table`): ``[P]``.

    With X_1 = x and X_0 = 1 - x restricted to the players of the pairs and ω_ab(m) = β_m
    table[|S_m|, a, b], the sums are Σ_ab (X_aᵀ diag(ω_ab) X_b)[i, j] = Σ_b (Z_bᵀ X_b)[i, j] with
    Z_b = Σ_a ω_ab X_a: one [u, 2m] × [2m, u] product per block of rows (u ≤ n players), O(m u²)
    flops and no [m, P] matrix."""
    players, at = torch.unique(pairs, return_inverse=True)  # at: the pairs in the players' numbering
    if len(players) == 0:
        return torch.zeros(0, dtype=torch.float64, device=x.device)
    size = x.sum(1)
    out = torch.zeros(len(players), len(players), dtype=torch.float64, device=x.device)
    for r in range(0, len(x), SUM_ROWS):
        x1 = x[r:r + SUM_ROWS, players].to(torch.float64)
        xs = torch.stack([1.0 - x1, x1])  # X_a, [2, rows, u]
        omega = table[size[r:r + SUM_ROWS]] * beta[r:r + SUM_ROWS, None, None]  # [rows, a, b]
        z = torch.einsum("mab,amu->bmu", omega, xs)
        out += z.reshape(-1, len(players)).t() @ xs.reshape(-1, len(players))
    return out[at[:, 0], at[:, 1]]
