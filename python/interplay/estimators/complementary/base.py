"""The base of the complementary-pair family: the plan within the budget, the draw, the exact path
when the border is everything, and the result; each estimator adds its surrogate (``_estimate``)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Optional

import torch

from ..._internal.checks import memory
from ...games import Game
from ...methods import Sampler, _set_count
from ...results import Result, make_result
from .._budget import too_small
from .._matrix import ValuesAndPairs
from ...engine import power_of_two_scale
from .design import SIZES, Plan, Sample, design_bytes, exact_index, law_for, plan, sample_pairs


@dataclass(frozen=True)
class ComplementaryPairs(ValuesAndPairs, Sampler):
    """Shapley / Banzhaf values and pair interactions (SII, BII) from complementary pairs (S, N ∖ S):
    the border enumerated, the band sampled (:mod:`.design`), a surrogate fitted and corrected by
    Monte Carlo (:mod:`.cross_fit`).

    ``folds``: the splits of the cross-fitting (what each estimator does with them: its doc).
    ``sizes``: the law of the sampled sizes in the Shapley family, ``"uniform"`` (default) or
    ``"kernel"``; Banzhaf coalitions are uniform. ``budget`` buys 2 rows per pair after the exact
    border (always v(∅), v(N) in the Shapley family).
    """

    folds: int = 4
    sizes: str = "uniform"
    min_folds: ClassVar[int] = 1

    def __post_init__(self) -> None:
        super().__post_init__()
        _set_count(self, "folds", self.min_folds)
        if self.sizes not in SIZES:
            raise ValueError(f"sizes must be one of {SIZES}, got {self.sizes!r}")

    def min_pairs(self, n_players: int, index: str) -> int:
        """The fewest band pairs a call needs."""
        return 1

    def plan(self, n_players: int, index: str = "SV") -> Plan:
        """Border sizes, band and complementary pairs a call evaluates within the budget."""
        lw = law_for(index, n_players, self.sizes)
        minimum = self.min_pairs(n_players, index)
        pl = plan(lw, self.budget, minimum)
        if pl is None:
            pinned = " + v(∅), v(N)" if lw.constrained else ""
            what = "one complementary pair" if minimum == 1 else f"{minimum} complementary pairs"
            raise too_small(self, (2 if lw.constrained else 0) + 2 * minimum,
                            f"{what}{pinned} {'is' if minimum == 1 and not pinned else 'are'} needed")
        return pl

    def device(self, game: Game) -> torch.device:
        """Where the estimator solves: the CPU (the Gaussian process: a model's GPU)."""
        return torch.device("cpu")

    def check_call(self, game: Game, index: str, pairs: Optional[torch.Tensor], pl: Plan) -> None:
        """Refuses a call before any evaluation: here what the draw holds beyond the memory budget
        (each estimator adds what its fit holds)."""
        memory(design_bytes(pl, game.n_players), f"method {self.name!r}: the {pl.units} complementary pairs drawn",
               "lower the budget")

    def _run(self, game: Game, index: str, pairs: Optional[torch.Tensor]) -> Result:
        n = game.n_players
        if n < 2:
            raise ValueError(f"method {self.name!r} needs at least 2 players; use method='exact'")
        pl = self.plan(n, index)
        self.check_call(game, index, pairs, pl)
        before = game.evaluations
        if not pl.band:  # every coalition: the exact index
            values = exact_index(game, pl, index, pairs, self.progress)
            stderr: Optional[torch.Tensor] = torch.zeros_like(values)
        else:
            gen = torch.Generator().manual_seed(self.seed)
            sample = sample_pairs(game, law_for(index, n, self.sizes), pl, gen, self.progress)
            device = self.device(game)
            on = None if pairs is None else pairs.to(device)
            # the estimate of a game scaled by a power of two (exact in floating point) is the
            # same scaling of the estimate: estimated at rewards of order 1, then scaled back
            scale = power_of_two_scale(sample.v, sample.vc)
            values, stderr = self._estimate(sample.scaled(1.0 / scale).to(device), index, on, gen, game)
            values, stderr = scale * values.cpu(), None if stderr is None else scale * stderr.cpu()
            if not bool(torch.isfinite(values).all()):  # the rewards were finite (the game refuses others)
                raise FloatingPointError(
                    f"method {self.name!r} gave a non-finite estimate from finite rewards (largest |reward| about "
                    f"{scale:.3g}): its surrogate's linear system is singular; a larger budget or another method helps")
        return make_result(game, index, values, self, game.evaluations - before, stderr=stderr,
                           **({} if pairs is None else {"pairs": pairs.tolist()}))

    def _estimate(self, sample: Sample, index: str, pairs: Optional[torch.Tensor], gen: torch.Generator,
                  game: Game) -> tuple[torch.Tensor, Optional[torch.Tensor]]:
        """(estimate, stderr or None) of the index from the evaluated pairs."""
        raise NotImplementedError
