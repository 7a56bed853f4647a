"""Shapley / Banzhaf values and pair interactions from a k-additive surrogate fitted by weighted
least squares, plus an unbiased Monte Carlo correction of its residual on the same evaluations
(regression-adjusted Monte Carlo, Witter, Liu & Musco 2025; the surrogate fit is KernelSHAP /
kADD-SHAP / KernelSHAP-IQ-like: Lundberg & Lee 2017, Covert & Lee 2021, Pelegrina et al. 2023,
Fumagalli et al. 2024). The design, the index algebra and the cross-fitting are the family's
(:mod:`.design`, :mod:`.cross_fit`); the surrogate is :mod:`.kadditive`.

Coalitions come in complementary pairs (S, N ∖ S); the extreme sizes are enumerated exactly; the
pairs of the middle band are split into ``folds`` folds, the surrogate of fold f is fitted on the
border and the other folds, and fold f corrects it: I = I(g_f) + Σ_border w r_f + mean_{S in f}
w r_f / q. Every fold's estimate is unbiased, and so is their average (weighted by fold sizes); the
stderr is that of the mean of the per-pair corrections (:mod:`.cross_fit`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional, Union

import torch

from ..._internal.checks import memory
from ...games import Game
from .base import ComplementaryPairs
from .cross_fit import cross_fit
from .design import Plan, Sample, band_probability
from .index_sums import log_comb
from .kadditive import Basis, KAdditive, index_map, terms
from .solvers import solve

# order="auto" for values: order 3 where the pairs are at least this many times its coefficients, else 1
# (`benchmarks/estimator_constants.py`; RESULTS.md, "The estimators' constants"); pairs: always order 2
AUTO_ORDER_PAIRS = 1.5
# correction="auto": cross-fitted where the pairs are at least this many times the coefficients
# (`benchmarks/estimator_constants.py`; RESULTS.md, "The estimators' constants")
CORRECTION_PAIRS = 4


def coefficients(n: int, index: str, k: int) -> int:
    """The terms a k-additive surrogate fits for ``index``: the odd orders <= k for values, the even
    ones for pairs (the other parity is invisible to the index: :mod:`.kadditive`)."""
    odd = index in ("SV", "BV")
    return sum(math.comb(n, r) for r in range(1, k + 1) if r % 2 == (1 if odd else 0))


@dataclass(frozen=True)
class Regression(ComplementaryPairs):
    """A k-additive surrogate g fitted by weighted least squares, plus an unbiased Monte Carlo
    correction of its residual (see the module doc).

    ``order``: k of the surrogate (1 to 4), or ``"auto"``. Values (SV, BV) see only the odd part of
    the game and pairs (SII, BII) only the even part (:mod:`.kadditive`), so only the odd
    (even) order terms are fitted: orders 1 and 2 give the same values, 2 and 3 the same pairs, and
    a pair surrogate of order 1 is a constant (the estimate is then the Monte Carlo correction
    alone). ``"auto"`` (with about budget/2 complementary pairs): values 3 when the pairs are at
    least ``AUTO_ORDER_PAIRS`` (1.5) × the n + C(n, 3) odd coefficients, else 1 (where 3 runs without the correction, the
    order-1 fit is made too and the one with the smaller leave-one-pair-out error is returned);
    pairs always 2 (order 4 was never better, at up to 5.6 pairs per coefficient; below C(n, 2) pairs
    the in-sample ridge fit shrinks towards 0, far better than the Monte Carlo of an order-1
    surrogate: benchmarks/RESULTS.md, "The estimators' constants" and "Estimators").
    ``correction``: True fits each of ``folds`` folds on the others and corrects it with its own
    coalitions (unbiased, with a stderr); False is the plain in-sample regression (KernelSHAP for
    order 1, kADD-SHAP for order 2; biased, no stderr); ``"auto"`` (default): True when the pairs
    are at least ``CORRECTION_PAIRS`` × the fitted coefficients (below that the in-sample fit has the
    smaller error: benchmarks/RESULTS.md, "Estimators"), else False. ``sizes``: the law of the
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
    ridge: float = 1e-8
    min_folds = 2

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.order != "auto" and (isinstance(self.order, bool) or not isinstance(self.order, int)
                                     or self.order not in (1, 2, 3, 4)):
            raise ValueError(f"order must be 'auto', 1, 2, 3 or 4, got {self.order!r}")
        if not isinstance(self.correction, bool) and self.correction != "auto":
            raise TypeError(f"correction must be a bool or 'auto', got {self.correction!r}")
        r = self.ridge
        if isinstance(r, bool) or not isinstance(r, (int, float)) or not 0.0 <= r < 1.0:
            raise ValueError(f"ridge must be in [0, 1), got {r!r}")

    # -- the estimate -----------------------------------------------------------------------------
    def settings(self, n_players: int, index: str = "SV") -> tuple[int, bool]:
        """(order, correction) a call uses: ``"auto"`` resolved for ``n_players`` and the budget."""
        n, pairs = n_players, self.budget // 2
        values = index in ("SV", "BV")
        k = self.order
        if k == "auto":
            if values:
                k = 3 if pairs >= AUTO_ORDER_PAIRS * coefficients(n, index, 3) else 1
            else:  # order 4 never beat order 2 for pairs, at any ratio tried (RESULTS.md, "The estimators' constants")
                k = 2
        c = self.correction
        if c == "auto":
            c = pairs >= CORRECTION_PAIRS * coefficients(n, index, k)
        return int(k), bool(c)

    def min_pairs(self, n_players: int, index: str) -> int:
        return 2 * self.folds if self.settings(n_players, index)[1] else 1

    def check_call(self, game: Game, index: str, pairs: Optional[torch.Tensor], pl: Plan) -> None:
        """Refuses an order-1 surrogate of pairs, and a fit beyond the memory budget: the features of
        every row and of its complement and their parity part ([rows, P] float64 three times, P
        coefficients), the index map ([out, P]) and the normal matrices (one per fold, the border's
        and their sum: [P, P] each)."""
        n = game.n_players
        k, correction = self.settings(n, index)
        if pairs is not None and k == 1 and not correction:
            raise ValueError("an order-1 surrogate has no pair interactions: use order >= 2 or correction=True")
        super().check_call(game, index, pairs, pl)
        p = 1 + coefficients(n, index, k)
        rows, out = pl.border_rows // 2 + pl.units, n if pairs is None else len(pairs)
        memory(8 * p * (3 * rows + out + (self.folds + 3) * p),
               f"method 'regression': a surrogate of {p} coefficients on {rows} pairs",
               "lower order= or the budget")

    def _estimate(self, sample: Sample, index: str, pairs: Optional[torch.Tensor], gen: torch.Generator,
                  game: Game) -> tuple[torch.Tensor, Optional[torch.Tensor]]:
        k, correction = self.settings(sample.law.n, index)
        if correction:
            return _WeightedFit(sample, index, pairs, k, self.ridge).cross_fitted(self.folds, gen)
        choose = self.order == "auto" and k == 3  # or order 1, by the leave-one-pair-out error
        values, score = _WeightedFit(sample, index, pairs, k, self.ridge).in_sample(choose)
        if choose:
            low, low_score = _WeightedFit(sample, index, pairs, 1, self.ridge).in_sample(True)
            values = low if low_score < score else values
        return values, None


