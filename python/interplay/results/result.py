"""The one result type of interplay: values of an index with their provenance.

In the spirit of shapiq's ``InteractionValues``: a :class:`Result` says which index it holds
(``"SV"``, ``"SII"``, ``"T"``, ... see :data:`INDICES`), which players the values are about,
the values and their standard errors, what they cost (``evaluations``: rows the game really
evaluated) and the estimator object that produced them, plus typed fields for what pictures need
(the game's ``labels`` and ``grid``, T([A])'s ``partitions``, the learned ``search``).

A result is not a tensor, but torch functions take it as one (``torch.allclose(r, x)``,
``torch.stack([r1, r2])``) through the ``__torch_function__`` protocol, ``torch.as_tensor`` /
``torch.tensor`` / ``torch.from_dlpack`` through DLPack (``as_tensor`` shares the values' memory,
dtype and device), NumPy through ``__array__``; indexing gives plain tensors.

Arithmetic with numbers keeps the metadata (``2 * r`` scales the stderr too), and so does
``r1 + r2`` / ``r1 - r2`` of results of the same index, players and estimator (stderrs add in
quadrature, evaluations add and so do the estimator's budgets, the cap on those evaluations
together; labels and grid are kept where both results have the same ones). Two results that are
not about the same thing (another index, n_players, players, pairs, absent players, size ranges
or orders, the fields declared ``kind``, or another shape) are never combined: ``r1 + r2``,
``r1 * r2``, ``torch.add(r1, r2)``, ``torch.sub`` / ``mul`` / ``div`` raise a ValueError naming
the mismatch. Everything else gives a plain tensor: results of the same kind from different
estimators (e.g. exact minus an estimate), products and quotients of results, T([A]) results
(T = B_max - B_min of their partitions would no longer hold), and any arithmetic whose result
would break its index's invariant, i.e. fail validation (``matrix + 1`` or ``1 - matrix`` of an
SII matrix, whose diagonal is zero).

Results pickle, load with ``torch.load`` at its defaults, save as standard JSON (``save`` /
``load`` / ``to_dict``), show as HTML in a notebook and draw with ``.plot()``. What is saved,
pickled, validated and compared comes from the fields' declarations (:mod:`.schema`).
"""
from __future__ import annotations

import dataclasses
import numbers
from dataclasses import dataclass
from typing import Any, Iterator, Optional

import torch

from ..methods import Estimator
from ._validate import (INDICES, an_estimator, check, known_index, optional_grid, optional_instance, optional_labels,
                        optional_number, optional_orders, optional_pairs, optional_size_ranges, player_count,
                        player_set, real_tensor, row_count, standard_errors)
from .coalitions import InteractionLookup
from .partitions import Partition, Partitions, PartitionSearch
from .schema import Encoding, kind_names, schema_field
from .serialize import Persisted

# torch functions (and Tensor methods, in-place ones included) checked like r1 + r2
_BINARY = {"add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "floor_divide", "rsub",
           "radd", "rmul", "rdiv", "rtruediv", "iadd", "isub", "imul", "idiv", "itruediv"}
# every other torch function that combines two or more results into one tensor; comparisons
# (equal, allclose, isclose, eq, ...) are not here: they work between any results
_COMBINING = _BINARY | {"stack", "cat", "concat", "concatenate", "hstack", "vstack", "dstack", "column_stack",
                        "row_stack", "maximum", "minimum", "fmax", "fmin", "pow", "float_power", "hypot", "atan2",
                        "arctan2", "remainder", "fmod", "lerp", "where", "dot", "vdot", "inner", "ipow"}


def _results_in(obj: Any) -> list:
    """The results in obj, a function argument (lists and tuples searched, as torch.stack's tensors)."""
    if isinstance(obj, Result):
        return [obj]
    if isinstance(obj, (list, tuple)):
        return [r for o in obj for r in _results_in(o)]
    return []


def _unwrap(obj: Any) -> Any:
    if isinstance(obj, Result):
        return obj.values
    if isinstance(obj, (list, tuple)):
        return type(obj)(_unwrap(o) for o in obj)
    if isinstance(obj, dict):
        return {k: _unwrap(v) for k, v in obj.items()}
    return obj


