"""Shapley / Banzhaf values and pair interactions as the posterior mean of a Gaussian process: a
Gaussian prior on the game's Walsh coefficients whose variance falls with their order (machinery and
formulas in :mod:`.walsh`), conditioned on the rewards of sampled complementary pairs.

Coalitions are drawn as for every estimator of this family (:mod:`.design`: complementary
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
on disjoint pairs take turns (each corrected by all the pairs it did not see) and are averaged
(:mod:`.cross_fit`). Below ``fit_rows`` pairs the estimate is the posterior mean alone: biased (towards the prior), no stderr, and far more
accurate than regression (benchmarks/RESULTS.md, "Estimators"). The efficiency of SV is exact either way.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Optional, Union

import torch

from ..._internal import checks as _checks
from ...engine import pack
from ...games import Game
from ...methods import _set_count
from . import walsh
from .base import ComplementaryPairs
from .cross_fit import border_corrected, cross_fit
from .design import Plan, Sample
from .solvers import solve_factored

# The "auto" prior: a pattern search for the (ratio, decay) of largest marginal likelihood on the grid
# START × STEP^k, within BOUNDS (spacing, start and bounds varied in `benchmarks/estimator_constants.py`;
# RESULTS.md, "The estimators' constants").
START, STEP = (0.03, 0.1), 3.0
BOUNDS = ((1e-5, 10.0), (1e-4, 1.0))
# The default most pairs a posterior conditions on: its m × m Cholesky factor costs O(m³) time and 8 m²
# bytes; beyond it the cross-fitted form corrects the fits (`benchmarks/fit_rows.py`; RESULTS.md, "The
# estimators' constants").
FIT_ROWS = 5500
FIT_PROGRESS_ROWS = 2048  # progress=None: a bar over the cross-fitted fits from this many pairs each
EM_PROGRESS_WORK = 2 ** 31  # progress=None: a bar over the EM steps of the pair variances from m² C(n, 2) this large
# relevance_rows=None: the per-pair variances are learned on m rows with m² C(n, 2) <= RELEVANCE_WORK
# (an EM step's cost) and m <= RELEVANCE_ROWS, which never binds (`benchmarks/relevance_rows.py`; RESULTS.md,
# "The estimators' constants")
RELEVANCE_WORK, RELEVANCE_ROWS = 2 ** 33, 4096


def relevance_rows(n: int) -> int:
    """The rows the per-pair variances are learned on by default: the most m <= ``RELEVANCE_ROWS``
    with m² C(n, 2) <= ``RELEVANCE_WORK`` (an EM step's cost; at n <= 64 at least C(n, 2), so every
    pair fitted where relevance is learned), at least 2."""
    return max(2, min(RELEVANCE_ROWS, math.isqrt(RELEVANCE_WORK // max(math.comb(n, 2), 1))))


@dataclass(frozen=True)
class GaussianProcess(ComplementaryPairs):
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
    fit_rows: int = FIT_ROWS
    select_rows: Optional[int] = None
    relevance_steps: int = 10
    relevance_rows: Optional[int] = None

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

    # -- the estimate -----------------------------------------------------------------------------
    def device(self, game: Game) -> torch.device:
        """A model's GPU (solved there in float64), else the CPU."""
        dev = getattr(game, "device", None)
        return torch.device(dev) if dev is not None and torch.device(dev).type == "cuda" else torch.device("cpu")

    def settings(self, n_players: int, index: str, pl: Plan) -> "FitSettings":
        """What a call fits (``None`` fields resolved for this game and plan)."""
        nb = pl.border_rows // 2
        fit = min(nb + pl.units, max(self.fit_rows, nb))  # the border is always fitted
        learn = index not in ("SV", "BV") and self.relevance_steps > 0
        rows = self.relevance_rows or relevance_rows(n_players)
        long = learn and min(fit, rows) ** 2 * math.comb(n_players, 2) >= EM_PROGRESS_WORK
        # select_rows=None: the prior is chosen on max(256, fit // 4) pairs
        # (`benchmarks/estimator_constants.py`; RESULTS.md, "The estimators' constants")
        return FitSettings(self.prior, fit, self.select_rows or max(256, fit // 4), self.relevance_steps if learn else 0,
                           rows, long if self.progress is None else self.progress)

    def check_call(self, game: Game, index: str, pairs: Optional[torch.Tensor], pl: Plan) -> None:
        """Refuses a fit that does not fit in memory: per-pair variances (learned where the C(n, 2)
        pair terms outnumber the fitted pairs) by EM on ``rel`` rows (four [rel, rel] at the peak: the
        other orders' covariance, the factor of K, and L⁻¹ with its identity for the leave-one-out
        error), then the fit's covariance, with ~3 [rows, PAIR_BLOCK] pair-feature blocks."""
        n = game.n_players
        st = self.settings(n, index, pl)
        terms = math.comb(n, 2) if st.relevance_steps else 0
        rel, block = min(st.fit, st.relevance_rows, terms), 3 * min(terms, walsh.PAIR_BLOCK)
        fit = st.fit
        super().check_call(game, index, pairs, pl)
        _checks.memory(8 * (fit * (2 * fit + n + block) + rel * (4 * rel + block) + 2 * terms),
                       f"the Gaussian process on {fit} pairs", "lower fit_rows", device=self.device(game))

    def _estimate(self, sample: Sample, index: str, pairs: Optional[torch.Tensor], gen: torch.Generator,
                  game: Game) -> tuple[torch.Tensor, Optional[torch.Tensor]]:
        """The posterior on the border and ``fit - border`` band pairs; where more were drawn, up to
        ``folds`` such fits on disjoint band pairs in turn, each corrected by every band pair it did not
        see (:func:`.cross_fit.cross_fit`). Each fit chooses its own prior (from its own pairs), so no
        fit sees a pair that corrects it."""
        st = self.settings(sample.law.n, index, sample.plan)
        if self.progress is None and getattr(game, "progress", None) is False:
            st = dataclasses.replace(st, relevance_progress=False)  # the game's own setting silences the bar
        y = sample.part(index in ("SV", "BV"))
        nb = sample.border
        u, per = len(sample.x) - nb, st.fit - nb
        if u <= per:  # every pair conditions the posterior
            return border_corrected(_fit(sample.x, y, nb, index, pairs, st), sample, y, index, pairs), None
        folds = max(1, min(self.folds, u // per)) if per > 0 else 1
        band = torch.arange(u, device=sample.x.device)
        border = torch.arange(nb, device=sample.x.device)
        corrections = [torch.cat([band[:f * per], band[(f + 1) * per:]]) for f in range(folds)]

        def fit(f: int) -> Fitted:
            rows = torch.cat([border, nb + band[f * per:(f + 1) * per]])
            return _fit(sample.x[rows], y[rows], nb, index, pairs, st)

        show = self.progress if self.progress is not None else (
            st.fit >= FIT_PROGRESS_ROWS and getattr(game, "progress", None) is not False)
        return cross_fit(sample, y, index, pairs, corrections, fit, bool(show))


@dataclass(frozen=True)
class FitSettings:
    """What one call of the Gaussian process fits: the ``prior`` ("auto" or (ratio, decay)), the
    pairs a posterior conditions on (``fit``, border included), the pairs the "auto" prior is chosen
    on (``select``), the EM steps of the per-pair variances (0: none), the rows they are learned on, and
    whether a bar shows those steps."""

    prior: Union[str, tuple]
    fit: int
    select: int
    relevance_steps: int
    relevance_rows: int
    relevance_progress: bool = False


@dataclass(frozen=True)
class Fitted:
    """A posterior of the Gaussian process as a surrogate (:class:`.cross_fit.Surrogate`) of the part
    of the game the index sees."""

    posterior: walsh.Posterior
    index_name: str
    pairs: Optional[torch.Tensor]

    def index(self) -> torch.Tensor:
        p = self.posterior
        return p.prior.index_mean(p.a, p.alpha, self.index_name, self.pairs)

    def at(self, x: torch.Tensor) -> torch.Tensor:
        return self.posterior.at(x)


def _fit(x: torch.Tensor, y: torch.Tensor, nb: int, index: str, pairs: Optional[torch.Tensor], st: FitSettings
         ) -> Fitted:
    """The posterior conditioned on the parts ``y`` of the game at the pairs ``x`` (border first)."""
    n = x.shape[1]
    odd = index in ("SV", "BV")
    a, ya = _distinct(x, y, odd)
    prior = st.prior if st.prior != "auto" else _select(a[:st.select], ya[:st.select], n, odd)
    w = walsh.order_variances(n, odd, *prior).to(x.device)
    # per-pair variances where the pair terms outnumber the pairs fitted (else the even spread wins:
    # benchmarks/RESULTS.md, "Estimators")
    rows = min(len(a), st.relevance_rows)
    learn = st.relevance_steps > 0 and math.comb(n, 2) >= len(a)
    tau = walsh.learn_pair_variances(a[:rows], ya[:rows], w, st.relevance_steps,
                                     progress=st.relevance_progress) if learn else None
    pr = walsh.Prior(w, tau)
    alpha = solve_factored(walsh.factor(pr.gram(a)), ya)
    return Fitted(walsh.Posterior(pr, a, alpha), index, pairs)


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
    kr = walsh.krawtchouk(n).t().to(a.device)
    packed = pack(a)
    seen: dict[tuple[int, int], float] = {}

    def nll(i: int, j: int) -> float:
        if (i, j) not in seen:
            ratio, decay = START[0] * STEP ** i, START[1] * STEP ** j
            if not (BOUNDS[0][0] <= ratio <= BOUNDS[0][1] and BOUNDS[1][0] <= decay <= BOUNDS[1][1]):
                return math.inf
            kd = kr @ walsh.order_variances(n, odd, ratio, decay).to(a.device)
            chol = walsh.factor(walsh.distance_covariance(packed, packed, kd))
            fit = float(y @ solve_factored(chol, y))
            seen[(i, j)] = 0.5 * len(y) * math.log(max(fit, 1e-300) / len(y)) + float(chol.diagonal().log().sum())
        return seen[(i, j)]

    at = (0, 0)
    while True:
        steps = [(at[0] + di, at[1] + dj) for di, dj in ((1, 0), (-1, 0), (0, 1), (0, -1))]
        best = min(steps, key=lambda p: nll(*p))
        if nll(*best) >= nll(*at):
            return START[0] * STEP ** at[0], START[1] * STEP ** at[1]
        at = best