class _WeightedFit:
    """The weighted least squares problem of a k-additive surrogate on the sample (module doc): one row
    per pair, its odd (values) or even (pairs) part; the border's rows with their exact masses, the
    band's with κ / p (importance weights of the draw)."""

    def __init__(self, sample: Sample, index: str, pairs: Optional[torch.Tensor], k: int, ridge: float) -> None:
        lw, x, v, vc, nb = sample.law, sample.x, sample.v, sample.vc, sample.border
        n = lw.n
        odd = index in ("SV", "BV")
        sigma = -1 if odd else 1
        v0 = float(v[0]) if lw.constrained else 0.0  # the Shapley border starts with ∅ (complement N)
        total = float(vc[0]) - v0 if lw.constrained else 0.0
        # Shapley: g(∅) = v(∅), g(N) = v(N). Odd part: Σβ = v(N) - v(∅); even part: shifted to be 0 there.
        intercept, shift = (not odd and not lw.constrained), (0.5 if lw.constrained and not odd else 0.0)
        self.basis = Basis(terms(n, [r for r in range(1, k + 1) if r % 2 == (1 if odd else 0)]), sigma, intercept,
                           shift)
        self.sample, self.ridge = sample, ridge
        self.index, self.pairs = index, pairs
        self.y = 0.5 * (v + sigma * vc) - (0.0 if odd else v0 + (0.5 * total if lw.constrained else 0.0))
        self.map = index_map(n, self.basis.tms, index, pairs, intercept)
        s = x.sum(1)
        kb = lw.kappa[s[:nb]]
        wb = torch.where(torch.isfinite(kb), kb * torch.exp(-log_comb(n, s[:nb].to(torch.float64))),
                         torch.zeros_like(kb))  # 0 at pinned sizes
        band = sample.plan.band
        self.ws = lw.kappa[s[nb:]] / band_probability(lw, band)[s[nb:]]
        self.total = total if (odd and lw.constrained) else None
        f = self.basis.at(x)
        self.fb, self.fs = f[:nb], f[nb:]
        self.ab = (self.fb * wb[:, None]).t() @ self.fb
        self.bb = (self.fb * wb[:, None]).t() @ self.y[:nb]

    def surrogate(self, beta: torch.Tensor) -> KAdditive:
        return KAdditive(self.basis, beta, self.map)

    def in_sample(self, score: bool = False) -> tuple[torch.Tensor, Optional[float]]:
        """(the index of the fit on every pair, with ``score`` its weighted leave-one-pair-out error,
        else None): the plain regression (KernelSHAP for order 1, kADD-SHAP for order 2)."""
        fs, ys, u = self.fs, self.y[self.sample.border:], len(self.fs)
        fw = fs * (self.ws / (2 * u))[:, None]
        chol: list = []
        beta = solve(self.ab + fw.t() @ fs, self.bb + fw.t() @ ys, self.ridge, self.total, chol)
        return self.map @ beta, _loo_error(chol, fs, self.ws / (2 * u), ys - fs @ beta) if score else None

    def cross_fitted(self, folds: int, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """(estimate, stderr): the band pairs in ``folds`` random folds, fold f corrects the fit on the
        border and the other folds (:func:`.cross_fit.cross_fit`)."""
        fs, ys, ws, u = self.fs, self.y[self.sample.border:], self.ws, len(self.fs)
        fold = torch.randperm(u, generator=gen) % folds
        rows_of = [torch.nonzero(fold == f)[:, 0] for f in range(folds)]
        grams = [((fs[r] * ws[r, None]).t() @ fs[r], (fs[r] * ws[r, None]).t() @ ys[r]) for r in rows_of]
        a_all, b_all = sum(g[0] for g in grams), sum(g[1] for g in grams)

        def fit(f: int) -> KAdditive:
            rows = 2 * (u - len(rows_of[f]))  # rows of the fit (both halves of its pairs)
            beta = solve(self.ab + (a_all - grams[f][0]) / rows, self.bb + (b_all - grams[f][1]) / rows, self.ridge,
                         self.total)
            return self.surrogate(beta)

        return cross_fit(self.sample, self.y, self.index, self.pairs, rows_of, fit)

def _loo_error(chol: list, f: torch.Tensor, w: torch.Tensor, r: torch.Tensor) -> float:
    """Σ w (r / (1 - h))²: the weighted leave-one-out residuals of a least squares fit whose normal
    matrix has the Cholesky factor ``chol[0]`` (none: no terms); h = w fᵀ a⁻¹ f (the efficiency
    constraint is left out of h)."""
    if not chol:
        return float((w * r * r).sum())
    z = torch.linalg.solve_triangular(chol[0], f.t(), upper=False)
    h = (w * (z * z).sum(0)).clamp_max(1 - 1e-9)
    return float((w * (r / (1 - h)) ** 2).sum())
