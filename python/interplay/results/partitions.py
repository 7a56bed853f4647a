"""Typed parts of a T([A]) result: the partitions that reach B_max and B_min (multivariate paper
Eq. 4-5) and, for the learned search (Eq. 7-9), what the search learned on the way."""
from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Optional, Sequence

from .schema import Encoding, schema_field

Partition = tuple[tuple[int, ...], ...]

FAMILIES = ("contiguous", "all")


def partition_from_labels(players: Sequence[int], labels: Sequence[int]) -> Partition:
    """Block labels (one per player of A, in order) to a partition: a tuple of blocks of players."""
    blocks: dict[int, list[int]] = {}
    for p, b in zip(players, labels):
        blocks.setdefault(int(b), []).append(int(p))
    return tuple(tuple(blocks[b]) for b in sorted(blocks))


def _partition(value: Sequence[Sequence[int]], what: str) -> Partition:
    try:
        blocks = tuple(tuple(block) for block in value)
    except TypeError:
        raise TypeError(f"{what} must be a sequence of blocks of player indices, got {value!r}") from None
    for block in blocks:
        for p in block:
            if isinstance(p, bool) or not isinstance(p, numbers.Integral) or p < 0:
                raise ValueError(f"{what} must hold player indices, got {p!r}")
    blocks = tuple(tuple(int(p) for p in block) for block in blocks)
    if any(len(block) == 0 for block in blocks):
        raise ValueError(f"{what} has an empty block")
    flat = [p for block in blocks for p in block]
    if len(set(flat)) != len(flat):
        raise ValueError(f"{what} repeats players")
    return blocks


def _float_or_none(value: Optional[float], what: str) -> Optional[float]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a float, got {type(value).__name__}")
    return float(value)


def _probabilities(value: Sequence[float], what: str) -> tuple[float, ...]:
    try:
        out = tuple(value)
    except TypeError:
        raise TypeError(f"{what} must be a sequence of probabilities, got {type(value).__name__}") from None
    if any(isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0.0 <= float(p) <= 1.0 for p in out):
        raise ValueError(f"{what} must hold probabilities in [0, 1], got {list(out)}")
    return tuple(float(p) for p in out)


@dataclass(frozen=True)
class Partitions:
    """The partitions of A at B_max and B_min (Eq. 4-5) and the values they reach.

    ``family``: ``"contiguous"`` (runs of neighbours of the ordered A) or ``"all"`` (every set
    partition); ``scored``: the partitions the exact method scored (0 for estimates);
    ``b_max_stderr`` / ``b_min_stderr``: standard errors of estimated B_max / B_min. The numbers are
    declared :attr:`~.schema.Encoding.NUMBERS` (NaN and ±inf survive JSON files).
    """

    family: str
    b_max: float = schema_field(encoding=Encoding.NUMBERS)
    b_min: float = schema_field(encoding=Encoding.NUMBERS)
    max_partition: Partition
    min_partition: Partition
    scored: int = 0
    b_max_stderr: Optional[float] = schema_field(encoding=Encoding.NUMBERS, default=None)
    b_min_stderr: Optional[float] = schema_field(encoding=Encoding.NUMBERS, default=None)

    def __post_init__(self) -> None:
        if self.family not in FAMILIES:
            raise ValueError(f"family must be one of {FAMILIES}, got {self.family!r}")
        object.__setattr__(self, "b_max", _float_or_none(self.b_max, "b_max"))
        object.__setattr__(self, "b_min", _float_or_none(self.b_min, "b_min"))
        object.__setattr__(self, "max_partition", _partition(self.max_partition, "max_partition"))
        object.__setattr__(self, "min_partition", _partition(self.min_partition, "min_partition"))
        if isinstance(self.scored, bool) or not isinstance(self.scored, int) or not 0 <= self.scored < 1 << 63:
            raise ValueError(f"scored must be a non-negative int, got {self.scored!r}")
        object.__setattr__(self, "b_max_stderr", _float_or_none(self.b_max_stderr, "b_max_stderr"))
        object.__setattr__(self, "b_min_stderr", _float_or_none(self.b_min_stderr, "b_min_stderr"))


@dataclass(frozen=True)
class PartitionSearch:
    """What the learned partition search (Eq. 7-9) learned: the final Bernoulli probabilities
    p_max / p_min (one per gap between neighbours of A), their trajectories (one row per update,
    the first row the start), and the evaluations spent searching and re-estimating. The
    probabilities are declared :attr:`~.schema.Encoding.NUMBERS`."""

    p_max: tuple[float, ...] = schema_field(encoding=Encoding.NUMBERS)
    p_min: tuple[float, ...] = schema_field(encoding=Encoding.NUMBERS)
    trajectory_max: tuple[tuple[float, ...], ...] = schema_field(encoding=Encoding.NUMBERS)
    trajectory_min: tuple[tuple[float, ...], ...] = schema_field(encoding=Encoding.NUMBERS)
    evaluations_search: int
    evaluations_final: int
    search_contexts_exact: bool = False
    final_contexts_exact: bool = False

    def __post_init__(self) -> None:
        for name in ("p_max", "p_min"):
            object.__setattr__(self, name, _probabilities(getattr(self, name), name))
        for name in ("trajectory_max", "trajectory_min"):
            rows = tuple(_probabilities(row, name) for row in getattr(self, name))
            if any(len(row) != len(self.p_max) for row in rows):
                raise ValueError(f"every row of {name} needs {len(self.p_max)} probabilities")
            object.__setattr__(self, name, rows)
        if len(self.p_min) != len(self.p_max):
            raise ValueError("p_max and p_min need the same length (one per gap of A)")
        for name in ("evaluations_search", "evaluations_final"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 1 << 63:
                raise ValueError(f"{name} must be a non-negative int64, got {value!r}")
        for name in ("search_contexts_exact", "final_contexts_exact"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be a bool, got {getattr(self, name)!r}")
