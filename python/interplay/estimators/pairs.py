"""Pair interactions by sampling contexts (dropout paper Eq. 2-3): :class:`PairSampling` draws
contexts independently per pair (the papers' method), :class:`SharedPairs` serves every listed
pair from one context per sample.

``SharedPairs``: with |T| uniform in 0..n and T uniform given its size, S = T ∖ {i, j} has exactly
the law P_Shapley(S | N∖{i,j}) for every pair (and T ~ Bernoulli(1/2) gives Banzhaf contexts), so
a sample costs 1 + (#players in pairs) + P evaluations instead of 4P, with no importance weights
(csrc/core/designs.h). Variance reduction, every sample staying unbiased: ``antithetic`` (default
on where the law allows: Shapley, Banzhaf, rates symmetric about 1/2) also evaluates the
complement N ∖ T and averages the two Δf — twice the rows, and terms of order <= 3 cancel
exactly; ``systematic=True`` (Shapley contexts) stratifies |T| over 0..n with ``replicates``
independent randomly shifted golden-ratio sequences (estimate = mean of the replicate means,
stderr = sqrt(var(replicate means) / R)); the border strata (:mod:`.border`) enumerate the
extreme context sizes exactly.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Optional, Sequence, Union

import torch

from ..engine import Design, design_cost, min_samples, run_design
from ..games import Game
from ..results import Result, make_result
from ._budget import affordable_samples, too_small
from ._matrix import PairMatrix
from ..methods import Sampler, _set_count
from .border import auto_border, band_weight, border_cost, border_exact

_INDICES = ("SII", "BII", "RII")


def _law(index: str, rate: Optional[tuple[float, float]]) -> tuple[int, tuple[float, float]]:
    """The context law of an index: Shapley sizes, Banzhaf (rate 1/2) or keep rates r ~ U(rate)."""
    if index == "SII":
        return "size", (0.0, 0.0)
    if index == "BII":
        return "rate", (0.5, 0.5)
    if index == "RII":
        if rate is None:
            raise ValueError("index='RII' needs rate=(lo, hi), the interval of per-unit keep rates")
        return "rate", (float(rate[0]), float(rate[1]))
    raise ValueError(f"index must be one of {_INDICES}, got {index!r}")


def _players(game: Game) -> int:
    if game.n_players < 3:
        raise ValueError("sampled pair interactions need a game with at least 3 players; use method='exact'")
    return game.n_players


@dataclass(frozen=True)
class PairSampling(PairMatrix, Sampler):
    """The papers' estimator: for every pair (and size range) its own context S per sample, 4
    evaluations (S, S+i, S+j, S+i+j) per pair and sample; ``budget`` buys budget // (4P) samples
    (budget // (4R) for R size ranges of a multi-order interaction), at least 2."""

    name = "pair_sampling"

    def pair_interactions(self, game: Game, pairs: torch.Tensor, index: str,
                          rate: Optional[tuple[float, float]] = None) -> Result:
        n = _players(game)
        law, rates = _law(index, rate)
        design = Design("pairs", n, law=law, size_lo=[0], size_hi=[n - 2], rate=rates, pairs=pairs)
        est = run_design(game, design, affordable_samples(self, design), self.seed, progress=self.progress)
        return make_result(game, index, est.mean, self, est.evaluations, stderr=est.stderr, pairs=pairs.tolist())

    def multi_order_interaction(self, game: Game, i: int, j: int, sizes: Sequence[tuple[int, int]]) -> Result:
        """I^(s)(i, j) per size range (a, b): |S| uniform on a..b per context (dropout paper Fig. 2)."""
        n = _players(game)
        design = Design("pairs", n, law="size", size_lo=[a for a, _ in sizes], size_hi=[b for _, b in sizes],
                        pairs=torch.tensor([[i, j]]))
        est = run_design(game, design, affordable_samples(self, design), self.seed, progress=self.progress)
        return make_result(game, "SII-order", est.mean, self, est.evaluations, stderr=est.stderr,
                           players=(i, j), sizes=list(sizes))


@dataclass(frozen=True)
class SharedPlan:
    """What a :class:`SharedPairs` run evaluates: ``border`` b (0: none), ``samples`` of the middle
    band (0 when every size is exact), the rows of the exact strata and in all (<= budget)."""

    design: Design
    border: int
    samples: int
    border_rows: int
    rows: int

    @property
    def antithetic(self) -> bool:
        return bool(self.design.antithetic)


@dataclass(frozen=True)
class SharedPairs(PairMatrix, Sampler):
    """All listed pairs from one shared context per sample (see the module doc).

    ``antithetic`` (None: on where the law allows) doubles the rows of a sample: 2 (1 + #players in
    pairs + P). ``systematic``: stratified sizes over ``replicates`` replicates (Shapley contexts;
    at least ``replicates`` samples). ``border`` (Shapley contexts): ``"auto"`` gives the exact
    strata the largest b whose cost is at most ``border_fraction`` of the budget and spends the
    rest on band samples (none when even b = 1 does not fit; once 2b > n everything is exact and
    the stderr is 0); an int b enumerates that border and spends the rest of the budget on band
    samples; 0 turns it off. :meth:`plan` says what a call will evaluate.
    """

    name = "shared_pairs"
    antithetic: Optional[bool] = None
    systematic: bool = False
    replicates: int = 8
    border: Union[int, str] = "auto"
    border_fraction: float = 0.5

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.antithetic is not None and not isinstance(self.antithetic, bool):
            raise TypeError(f"antithetic must be None or a bool, got {self.antithetic!r}")
        if not isinstance(self.systematic, bool):
            raise TypeError(f"systematic must be a bool, got {self.systematic!r}")
        _set_count(self, "replicates")
        if self.systematic and self.replicates < 2:
            raise ValueError(f"systematic=True needs replicates >= 2 (for a standard error), got {self.replicates}")
        if self.border != "auto":
            try:
                _set_count(self, "border", 0)
            except (TypeError, ValueError):
                raise ValueError(f"border must be 'auto' or an integer >= 0 (0 turns it off), "
                                 f"got {self.border!r}") from None
        f = self.border_fraction
        if isinstance(f, bool) or not isinstance(f, (int, float)) or not 0.0 < f <= 1.0:
            raise ValueError(f"border_fraction must be in (0, 1], got {f!r}")

    def plan(self, n_players: int, pairs: torch.Tensor, index: str = "SII",
             rate: Optional[tuple[float, float]] = None) -> SharedPlan:
        """The design, border and band samples a call with these pairs evaluates within the budget."""
        n = n_players
        law, rates = _law(index, rate)
        if self.systematic and law != "size":
            raise ValueError("systematic=True stratifies context sizes and needs index='SII'")
        if self.border not in ("auto", 0) and law != "size":
            raise ValueError("border strata split the uniform context sizes and need index='SII'")
        symmetric = law == "size" or rates[0] + rates[1] == 1.0
        antithetic = symmetric if self.antithetic is None else self.antithetic
        if antithetic and not symmetric:
            raise ValueError(f"antithetic contexts need keep rates symmetric about 1/2 (the complement of a "
                             f"rate-r set has rate 1 - r), got rate={rates}")
        design = Design("shared_pairs", n, law=law, systematic=self.systematic, antithetic=antithetic,
                        replicates=self.replicates if self.systematic else 1, rate=rates, pairs=pairs)
        minimum, (_, per_sample) = min_samples(design), design_cost(design)
        if self.border == "auto" and law == "size":
            b, samples = auto_border(n, self.budget, per_sample, float(self.border_fraction), minimum)
            if samples < minimum and 2 * b <= n:
                raise too_small(self, minimum * per_sample, f"{minimum} samples of {per_sample} evaluations "
                                                            f"are needed")
        elif self.border == "auto" or self.border == 0:
            b, samples = 0, affordable_samples(self, design)
        else:
            b = min(int(self.border), n // 2 + 1)
            if 2 * b > n:  # every size exact
                samples = 0
                if border_cost(n, b) > self.budget:
                    raise too_small(self, border_cost(n, b), f"border={b} enumerates all 2^{n} coalitions")
            else:
                samples = affordable_samples(self, design, reserved=border_cost(n, b))
        if b > 0:
            design = dataclasses.replace(design, size_lo=[b], size_hi=[n - b])
        cost = border_cost(n, b)
        return SharedPlan(design=design, border=b, samples=samples, border_rows=cost, rows=cost + samples * per_sample)

    def pair_interactions(self, game: Game, pairs: torch.Tensor, index: str,
                          rate: Optional[tuple[float, float]] = None) -> Result:
        n = _players(game)
        plan = self.plan(n, pairs, index, rate)
        before = game.evaluations
        if plan.border > 0:
            mean = border_exact(game, pairs, plan.border)
            stderr = torch.zeros_like(mean)
            if plan.samples > 0:
                band = band_weight(n, plan.border)
                est = run_design(game, plan.design, plan.samples, self.seed, progress=self.progress)
                mean, stderr = mean + band * est.mean, band * est.stderr
        else:
            est = run_design(game, plan.design, plan.samples, self.seed, progress=self.progress)
            mean, stderr = est.mean, est.stderr
        return make_result(game, index, mean, self, game.evaluations - before, stderr=stderr, pairs=pairs.tolist())
