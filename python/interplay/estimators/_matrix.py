"""The all-pairs (or listed-pairs) matrix of a pair estimator: its ``[P]`` estimates placed in an
``[n, n]`` matrix, symmetric, zero diagonal, NaN where not estimated (the stderr likewise); and the
quantities of an estimator that computes SV, BV, SII and BII by one ``_run``."""
from __future__ import annotations

from typing import Optional

import torch

from ..games import Game
from ..results import Result, make_result


class PairMatrix:
    """Mixin: ``interaction_matrix`` from the estimator's own ``pair_interactions``."""

    def interaction_matrix(self, game: Game, index: str, pairs: Optional[torch.Tensor] = None) -> Result:
        n = game.n_players
        p = torch.triu_indices(n, n, 1).t().contiguous() if pairs is None else pairs
        r = self.pair_interactions(game, p, index, None)  # type: ignore[attr-defined]
        values = torch.full((n, n), float("nan"), dtype=torch.float64)
        values.diagonal().zero_()
        stderr = None if r.stderr is None else values.clone()
        for a, b in ((0, 1), (1, 0)):
            values[p[:, a], p[:, b]] = r.values
            if stderr is not None:
                stderr[p[:, a], p[:, b]] = r.stderr
        return make_result(game, index, values, self, r.evaluations, stderr=stderr,
                           pairs=None if pairs is None else pairs.tolist())


class ValuesAndPairs(PairMatrix):
    """Mixin: ``shapley_values``, ``banzhaf_values``, ``pair_interactions`` (SII, BII) and
    ``interaction_matrix`` of an estimator whose ``_run(game, index, pairs)`` computes them."""

    def shapley_values(self, game: Game) -> Result:
        return self._run(game, "SV", None)  # type: ignore[attr-defined]

    def banzhaf_values(self, game: Game) -> Result:
        return self._run(game, "BV", None)  # type: ignore[attr-defined]

    def pair_interactions(self, game: Game, pairs: torch.Tensor, index: str,
                          rate: Optional[tuple[float, float]] = None) -> Result:
        if index not in ("SII", "BII"):
            raise ValueError(f"method {type(self).name!r} estimates index 'SII' or 'BII', got {index!r}")
        return self._run(game, index, pairs)  # type: ignore[attr-defined]
