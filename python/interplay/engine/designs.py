"""The batched masked-evaluation engine: designs of coalitions, their evaluation, the Δf reduction.

An estimator names a *design* (csrc/core/designs.h): for every sample, which coalitions to
evaluate and how their values combine into one contribution X per estimate. The engine draws
the coalitions of a block of samples in C (counter-based RNG: sample k depends only on the
seed and k, so blocks can be cut anywhere), evaluates them on the game in batches, and folds
the values into running sums of X and X² in C. Estimates are means over samples; standard
errors are sqrt(var(X) / K). No Python loop runs over players or coalitions.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional, Sequence

import torch

from .._internal import checks as _checks
from .._internal.ops import ops
from .._internal.seeds import signed64
from .._internal.progress import progress_bar
from .packing import mask_words, pack, unpack

if TYPE_CHECKING:  # pragma: no cover
    from ..games.base import Game

def evaluate_packed(game: "Game", masks: torch.Tensor) -> torch.Tensor:
    """Rewards ``[B]`` (float64, CPU) of packed coalitions; games with a packed fast path use it."""
    fast = getattr(game, "evaluate_packed", None)
    if fast is not None:
        return fast(masks)
    return game(unpack(masks, game.n_players)).cpu()


@dataclass
class Design:
    """One evaluation design of csrc/core/designs.h and its parameters."""

    kind: str  # "permutation", "pairs" or "shared_pairs" (Eq. 7 contexts: multivariate/contexts.py)
    n: int
    law: str = "size"  # or "rate"
    systematic: bool = False
    antithetic: bool = False
    replicates: int = 1
    size_lo: Sequence[int] = ()
    size_hi: Sequence[int] = ()
    rate: tuple = (0.0, 0.0)
    pairs: Optional[torch.Tensor] = None
    _args: tuple = field(default=(), repr=False)

    def args(self, seed: int) -> dict:
        """The keyword arguments of ``ops.design_sizes`` / ``ops.design_plan`` (add sample0, count)."""
        return dict(
            kind=self.kind, n=self.n, seed=signed64(seed), law=self.law, systematic=bool(self.systematic),
            antithetic=bool(self.antithetic), replicates=int(self.replicates),
            size_lo=[int(s) for s in self.size_lo], size_hi=[int(s) for s in self.size_hi],
            rate_lo=float(self.rate[0]), rate_hi=float(self.rate[1]),
            pairs=self.pairs,
        )

    def estimates(self) -> int:
        if self.kind == "permutation":
            return self.n
        if self.kind == "pairs":
            return len(self.pairs) * (len(self.size_lo) if self.law == "size" else 1)
        return len(self.pairs) * (self.replicates if self.systematic else 1)  # shared_pairs

    def uses_constants(self) -> bool:
        return self.kind == "permutation"


@dataclass
class Estimate:
    """Means, standard errors and the cost of one design run (internal to the estimators: users
    get :class:`interplay.Result`)."""

    mean: torch.Tensor
    stderr: torch.Tensor
    evaluations: int
    samples: int


def design_cost(design: Design) -> tuple[int, int]:
    """(fixed rows, rows per sample) of a design: a run of K samples evaluates fixed + K * per-sample
    rows (the fixed rows are the constants v(∅), v(N) of the permutation design)."""
    args = design.args(0)
    per_sample = int(ops.design_sizes(**args, sample0=0, count=1)[0, 0])
    return (2 if design.uses_constants() else 0), per_sample


def min_samples(design: Design) -> int:
    """The fewest samples a run takes: 2 for a standard error, R for R stratified replicates."""
    return design.replicates if design.systematic else 2


def _check_samples(samples: int, minimum: int = 2) -> None:
    """The estimators derive ``samples`` from their budget (and check the seed): an internal guard."""
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < minimum:
        raise ValueError(f"a design run needs at least {minimum} samples (for a standard error), got {samples!r}")


def run_design(
    game: "Game",
    design: Design,
    samples: int,
    seed: int = 0,
    *,
    block_rows: Optional[int] = None,
    progress: Optional[bool] = None,
) -> Estimate:
    """Evaluates ``samples`` samples of the design on the game and reduces them to estimates.

    Coalitions are drawn and evaluated in blocks of about ``block_rows`` rows (default: 8 model
    batches); the game itself evaluates each block in batches of ``game.batch_size``.
    """
    _check_samples(samples, min_samples(design))
    _checks.memory(24 * samples, f"the plan of {samples} samples (24 bytes each)", "lower the budget")
    args = design.args(seed)
    sizes = ops.design_sizes(**args, sample0=0, count=samples)  # [samples, 3]: rows, entries, runs
    rows = sizes[:, 0]
    n_est = design.estimates()
    sums = torch.zeros(n_est, dtype=torch.float64)
    sumsq = torch.zeros(n_est, dtype=torch.float64)
    before = game.evaluations
    constants = torch.zeros(2, dtype=torch.float64)
    if design.uses_constants():
        w = mask_words(design.n)
        empty_full = torch.zeros(2, w, dtype=torch.int64)
        empty_full[1] = pack(torch.ones(1, design.n, dtype=torch.bool))[0]
        constants = evaluate_packed(game, empty_full)
    budget = block_rows or max(8 * game.batch_size, 1)
    # block boundaries: as many whole samples as fit in the row budget (at least one)
    ends = torch.cumsum(rows, 0)
    bounds = [0]
    while bounds[-1] < samples:
        start = bounds[-1]
        offset = int(ends[start - 1]) if start > 0 else 0
        stop = int(torch.searchsorted(ends, offset + budget, right=True))
        bounds.append(min(samples, max(stop, start + 1)))
    blocks = list(zip(bounds[:-1], bounds[1:]))
    show = progress if progress is not None else (len(blocks) > 8 and getattr(game, "progress", None) is not False)
    scale = 0.0  # the rewards are reduced divided by a power of two (exact) set by the first block's, so
    # that the squares of the variance neither overflow nor underflow for a game of any finite scale
    for start, stop in progress_bar(blocks, enabled=bool(show), desc="sampling", unit="block"):
        masks, out, weight, est, end = ops.design_plan(**args, sample0=start, count=stop - start)
        values = torch.cat([constants, evaluate_packed(game, masks).to(torch.float64)])
        scale = scale or power_of_two_scale(values)
        ops.delta_reduce(values / scale, out, weight, est, end, sums, sumsq)
    used = game.evaluations - before
    if design.kind == "shared_pairs" and design.systematic:
        estimate = _replicate_estimate(sums, design.replicates, samples, used)
        return Estimate(scale * estimate.mean, scale * estimate.stderr, used, samples)
    mean = sums / samples
    var = (sumsq - samples * mean * mean).clamp_min(0) / (samples - 1)
    return Estimate(scale * mean, scale * (var / samples).sqrt(), used, samples)


def power_of_two_scale(*rewards: torch.Tensor) -> float:
    """A power of two near the largest |reward| (1.0 when all are 0): dividing by it is exact in
    floating point and brings the rewards to order 1, so no square or product of them overflows."""
    top = max((float(r.abs().max()) for r in rewards if r.numel()), default=0.0)
    return math.ldexp(1.0, math.frexp(top)[1]) if top > 0 and math.isfinite(top) else 1.0


def _replicate_estimate(sums: torch.Tensor, replicates: int, samples: int, evaluations: int) -> Estimate:
    """Stratified (systematic) designs: estimate r*P + q sums the samples k = r (mod R) of
    replicate r. The replicate means are independent and unbiased, so their mean is unbiased and
    var(replicate means) / R is an unbiased estimate of its variance (for unequal replicate sizes
    too: E Σ_r (m_r - m̄)² = (1 - 1/R) Σ_r var(m_r))."""
    counts = torch.tensor([len(range(r, samples, replicates)) for r in range(replicates)], dtype=torch.float64)
    means = sums.view(replicates, -1) / counts[:, None]
    return Estimate(means.mean(0), means.std(0) / replicates ** 0.5, evaluations, samples)


def order_range(n: int, lo: float, hi: float) -> tuple[int, int]:
    """Context sizes for orders in [lo·n, hi·n] (dropout paper Fig. 2), clipped to 0..n-2."""
    if not 0.0 <= lo <= hi <= 1.0:
        raise ValueError(f"an order range needs 0 <= a <= b <= 1 (fractions of n), got ({lo}, {hi})")
    a = max(0, math.ceil(lo * n - 1e-9))
    b = min(n - 2, math.floor(hi * n + 1e-9))
    if a > b:
        raise ValueError(f"the order range ({lo}, {hi}) of n = {n} players contains no context size in 0..{n - 2}")
    return a, b
