"""Shapley / Banzhaf values and pair interactions as the posterior mean of a Gaussian process: a
Gaussian prior on the game's Walsh coefficients whose variance falls with their order (machinery and
formulas in :mod:`._walsh`), conditioned on the rewards of sampled complementary pairs.

Coalitions are drawn as for :class:`~interplay.estimators.regression.Regression` (complementary
pairs, the extreme sizes enumerated exactly, sizes uniform on the band). A pair (S, N ∖ S) gives the
odd part (v(S) - v(N ∖ S)) / 2 of the game (all that SV and BV see) and the even part
(v(S) + v(N ∖ S)) / 2 (all that SII and BII see); the posterior mean interpolates them and its index
is exact in closed form. The prior's shape — the variance of the order after the lowest, relative
to it (``ratio``), and its fall per further order (``decay``) — is chosen by marginal likelihood
unless given. For pair indices with many pairs (C(n, 2) >= the pairs fitted), the order-2
terms then get a variance each, learned by EM (automatic relevance determination) while that lowers
the leave-one-out error: the few strongly interacting pairs of, e.g., an image grid stand out.

The posterior conditions on at most ``fit_rows`` pairs; pairs beyond those correct it by Monte
Carlo, I = I(g) + Σ_border w r + mean_S w(S) r(S) / q(S) with r = v - g, which makes the estimate
unbiased (the fit never sees the pairs that correct it) and gives it a stderr; up to ``folds`` fits
on disjoint pairs take turns (each corrected by all the pairs it did not see) and are averaged. Below ``fit_rows``
pairs the estimate is the posterior mean alone: biased (towards the prior), no stderr, and far more
accurate than regression (benchmarks/RESULTS.md, issue #12). The efficiency of SV is exact either way.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional, Union

import torch

from .. import _checks
from .._progress import progress_bar
from ..engine import pack
from ..games import Game
from ..methods import Sampler, _set_count
from ..results import Result, make_result
from . import _kadd, _walsh
from ._budget import too_small
from ._matrix import ValuesAndPairs

START, STEP = (0.03, 0.1), 3.0  # the "auto" prior's search: (ratio, decay) = START × STEP^k
BOUNDS = ((1e-5, 10.0), (1e-4, 1.0))
_BLOCK = 2048  # correction rows per covariance block
FIT_PROGRESS_ROWS = 2048  # progress=None: a bar over the cross-fitted fits from this many pairs each
RELEVANCE_WORK, RELEVANCE_ROWS = 2 ** 33, 4096  # relevance_rows=None: m² C(n, 2) <= the work, m <= the rows


def relevance_rows(n: int) -> int:
    """The rows the per-pair variances are learned on by default: the most m <= ``RELEVANCE_ROWS``
    with m² C(n, 2) <= ``RELEVANCE_WORK`` (an EM step's cost; at n <= 64 at least C(n, 2), so every
    pair fitted where relevance is learned), at least 2."""
    return max(2, min(RELEVANCE_ROWS, math.isqrt(RELEVANCE_WORK // max(math.comb(n, 2), 1))))


@dataclass(frozen=True)
class GaussianProcess(ValuesAndPairs, Sampler):
    """Posterior mean of the index under a Gaussian prior on the Walsh coefficients (module doc).

    ``prior``: ``"auto"`` (chosen by marginal likelihood on ``select_rows`` pairs: a pattern search
    over ``START`` × ``STEP``^k within ``BOUNDS``) or ``(ratio, decay)``: the prior variance of the
    orders the index sees (odd for values, even for pairs) is 1, ratio, ratio·decay, … from the
    lowest up.
    ``fit_rows``: the most complementary pairs the posterior conditions on (an m × m Cholesky
    factor: O(m³) time, 8 m² bytes). ``folds``: where more pairs were drawn, the posterior is fitted
    on up to ``folds`` disjoint sets of them in turn, each corrected by Monte Carlo with every pair it
    did not see, and the estimates averaged (cross-fitting: unbiased, with a stderr).
    ``select_rows``: the pairs the ``"auto"`` prior is chosen on (None: a quarter of those fitted,
    at least 256). ``relevance_steps``: the most EM steps of the per-pair variances (pair indices
    with C(n, 2) >= the pairs fitted; 0: never), on the first ``relevance_rows`` pairs (each step
    costs O(m³ + m² C(n, 2)); None: as many as keep m² C(n, 2) <= ``RELEVANCE_WORK``, at most
    ``RELEVANCE_ROWS`` — every pair fitted up to 64 players, ~1000 rows at 128, ~500 at 256).
    ``sizes``: the law of the sampled sizes in the Shapley family, ``"uniform"`` (default) or
    ``"kernel"``; Banzhaf coalitions are uniform. ``budget`` buys 2 rows per pair after the
    exact border (always v(∅), v(N) in the Shapley family). ``progress``: bars over the evaluations
    and over the cross-fitted fits (None: those of at least ``FIT_PROGRESS_ROWS`` pairs each).
    """

    name = "gaussian_process"
    prior: Union[str, tuple] = "auto"
    fit_rows: int = 5500
    select_rows: Optional[int] = None
    relevance_steps: int = 10
    relevance_rows: Optional[int] = None
    folds: int = 4
    sizes: str = "uniform"

    def __post_init__(self) -> None:
        super().__post_init__()
        p = self.prior
        if p != "auto":
            ok = isinstance(p, tuple) and len(p) == 2 and all(
                isinstance(a, (int, float)) and not isinstance(a, bool) and math.isfinite(a) and a > 0 for a in p)
            if not ok:
                raise ValueError(f"prior must be 'auto' or a (ratio, decay) tuple of positive floats, got {p!r}")
        for field in ("fit_rows", "select_rows", "relevance_rows"):
            if field == "fit_rows" or getattr(self, field) is not None:
                _set_count(self, field, 2)
        _set_count(self, "relevance_steps", 0)
        _set_count(self, "folds", 1)
        if self.sizes not in _kadd.SIZES:
            raise ValueError(f"sizes must be one of {_kadd.SIZES}, got {self.sizes!r}")

    # -- the estimate -----------------------------------------------------------------------------
    def plan(self, n_players: int, index: str = "SV") -> _kadd.Plan:
        """Border sizes, band and complementary pairs a call evaluates within the budget."""
        lw = _kadd.law_for(index, n_players, self.sizes)
        pl = _kadd.plan(lw, self.budget, 1)
        if pl is None:
            need = 4 if lw.constrained else 2
            raise too_small(self, need, f"one complementary pair{' + v(∅), v(N)' if lw.constrained else ''}"
                                        " is needed")
        return pl

    def _run(self, game: Game, index: str, pairs: Optional[torch.Tensor]) -> Result:
        n = game.n_players
        if n < 2:
            raise ValueError("method 'gaussian_process' needs at least 2 players; use method='exact'")
        lw = _kadd.law_for(index, n, self.sizes)
        pl = self.plan(n, index)
        nb = pl.border_rows // 2
        fit = min(nb + pl.units, max(self.fit_rows, nb))  # the border is always fitted
        rel_rows = self.relevance_rows or relevance_rows(n)
        # per-pair variances (learned where the C(n, 2) pair terms outnumber the fitted pairs): EM on
        # ``rel`` rows (four [rel, rel] at the peak: the other orders' covariance, the factor of K, and
        # L⁻¹ with its identity for the leave-one-out error), then the fit's covariance, with ~3
        # [rows, PAIR_BLOCK] pair-feature blocks
        terms = 0 if index in ("SV", "BV") or not self.relevance_steps else math.comb(n, 2)
        rel, block = min(fit, rel_rows, terms), 3 * min(terms, _walsh.PAIR_BLOCK)
        dev = getattr(game, "device", None)  # a model's GPU: solve there (float64; else on the CPU)
        dev = dev if dev is not None and torch.device(dev).type == "cuda" else torch.device("cpu")
        _checks.memory(8 * (fit * (2 * fit + n + block) + rel * (4 * rel + block) + 2 * terms),
                       f"the Gaussian process on {fit} pairs", "lower fit_rows", device=dev)
        before = game.evaluations
        stderr: Optional[torch.Tensor] = None
        if not pl.band:  # every coalition: the exact index
            values = _kadd.exact_index(game, pl, index, pairs, self.progress)
            stderr = torch.zeros_like(values)
        else:
            gen = torch.Generator().manual_seed(self.seed)
            x, v, vc, nb = _kadd.sample_pairs(game, lw, pl, gen, self.progress)
            pairs_d = None if pairs is None else pairs.to(dev)
            show = self.progress if self.progress is not None else (
                fit >= FIT_PROGRESS_ROWS and getattr(game, "progress", None) is not False)
            values, stderr = _posterior(lw, x.to(dev), v.to(dev), vc.to(dev), nb, pl.band, index, pairs_d,
                                        self.prior, fit, self.select_rows or max(256, fit // 4),
                                        (self.relevance_steps, rel_rows), self.folds, show)
            values, stderr = values.cpu(), None if stderr is None else stderr.cpu()
        return make_result(game, index, values, self, game.evaluations - before, stderr=stderr,
                           **({} if pairs is None else {"pairs": pairs.tolist()}))


def _posterior(lw: _kadd.Law, x: torch.Tensor, v: torch.Tensor, vc: torch.Tensor, nb: int, band: tuple[int, ...],
               index: str, pairs: Optional[torch.Tensor], prior, fit: int, select: int, relevance: tuple[int, int],
               folds: int, progress: bool = False) -> tuple[torch.Tensor, Optional[torch.Tensor]]:
    """(estimate, stderr or None) from the pairs ``x`` (``nb`` border rows first), their rewards ``v``
    and their complements' ``vc``: the posterior on the border and ``fit - nb`` band pairs; where more
    were drawn, up to ``folds`` such fits on disjoint band pairs in turn, each corrected by every band
    pair it did not see, averaged. ``relevance``: (EM steps, rows) of the per-pair variances;
    ``progress``: a bar over those fits (where there are several)."""
    odd = index in ("SV", "BV")
    y = 0.5 * (v - vc) if odd else 0.5 * (v + vc)  # the part of the game the index sees
    u, per = len(x) - nb, fit - nb
    if u <= per:  # every pair conditions the posterior
        return _fit(lw, x, y, nb, index, pairs, prior, select, relevance)[0], None
    # cross-fitting: fit on fold f (+ the border), correct by the other band pairs; unbiased, stderr.
    # Each fold chooses its own prior (from its own pairs), so no fit sees a pair that corrects it.
    folds = max(1, min(folds, u // per)) if per > 0 else 1
    xs, ys = x[nb:], y[nb:]
    inv_q = _kadd.inverse_band_probability(lw, band, xs)  # the correction of S: w(S) r(S) / q(S)
    border = torch.arange(nb, device=x.device)
    everything = torch.arange(u, device=x.device)
    fitted = 0.0  # Σ over the fits of their indices
    r_mean = torch.zeros(u, dtype=torch.float64, device=x.device)  # Σ over the fits of r / (pairs corrected)
    r_sum = torch.zeros(u, dtype=torch.float64, device=x.device)
    r_count = torch.zeros(u, dtype=torch.float64, device=x.device)
    for f in progress_bar(range(folds), enabled=progress and folds > 1, desc="fitting", unit="fit"):
        fold = slice(f * per, (f + 1) * per)
        rows = torch.cat([border, nb + everything[fold]])
        values, post = _fit(lw, x[rows], y[rows], nb, index, pairs, prior, select, relevance)
        other = torch.cat([everything[:fold.start], everything[fold.stop:]])
        r = torch.zeros(u, dtype=torch.float64, device=x.device)  # 0 on the fold's own pairs
        r[other] = torch.cat([ys[other[i:i + _BLOCK]] - post.at(xs[other[i:i + _BLOCK]])
                              for i in range(0, len(other), _BLOCK)])
        fitted = fitted + values
        r_mean += r / len(other)
        r_sum += r
        r_count[other] += 1
    # the mean over the fits of (its index + its correction); the corrections are linear in r: one sum
    est = (fitted + _kadd.index_sums(xs, index, pairs, inv_q * r_mean)) / folds
    # the per-pair corrections c = w r̄ / q (r̄: the residual averaged over the fits that used the pair);
    # their spread over the pairs (leaves out the fits' own randomness, as Regression's cross-fitting
    # does): Σ_used (c - c̄)² = Σ c² - N c̄² (c = 0 off the used pairs), as sums over the pairs
    # without a [pairs, out] matrix. Its rounding error, ~1e-16 Σ c², is negligible beside the
    # spread unless an output's corrections agree to 7 digits or more.
    used = r_count > 0
    count = int(used.sum())
    c = inv_q * r_sum / r_count.clamp_min(1.0)
    mean = _kadd.index_sums(xs, index, pairs, c) / max(count, 1)
    squares = (_kadd.index_sums(xs, index, pairs, c.square(), squared=True) - count * mean.square()).clamp_min(0.0)
    if count < 2:
        return est, torch.full_like(mean, float("nan"))
    return est, (squares / (count - 1)).sqrt() / math.sqrt(count)


def _fit(lw: _kadd.Law, x: torch.Tensor, y: torch.Tensor, nb: int, index: str, pairs: Optional[torch.Tensor],
         prior, select: int, relevance: tuple[int, int]) -> tuple[torch.Tensor, _walsh.Posterior]:
    """(the posterior mean's index plus the border's residual, the posterior) from the parts ``y`` of
    the game at the pairs ``x`` (border first)."""
    odd = index in ("SV", "BV")
    a, ya = _distinct(x, y, odd)
    if prior == "auto":
        prior = _select(a[:select], ya[:select], lw.n, odd)
    w = _walsh.order_variances(lw.n, odd, *prior).to(x.device)
    # per-pair variances where the pair terms outnumber the pairs fitted (else the even spread wins:
    # RESULTS.md, issue #12 round 2)
    rows = min(len(a), relevance[1])
    learn = not odd and relevance[0] > 0 and math.comb(lw.n, 2) >= len(a)
    tau = _walsh.relevance(a[:rows], ya[:rows], w, relevance[0]) if learn else None
    pr = _walsh.Prior(w, tau)
    alpha = _kadd.solve_factored(_walsh.factor(pr.gram(a)), ya)
    values = pr.index_mean(a, alpha, index, pairs)
    # the border's residual (≈ 0: it is interpolated) keeps the efficiency of SV exact
    xb = x[:nb]
    post = _walsh.Posterior(pr, a, alpha)
    rb = y[:nb] - post.at(xb)
    return values + 2.0 * _kadd.index_sums(xb, index, pairs, rb), post


def _distinct(x: torch.Tensor, y: torch.Tensor, odd: bool) -> tuple[torch.Tensor, torch.Tensor]:
    """One row per distinct pair {S, N ∖ S} (written with player 0 absent; the odd part changes
    sign), border rows first, the rest in their drawn order (the leave-one-out choice uses a prefix)."""
    flip = x[:, 0]
    xc = torch.where(flip[:, None], ~x, x)
    yc = torch.where(flip, -y, y) if odd else y
    _, inverse = torch.unique(xc, dim=0, return_inverse=True)
    first = torch.full((int(inverse.max()) + 1,), len(x), dtype=torch.long, device=x.device).scatter_reduce(
        0, inverse, torch.arange(len(x), device=x.device), "amin")
    keep = first.sort().values
    return xc[keep], yc[keep]


def _select(a: torch.Tensor, y: torch.Tensor, n: int, odd: bool) -> tuple[float, float]:
    """The (ratio, decay) with the largest marginal likelihood of the rewards ``y`` of the pairs ``a``
    (the prior's overall scale profiled out: ½ m log(yᵀK⁻¹y / m) + ½ log det K is minimal), by a
    pattern search on the grid ``START`` × ``STEP``^k within ``BOUNDS``."""
    kr = _walsh.krawtchouk(n).t().to(a.device)
    packed = pack(a)
    seen: dict[tuple[int, int], float] = {}

    def nll(i: int, j: int) -> float:
        if (i, j) not in seen:
            ratio, decay = START[0] * STEP ** i, START[1] * STEP ** j
            if not (BOUNDS[0][0] <= ratio <= BOUNDS[0][1] and BOUNDS[1][0] <= decay <= BOUNDS[1][1]):
                return math.inf
            kd = kr @ _walsh.order_variances(n, odd, ratio, decay).to(a.device)
            chol = _walsh.factor(_walsh.distance_covariance(packed, packed, kd))
            fit = float(y @ _kadd.solve_factored(chol, y))
            seen[(i, j)] = 0.5 * len(y) * math.log(max(fit, 1e-300) / len(y)) + float(chol.diagonal().log().sum())
        return seen[(i, j)]

    at = (0, 0)
    while True:
        steps = [(at[0] + di, at[1] + dj) for di, dj in ((1, 0), (-1, 0), (0, 1), (0, -1))]
        best = min(steps, key=lambda p: nll(*p))
        if nll(*best) >= nll(*at):
            return START[0] * STEP ** at[0], START[1] * STEP ** at[1]
        at = best
