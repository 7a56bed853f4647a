"""The one result type of interplay: values of an index with their provenance.

In the spirit of shapiq's ``InteractionValues``: a :class:`Result` says which index it holds
(``"SV"``, ``"SII"``, ``"T"``, ... see :data:`INDICES`), which players the values are about,
the values and their standard errors, what they cost (``evaluations``: rows the game really
evaluated) and the estimator object that produced them, plus typed fields for what pictures need
(the game's ``labels`` and ``grid``, T([A])'s ``partitions``, the learned ``search``).

A result is not a tensor, but torch functions take it as one (``torch.allclose(r, x)``,
``torch.stack([r1, r2])``) through the ``__torch_function__`` protocol, NumPy through
``__array__``; indexing gives plain tensors. Arithmetic with numbers keeps the metadata
(``2 * r`` scales the stderr too), and so does ``r1 + r2`` / ``r1 - r2`` of results of the same
index, players and estimator (stderrs add in quadrature, evaluations add); anything else gives a
plain tensor. Results pickle, load with ``torch.load`` at its defaults, save as standard JSON
(``save`` / ``load`` / ``to_dict``), show as HTML in a notebook and draw with ``.plot()``.
"""
from __future__ import annotations

import dataclasses
import numbers
from dataclasses import dataclass
from typing import Any, Iterator, Optional

import torch

from ..estimators.base import Estimator
from .partitions import Partition, Partitions, PartitionSearch

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
}


def _ints(value: Any, what: str) -> tuple[int, ...]:
    try:
        out = tuple(value)
    except TypeError:
        raise TypeError(f"{what} must be a sequence of ints, got {type(value).__name__}") from None
    for v in out:
        if isinstance(v, bool) or not isinstance(v, numbers.Integral):
            raise TypeError(f"{what} must hold ints, got {v!r}")
    return tuple(int(v) for v in out)


def _pairs(value: Any, what: str) -> tuple[tuple[int, ...], ...]:
    out = tuple(_ints(p, what) for p in value)
    if any(len(p) != 2 for p in out):
        raise ValueError(f"{what} must hold (a, b) pairs")
    return out


def _unwrap(obj: Any) -> Any:
    if isinstance(obj, Result):
        return obj.values
    if isinstance(obj, (list, tuple)):
        return type(obj)(_unwrap(o) for o in obj)
    if isinstance(obj, dict):
        return {k: _unwrap(v) for k, v in obj.items()}
    return obj


