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

from ..games import Game
from ..methods import Sampler, _set_count
from ..results import Result, make_result
from . import _kadd
from ._budget import too_small
from ._matrix import ValuesAndPairs



@dataclass(frozen=True)
class Regression(ValuesAndPairs, Sampler):
    """A k-additive surrogate g fitted by weighted least squares, plus an unbiased Monte Carlo
    correction of its residual (see the module doc).

    ``order``: k of the surrogate (1 to 4), or ``"auto"``. Values (SV, BV) see only the odd part of
    the game and pairs (SII, BII) only the even part (see :func:`_fit_and_correct`), so only the odd
    (even) order terms are fitted: orders 1 and 2 give the same values, 2 and 3 the same pairs, and
    a pair surrogate of order 1 is a constant (the estimate is then the Monte Carlo correction
    alone). ``"auto"`` (with about budget/2 complementary pairs): values 3 when the pairs are at
    least 1.5 × the n + C(n, 3) odd coefficients, else 1 (where 3 runs without the correction, the
    order-1 fit is made too and the one with the smaller leave-one-pair-out error is returned);
    pairs 4 when they are at least 1.5 × the C(n, 2) + C(n, 4) even ones, else 2 (also below C(n, 2)
    pairs: the in-sample ridge fit then shrinks towards 0, far better than the Monte Carlo of an
    order-1 surrogate — RESULTS.md, 64 players).
    ``correction``: True fits each of ``folds`` folds on the others and corrects it with its own
    coalitions (unbiased, with a stderr); False is the plain in-sample regression (KernelSHAP for
    order 1, kADD-SHAP for order 2; biased, no stderr); ``"auto"`` (default): True when the pairs
    are at least 4 × the fitted coefficients (below that the in-sample fit has the smaller error:
    RESULTS.md, issue #12), else False. ``sizes``: the law of the
    sampled coalition sizes in the Shapley family, ``"uniform"`` (default: leverage-score
    sampling, Musco & Witter 2025) or ``"kernel"`` (p(s) ∝ 1/(s(n-s)), KernelSHAP's); Banzhaf
    coalitions are always drawn uniformly. ``ridge``: the Tikhonov term relative to the mean
    diagonal of the normal equations.
    ``budget`` buys 2 rows per complementary pair after the exact border (always v(∅), v(N) in
    the Shapley family).
    """

    name = "regression"
    order: Union[int, str] = "auto"
    correction: Union[bool, str] = "auto"
    folds: int = 4
    sizes: str = "uniform"
    ridge: float = 1e-8

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.order != "auto" and (isinstance(self.order, bool) or self.order not in (1, 2, 3, 4)):
            raise ValueError(f"order must be 'auto', 1, 2, 3 or 4, got {self.order!r}")
        if not isinstance(self.correction, bool) and self.correction != "auto":
            raise TypeError(f"correction must be a bool or 'auto', got {self.correction!r}")
        _set_count(self, "folds", 2)
        if self.sizes not in _kadd.SIZES:
            raise ValueError(f"sizes must be one of {_kadd.SIZES}, got {self.sizes!r}")
        r = self.ridge
        if isinstance(r, bool) or not isinstance(r, (int, float)) or not 0.0 <= r < 1.0:
            raise ValueError(f"ridge must be in [0, 1), got {r!r}")

    # -- the estimate -----------------------------------------------------------------------------
    def settings(self, n_players: int, index: str = "SV") -> tuple[int, bool]:
        """(order, correction) a call uses: ``"auto"`` resolved for ``n_players`` and the budget."""
        n, pairs = n_players, self.budget // 2
        values = index in ("SV", "BV")

        def coefficients(k: int) -> int:
            return sum(math.comb(n, r) for r in range(1, k + 1) if r % 2 == (1 if values else 0))

        k = self.order
        if k == "auto":
            if values:
                k = 3 if pairs >= 1.5 * coefficients(3) else 1
            else:
                k = 4 if pairs >= 1.5 * coefficients(4) else 2
        c = self.correction
        if c == "auto":
            c = pairs >= 4 * coefficients(k)
        return int(k), bool(c)

    def plan(self, n_players: int, index: str = "SV") -> _kadd.Plan:
        """Border sizes, band and complementary pairs a call evaluates within the budget."""
        lw = _kadd.law_for(index, n_players, self.sizes)
        minimum = 2 * self.folds if self.settings(n_players, index)[1] else 1
        pl = _kadd.plan(lw, self.budget, minimum)
        if pl is None:
            need = (2 if lw.constrained else 0) + 2 * minimum
            raise too_small(self, need, f"{minimum} complementary pairs"
                                        f"{' + v(∅), v(N)' if lw.constrained else ''} are needed")
        return pl

    def _run(self, game: Game, index: str, pairs: Optional[torch.Tensor]) -> Result:
        n = game.n_players
        if n < 2:
            raise ValueError("method 'regression' needs at least 2 players; use method='exact'")
        k, correction = self.settings(n, index)
        if pairs is not None and k == 1 and not correction:
            raise ValueError("an order-1 surrogate has no pair interactions: use order >= 2 or correction=True")
        lw = _kadd.law_for(index, n, self.sizes)
        pl = self.plan(n, index)
        gen = torch.Generator().manual_seed(self.seed)
        before = game.evaluations
        if not pl.band:  # every coalition: the exact index
            values = _kadd.exact_index(game, pl, index, pairs, self.progress)
            stderr = torch.zeros_like(values)
        else:
            x, v, vc, nb = _kadd.sample_pairs(game, lw, pl, gen, self.progress)
            args = (x, v, vc, nb, pl.band, index, pairs, self.ridge, self.folds if correction else 0)
            choose = self.order == "auto" and k == 3 and not correction  # or order 1, by leave-one-out error
            values, stderr, score = _fit_and_correct(lw, k, *args, gen, choose)
            if choose:
                low, _, low_score = _fit_and_correct(lw, 1, *args, gen, True)
                values = low if low_score < score else values
        evaluations = game.evaluations - before
        extra = {} if pairs is None else {"pairs": pairs.tolist()}
        return make_result(game, index, values, self, evaluations, stderr=stderr, **extra)


