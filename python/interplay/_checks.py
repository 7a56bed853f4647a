"""Argument checks shared by the public functions: each raises a ValueError naming the problem."""
from __future__ import annotations

import os
from typing import Iterable, Optional, Sequence

MAX_EXACT_PLAYERS = 30  # mirrors IP_MAX_EXACT_PLAYERS in csrc/core/subset_transform.h


def player(i: int, n: int, what: str = "player") -> int:
    """Returns i as an int after checking 0 <= i < n."""
    if isinstance(i, bool) or not isinstance(i, int) and not hasattr(i, "__index__"):
        raise TypeError(f"{what} must be an integer index, got {type(i).__name__}")
    i = int(i)
    if not 0 <= i < n:
        raise ValueError(f"{what} {i} is out of range for a game with {n} players (valid: 0..{n - 1})")
    return i


def pair(i: int, j: int, n: int) -> tuple[int, int]:
    """Checks a pair of distinct players."""
    i, j = player(i, n, "player i"), player(j, n, "player j")
    if i == j:
        raise ValueError(f"an interaction needs two different players, got i = j = {i}")
    return i, j


def players(seq: Iterable[int], n: int, what: str = "players", min_size: int = 1) -> tuple[int, ...]:
    """Checks a collection of distinct players and returns it as a tuple (order kept)."""
    out = tuple(player(k, n, f"a player of {what}") for k in seq)
    if len(set(out)) != len(out):
        repeated = sorted({k for k in out if out.count(k) > 1})
        raise ValueError(f"{what} repeats players {repeated}")
    if len(out) < min_size:
        raise ValueError(f"{what} needs at least {min_size} players, got {len(out)}")
    return out


def mask(seq: Sequence[int]) -> int:
    """The bitmask of a set of players (bit k = player k)."""
    out = 0
    for k in seq:
        out |= 1 << k
    return out


def available_memory() -> int:
    """Bytes of physical memory available now (a generous guess where the OS does not say)."""
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return 1 << 40


def exact_size(n: int, copies: int = 3) -> None:
    """Refuses an n whose 2^n-entry float64 table (times ``copies``) would not fit in memory."""
    if n > MAX_EXACT_PLAYERS:
        raise ValueError(
            f"n = {n} players is too large for an exact method (at most {MAX_EXACT_PLAYERS}); "
            "use a sampling method such as method='sampling'"
        )
    need = copies * 8 * (1 << n)
    if need > available_memory():
        raise ValueError(
            f"n = {n} players is too large for an exact method: it needs about {need / 2**30:.1f} GiB "
            f"but {available_memory() / 2**30:.1f} GiB is available; use a sampling method"
        )


def labels(value: Optional[Sequence[str]], n: int) -> Optional[tuple[str, ...]]:
    """Checks a name per player."""
    if value is None:
        return None
    out = tuple(value)
    if len(out) != n or not all(isinstance(w, str) for w in out):
        raise ValueError(f"labels must be {n} strings, one per player")
    return out


def grid(value: Optional[Sequence[int]], n: int) -> Optional[tuple[int, int]]:
    """Checks a (rows, cols) grid of n players."""
    if value is None:
        return None
    out = tuple(value)
    if len(out) != 2 or any(isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in out) \
            or out[0] * out[1] != n:
        raise ValueError(f"grid must be (rows, cols) with rows * cols = {n} players, got {value!r}")
    return (int(out[0]), int(out[1]))
