"""Shapley / Banzhaf values and pair interactions from a k-additive surrogate fitted by weighted
least squares, plus an unbiased Monte Carlo correction of its residual on the same evaluations
(regression-adjusted Monte Carlo, Witter, Liu & Musco 2025; the surrogate fit is KernelSHAP /
kADD-SHAP / KernelSHAP-IQ-like: Lundberg & Lee 2017, Covert & Lee 2021, Pelegrina et al. 2023,
Fumagalli et al. 2024). The machinery is in :mod:`._kadd`.

Coalitions come in complementary pairs (S, N ∖ S); the extreme sizes are enumerated exactly; the
pairs of the middle band are split into ``folds`` folds, the surrogate of fold f is fitted on the
border and the other folds, and fold f corrects it: I = I(g_f) + Σ_border w r_f + mean_{S in f}
w r_f / q. Every fold's estimate is unbiased, and so is their average (weighted by fold sizes); the
stderr is sqrt(s² / pairs), s² the within-fold variance of the per-pair corrections, pooled (it
leaves out the folds' correlation through their fits: too small when the fits are barely
determined, calibrated once there are several pairs per coefficient).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional, Union

import torch

from .._progress import progress_bar
from ..engine import evaluate_packed, pack
from ..games import Game
from ..methods import Sampler, default_sampler
from ..results import Result, make_result
from . import _kadd
from ._budget import too_small

_SIZES = ("kernel", "uniform")


def _evaluate(game: Game, x: torch.Tensor, progress: Optional[bool]) -> torch.Tensor:
    """Rewards (float64, CPU) of the bool coalitions ``x``, in blocks of 8 model batches."""
    chunk = max(8 * int(game.batch_size), 1)
    starts = range(0, len(x), chunk)
    show = progress if progress is not None else (len(starts) > 8 and getattr(game, "progress", None) is not False)
    out = [evaluate_packed(game, pack(x[r:r + chunk])).to(torch.float64).cpu()
           for r in progress_bar(starts, enabled=bool(show), desc="evaluating", unit="block")]
    return torch.cat(out) if out else torch.zeros(0, dtype=torch.float64)


@dataclass(frozen=True)
class Regression(Sampler):
    """A k-additive surrogate g fitted by weighted least squares, plus an unbiased Monte Carlo
    correction of its residual (see the module doc).

    ``order``: k of the surrogate (1, 2 or 3), or ``"auto"``: 2 for pairs; for values 3 when the
    budget is at least twice its n + C(n, 2) + C(n, 3) coefficients, else 1 (with complementary
    pairs the even orders do not change the values: order 2 gives what order 1 gives).
    ``correction``: True (default) fits each of ``folds`` folds on the others and corrects it with
    its own coalitions (unbiased, with a stderr); False is the plain in-sample regression
    (KernelSHAP for order 1, kADD-SHAP for order 2; biased, no stderr). ``sizes``: the law of the
    sampled coalition sizes in the Shapley family, ``"uniform"`` (default: leverage-score
    sampling, Musco & Witter 2025) or ``"kernel"`` (p(s) ∝ 1/(s(n-s)), KernelSHAP's); Banzhaf
    coalitions are always drawn uniformly. ``ridge``: the Tikhonov term relative to the mean diagonal of the normal equations.
    ``budget`` buys 2 rows per complementary pair after the exact border (always v(∅), v(N) in
    the Shapley family).
    """

    name = "regression"
    order: Union[int, str] = "auto"
    correction: bool = True
    folds: int = 4
    sizes: str = "uniform"
    ridge: float = 1e-8

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.order != "auto" and (isinstance(self.order, bool) or self.order not in (1, 2, 3)):
            raise ValueError(f"order must be 'auto', 1, 2 or 3, got {self.order!r}")
        if not isinstance(self.correction, bool):
            raise TypeError(f"correction must be a bool, got {self.correction!r}")
        if isinstance(self.folds, bool) or not isinstance(self.folds, int) or self.folds < 2:
            raise ValueError(f"folds must be an int >= 2, got {self.folds!r}")
        if self.sizes not in _SIZES:
            raise ValueError(f"sizes must be one of {_SIZES}, got {self.sizes!r}")
        r = self.ridge
        if isinstance(r, bool) or not isinstance(r, (int, float)) or not 0.0 <= r < 1.0:
            raise ValueError(f"ridge must be in [0, 1), got {r!r}")

    # -- quantities -------------------------------------------------------------------------------
    def shapley_values(self, game: Game) -> Result:
        return self._run(game, "SV", None)

    def banzhaf_values(self, game: Game) -> Result:
        return self._run(game, "BV", None)

    def pair_interactions(self, game: Game, pairs: torch.Tensor, index: str,
                          rate: Optional[tuple[float, float]] = None) -> Result:
        if index not in ("SII", "BII"):
            raise ValueError(f"method 'regression' estimates index 'SII' or 'BII', got {index!r}")
        return self._run(game, index, pairs)

    def interaction_matrix(self, game: Game, index: str, pairs: Optional[torch.Tensor] = None) -> Result:
        n = game.n_players
        p = torch.triu_indices(n, n, 1).t().contiguous() if pairs is None else pairs
        r = self.pair_interactions(game, p, index, None)
        values = torch.full((n, n), float("nan"), dtype=torch.float64)
        values.diagonal().zero_()
        stderr = None if r.stderr is None else values.clone()
        for a, b in ((0, 1), (1, 0)):
            values[p[:, a], p[:, b]] = r.values
            if stderr is not None:
                stderr[p[:, a], p[:, b]] = r.stderr
        return make_result(game, index, values, self, r.evaluations, stderr=stderr,
                           pairs=None if pairs is None else pairs.tolist())

    # -- the estimate -----------------------------------------------------------------------------
    def plan(self, n_players: int, index: str = "SV") -> _kadd.Plan:
        """Border sizes, band and complementary pairs a call evaluates within the budget."""
        family = _kadd.SHAPLEY if index in ("SV", "SII") else _kadd.BANZHAF
        lw = _kadd.law(family, n_players, self.sizes)
        minimum = 2 * self.folds if self.correction else 1
        pl = _kadd.plan(lw, self.budget, minimum)
        if pl is None:
            need = (2 if lw.constrained else 0) + 2 * minimum
            raise too_small(self, need, f"{minimum} complementary pairs"
                                        f"{' + v(∅), v(N)' if lw.constrained else ''} are needed")
        return pl

    def _order(self, n: int, rows: int, pairs: bool) -> int:
        if self.order != "auto":
            return int(self.order)
        if pairs:
            return 2
        return 3 if rows >= 2 * (n + math.comb(n, 2) + math.comb(n, 3)) else 1

    def _run(self, game: Game, index: str, pairs: Optional[torch.Tensor]) -> Result:
        n = game.n_players
        if n < 2:
            raise ValueError("method 'regression' needs at least 2 players; use method='exact'")
        k = self._order(n, self.budget, pairs is not None)
        if pairs is not None and k == 1 and not self.correction:
            raise ValueError("an order-1 surrogate has no pair interactions: use order >= 2 or correction=True")
        family = _kadd.SHAPLEY if index in ("SV", "SII") else _kadd.BANZHAF
        lw = _kadd.law(family, n, self.sizes)
        pl = self.plan(n, index)
        gen = torch.Generator().manual_seed(self.seed)
        xb = _kadd.enumerate_sizes(n, pl.border)
        xs = _kadd.draw_pairs(lw, pl.band, pl.units, gen)
        before = game.evaluations
        v = _evaluate(game, torch.cat([xb, xs]), self.progress)
        evaluations = game.evaluations - before
        values, stderr = _fit_and_correct(lw, pl, k, xb, xs, v, index, pairs, self.ridge,
                                          self.folds if self.correction else 0, gen)
        extra = {} if pairs is None else {"pairs": pairs.tolist()}
        return make_result(game, index, values, self, evaluations, stderr=stderr, **extra)


def _fit_and_correct(lw: _kadd.Law, pl: _kadd.Plan, k: int, xb: torch.Tensor, xs: torch.Tensor, v: torch.Tensor,
                     index: str, pairs: Optional[torch.Tensor], ridge: float, folds: int,
                     gen: torch.Generator) -> tuple[torch.Tensor, Optional[torch.Tensor]]:
    """(estimate, stderr) from the border rows ``xb``, the pairs ``xs`` (S's then complements) and
    the rewards ``v`` of both; ``folds`` = 0: the in-sample fit alone (stderr None)."""
    n = lw.n
    intercept = not lw.constrained
    tms = _kadd.terms(n, k)
    phi = _kadd.index_map(n, tms, index, pairs, intercept)
    vb, vs = v[:len(xb)], v[len(xb):]
    sb = xb.sum(1)
    total = None
    if lw.constrained:  # g(∅) = v(∅) (the offset), g(N) = v(N): Σ d_T = v(N) - v(∅)
        v0 = vb[sb == 0][0]
        total = float(vb[sb == n][0] - v0)
        vb, vs = vb - v0, vs - v0
    # regression weights: border κ(s)/C(n,s) (0 at the pinned sizes), band κ(s)/p_band(s) / rows
    lcomb = _kadd._lcomb(n, sb.to(torch.float64))
    kb = lw.kappa[sb]
    wb = torch.where(torch.isfinite(kb), kb * torch.exp(-lcomb), torch.zeros_like(kb))
    ab, bb = _kadd.weighted_gram(xb, wb, vb, tms, intercept)
    band = list(pl.band)
    p_band = lw.p / lw.p[band].sum() if band else lw.p
    ss = xs.sum(1)
    ws = lw.kappa[ss] / p_band[ss] if len(xs) else torch.zeros(0, dtype=torch.float64)
    u = pl.units
    wr = _kadd.index_weights(xb, index, pairs)
    if u == 0 or folds == 0:  # every size enumerated, or the in-sample regression
        a, b = ab, bb
        if u:
            a_s, b_s = _kadd.weighted_gram(xs, ws, vs, tms, intercept)
            a, b = a + a_s / len(xs), b + b_s / len(xs)
        beta = _kadd.solve(a, b, ridge, total)
        est = phi @ beta
        if u == 0:  # exact: the residual over every coalition
            est = est + wr.t() @ (vb - _kadd.features(xb, tms, intercept) @ beta)
            return est, torch.zeros_like(est)
        return est, None
    fold = torch.randperm(u, generator=gen) % folds
    rows_of = [torch.cat([idx, idx + u]) for idx in (torch.nonzero(fold == f)[:, 0] for f in range(folds))]
    feats = [_kadd.features(xs[r], tms, intercept) for r in rows_of]  # 0/1, each fold's rows once
    grams = [((f * ws[r, None]).t() @ f, (f * ws[r, None]).t() @ vs[r]) for f, r in zip(feats, rows_of)]
    a_all = sum(g[0] for g in grams)
    b_all = sum(g[1] for g in grams)
    fb = _kadd.features(xb, tms, intercept)
    # importance weights w(S) / q(S), q(S) = p_band(s) / C(n, s)
    q_inv = torch.exp(_kadd._lcomb(n, ss.to(torch.float64))) / p_band[ss]
    est = torch.zeros(phi.shape[0], dtype=torch.float64)
    ssd = torch.zeros_like(est)
    for f, rows in enumerate(rows_of):
        m_f = len(rows) // 2
        if m_f == 0:
            continue
        fit_rows = 2 * u - len(rows)
        beta = _kadd.solve(ab + (a_all - grams[f][0]) / fit_rows, bb + (b_all - grams[f][1]) / fit_rows, ridge, total)
        border = wr.t() @ (vb - fb @ beta)
        r = vs[rows] - feats[f] @ beta
        c = _kadd.index_weights(xs[rows], index, pairs) * (r * q_inv[rows])[:, None]
        c = 0.5 * (c[:m_f] + c[m_f:])  # one term per complementary pair
        est += (m_f / u) * (phi @ beta + border + c.mean(0))
        ssd += ((c - c.mean(0)) ** 2).sum(0)
    # Σ_f (m_f/u)² s²/m_f = s²/u with s² the within-fold variance pooled over the folds (u - folds dof)
    return est, (ssd / max(u - folds, 1) / u).sqrt()


# budget= without method= (benchmarks/estimators.py, RESULTS.md "Estimators against shapiq and captum")
for _quantity in ("shapley_values", "banzhaf_values", "pair_interactions", "interaction_matrix"):
    default_sampler(_quantity, Regression.name)
