"""The coalitions of interaction values: every T with lo <= |T| <= hi, by size, then in
lexicographic order (``itertools.combinations``, shapiq's ``powerset`` order), and a coalition's
position among them (combinatorial ranking, O(n)); :class:`InteractionLookup`, the accessors of a
:class:`~interplay.Result` of interaction values."""
from __future__ import annotations

import itertools
import math
import numbers
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import torch


def coalitions(n: int, lo: int, hi: int) -> tuple[tuple[int, ...], ...]:
    return tuple(c for t in range(lo, hi + 1) for c in itertools.combinations(range(n), t))


def coalition_position(coalition: Any, n: int, lo: int, hi: int) -> int:
    try:
        players = tuple(coalition)
    except TypeError:
        raise TypeError(f"a coalition is a sequence of players, got {type(coalition).__name__}") from None
    if any(isinstance(p, bool) or not isinstance(p, numbers.Integral) for p in players):
        raise TypeError(f"a coalition holds ints (players), got {players!r}")
    players = tuple(sorted(int(p) for p in players))
    if len(set(players)) != len(players) or any(not 0 <= p < n for p in players):
        raise KeyError(f"{players} is not a coalition of {n} players")
    t = len(players)
    if not lo <= t <= hi:
        raise KeyError(f"{players} has {t} players; these values hold coalitions of size {lo}..{hi}")
    position = sum(math.comb(n, r) for r in range(lo, t))
    previous = -1
    for i, p in enumerate(players):  # combinations before `players` in lexicographic order
        for q in range(previous + 1, p):
            position += math.comb(n - q - 1, t - i - 1)
        previous = p
    return position


class InteractionLookup:
    """Accessors of interaction values ``[m]`` over coalitions (``orders`` set), mixed into Result."""

    index: str
    n_players: int
    orders: "tuple[int, int] | None"
    values: "torch.Tensor"

    def _orders(self) -> tuple[int, int]:
        if self.orders is None:
            raise AttributeError(f"this {self.index!r} result is not interaction values over coalitions "
                                 "(see interplay.interaction_values)")
        return self.orders

    @property
    def min_order(self) -> int:
        return self._orders()[0]

    @property
    def max_order(self) -> int:
        return self._orders()[1]

    @property
    def interactions(self) -> tuple[tuple[int, ...], ...]:
        """The coalitions of the values, in their order (by size, then lexicographic, as shapiq's)."""
        lo, hi = self._orders()
        return coalitions(self.n_players, lo, hi)

    def position(self, coalition: Any) -> int:
        """Where ``coalition`` (players in any order) sits in :attr:`interactions`."""
        lo, hi = self._orders()
        return coalition_position(coalition, self.n_players, lo, hi)

    def get(self, coalition: Any) -> float:
        """The value of one coalition, e.g. ``r.get((0, 1))``."""
        return float(self.values[self.position(coalition)])

    def to_dict_of_interactions(self) -> dict[tuple[int, ...], float]:
        """``{coalition: value}`` over :attr:`interactions`."""
        return dict(zip(self.interactions, self.values.tolist()))

    def to_shapiq(self) -> Any:
        """This result as a ``shapiq.InteractionValues`` (needs shapiq; interaction values only)."""
        from .shapiq import to_shapiq

        return to_shapiq(self)