def _fit_and_correct(lw: _kadd.Law, k: int, x: torch.Tensor, v: torch.Tensor, vc: torch.Tensor, nb: int,
                     band: tuple[int, ...], index: str, pairs: Optional[torch.Tensor], ridge: float, folds: int,
                     gen: torch.Generator, score: bool = False
                     ) -> tuple[torch.Tensor, Optional[torch.Tensor], Optional[float]]:
    """(estimate, stderr, score) from coalitions ``x`` (the ``nb`` border ones, then the band's draws), their
    rewards ``v`` and their complements' ``vc``; ``folds`` = 0: the in-sample fit alone (stderr None;
    with ``score``, the score is its weighted leave-one-pair-out error, else None).

    Values (SV, BV) are odd under S -> N ∖ S (w(N ∖ S) = -w(S)), pairs (SII, BII) even: the index
    sees only the part (v(S) ± v(N ∖ S)) / 2 of the game, and with complementary pairs and
    size-symmetric weights the least squares fit of the other part decouples. So each pair is one
    row: its odd (even) part, against the odd (even) part of the odd (even) order terms.
    """
    n = lw.n
    odd = index in ("SV", "BV")
    sigma = -1 if odd else 1
    tms = _kadd.terms(n, [r for r in range(1, k + 1) if r % 2 == (1 if odd else 0)])
    v0 = float(v[0]) if lw.constrained else 0.0  # the Shapley border starts with ∅ (complement N)
    total = float(vc[0]) - v0 if lw.constrained else 0.0
    # Shapley: g(∅) = v(∅), g(N) = v(N). Odd part: Σβ = v(N) - v(∅); even part: shifted to be 0 there.
    intercept, shift = (not odd and not lw.constrained), (0.5 if lw.constrained and not odd else 0.0)
    y = 0.5 * (v + sigma * vc) - (0.0 if odd else v0 + (0.5 * total if lw.constrained else 0.0))
    phi = _kadd.index_map(n, tms, index, pairs, intercept)
    s = x.sum(1)
    lcomb = _kadd._lcomb(n, s.to(torch.float64))
    kb = lw.kappa[s[:nb]]
    wb = torch.where(torch.isfinite(kb), kb * torch.exp(-lcomb[:nb]), torch.zeros_like(kb))  # 0 at pinned sizes
    u = len(x) - nb
    ss = s[nb:]
    p_band = lw.p / lw.p[list(band)].sum()
    ws = lw.kappa[ss] / p_band[ss]
    con = total if (odd and lw.constrained) else None
    f_all = _kadd.parity_features(x, tms, sigma, intercept, shift)
    wr = _kadd.index_weights(x, index, pairs)  # w(S); the pair's two terms are w(S) (v(S) ± v(N∖S))
    fb, yb = f_all[:nb], y[:nb]
    ab = (fb * wb[:, None]).t() @ fb
    bb = (fb * wb[:, None]).t() @ yb
    fs, ys = f_all[nb:], y[nb:]
    if folds == 0:  # the in-sample regression; its leave-one-pair-out error as the score
        fw = fs * (ws / (2 * u))[:, None]
        chol: list = []
        beta = _kadd.solve(ab + fw.t() @ fs, bb + fw.t() @ ys, ridge, con, chol)
        return phi @ beta, None, _loo_error(chol, fs, ws / (2 * u), ys - fs @ beta) if score else None
    fold = torch.randperm(u, generator=gen) % folds
    rows_of = [torch.nonzero(fold == f)[:, 0] for f in range(folds)]
    grams = [((fs[r] * ws[r, None]).t() @ fs[r], (fs[r] * ws[r, None]).t() @ ys[r]) for r in rows_of]
    a_all = sum(g[0] for g in grams)
    b_all = sum(g[1] for g in grams)
    q_inv = _kadd.inverse_band_probability(lw, band, x[nb:])
    wrb, wrs = wr[:nb], wr[nb:]
    est = torch.zeros(phi.shape[0], dtype=torch.float64)
    ssd = torch.zeros_like(est)
    for f, rows in enumerate(rows_of):
        m_f = len(rows)
        if m_f == 0:
            continue
        fit = 2 * (u - m_f)  # rows of the fit (both halves of its pairs)
        beta = _kadd.solve(ab + (a_all - grams[f][0]) / fit, bb + (b_all - grams[f][1]) / fit, ridge, con)
        border = 2.0 * (wrb.t() @ (yb - fb @ beta))
        c = wrs[rows] * ((ys[rows] - fs[rows] @ beta) * q_inv[rows])[:, None]
        est += (m_f / u) * (phi @ beta + border + c.mean(0))
        ssd += ((c - c.mean(0)) ** 2).sum(0)
    # Σ_f (m_f/u)² s²/m_f = s²/u with s² the within-fold variance pooled over the folds (u - folds dof)
    return est, (ssd / max(u - folds, 1) / u).sqrt(), None


def _loo_error(chol: list, f: torch.Tensor, w: torch.Tensor, r: torch.Tensor) -> float:
    """Σ w (r / (1 - h))²: the weighted leave-one-out residuals of a least squares fit whose normal
    matrix has the Cholesky factor ``chol[0]`` (none: no terms); h = w fᵀ a⁻¹ f (the efficiency
    constraint is left out of h)."""
    if not chol:
        return float((w * r * r).sum())
    z = torch.linalg.solve_triangular(chol[0], f.t(), upper=False)
    h = (w * (z * z).sum(0)).clamp_max(1 - 1e-9)
    return float((w * (r / (1 - h)) ** 2).sum())
