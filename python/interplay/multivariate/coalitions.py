"""φ([C] | N_C) by sampling (multivariate paper Eq. 7): :class:`CoalitionSampling`.

φ([C] | N_C) = E_r E_{S ⊆ R, |S| = r} [v(S ∪ C) - v(S)], r uniform in {0..|R|}, R = N ∖ C ∖ absent:
each context costs 2 rows. The contexts are those of the learned partition search
(:mod:`.contexts`): sizes stratified, or all 2^|R| with their Shapley weights (exact) when they
fit in the budget.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch

from .._internal.progress import progress_bar
from .._internal.seeds import derive_seed
from ..methods import Sampler
from ..games import Game
from ..results import Result, make_result
from .contexts import Contexts, Deltas, weighted_mean

# The RNG domain of the contexts: derive_seed(seed, _CONTEXTS).
_CONTEXTS = 4


@dataclass(frozen=True)
class CoalitionSampling(Sampler):
    """φ([C] | N_C) by Eq. 7 with budget // 2 contexts (2 rows each: v(S ∪ C) and v(S)).

    Args:
        budget: rows sent to the game (at least 2); ``budget // 2`` contexts.
        seed: the RNG key in [0, 2^64).
        progress: a tqdm bar over blocks of contexts (None: only for long runs).
        enumerate_contexts: evaluate all 2^|R| contexts with their Shapley weights (exact, stderr 0)
            when they are no more than ``budget // 2``.
    """

    name = "coalition_sampling"
    enumerate_contexts: bool = True

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.budget < 2:
            raise ValueError(f"budget must be at least 2 (one context costs 2 evaluations), got {self.budget}")
        if not isinstance(self.enumerate_contexts, bool):
            raise TypeError(f"enumerate_contexts must be a bool, got {self.enumerate_contexts!r}")

    def coalition_shapley(self, game: Game, coalition: tuple[int, ...], absent: tuple[int, ...]) -> Result:
        """φ([C] | N_C) (0-d, index "coalition-SV") and its standard error."""
        n = game.n_players
        excluded = set(coalition) | set(absent)
        rest = [i for i in range(n) if i not in excluded]
        mask = torch.zeros(n, dtype=torch.bool)
        mask[list(coalition)] = True
        start = game.evaluations
        ctx, weight, exact = Contexts(n, rest, derive_seed(self.seed, _CONTEXTS),
                                      self.enumerate_contexts).draw(self.budget // 2, 0)
        deltas = Deltas(game, {"C": mask})
        block = max(1, game.batch_size // 2)
        starts = range(0, ctx.shape[0], block)
        show = self.progress if self.progress is not None else len(starts) > 16
        parts = [deltas(ctx[s : s + block], ["C"])[:, 0]
                 for s in progress_bar(starts, enabled=show, desc="coalition contexts", unit="block")]
        value, stderr = weighted_mean(weight, torch.cat(parts), exact)
        return make_result(game, "coalition-SV", torch.tensor(value, dtype=torch.float64), self,
                           game.evaluations - start, stderr=torch.tensor(stderr, dtype=torch.float64),
                           players=coalition, absent=absent)
