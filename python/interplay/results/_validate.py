"""The checks of :class:`~interplay.results.Result`: every field's type and range, and the shape of
the values each index allows, so that a result built by hand, unpickled or loaded from a tampered
file is either consistent or a ValueError / TypeError naming the problem.

Each field declares its own check (the ``check`` of its :func:`~.schema.schema_field`: one of the
functions of the first part below); :func:`check` runs them all, then checks how the fields fit
together."""
from __future__ import annotations

import math
import numbers
from typing import TYPE_CHECKING, Any, Callable, Optional

import torch

from .._internal.checks import dense_data

from ..methods import Estimator
from .schema import schema_fields

if TYPE_CHECKING:  # pragma: no cover
    from .result import Result

INDICES: dict[str, str] = {
    "SV": "Shapley values φ(i|N) (dropout paper Eq. 1), [n]",
    "BV": "Banzhaf values, [n]",
    "Moebius": "Harsanyi dividends d(T) (the Möbius transform), [2^n] indexed by bitmask",
    "SII": "pairwise Shapley interaction I(i, j) (dropout paper Eq. 2): a pair, [P] pairs or [n, n]",
    "BII": "pairwise Banzhaf interaction: a pair, [P] pairs or [n, n]",
    "RII": "pairwise interaction over contexts kept at a random rate: a pair or [P] pairs",
    "SII-order": "multi-order interaction I^(s)(i, j) (dropout paper Eq. 3), one value per size range",
    "R": "marginal rewards R^T(i, j) (dropout paper App. D), [2^(n-2)] indexed by compressed mask",
    "J": "average marginal rewards J^(q)(i, j) (dropout paper Eq. 4), [n-1]",
    "coalition-SV": "Shapley value φ([C]|N_C) of a coalition acting as one player",
    "B": "multivariate interaction B([A]) (multivariate paper Eq. 3)",
    "elementary": "elementary interaction component I(A') (multivariate paper Eq. 6)",
    "T": "significance T([A]) = B_max - B_min (multivariate paper Eq. 4-5)",
    "k-SII": "k-Shapley interaction values (Bordt & von Luxburg 2023), [m] over the coalitions of size <= k",
    "STII": "Shapley-Taylor interaction index (Sundararajan et al. 2020), [m] over the coalitions of size <= k",
    "FSII": "Faithful Shapley interaction index (Tsai et al. 2023), [m] over the coalitions of size <= k",
    "FBII": "Faithful Banzhaf interaction index (Tsai et al. 2023), [m] over the coalitions of size <= k",
    "Co-Moebius": "Co-Möbius transform Δ_T v(N∖T), [m] over the coalitions of size <= k",
}

# Indices of interplay.interaction_values: [m] values over every coalition T with
# min_order <= |T| <= max_order, in shapiq's order (by size, then lexicographic).
INTERACTION_INDICES = ("SV", "BV", "SII", "BII", "k-SII", "STII", "FSII", "FBII", "Moebius", "Co-Moebius")

MAX_INT = (1 << 63) - 1  # counts (players, evaluations) must fit an int64

_SCALAR = ("coalition-SV", "B", "elementary", "T")
_PAIR = ("SII", "BII", "RII")


def ints(value: Any, what: str) -> tuple[int, ...]:
    try:
        out = tuple(value)
    except TypeError:
        raise TypeError(f"{what} must be a sequence of ints, got {type(value).__name__}") from None
    for v in out:
        if isinstance(v, bool) or not isinstance(v, numbers.Integral):
            raise TypeError(f"{what} must hold ints, got {v!r}")
    return tuple(int(v) for v in out)


def int_pairs(value: Any, what: str) -> tuple[tuple[int, int], ...]:
    if isinstance(value, torch.Tensor):
        value = value.tolist()
    out = tuple(ints(p, what) for p in value)
    if any(len(p) != 2 for p in out):
        raise ValueError(f"{what} must hold (a, b) pairs")
    return out  # type: ignore[return-value]


