"""The exact estimator: every index from the game's 2^n table, in C (O(n 2^n) transforms).

Dropout paper: Eq. 1 (φ), Eq. 2 (I(i, j)), Eq. 3 (I^(s)), Eq. 4 and App. D (R^T, J^(q)).
Multivariate paper: Eq. 1 (φ([C] | N_C)), Eq. 3 (B([A])), Eq. 6 (I(A')), Eq. 4-5 (T([A])).
"""
from __future__ import annotations

import warnings

import math
from dataclasses import dataclass
from typing import Optional, Sequence

import torch

from .._internal import checks as _checks
from .._internal.ops import ops
from ..methods import Estimator, _set_count
from ..games import Game
from ..results import Partitions, Result, make_result, partition_from_labels
from .weights import derivative_weights, index_weights

# an exact run that evaluates 2^n rows from this many players on (4M rows) warns before it starts
WARN_PLAYERS = 22

_KIND = {"SII": "shapley", "BII": "banzhaf"}
# Exact T([A]) scores 2^(m-1) contiguous or Bell(m) set partitions of A.
MAX_SIGNIFICANCE_PLAYERS = {"contiguous": 24, "all": 13}


def check_memory(n: int, order: int) -> None:
    """Refuses (MemoryError), before any evaluation, interaction values whose tables exceed the memory
    budget (``interplay.set_max_memory``): the game's table, the dividends and one scratch table
    (3 x 2^n doubles) plus the output (its tensor and the list of coalitions)."""
    output = sum(math.comb(n, t) for t in range(order + 1))
    _checks.exact_size(n, copies=3, extra=16 * output)


