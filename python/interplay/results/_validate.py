"""The checks of :class:`~interplay.results.Result`: every field's type and range, and the shape of
the values each index allows, so that a result built by hand, unpickled or loaded from a tampered
file is either consistent or a ValueError / TypeError naming the problem."""
from __future__ import annotations

import math
import numbers
from typing import TYPE_CHECKING, Any, Callable

import torch

from ..methods import Estimator
from .partitions import Partitions, PartitionSearch

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


def check(r: "Result", put: Callable[[str, Any], None]) -> None:
    """Validates (and normalises through ``put``) every field of ``r``."""
    if not isinstance(r.index, str) or r.index not in INDICES:
        raise ValueError(f"unknown index {r.index!r}; known: {sorted(INDICES)}")
    if not isinstance(r.values, torch.Tensor):
        raise TypeError(f"values must be a tensor, got {type(r.values).__name__}")
    if r.values.is_complex() or not r.values.is_floating_point():
        raise TypeError(f"values must be a real floating-point tensor, got {r.values.dtype}")
    put("values", r.values.detach())
    n = count(r.n_players, "n_players", minimum=1)
    if not isinstance(r.estimator, Estimator):
        raise TypeError(f"estimator must be an Estimator, got {type(r.estimator).__name__}")
    evaluations = count(r.evaluations, "evaluations")
    budget = getattr(r.estimator, "budget", None)
    if isinstance(budget, int) and evaluations > budget:
        raise ValueError(f"evaluations = {evaluations} exceed the budget = {budget} of the estimator "
                         f"{type(r.estimator).name!r} (a result never evaluates more rows than its budget)")
    shape = tuple(r.values.shape)
    _check_orders(r, put, n)
    if r.orders is not None:
        if shape != (interaction_count(n, r.orders),):
            raise ValueError(f"values of shape {list(shape)} do not fit {r.index!r} interaction values of orders "
                             f"{r.orders} with {n} players ({interaction_count(n, r.orders)} coalitions)")
    elif not _shape_ok(r.index, shape, n):
        raise ValueError(f"values of shape {list(shape)} do not fit index {r.index!r} with {n} players "
                         f"({INDICES[r.index]})")
    if r.stderr is not None:
        if not isinstance(r.stderr, torch.Tensor) or r.stderr.is_complex() or not r.stderr.is_floating_point():
            raise TypeError("stderr must be None or a real floating-point tensor")
        if tuple(r.stderr.shape) != shape:
            raise ValueError(f"stderr has shape {list(r.stderr.shape)}, values {list(shape)}")
        if r.stderr.device != r.values.device:
            raise ValueError(f"stderr is on {r.stderr.device}, values on {r.values.device}")
        if bool((r.stderr < 0).any()):
            raise ValueError(f"stderr has negative entries (e.g. {float(r.stderr[r.stderr < 0][0])}); "
                             "standard errors are >= 0 (NaN where not estimated)")
        put("stderr", r.stderr.detach())
    _check_matrix(r, shape, n)
    for name in ("players", "absent"):
        got = ints(getattr(r, name), name)
        bad = [p for p in got if not 0 <= p < n]
        if bad:
            raise ValueError(f"{name} {bad} are out of range for {n} players")
        if len(set(got)) != len(got):
            raise ValueError(f"{name} repeats players")
        put(name, got)
    if set(r.players) & set(r.absent):
        raise ValueError("players and absent share players")
    _check_pairs(r, put, n, shape)
    _check_sizes(r, put, n, shape)
    if r.labels is not None:
        labels = tuple(r.labels) if not isinstance(r.labels, str) else ()
        if len(labels) != n or not all(isinstance(w, str) for w in labels):
            raise ValueError(f"labels must be {n} strings, one per player")
        put("labels", labels)
    if r.grid is not None:
        grid = ints(r.grid, "grid")
        if len(grid) != 2 or min(grid) < 1 or grid[0] * grid[1] != n:
            raise ValueError(f"grid {grid} does not hold {n} players")
        put("grid", grid)
    _check_partitions(r)


