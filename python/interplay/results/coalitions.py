"""The coalitions of interaction values: every T with lo <= |T| <= hi, by size, then in
lexicographic order (``itertools.combinations``, shapiq's ``powerset`` order), and a coalition's
position among them (combinatorial ranking, O(n))."""
from __future__ import annotations

import itertools
import math
import numbers
from typing import Any


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