def count(value: Any, what: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{what} must be an int, got {value!r}")
    if not minimum <= value <= MAX_INT:
        raise ValueError(f"{what} must be in [{minimum}, 2**63), got {value if value < 10**20 else 'a huge number'}")
    return int(value)


def interaction_count(n: int, orders: tuple[int, int]) -> int:
    """The number of coalitions T of n players with orders[0] <= |T| <= orders[1]."""
    return sum(math.comb(n, t) for t in range(orders[0], orders[1] + 1))


def _shape_ok(index: str, shape: tuple[int, ...], n: int) -> bool:
    if index in ("k-SII", "STII", "FSII", "FBII", "Co-Moebius"):
        return False  # only as [m] interaction values (with orders)
    if index in ("SV", "BV"):
        return shape == (n,)
    if index == "Moebius":
        return n <= 62 and shape == (1 << n,)
    if index == "R":
        return 2 <= n <= 64 and shape == (1 << (n - 2),)
    if index == "J":
        return shape == (n - 1,)
    if index in _SCALAR:
        return shape == ()
    if index in _PAIR:
        return len(shape) <= 1 or (index != "RII" and shape == (n, n))
    if index == "SII-order":
        return len(shape) <= 1
    return False


# -- each field on its own (the checks the fields of Result declare) ------------------------------
def known_index(r: "Result", name: str, value: Any) -> str:
    if not isinstance(value, str) or value not in INDICES:
        raise ValueError(f"unknown index {value!r}; known: {sorted(INDICES)}")
    return value


def real_tensor(r: "Result", name: str, value: Any) -> torch.Tensor:
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a tensor, got {type(value).__name__}")
    if value.is_complex() or not value.is_floating_point():
        raise TypeError(f"{name} must be a real floating-point tensor, got {value.dtype}")
    dense_data(value, name)
    return value.detach()


def player_count(r: "Result", name: str, value: Any) -> int:
    return count(value, name, minimum=1)


def row_count(r: "Result", name: str, value: Any) -> int:
    return count(value, name)


def an_estimator(r: "Result", name: str, value: Any) -> Estimator:
    if not isinstance(value, Estimator):
        raise TypeError(f"{name} must be an Estimator, got {type(value).__name__}")
    return value


def standard_errors(r: "Result", name: str, value: Any) -> Optional[torch.Tensor]:
    if value is None:
        return None
    if not isinstance(value, torch.Tensor) or value.is_complex() or not value.is_floating_point():
        raise TypeError(f"{name} must be None or a real floating-point tensor")
    dense_data(value, name)
    if bool((value < 0).any()):
        raise ValueError(f"{name} has negative entries (e.g. {float(value[value < 0][0])}); "
                         "standard errors are >= 0 (NaN where not estimated)")
    return value.detach()


def player_set(r: "Result", name: str, value: Any) -> tuple[int, ...]:
    """Distinct players of the game."""
    got, n = ints(value, name), r.n_players
    bad = [p for p in got if not 0 <= p < n]
    if bad:
        raise ValueError(f"{name} {bad} are out of range for {n} players")
    if len(set(got)) != len(got):
        raise ValueError(f"{name} repeats players")
    return got


def optional_pairs(r: "Result", name: str, value: Any) -> Optional[tuple[tuple[int, int], ...]]:
    """None or pairs (i, j) of two different players of the game."""
    if value is None:
        return None
    pairs, n = int_pairs(value, name), r.n_players
    for a, b in pairs:
        if not (0 <= a < n and 0 <= b < n) or a == b:
            raise ValueError(f"pair {(a, b)} is not two different players of {n}")
    return pairs


def optional_size_ranges(r: "Result", name: str, value: Any) -> Optional[tuple[tuple[int, int], ...]]:
    """None or context-size ranges (a, b) with 0 <= a <= b <= n - 2."""
    if value is None:
        return None
    sizes, n = int_pairs(value, name), r.n_players
    for a, b in sizes:
        if not 0 <= a <= b <= max(n - 2, 0):
            raise ValueError(f"size range {(a, b)} is not 0 <= a <= b <= n - 2 = {n - 2}")
    return sizes


def optional_labels(r: "Result", name: str, value: Any) -> Optional[tuple[str, ...]]:
    """None or one string per player."""
    if value is None:
        return None
    labels, n = (tuple(value) if not isinstance(value, str) else ()), r.n_players
    if len(labels) != n or not all(isinstance(w, str) for w in labels):
        raise ValueError(f"{name} must be {n} strings, one per player")
    return labels


def optional_grid(r: "Result", name: str, value: Any) -> Optional[tuple[int, ...]]:
    """None or (rows, cols) holding the n players."""
    if value is None:
        return None
    grid, n = ints(value, name), r.n_players
    if len(grid) != 2 or min(grid) < 1 or grid[0] * grid[1] != n:
        raise ValueError(f"{name} {grid} does not hold {n} players")
    return grid


def optional_instance(cls: type) -> Callable[["Result", str, Any], Any]:
    """The check of a field that is None or a ``cls``."""
    def none_or_instance(r: "Result", name: str, value: Any) -> Any:
        if value is not None and not isinstance(value, cls):
            raise TypeError(f"{name} must be a {cls.__name__}")
        return value

    return none_or_instance


def optional_orders(r: "Result", name: str, value: Any) -> Optional[tuple[int, ...]]:
    """None or (min_order, max_order) with 0 <= min <= max <= n (n <= 62)."""
    if value is None:
        return None
    orders, n = ints(value, name), r.n_players
    if len(orders) != 2 or not 0 <= orders[0] <= orders[1] <= n or n > 62:
        raise ValueError(f"{name} {orders} are not (min_order, max_order) with 0 <= min <= max <= n = {n} (n <= 62)")
    return orders


def optional_number(r: "Result", name: str, value: Any) -> Optional[float]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number, got {value!r}")
    return float(value)


# -- the result as a whole ------------------------------------------------------------------------
def check(r: "Result", put: Callable[[str, Any], None]) -> None:
    """Validates (and normalises through ``put``) every field of ``r``: first each field on its own
    with the check it declares (:func:`~.schema.schema_field`), in the order declared, then how the
    fields fit together (the values' shape for the index, the invariants of matrices and T([A]),
    which fields belong to which index)."""
    for name, schema in schema_fields(r):
        if schema.check is None:
            raise TypeError(f"the field {name!r} of {type(r).__name__} declares no check (see schema_field)")
        put(name, schema.check(r, name, getattr(r, name)))
    _check_fit(r)


def _check_fit(r: "Result") -> None:
    """How the (each already valid) fields of ``r`` fit together."""
    n, shape = r.n_players, tuple(r.values.shape)
    budget = getattr(r.estimator, "budget", None)
    if isinstance(budget, int) and r.evaluations > budget:
        raise ValueError(f"evaluations = {r.evaluations} exceed the budget = {budget} of the estimator "
                         f"{type(r.estimator).name!r} (a result never evaluates more rows than its budget)")
    _check_orders(r)
    if r.orders is not None:
        if shape != (interaction_count(n, r.orders),):
            raise ValueError(f"values of shape {list(shape)} do not fit {r.index!r} interaction values of orders "
                             f"{r.orders} with {n} players ({interaction_count(n, r.orders)} coalitions)")
    elif not _shape_ok(r.index, shape, n):
        raise ValueError(f"values of shape {list(shape)} do not fit index {r.index!r} with {n} players "
                         f"({INDICES[r.index]})")
    if r.stderr is not None:
        if tuple(r.stderr.shape) != shape:
            raise ValueError(f"stderr has shape {list(r.stderr.shape)}, values {list(shape)}")
        if r.stderr.device != r.values.device:
            raise ValueError(f"stderr is on {r.stderr.device}, values on {r.values.device}")
    _check_matrix(r, shape, n)
    if set(r.players) & set(r.absent):
        raise ValueError("players and absent share players")
    _check_pairs(r, shape)
    _check_sizes(r, shape)
    _check_partitions(r)


def _check_orders(r: "Result") -> None:
    if r.orders is None:
        if r.baseline_value is not None:
            raise ValueError("baseline_value belongs to interaction values (with orders)")
        return
    if r.index not in INTERACTION_INDICES:
        raise ValueError(f"orders belong to interaction values ({', '.join(INTERACTION_INDICES)}), not to {r.index!r}")
    if r.pairs is not None or r.sizes is not None or r.partitions is not None:
        raise ValueError("interaction values have no pairs, sizes or partitions")


def _check_matrix(r: "Result", shape: tuple[int, ...], n: int) -> None:
    """An [n, n] SII/BII matrix is symmetric (NaN where not estimated, mirrored) with a zero diagonal."""
    if r.index not in ("SII", "BII") or shape != (n, n) or r.values.is_meta:
        return
    v = r.values.detach().double()
    nan = v.isnan()
    diagonal = v.diagonal()
    if bool((~diagonal.isnan() & (diagonal != 0)).any()):
        raise ValueError(f"an {r.index!r} matrix has a zero diagonal (I(i, i) is not an interaction), "
                         f"got {diagonal[~diagonal.isnan() & (diagonal != 0)][0].item()}")
    t = v.t()
    if bool((nan != nan.t()).any()) or not bool(torch.isclose(v[~nan], t[~nan], rtol=1e-5, atol=1e-8).all()):
        raise ValueError(f"an {r.index!r} matrix must be symmetric (I(i, j) = I(j, i), NaN mirrored)")


def _check_pairs(r: "Result", shape: tuple[int, ...]) -> None:
    if r.pairs is None:
        if r.index in _PAIR and len(shape) == 1 and r.orders is None:
            raise ValueError(f"a [P] {r.index!r} result needs its pairs")
        return
    if r.index not in _PAIR:
        raise ValueError(f"pairs belong to pair results ({', '.join(_PAIR)}), not to {r.index!r}")
    if len(shape) == 1 and len(r.pairs) != shape[0]:
        raise ValueError(f"{len(r.pairs)} pairs for {shape[0]} values")
    if len(shape) == 0 and len(r.pairs) != 1:
        raise ValueError(f"a single pair interaction has one pair, got {len(r.pairs)}")


def _check_sizes(r: "Result", shape: tuple[int, ...]) -> None:
    if r.sizes is None:
        if r.index == "SII-order":
            raise ValueError("an 'SII-order' result needs the sizes of its values")
        return
    if r.index != "SII-order":
        raise ValueError(f"sizes belong to 'SII-order' results, not to {r.index!r}")
    if len(r.sizes) != (shape[0] if shape else 1):
        raise ValueError(f"{len(r.sizes)} size ranges for {shape[0] if shape else 1} values")


def _check_partitions(r: "Result") -> None:
    if r.partitions is None:
        if r.index == "T":
            raise ValueError("a 'T' result needs its partitions (B_max, B_min and where they are reached)")
        if r.search is not None:
            raise ValueError("search belongs to T([A]) results with partitions")
        return
    if r.index != "T":
        raise ValueError(f"partitions belong to 'T' results, not to {r.index!r}")
    for name in ("max_partition", "min_partition"):
        flat = sorted(p for block in getattr(r.partitions, name) for p in block)
        if flat != sorted(r.players):
            raise ValueError(f"{name} {getattr(r.partitions, name)} is not a partition of A = {list(r.players)}")
    p = r.partitions
    if p.b_max is not None and p.b_min is not None and not r.values.is_meta:
        t, expect = float(r.values), p.b_max - p.b_min
        eps = 1e-9 if r.values.dtype == torch.float64 else 8 * torch.finfo(r.values.dtype).eps
        if not abs(t - expect) <= eps * (1 + abs(p.b_max) + abs(p.b_min)):  # NaN fails too
            raise ValueError(f"T = {t} is not b_max - b_min = {p.b_max} - {p.b_min} = {expect}")
    if r.search is not None and len(r.search.p_max) != len(r.players) - 1:
        raise ValueError(f"search has {len(r.search.p_max)} probabilities for the "
                         f"{len(r.players) - 1} gaps of A")