def _check_orders(r: "Result", put: Callable[[str, Any], None], n: int) -> None:
    if r.orders is None:
        if r.baseline_value is not None:
            raise ValueError("baseline_value belongs to interaction values (with orders)")
        return
    if r.index not in INTERACTION_INDICES:
        raise ValueError(f"orders belong to interaction values ({', '.join(INTERACTION_INDICES)}), not to {r.index!r}")
    orders = ints(r.orders, "orders")
    if len(orders) != 2 or not 0 <= orders[0] <= orders[1] <= n or n > 62:
        raise ValueError(f"orders {orders} are not (min_order, max_order) with 0 <= min <= max <= n = {n} (n <= 62)")
    put("orders", orders)
    if r.pairs is not None or r.sizes is not None or r.partitions is not None:
        raise ValueError("interaction values have no pairs, sizes or partitions")
    if r.baseline_value is not None:
        if isinstance(r.baseline_value, bool) or not isinstance(r.baseline_value, numbers.Real):
            raise ValueError(f"baseline_value must be a number, got {r.baseline_value!r}")
        put("baseline_value", float(r.baseline_value))


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


def _check_pairs(r: "Result", put: Callable[[str, Any], None], n: int, shape: tuple[int, ...]) -> None:
    if r.pairs is None:
        if r.index in _PAIR and len(shape) == 1 and r.orders is None:
            raise ValueError(f"a [P] {r.index!r} result needs its pairs")
        return
    if r.index not in _PAIR:
        raise ValueError(f"pairs belong to pair results ({', '.join(_PAIR)}), not to {r.index!r}")
    pairs = int_pairs(r.pairs, "pairs")
    for a, b in pairs:
        if not (0 <= a < n and 0 <= b < n) or a == b:
            raise ValueError(f"pair {(a, b)} is not two different players of {n}")
    if len(shape) == 1 and len(pairs) != shape[0]:
        raise ValueError(f"{len(pairs)} pairs for {shape[0]} values")
    if len(shape) == 0 and len(pairs) != 1:
        raise ValueError(f"a single pair interaction has one pair, got {len(pairs)}")
    put("pairs", pairs)


def _check_sizes(r: "Result", put: Callable[[str, Any], None], n: int, shape: tuple[int, ...]) -> None:
    if r.sizes is None:
        if r.index == "SII-order":
            raise ValueError("an 'SII-order' result needs the sizes of its values")
        return
    if r.index != "SII-order":
        raise ValueError(f"sizes belong to 'SII-order' results, not to {r.index!r}")
    sizes = int_pairs(r.sizes, "sizes")
    for a, b in sizes:
        if not 0 <= a <= b <= max(n - 2, 0):
            raise ValueError(f"size range {(a, b)} is not 0 <= a <= b <= n - 2 = {n - 2}")
    if len(sizes) != (shape[0] if shape else 1):
        raise ValueError(f"{len(sizes)} size ranges for {shape[0] if shape else 1} values")
    put("sizes", sizes)


def _check_partitions(r: "Result") -> None:
    if r.partitions is None:
        if r.index == "T":
            raise ValueError("a 'T' result needs its partitions (B_max, B_min and where they are reached)")
        if r.search is not None:
            raise ValueError("search belongs to T([A]) results with partitions")
        return
    if not isinstance(r.partitions, Partitions):
        raise TypeError("partitions must be a Partitions")
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
    if r.search is not None:
        if not isinstance(r.search, PartitionSearch):
            raise TypeError("search must be a PartitionSearch")
        if len(r.search.p_max) != len(r.players) - 1:
            raise ValueError(f"search has {len(r.search.p_max)} probabilities for the "
                             f"{len(r.players) - 1} gaps of A")