@dataclass(frozen=True, eq=False, repr=False)
class Result(Persisted, InteractionLookup):
    """Values of one index and their provenance (see the module doc).

    Fields:
        index: what the values are (a key of :data:`INDICES`).
        values: the values, a tensor (shape per index; NaN marks an entry not estimated).
        n_players: n, the players of the game.
        estimator: the :class:`~interplay.Estimator` that produced the values.
        evaluations: rows the game really evaluated for them (0 when its table was cached).
        stderr: standard errors, same shape as ``values`` (None: exact).
        players: the players the values are about (all n for player values and matrices, the
            pair for one interaction, A for B([A]) and T([A]), C for φ([C]|N_C)).
        pairs: the pairs of a ``[P]`` pair result, or the pairs estimated in a matrix.
        absent: players held at the baseline (φ([C]|N_C); I(A') has A ∖ A').
        sizes: the context-size ranges (a, b) of the entries of a multi-order result.
        labels: the game's player names (e.g. the words of a sentence).
        grid: the game's player grid (rows, cols), players in row-major order.
        partitions: T([A])'s partitions at B_max and B_min.
        search: the learned partition search's probabilities and trajectories.
        orders: (min_order, max_order) of interaction values (:func:`interplay.interaction_values`):
            the values are then ``[m]``, one per coalition T with min_order <= |T| <= max_order, in
            shapiq's order (:attr:`interactions`; :meth:`get` reads one).
        baseline_value: shapiq's ``baseline_value`` of interaction values: v(∅) of the game (FBII:
            its fitted intercept, as shapiq's ExactComputer).
    """

    # Each field's schema_field declares how it is saved and pickled, whether two results must share
    # it to be combined (kind) and its check (see .schema): nothing else lists the fields.
    index: str = schema_field(kind=True, check=known_index)
    values: torch.Tensor = schema_field(encoding=Encoding.TENSOR, check=real_tensor)
    n_players: int = schema_field(kind=True, check=player_count)
    estimator: Estimator = schema_field(encoding=Encoding.ESTIMATOR, check=an_estimator)
    evaluations: int = schema_field(default=0, check=row_count)
    stderr: Optional[torch.Tensor] = schema_field(default=None, encoding=Encoding.TENSOR, check=standard_errors)
    players: tuple[int, ...] = schema_field(default=(), kind=True, check=player_set)
    pairs: Optional[tuple[tuple[int, int], ...]] = schema_field(default=None, kind=True, check=optional_pairs)
    absent: tuple[int, ...] = schema_field(default=(), kind=True, check=player_set)
    sizes: Optional[tuple[tuple[int, int], ...]] = schema_field(default=None, kind=True, check=optional_size_ranges)
    labels: Optional[tuple[str, ...]] = schema_field(default=None, check=optional_labels)
    grid: Optional[tuple[int, int]] = schema_field(default=None, check=optional_grid)
    partitions: Optional[Partitions] = schema_field(default=None, encoding=Encoding.NESTED, nested=Partitions,
                                                    check=optional_instance(Partitions))
    search: Optional[PartitionSearch] = schema_field(default=None, encoding=Encoding.NESTED, nested=PartitionSearch,
                                                     check=optional_instance(PartitionSearch))
    orders: Optional[tuple[int, int]] = schema_field(default=None, kind=True, check=optional_orders)
    baseline_value: Optional[float] = schema_field(default=None, encoding=Encoding.NUMBERS, check=optional_number)

    def __post_init__(self) -> None:
        check(self, lambda name, value: object.__setattr__(self, name, value))

    # -- a tensor to torch and NumPy -----------------------------------------------------------------
    @classmethod
    def __torch_function__(cls, func: Any, types: Any, args: tuple = (), kwargs: Optional[dict] = None) -> Any:
        if getattr(func, "__name__", "").lstrip("_").rstrip("_") in _COMBINING:
            operands = _results_in((*args, *(kwargs or {}).values()))
            for other in operands[1:]:
                operands[0]._check_matches(other)
        return func(*_unwrap(args), **_unwrap(kwargs or {}))

    def __array__(self, dtype: Any = None, copy: Optional[bool] = None) -> Any:
        """The values as a NumPy array, by NumPy's protocol: ``np.asarray(r)`` shares the memory of
        values on the CPU (as ``Tensor.numpy()``), ``np.array(r)`` (``copy=True``) is a copy, and
        ``copy=False`` refuses (ValueError) where a copy is needed (values on a GPU, another dtype)."""
        values = self.values.detach()
        array = values.cpu().numpy()
        shared = values.device.type == "cpu"
        if dtype is not None:
            cast = array.astype(dtype, copy=False)
            shared = shared and cast is array
            array = cast
        if copy is False and not shared:
            raise ValueError(f"the values ({values.dtype} on {values.device}) need a copy to be a NumPy array "
                             f"of {array.dtype}, and copy=False was asked")
        return array.copy() if copy and shared else array

    def __dlpack__(self, *args: Any, **kwargs: Any) -> Any:
        """The values by DLPack (any arguments of ``Tensor.__dlpack__``): ``torch.as_tensor(r)``,
        ``torch.tensor(r)``, ``torch.asarray(r)``, ``torch.from_dlpack(r)`` and ``np.from_dlpack(r)``
        take a result as its values, on their device (CUDA streams handled by torch)."""
        return self.values.__dlpack__(*args, **kwargs)

    def __dlpack_device__(self) -> tuple:
        return self.values.__dlpack_device__()

    @property
    def shape(self) -> torch.Size:
        return self.values.shape

    @property
    def dtype(self) -> torch.dtype:
        return self.values.dtype

    @property
    def device(self) -> torch.device:
        return self.values.device

    @property
    def method(self) -> str:
        """The estimator's registered name."""
        return type(self.estimator).name

    def __getattr__(self, name: str) -> Any:
        """A public ``torch.Tensor`` method that Result does not define (``sum``, ``mean``, ``topk``,
        ``argmax``, …) applies to the values and gives what it gives a tensor (plain tensors)."""
        if name.startswith("_") or not callable(getattr(torch.Tensor, name, None)) or "values" not in self.__dict__:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return getattr(self.values, name)

    def dim(self) -> int:
        return self.values.dim()

    def numel(self) -> int:
        return self.values.numel()

    def item(self) -> float:
        return self.values.item()

    def tolist(self) -> Any:
        return self.values.tolist()

    def numpy(self) -> Any:
        return self.__array__()

    def to(self, *args: Any, **kwargs: Any) -> "Result":
        """A copy with values (and stderr) moved or cast like ``Tensor.to``."""
        stderr = None if self.stderr is None else self.stderr.to(*args, **kwargs)
        return dataclasses.replace(self, values=self.values.to(*args, **kwargs), stderr=stderr)

    def cpu(self) -> "Result":
        return self.to("cpu")

    def __len__(self) -> int:
        return len(self.values)

    def __iter__(self) -> Iterator[torch.Tensor]:
        return iter(self.values)

    def __getitem__(self, key: Any) -> torch.Tensor:
        return self.values[key]

    def __float__(self) -> float:
        return float(self.values)

    def __bool__(self) -> bool:
        return bool(self.values)

    # -- arithmetic --------------------------------------------------------------------------------
    def _check_matches(self, other: "Result") -> None:
        """Refuses (ValueError) to combine two results that are not about the same thing: they must
        share every field declared ``kind`` and the values' shape (compared last)."""
        for name in (*kind_names(type(self)), "shape"):
            mine, theirs = getattr(self, name), getattr(other, name)
            if mine != theirs:
                raise ValueError(f"cannot combine results with different {name} ({mine!r} and {theirs!r}): "
                                 "they are not values of the same thing")

    def _rebuilt(self, **changes: Any) -> Any:
        """This result with ``changes`` (new ``values`` among them), or the new values alone, a plain
        tensor, where that result would fail validation: the values broke the index's invariant
        (e.g. an SII matrix plus 1 no longer has a zero diagonal)."""
        try:
            return dataclasses.replace(self, **changes)
        except ValueError:
            return changes["values"]

    def _combine(self, other: Any, sign: float) -> Any:
        if other is self:  # one run with itself: r + r is 2 r (its stderr doubles, its evaluations do not)
            return self._scale(1.0 + sign)
        if isinstance(other, Result):
            self._check_matches(other)
        if self.partitions is not None:  # B_max - B_min = T would no longer hold
            return self.values + sign * _unwrap(other)
        if isinstance(other, numbers.Real) and not isinstance(other, bool):
            return self._rebuilt(values=self.values + sign * other)
        if isinstance(other, Result) and self.estimator == other.estimator:
            if self.stderr is None and other.stderr is None:
                stderr = None
            else:
                zero = torch.zeros_like(self.values)
                a = self.stderr if self.stderr is not None else zero
                b = other.stderr if other.stderr is not None else zero
                stderr = (a * a + b * b).sqrt()
            estimator = self.estimator  # two runs of budget B: a cap of 2B on their evaluations together
            if isinstance(getattr(estimator, "budget", None), int):
                estimator = estimator.replace(budget=estimator.budget + other.estimator.budget)
            return self._rebuilt(values=self.values + sign * other.values, stderr=stderr,
                                 evaluations=self.evaluations + other.evaluations, search=None, estimator=estimator,
                                 labels=self.labels if self.labels == other.labels else None,
                                 grid=self.grid if self.grid == other.grid else None)
        return self.values + sign * _unwrap(other)

    def _scale(self, factor: float) -> Any:
        if self.partitions is not None:  # B_max - B_min = T would no longer hold
            return self.values * factor
        stderr = None if self.stderr is None else self.stderr * abs(factor)
        return self._rebuilt(values=self.values * factor, stderr=stderr)

    def __add__(self, other: Any) -> Any:
        return self._combine(other, 1.0)

    __radd__ = __add__

    def __sub__(self, other: Any) -> Any:
        return self._combine(other, -1.0)

    def __rsub__(self, other: Any) -> Any:
        if isinstance(other, Result):
            return other._combine(self, -1.0)
        return -self + other  # -self: a plain tensor where negating breaks the invariant (T([A]))

    def __neg__(self) -> Any:
        return self._scale(-1.0)

    def __mul__(self, other: Any) -> Any:
        if isinstance(other, numbers.Real) and not isinstance(other, bool):
            return self._scale(float(other))
        if isinstance(other, Result):
            self._check_matches(other)
        return self.values * _unwrap(other)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Any:
        if isinstance(other, numbers.Real) and not isinstance(other, bool):
            return self._scale(1.0 / float(other))
        if isinstance(other, Result):
            self._check_matches(other)
        return self.values / _unwrap(other)

    def __rtruediv__(self, other: Any) -> torch.Tensor:
        if isinstance(other, Result):
            self._check_matches(other)
        return _unwrap(other) / self.values

    def __abs__(self) -> torch.Tensor:
        return self.values.abs()

    def __lt__(self, other: Any) -> torch.Tensor:
        return self.values < _unwrap(other)

    def __le__(self, other: Any) -> torch.Tensor:
        return self.values <= _unwrap(other)

    def __gt__(self, other: Any) -> torch.Tensor:
        return self.values > _unwrap(other)

    def __ge__(self, other: Any) -> torch.Tensor:
        return self.values >= _unwrap(other)

    # -- T([A]) ------------------------------------------------------------------------------------
    def _partitions(self) -> Partitions:
        if self.partitions is None:
            raise AttributeError(f"a {self.index!r} result has no partitions (only T([A]) results do)")
        return self.partitions

    @property
    def max_partition(self) -> Partition:
        """The partition of A at B_max (T([A]) results)."""
        return self._partitions().max_partition

    @property
    def min_partition(self) -> Partition:
        """The partition of A at B_min (T([A]) results)."""
        return self._partitions().min_partition

    @property
    def b_max(self) -> float:
        return self._partitions().b_max

    @property
    def b_min(self) -> float:
        return self._partitions().b_min

    # -- presentation and files ----------------------------------------------------------------------
    def __repr__(self) -> str:
        head = f"Result(index={self.index!r}, n_players={self.n_players}, estimator={self.estimator!r}, " \
               f"evaluations={self.evaluations}"
        if self.players and len(self.players) < self.n_players:
            head += f", players={list(self.players)}"
        if self.orders is not None:
            head += f", orders={self.orders}"
        if self.partitions is not None:
            p = self.partitions
            head += f", b_max={p.b_max:.6g} at {list(p.max_partition)}, b_min={p.b_min:.6g} at {list(p.min_partition)}"
        body = repr(self.values)
        if self.stderr is not None:
            body += "\nstderr: " + repr(self.stderr)
        return head + ")\n" + body

    def _repr_html_(self) -> str:
        from .html import result_html

        return result_html(self)

    def plot(self, kind: Optional[str] = None, **kwargs: Any) -> Any:
        """Draws the result with :func:`interplay.plots.plot_result`; returns the matplotlib Figure."""
        from ..plots import plot_result

        return plot_result(self, kind=kind, **kwargs)

    # -- pickle, copy, torch.save ----------------------------------------------------------------------
    def __reduce__(self) -> tuple:
        # plain tensors, strings and numbers under one allow-listed function: pickle, copy and
        # torch.load(weights_only=True) all rebuild it exactly (dtype and device kept)
        return rebuild_result, (self._state(),)


def rebuild_result(state: Any) -> Result:
    """Unpickles a :class:`Result` (allow-listed for ``torch.load(weights_only=True)``)."""
    return Result._from_state(state)


torch.serialization.add_safe_globals([rebuild_result])
