"""k-additive surrogates fitted by weighted least squares, and the Monte Carlo correction of their
residual (the machinery of :class:`interplay.estimators.regression.Regression`).

A *law* says how coalitions are drawn and weighted. Shapley family (SV, SII): sizes s in 1..n-1
carry the Shapley kernel mass κ(s) = (n-1) / (s (n-s)) (KernelSHAP, Lundberg & Lee 2017), the
surrogate is pinned to v(∅) and v(N) (efficiency); sizes are drawn with p(s) ∝ κ(s) ("kernel") or
p(s) uniform ("uniform": the leverage scores of Musco & Witter 2025). Banzhaf family (BV, BII):
every coalition has mass 2^-n (ordinary least squares; Hammer & Holzman 1992), drawn uniformly.
Given its size a coalition is uniform. Coalitions come in complementary pairs (S, N ∖ S), whose
sizes have the same law; the extreme sizes are enumerated exactly while a uniform-over-band draw
would be expected to hit each of their coalitions at least once (the border trick of Covert & Lee
2021 and shapiq).

The surrogate g(S) = Σ_{T ⊆ S, 1 <= |T| <= k} d_T (+ d_∅) has exact indices (SV_i = Σ_{T∋i} d_T/|T|,
BV_i = Σ_{T∋i} d_T / 2^{|T|-1}, SII_ij = Σ_{T⊇ij} d_T / (|T|-1), BII_ij = Σ_{T⊇ij} d_T / 2^{|T|-2}),
and every index is linear in v: I(v) = Σ_S w(S) v(S). So I(v) = I(g) + Σ_S w(S) r(S), r = v - g,
and the residual sum splits into the enumerated border (exact) and the sampled band (importance
sampling, unbiased when g is fitted without the sample it corrects: K-fold cross-fitting).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import torch

from .._ops import ops
from .._progress import progress_bar
from ..engine import evaluate_packed, pack, unpack
from ..games import Game

SHAPLEY, BANZHAF = "shapley", "banzhaf"
SIZES = ("kernel", "uniform")  # the laws of the sampled sizes in the Shapley family


def _lcomb(n: torch.Tensor | int, k: torch.Tensor) -> torch.Tensor:
    n = torch.as_tensor(n, dtype=torch.float64)
    return torch.lgamma(n + 1) - torch.lgamma(k + 1) - torch.lgamma(n - k + 1)


@dataclass(frozen=True)
class Law:
    """Sampling and regression weights per coalition size (see the module doc)."""

    family: str
    n: int
    kappa: torch.Tensor  # [n+1] regression mass per size (inf at 0 and n for Shapley: constraints)
    p: torch.Tensor  # [n+1] sampling mass per size (0 where never drawn)

    @property
    def constrained(self) -> bool:
        return self.family == SHAPLEY


def law(family: str, n: int, sizes: str) -> Law:
    s = torch.arange(n + 1, dtype=torch.float64)
    if family == SHAPLEY:
        kappa = torch.full((n + 1,), math.inf, dtype=torch.float64)
        kappa[1:n] = (n - 1) / (s[1:n] * (n - s[1:n]))
        p = torch.zeros(n + 1, dtype=torch.float64)
        p[1:n] = kappa[1:n] if sizes == "kernel" else 1.0
    else:
        kappa = torch.exp(_lcomb(n, s) - n * math.log(2.0))
        p = kappa.clone()  # uniform coalitions
    return Law(family, n, kappa, p / p.sum())


def law_for(index: str, n: int, sizes: str) -> Law:
    """The law of an index: the Shapley family for SV and SII, the Banzhaf family for BV and BII."""
    return law(SHAPLEY if index in ("SV", "SII") else BANZHAF, n, sizes)


def inverse_band_probability(lw: Law, band: tuple[int, ...], x: torch.Tensor) -> torch.Tensor:
    """1 / q(S) for the band rows ``x``: q(S) = p_band(|S|) / C(n, |S|), the chance of drawing S."""
    p_band = (lw.p / lw.p[list(band)].sum()).to(x.device)
    s = x.sum(1)
    return torch.exp(_lcomb(lw.n, s.to(torch.float64))) / p_band[s]


@dataclass(frozen=True)
class Plan:
    """Sizes enumerated exactly (``border``), the sampled band, complementary pairs drawn."""

    border: tuple[int, ...]
    band: tuple[int, ...]
    units: int
    border_rows: int

    @property
    def rows(self) -> int:
        return self.border_rows + 2 * self.units


def plan(lw: Law, budget: int, min_units: int) -> Optional[Plan]:
    """The border grows (symmetrically) while the remaining budget would be expected to draw each of
    its coalitions at least once and leaves ``min_units`` pairs; None when the budget is too small."""
    n = lw.n
    lo, hi = (1, n - 1) if lw.constrained else (0, n)
    border = [0, n] if lw.constrained else []
    cost = 2 if lw.constrained else 0
    if cost > budget:
        return None
    while lo <= hi:
        band_p = float(lw.p[lo:hi + 1].sum())
        left = budget - cost
        extra = math.comb(n, lo) + (math.comb(n, hi) if hi != lo else 0)
        expected = left * float(lw.p[lo]) / band_p
        everything = lo + 1 > hi - 1 and extra <= left
        if not everything and (expected < math.comb(n, lo) or (left - extra) // 2 < min_units):
            break
        border += [lo] if hi == lo else [lo, hi]
        cost += extra
        lo, hi = lo + 1, hi - 1
    band = tuple(range(lo, hi + 1))
    units = (budget - cost) // 2 if band else 0
    if band and units < min_units:
        return None
    return Plan(tuple(sorted(border)), band, units, cost)


def enumerate_sizes(n: int, sizes: tuple[int, ...]) -> torch.Tensor:
    """Every coalition of the given sizes, bool ``[rows, n]`` (ip_combinations)."""
    like = torch.zeros(0)
    out = [unpack(ops.combinations(like, n, s, 0, math.comb(n, s)), n) for s in sizes]
    return torch.cat(out) if out else torch.zeros(0, n, dtype=torch.bool)


def draw_pairs(lw: Law, band: tuple[int, ...], units: int, gen: torch.Generator) -> torch.Tensor:
    """``units`` coalitions S (size ~ p on the band, uniform given the size) followed by their
    complements: bool ``[2 units, n]``."""
    n = lw.n
    if units == 0:
        return torch.zeros(0, n, dtype=torch.bool)
    idx = torch.tensor(band, dtype=torch.int64)
    sizes = idx[torch.multinomial(lw.p[idx], units, replacement=True, generator=gen)]
    ranks = torch.rand(units, n, generator=gen, dtype=torch.float64).argsort(1).argsort(1)
    x = ranks < sizes[:, None]
    return torch.cat([x, ~x])


def terms(n: int, orders) -> list[torch.Tensor]:
    """The interaction terms of the given orders: ``[count, order]`` index tensors."""
    return [torch.combinations(torch.arange(n), r) if r > 1 else torch.arange(n)[:, None] for r in orders]


def features(x: torch.Tensor, tms: list[torch.Tensor], intercept: bool) -> torch.Tensor:
    """Möbius-basis features Π_{i∈T} x_i of the terms T, float64 ``[rows, P]``."""
    cols = [torch.ones(len(x), 1, dtype=torch.bool)] if intercept else []
    for t in tms:
        f = x[:, t[:, 0]]
        for c in range(1, t.shape[1]):
            f = f & x[:, t[:, c]]
        cols.append(f)
    return torch.cat(cols, 1).to(torch.float64) if cols else torch.zeros(len(x), 0, dtype=torch.float64)


def index_map(n: int, tms: list[torch.Tensor], index: str, pairs: Optional[torch.Tensor], intercept: bool
              ) -> torch.Tensor:
    """The linear map from surrogate coefficients to its exact index values, ``[out, P]``."""
    banzhaf = index in ("BV", "BII")
    out = n if pairs is None else len(pairs)
    cols = [torch.zeros(out, 1 if intercept else 0, dtype=torch.float64)]
    for t in tms:
        r = t.shape[1]
        if pairs is None:  # values: d_T / |T| (SV) or / 2^{|T|-1} (BV) for T ∋ i
            coef = 1.0 / (2 ** (r - 1) if banzhaf else r)
            m = torch.zeros(n, len(t), dtype=torch.float64)
            for c in range(r):
                m[t[:, c], torch.arange(len(t))] = coef
        else:  # pairs: d_T / (|T| - 1) (SII) or / 2^{|T|-2} (BII) for T ⊇ {i, j}
            m = torch.zeros(len(pairs), len(t), dtype=torch.float64)
            if r >= 2:
                coef = 1.0 / (2 ** (r - 2) if banzhaf else r - 1)
                member = torch.zeros(n, len(t), dtype=torch.bool)
                for c in range(r):
                    member[t[:, c], torch.arange(len(t))] = True
                m[member[pairs[:, 0]] & member[pairs[:, 1]]] = coef
        cols.append(m)
    return torch.cat(cols, 1)


_SUM_ROWS = 8192  # rows per block of index_sums and pair_sums


def index_weights(x: torch.Tensor, index: str, pairs: Optional[torch.Tensor]) -> torch.Tensor:
    """w(S) of I(v) = Σ_S w(S) v(S) for the rows ``x`` [rows, n]: ``[rows, out]`` float64 (the
    definition; :func:`index_sums` forms Σ_S w(S) β(S) without this matrix)."""
    n = x.shape[1]
    xf = x.to(torch.float64)
    s = xf.sum(1, keepdim=True)
    if index == "SV":
        inv = torch.exp(-_lcomb(n, s))
        return torch.where(x, inv / s.clamp_min(1), -inv / (n - s).clamp_min(1))
    if index == "BV":
        return (2 * xf - 1) / 2.0 ** (n - 1)
    return signed_by_others(x, pairs, _pair_weight_by_others(index, n, x.device))


def _pair_weight_by_others(index: str, n: int, device) -> torch.Tensor:
    """|w(S)| of a pair index by |S ∖ {i, j}|, ``[n-1]``: 1 / ((n-1) C(n-2, ·)) (SII), 2^-(n-2) (BII)."""
    if index == "BII":
        return torch.full((n - 1,), 2.0 ** -(n - 2), dtype=torch.float64, device=device)
    return torch.exp(-_lcomb(n - 2, torch.arange(n - 1, dtype=torch.float64))).to(device) / (n - 1)


def index_sums(x: torch.Tensor, index: str, pairs: Optional[torch.Tensor], beta: torch.Tensor,
               squared: bool = False) -> torch.Tensor:
    """Σ_S w(S) β(S) (or Σ_S w(S)² β(S) with ``squared``) over the rows ``x`` [rows, n] with the
    weights ``β`` [rows]: ``[out]``, equal to ``index_weights(x, ...).t() @ β`` but for pairs without
    a [rows, P] matrix (:func:`pair_sums`)."""
    if index in ("SV", "BV"):
        out = torch.zeros(x.shape[1], dtype=torch.float64, device=x.device)
        for r in range(0, len(x), _SUM_ROWS):
            w = index_weights(x[r:r + _SUM_ROWS], index, pairs)
            out += (w.square() if squared else w).t() @ beta[r:r + _SUM_ROWS]
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
    for r in range(0, len(x), _SUM_ROWS):
        x1 = x[r:r + _SUM_ROWS, players].to(torch.float64)
        xs = torch.stack([1.0 - x1, x1])  # X_a, [2, rows, u]
        omega = table[size[r:r + _SUM_ROWS]] * beta[r:r + _SUM_ROWS, None, None]  # [rows, a, b]
        z = torch.einsum("mab,amu->bmu", omega, xs)
        out += z.reshape(-1, len(players)).t() @ xs.reshape(-1, len(players))
    return out[at[:, 0], at[:, 1]]


def parity_features(x: torch.Tensor, tms: list[torch.Tensor], sigma: int, intercept: bool, shift: float
                    ) -> torch.Tensor:
    """(f(S) + σ f(N ∖ S)) / 2 - shift: the odd (σ = -1) or even (σ = +1) part of the features."""
    f = features(x, tms, intercept)
    return (f + sigma * features(~x, tms, intercept)) * 0.5 - shift


def solve(a: torch.Tensor, b: torch.Tensor, ridge: float, total: Optional[float], keep: Optional[list] = None
          ) -> torch.Tensor:
    """argmin Σ w (y - fβ)² + λ|β|² (λ = ridge × mean diagonal), subject to Σβ = ``total`` if given
    (``keep``: a list the Cholesky factor of the regularised normal matrix is appended to)."""
    p = a.shape[0]
    if p == 0:
        return torch.zeros(0, dtype=a.dtype)
    lam = ridge * float(a.diagonal().mean().clamp_min(1e-300))
    chol, info = torch.linalg.cholesky_ex(a + lam * torch.eye(p, dtype=a.dtype))
    if int(info) != 0:  # numerically singular: a larger ridge
        chol = torch.linalg.cholesky(a + (lam + 1e-6 * float(a.diagonal().mean())) * torch.eye(p, dtype=a.dtype))
    if keep is not None:
        keep.append(chol)
    beta = solve_factored(chol, b)
    if total is None:
        return beta
    u = solve_factored(chol, torch.ones(p, dtype=a.dtype))
    return beta - u * (beta.sum() - total) / u.sum()


def solve_factored(chol: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """A⁻¹ b from the lower Cholesky factor L of A (``b`` [m]): two triangular solves (an order of
    magnitude faster than ``torch.cholesky_solve`` with MKL for one right-hand side)."""
    z = torch.linalg.solve_triangular(chol, b[:, None], upper=False)
    return torch.linalg.solve_triangular(chol.mT, z, upper=True)[:, 0]


def evaluate(game: Game, x: torch.Tensor, progress: Optional[bool]) -> torch.Tensor:
    """Rewards (float64, CPU) of the bool coalitions ``x``, in blocks of 8 model batches."""
    chunk = max(8 * int(game.batch_size), 1)
    starts = range(0, len(x), chunk)
    show = progress if progress is not None else (len(starts) > 8 and getattr(game, "progress", None) is not False)
    out = [evaluate_packed(game, pack(x[r:r + chunk])).to(torch.float64).cpu()
           for r in progress_bar(starts, enabled=bool(show), desc="evaluating", unit="block")]
    return torch.cat(out) if out else torch.zeros(0, dtype=torch.float64)


def exact_index(game: Game, pl: Plan, index: str, pairs: Optional[torch.Tensor], progress: Optional[bool]
                ) -> torch.Tensor:
    """The exact index from every coalition (a plan whose border is everything)."""
    xb = enumerate_sizes(game.n_players, pl.border)
    return index_sums(xb, index, pairs, evaluate(game, xb, progress))


def sample_pairs(game: Game, lw: Law, pl: Plan, gen: torch.Generator, progress: Optional[bool]
                 ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, int]:
    """(x, v(x), v(N ∖ x), nb): the border's smaller half (``nb`` rows, starting with ∅ in the
    Shapley family), then the band's draws S; every row and its complement evaluated."""
    n = game.n_players
    xl = enumerate_sizes(n, tuple(s for s in pl.border if 2 * s < n))
    x = torch.cat([xl, draw_pairs(lw, pl.band, pl.units, gen)[:pl.units]])
    v = evaluate(game, torch.cat([x, ~x]), progress)
    return x, v[:len(x)], v[len(x):], len(xl)