@dataclass(frozen=True, eq=False, repr=False)
class Result:
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
    """

    index: str
    values: torch.Tensor
    n_players: int
    estimator: Estimator
    evaluations: int = 0
    stderr: Optional[torch.Tensor] = None
    players: tuple[int, ...] = ()
    pairs: Optional[tuple[tuple[int, int], ...]] = None
    absent: tuple[int, ...] = ()
    sizes: Optional[tuple[tuple[int, int], ...]] = None
    labels: Optional[tuple[str, ...]] = None
    grid: Optional[tuple[int, int]] = None
    partitions: Optional[Partitions] = None
    search: Optional[PartitionSearch] = None

    def __post_init__(self) -> None:
        def put(name: str, value: Any) -> None:
            object.__setattr__(self, name, value)

        if self.index not in INDICES:
            raise ValueError(f"unknown index {self.index!r}; known: {sorted(INDICES)}")
        if not isinstance(self.values, torch.Tensor):
            raise TypeError(f"values must be a tensor, got {type(self.values).__name__}")
        if self.values.is_complex() or not (self.values.is_floating_point()):
            raise TypeError(f"values must be a real floating-point tensor, got {self.values.dtype}")
        put("values", self.values.detach())
        if isinstance(self.n_players, bool) or not isinstance(self.n_players, int) or self.n_players < 1:
            raise ValueError(f"n_players must be a positive int, got {self.n_players!r}")
        if not isinstance(self.estimator, Estimator):
            raise TypeError(f"estimator must be an Estimator, got {type(self.estimator).__name__}")
        if isinstance(self.evaluations, bool) or not isinstance(self.evaluations, int) or self.evaluations < 0:
            raise ValueError(f"evaluations must be a non-negative int, got {self.evaluations!r}")
        if self.stderr is not None:
            if not isinstance(self.stderr, torch.Tensor) or not self.stderr.is_floating_point():
                raise TypeError("stderr must be None or a floating-point tensor")
            if self.stderr.shape != self.values.shape:
                raise ValueError(f"stderr has shape {list(self.stderr.shape)}, values {list(self.values.shape)}")
            put("stderr", self.stderr.detach())
        put("players", _ints(self.players, "players"))
        put("absent", _ints(self.absent, "absent"))
        for name in ("players", "absent"):
            bad = [p for p in getattr(self, name) if not 0 <= p < self.n_players]
            if bad:
                raise ValueError(f"{name} {bad} are out of range for {self.n_players} players")
        if self.pairs is not None:
            put("pairs", _pairs(self.pairs, "pairs"))
        if self.sizes is not None:
            put("sizes", _pairs(self.sizes, "sizes"))
        if self.labels is not None:
            labels = tuple(self.labels)
            if not all(isinstance(w, str) for w in labels) or len(labels) != self.n_players:
                raise ValueError(f"labels must be {self.n_players} strings, one per player")
            put("labels", labels)
        if self.grid is not None:
            grid = _ints(self.grid, "grid")
            if len(grid) != 2 or grid[0] * grid[1] != self.n_players:
                raise ValueError(f"grid {grid} does not hold {self.n_players} players")
            put("grid", grid)
        if self.partitions is not None and not isinstance(self.partitions, Partitions):
            raise TypeError("partitions must be a Partitions")
        if self.search is not None and not isinstance(self.search, PartitionSearch):
            raise TypeError("search must be a PartitionSearch")

    # -- a tensor to torch and NumPy -----------------------------------------------------------------
    @classmethod
    def __torch_function__(cls, func: Any, types: Any, args: tuple = (), kwargs: Optional[dict] = None) -> Any:
        return func(*_unwrap(args), **_unwrap(kwargs or {}))

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        array = self.values.detach().cpu().numpy()
        return array if dtype is None else array.astype(dtype)

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
    def _same_kind(self, other: "Result") -> bool:
        return (self.index, self.n_players, self.players, self.pairs, self.absent, self.sizes, self.estimator,
                self.values.shape) == (other.index, other.n_players, other.players, other.pairs, other.absent,
                                       other.sizes, other.estimator, other.values.shape)

    def _combine(self, other: Any, sign: float) -> Any:
        if isinstance(other, numbers.Real) and not isinstance(other, bool):
            return dataclasses.replace(self, values=self.values + sign * other)
        if isinstance(other, Result) and self._same_kind(other) and self.partitions is None:
            if self.stderr is None and other.stderr is None:
                stderr = None
            else:
                zero = torch.zeros_like(self.values)
                a = self.stderr if self.stderr is not None else zero
                b = other.stderr if other.stderr is not None else zero
                stderr = (a * a + b * b).sqrt()
            return dataclasses.replace(self, values=self.values + sign * other.values, stderr=stderr,
                                       evaluations=self.evaluations + other.evaluations, search=None)
        return self.values + sign * _unwrap(other)

    def _scale(self, factor: float) -> "Result":
        stderr = None if self.stderr is None else self.stderr * abs(factor)
        return dataclasses.replace(self, values=self.values * factor, stderr=stderr, partitions=None, search=None)

    def __add__(self, other: Any) -> Any:
        return self._combine(other, 1.0)

    __radd__ = __add__

    def __sub__(self, other: Any) -> Any:
        return self._combine(other, -1.0)

    def __rsub__(self, other: Any) -> Any:
        return (-self)._combine(other, 1.0)

    def __neg__(self) -> "Result":
        return self._scale(-1.0)

    def __mul__(self, other: Any) -> Any:
        if isinstance(other, numbers.Real) and not isinstance(other, bool):
            return self._scale(float(other))
        return self.values * _unwrap(other)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Any:
        if isinstance(other, numbers.Real) and not isinstance(other, bool):
            return self._scale(1.0 / float(other))
        return self.values / _unwrap(other)

    def __rtruediv__(self, other: Any) -> torch.Tensor:
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

    def to_dict(self) -> dict:
        """A JSON-ready dict (standard JSON: NaN and infinities become null)."""
        from .serialize import result_to_dict

        return result_to_dict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Result":
        """Inverse of :meth:`to_dict`; validates every field and rejects anything else."""
        from .serialize import result_from_dict

        return result_from_dict(data)

    def save(self, path: str) -> None:
        """Writes ``to_dict()`` as JSON (atomically: a temporary file renamed into place)."""
        from .serialize import save_json

        save_json(self.to_dict(), path)

    @classmethod
    def load(cls, path: str) -> "Result":
        from .serialize import load_json

        return cls.from_dict(load_json(path))

    def __reduce__(self) -> tuple:
        # plain tensors, strings and numbers under one allow-listed function: pickle, copy and
        # torch.load(weights_only=True) all rebuild it exactly (dtype and device kept)
        from .serialize import rebuild_result, result_state

        return rebuild_result, (result_state(self),)
