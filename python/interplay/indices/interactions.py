"""Every interaction index of shapiq's family at any order, exact, from one Möbius transform."""
from __future__ import annotations

import dataclasses
from typing import Any, Optional, Union

from ..methods import Estimator, resolve
from ..games import Game
from ..games.base import check_game
from ..results import INTERACTION_INDICES, Result

Method = Union[None, str, Estimator]

_ALIASES = {"CoMoebius": "Co-Moebius"}
# shapiq's InteractionValues names every index that generalizes the Shapley (Banzhaf) value "SV" ("BV")
# at order 1 (shapiq.game_theory.indices: get_index_from_computation_index)
_ORDER_ONE = {"k-SII": "SV", "STII": "SV", "FSII": "SV", "BII": "BV", "FBII": "BV"}


def _index_and_order(index: Any, order: Any, n: int) -> tuple[str, int]:
    if not isinstance(index, str):
        raise TypeError(f"index must be a str, one of {list(INTERACTION_INDICES)}, got {type(index).__name__}")
    index = _ALIASES.get(index, index)
    if index not in INTERACTION_INDICES:
        raise ValueError(f"unknown index {index!r}; interaction_values computes {list(INTERACTION_INDICES)}")
    if order is None:
        order = 1 if index in ("SV", "BV") else 2
    if isinstance(order, bool) or not isinstance(order, int):
        raise TypeError(f"order must be an int, got {type(order).__name__}")
    if not 1 <= order <= n:
        raise ValueError(f"order = {order} is out of range for n = {n} players (1..n)")
    if index in ("SV", "BV") and order != 1:
        raise ValueError(f"{index} has order 1, got order = {order}")
    if order == 1 and index == "SII":  # SII of order 1 is SV, the empty set v(∅) included (as shapiq's)
        index = "SV"
    return index, order


def interaction_values(game: Game, index: str = "k-SII", order: Optional[int] = None, method: Method = None,
                       **options: Any) -> Result:
    """Interaction values I(T) of every coalition T with |T| <= ``order``, ``[m]`` (m = Σ_{t<=k} C(n, t)),
    with shapiq's index names, orders and conventions (the empty set included, its value as shapiq's:
    see :mod:`interplay.exact.weights`).

    ``index``: "SV", "BV" (order 1), "SII", "BII", "k-SII", "STII", "FSII", "FBII", "Moebius",
    "Co-Moebius" (or "CoMoebius"); ``order``: k in 1..n (None: 1 for SV / BV, else 2). SII and BII of
    order 1 are returned as "SV" and "BV", as shapiq does (so are k-SII, STII, FSII and FBII of order 1,
with their own value of the empty set: FBII's is its fitted intercept).

    The result's ``interactions`` lists the coalitions (tuples of players: by size, then
    lexicographic, as shapiq's); ``result.get((0, 1))`` reads one value; ``result.to_shapiq()`` gives a
    ``shapiq.InteractionValues``. Exact, in C from the 2^n table: the coalitions of size <= 2 straight
    from v (t + 1 superset sums per size t: the rounding stays near n·eps·max|v|), the larger ones from
    one Möbius transform and a fused weighted superset-sum pass per size, O(k² n 2^n) in all; too
    large an n or order for the memory is refused before any evaluation.
    """
    check_game(game)
    index, order = _index_and_order(index, order, game.n_players)
    estimator = resolve("interaction_values", method, options, game.n_players)
    result = estimator.interaction_values(game, index, order)
    if order == 1 and index in _ORDER_ONE:  # shapiq's names: the values of order 1 are SV or BV
        result = dataclasses.replace(result, index=_ORDER_ONE[index])
    return result
