"""Shapley values by permutation sampling (Castro et al. 2009; dropout paper Eq. 1)."""
from __future__ import annotations

from dataclasses import dataclass

from ..engine import Design, run_design
from ..games import Game
from ..results import Result, make_result
from ._budget import affordable_samples
from ..methods import Sampler


@dataclass(frozen=True)
class Permutation(Sampler):
    """φ(i) = E_π[v(P_π(i) ∪ {i}) − v(P_π(i))] over uniform permutations π of the n players.

    A permutation costs n − 1 evaluations (its prefixes P_1..P_{n-1}); v(∅) and v(N) are shared
    by all permutations (2 evaluations once). ``budget`` buys (budget − 2) // (n − 1) permutations
    (at least 2, for a standard error); ``stderr`` = sqrt(var / permutations).
    """

    name = "permutation"

    def shapley_values(self, game: Game) -> Result:
        n = game.n_players
        if n < 2:
            raise ValueError("permutation sampling needs at least 2 players; use method='exact'")
        design = Design("permutation", n)
        samples = affordable_samples(self, design)
        est = run_design(game, design, samples, self.seed, progress=self.progress)
        return make_result(game, "SV", est.mean, self, est.evaluations, stderr=est.stderr)

