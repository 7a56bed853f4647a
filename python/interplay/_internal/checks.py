"""Argument checks shared by the public functions: each raises a ValueError naming the problem."""
from __future__ import annotations

import os
from typing import Any, Iterable, Optional, Sequence

from .._C import max_exact_players as MAX_EXACT_PLAYERS  # IP_MAX_EXACT_PLAYERS of the C core


def integer(value: Any, what: str) -> int:
    """``value`` as a Python int: ints, NumPy integers and 0-d integer tensors; never a bool, a float
    (not even 1.0), a float/bool/complex tensor or a string (nothing is truncated)."""
    if isinstance(value, bool) or type(value).__name__ in ("bool_", "bool"):
        raise TypeError(f"{what} must be an integer, got a bool ({value!r})")
    if isinstance(value, int):
        return int(value)
    dtype = getattr(value, "dtype", None)
    if dtype is not None:  # a tensor or a NumPy scalar: integer dtypes only, one element
        name = str(dtype)
        if "int" not in name or "bool" in name:
            raise TypeError(f"{what} must be an integer, got a value of dtype {name}")
        if getattr(value, "ndim", getattr(value, "dim", lambda: 0)()) not in (0,):
            raise TypeError(f"{what} must be one integer, got an array of shape {list(value.shape)}")
    if not hasattr(value, "__index__"):
        raise TypeError(f"{what} must be an integer, got {type(value).__name__}")
    dense_data(value, what)
    return int(value.__index__())


def seed(value: Any, what: str = "seed") -> int:
    """One rule for every seed of interplay (the estimators, ``pair_contexts``, the interaction
    loss, ``explain_dataset``, the CLI's ``--seed``): an integer in [0, 2^64) — a Python or NumPy
    int, never a bool, a float or a string — returned as a Python int; anything else is one
    TypeError / ValueError. Ops receive it as the same 64 bits (:func:`interplay._internal.seeds.signed64`)."""
    try:
        out = integer(value, what)
    except TypeError:
        raise TypeError(f"{what} must be a non-negative int, got {type(value).__name__}") from None
    if not 0 <= out < 1 << 64:
        raise ValueError(f"{what} must be in [0, 2**64), got {out}")
    return out


def player(i: int, n: int, what: str = "player") -> int:
    """Returns i as an int after checking 0 <= i < n."""
    try:
        i = integer(i, what)
    except TypeError:
        raise TypeError(f"{what} must be an integer index, got {type(i).__name__}"
                        + (f" of dtype {i.dtype}" if hasattr(i, "dtype") else "")) from None
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
    if isinstance(seq, (str, bytes)) or not isinstance(seq, Iterable):
        raise TypeError(f"{what} must be a collection of player indices, got {type(seq).__name__}")
    dense_data(seq, what)
    if getattr(seq, "dtype", None) is not None and getattr(seq, "ndim", getattr(seq, "dim", lambda: 1)()) != 1:
        raise ValueError(f"{what} must be a 1-D collection of player indices, got shape {list(seq.shape)}")
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


# -- the memory budget: one setting, read by every check of an allocation --------------------------
MEMORY_ENV = "INTERPLAY_MAX_MEMORY"
DEFAULT_MEMORY_FRACTION = 0.5  # of the memory available at the time of the check
_UNITS = {"": 1, "B": 1, "K": 1 << 10, "KB": 1 << 10, "KIB": 1 << 10, "M": 1 << 20, "MB": 1 << 20,
          "MIB": 1 << 20, "G": 1 << 30, "GB": 1 << 30, "GIB": 1 << 30, "T": 1 << 40, "TB": 1 << 40, "TIB": 1 << 40}
_max_memory: Optional[int] = None


def _memory_amount(value: Any, what: str) -> int:
    """Bytes as a positive int, or a string such as "4G", "512 MiB", "1e9"."""
    if isinstance(value, str):
        text = value.strip().upper().replace(" ", "")
        number = text.rstrip("KMGTIB")
        unit = text[len(number):]
        try:
            amount = float(number) * _UNITS[unit]
        except (ValueError, KeyError):
            raise ValueError(f"{what} must be bytes (e.g. 4000000000, '4G', '512MiB'), got {value!r}") from None
        if not (amount >= 1 and amount < 1 << 62):
            raise ValueError(f"{what} must be at least 1 byte and below 2^62, got {value!r}")
        return int(amount)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int (bytes) or a string such as '4G', got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{what} must be positive, got {value}")
    return value


def set_max_memory(limit: Any) -> Optional[int]:
    """Sets the memory budget of interplay (bytes, or a string such as ``"4G"``); ``None`` restores
    the default. Returns the previous setting (None = default), so a block can restore it.

    The budget bounds every large allocation interplay plans before it makes it: the exact table of
    2^n rewards and its transforms, the coalitions evaluated per block, a :class:`ModelGame`'s
    masked batch (``batch_size`` rows of the masked tensor) and the plans of the samplers. The
    default is the environment variable ``INTERPLAY_MAX_MEMORY`` when set, else half of the memory
    available at the time of the check (for a CUDA model game: half of the free device memory).
    """
    global _max_memory
    previous = _max_memory
    _max_memory = None if limit is None else _memory_amount(limit, "max_memory")
    return previous