@dataclass(frozen=True)
class Exact(Estimator):
    """Exact values from all 2^n coalitions (evaluated once per game, then cached).

    ``budget``: refuse (before evaluating) when the 2^n evaluations the table still needs exceed it.
    """

    name = "exact"
    budget: Optional[int] = None

    def __post_init__(self) -> None:
        if self.budget is not None:
            _set_count(self, "budget")

    def _table(self, game: Game) -> tuple[torch.Tensor, int]:
        """The game's table and the rows evaluated to get it (0 when it was cached)."""
        if not game.has_table() and self.budget is not None and game.n_players < 63 \
                and (1 << game.n_players) > self.budget:
            raise ValueError(f"exact needs 2^{game.n_players} = {1 << game.n_players} evaluations, more than "
                             f"budget = {self.budget}; use a sampling method")
        if game.has_table():  # a transform writes a copy (or a scratch table) of 2^n float64
            _checks.exact_size(game.n_players, copies=1)
        elif game.n_players >= WARN_PLAYERS:
            warnings.warn(f"exact evaluates all 2^{game.n_players} = {1 << game.n_players:,} coalitions of the game; "
                          "budget= estimates with far fewer rows", stacklevel=4)
        before = game.evaluations
        table = game.table()
        return table, game.evaluations - before

    def interaction_values(self, game: Game, index: str, order: int) -> Result:
        """Every coalition of size <= order, ``[m]`` (one Möbius transform in C; weights in weights.py)."""
        check_memory(game.n_players, order)
        table, used = self._table(game)
        if index in ("SV", "BV"):  # straight from v (player_values), without the dividends' rounding
            empty = table[:1] if index == "SV" else table.mean().reshape(1)  # BV(∅) = Σ_S d(S) / 2^|S| = mean v
            values = torch.cat([empty, ops.player_values(table, _KIND[index.replace("V", "II")])])
        else:  # sizes <= 2 straight from v (stable at large n); larger sizes from the dividends
            low = ops.low_order_values(table, derivative_weights(index, game.n_players, order))
            if order <= 2:
                values = low
            else:
                values = ops.interaction_values(table, index_weights(index, game.n_players, order))
                values[: low.numel()] = low
        # shapiq's baseline_value: v(∅), but FBII's fitted intercept for FBII (ExactComputer.compute_fii)
        baseline = float(values[0]) if index == "FBII" else float(table[0])
        return make_result(game, index, values, self, used, orders=(0, order), baseline_value=baseline)

    def shapley_values(self, game: Game) -> Result:
        table, used = self._table(game)
        return make_result(game, "SV", ops.player_values(table, "shapley"), self, used)

    def banzhaf_values(self, game: Game) -> Result:
        table, used = self._table(game)
        return make_result(game, "BV", ops.player_values(table, "banzhaf"), self, used)

    def harsanyi_dividends(self, game: Game) -> Result:
        table, used = self._table(game)
        return make_result(game, "Moebius", ops.harsanyi_dividends(table), self, used)

    def pair_interactions(self, game: Game, pairs: torch.Tensor, index: str,
                          rate: Optional[tuple[float, float]] = None) -> Result:
        if index not in _KIND:
            raise ValueError(f"exact pair interactions are 'SII' or 'BII', got {index!r}")
        table, used = self._table(game)
        values = torch.stack([ops.pair_interaction(table, int(i), int(j), _KIND[index]) for i, j in pairs.tolist()])
        return make_result(game, index, values, self, used, pairs=pairs.tolist())

    def interaction_matrix(self, game: Game, index: str, pairs: Optional[torch.Tensor] = None) -> Result:
        table, used = self._table(game)
        matrix = ops.pair_interaction_matrix(table, _KIND[index])
        if pairs is not None:
            keep = torch.zeros_like(matrix, dtype=torch.bool)
            keep[pairs[:, 0], pairs[:, 1]] = True
            keep[pairs[:, 1], pairs[:, 0]] = True
            keep.fill_diagonal_(True)
            matrix = matrix.masked_fill(~keep, float("nan"))
        return make_result(game, index, matrix, self, used, pairs=None if pairs is None else pairs.tolist())

    def multi_order_interaction(self, game: Game, i: int, j: int, sizes: Sequence[tuple[int, int]]) -> Result:
        table, used = self._table(game)
        orders, _, _ = ops.multi_order_interaction(table, i, j)
        values = torch.stack([orders[a:b + 1].mean() for a, b in sizes])
        return make_result(game, "SII-order", values, self, used, players=(i, j), sizes=sizes)

    def marginal_rewards(self, game: Game, i: int, j: int) -> Result:
        table, used = self._table(game)
        _, _, rewards = ops.multi_order_interaction(table, i, j)
        return make_result(game, "R", rewards, self, used, players=(i, j))

    def average_marginal_rewards(self, game: Game, i: int, j: int) -> Result:
        table, used = self._table(game)
        _, marginal, _ = ops.multi_order_interaction(table, i, j)
        return make_result(game, "J", marginal, self, used, players=(i, j))

    def coalition_shapley(self, game: Game, coalition: tuple[int, ...], absent: tuple[int, ...]) -> Result:
        table, used = self._table(game)
        value = ops.coalition_shapley(table, torch.tensor([[_checks.mask(coalition)]]),
                                      torch.tensor([[_checks.mask(absent)]]))[0]
        return make_result(game, "coalition-SV", value, self, used, players=coalition, absent=absent)

    def multivariate_interaction(self, game: Game, A: tuple[int, ...]) -> Result:
        table, used = self._table(game)
        value = ops.multivariate_interaction(table, torch.tensor([[_checks.mask(A)]]))[0]
        return make_result(game, "B", value, self, used, players=A)

    def elementary_interaction(self, game: Game, A: tuple[int, ...], subset: tuple[int, ...]) -> Result:
        table, used = self._table(game)
        value = ops.elementary_interaction(table, torch.tensor([[_checks.mask(A)]]), torch.tensor([[_checks.mask(subset)]]))[0]
        return make_result(game, "elementary", value, self, used, players=subset,
                           absent=tuple(p for p in A if p not in subset))

    def interaction_significance(self, game: Game, A: tuple[int, ...], family: str) -> Result:
        limit = MAX_SIGNIFICANCE_PLAYERS[family]
        if len(A) > limit:
            raise ValueError(f"A has {len(A)} players; exact {family} partitions allow at most {limit}")
        table, used = self._table(game)
        blocks = ops.block_values(table, list(A))
        stats, max_labels, min_labels = ops.significance_from_blocks(blocks, family)
        b_max, b_min, T, _, count = stats.tolist()
        partitions = Partitions(family=family, b_max=b_max, b_min=b_min, scored=int(count),
                                max_partition=partition_from_labels(A, max_labels.tolist()),
                                min_partition=partition_from_labels(A, min_labels.tolist()))
        return make_result(game, "T", torch.tensor(T, dtype=torch.float64), self, used, players=A,
                           partitions=partitions)