def max_memory(device: Any = None) -> int:
    """The memory budget now, in bytes (see :func:`set_max_memory`); ``device`` a torch device
    whose free memory sets the default (None: the host)."""
    kind = None
    if device is not None:  # a torch.device or what torch.device parses (an unknown name is refused)
        import torch

        try:
            kind = device.type if isinstance(device, torch.device) else torch.device(device).type
        except (RuntimeError, TypeError, ValueError):
            raise ValueError(f"max_memory: {device!r} is not a torch device (e.g. 'cpu', 'cuda', 'cuda:1')") from None
    if _max_memory is not None:
        return _max_memory
    env = os.environ.get(MEMORY_ENV)
    if env:
        return _memory_amount(env, f"the environment variable {MEMORY_ENV}")
    free = available_memory()
    if kind == "cuda":
        try:
            free = torch.cuda.mem_get_info(device)[0]
        except Exception:  # pragma: no cover - no CUDA here
            pass
    return int(DEFAULT_MEMORY_FRACTION * free)


def gib(nbytes: float) -> str:
    """Bytes for a message: ``1.5 GiB``, ``12.0 MiB``, ``512 B``."""
    for unit, size in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if nbytes >= size:
            return f"{nbytes / size:.1f} {unit}"
    return f"{int(nbytes)} B"


def memory(need: int, what: str, hint: str = "", device: Any = None) -> None:
    """Refuses (MemoryError) an allocation of ``need`` bytes beyond the budget, before it is made:
    "{what} need(s) 1.5 GiB, more than max_memory = 1.0 GiB"."""
    limit = max_memory(device)
    if need > limit:
        raise MemoryError(f"{what} need {gib(need)}, more than max_memory = {gib(limit)}"
                          + (f"; {hint}" if hint else "") + " (interplay.set_max_memory or "
                          f"{MEMORY_ENV} raise the budget)")


def exact_size(n: int, copies: int = 2, extra: int = 0) -> None:
    """Refuses an n too large for an exact method: more than :data:`MAX_EXACT_PLAYERS`, or a
    2^n-entry float64 table (times ``copies``: the table and a transform's output or scratch) plus
    ``extra`` bytes over the memory budget."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"n must be a non-negative int, got {n!r}")
    if n > MAX_EXACT_PLAYERS:
        raise ValueError(
            f"n = {n} players is too large for an exact method (at most {MAX_EXACT_PLAYERS} players); pass "
            "budget= (the rows the game may evaluate) to estimate it with the default sampler, or a method= "
            "that computes it (interplay.methods.methods_for lists them)"
        )
    memory(copies * 8 * (1 << n) + extra, f"n = {n}: the exact table and its transforms",
           "use a sampling method (budget=)")


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


def count(value: Any, what: str, minimum: int = 1) -> int:
    """A count (budget, n_players, updates, contexts, ...) as a Python int >= ``minimum``: ints,
    NumPy ints and 0-d integer tensors alike (:func:`integer`); bools and floats are a TypeError."""
    out = integer(value, what)
    if out < minimum:
        raise ValueError(f"{what} must be at least {minimum}, got {out}")
    return out


def dense_data(tensor: Any, what: str) -> None:
    """Refuses a tensor whose data interplay cannot read as a plain array: one on the meta device (no
    data) or a sparse (or other non-strided) one."""
    if getattr(tensor, "is_meta", False):
        raise ValueError(f"{what} is on the meta device (it has no data); move it to a real device first")
    layout = getattr(tensor, "layout", None)  # a torch.layout (torch is not imported here)
    if layout is not None and str(layout) != "torch.strided":
        raise ValueError(f"{what} is a {str(layout).replace('torch.', '')} tensor; pass a dense one (.to_dense())")


def number_pair(value: Any, what: str) -> tuple[float, float]:
    """A (lo, hi) pair of real numbers (no bool, no string), else one clear error."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TypeError(f"{what} must be a pair (lo, hi) of numbers, got {type(value).__name__}")
    items = list(value)
    if len(items) != 2:
        raise ValueError(f"{what} must be a pair (lo, hi) of numbers, got {len(items)} values")
    if any(isinstance(v, (bool, str, bytes)) or not isinstance(v, (int, float)) and not hasattr(v, "__float__")
           for v in items):
        raise TypeError(f"{what} must be a pair (lo, hi) of numbers, got {tuple(items)!r}")
    lo, hi = (float(v) for v in items)
    if lo != lo or hi != hi:
        raise ValueError(f"{what} must not hold NaN, got {(lo, hi)}")
    return lo, hi


def keep_rates(value: Any, what: str = "rate") -> tuple[float, float]:
    """A (lo, hi) range of keep-rates, 0 <= lo <= hi <= 1 (the contexts of the interaction loss and
    of RII keep each player at a rate r ~ U(lo, hi))."""
    lo, hi = number_pair(value, what)
    if not 0.0 <= lo <= hi <= 1.0:
        raise ValueError(f"{what} must be (lo, hi) with 0 <= lo <= hi <= 1 (keep-rates), got ({lo}, {hi})")
    return lo, hi
