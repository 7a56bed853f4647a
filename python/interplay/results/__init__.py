"""Results: the one result type (:class:`Result`), its typed parts, files and displays."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import torch

from .partitions import Partition, Partitions, PartitionSearch, partition_from_labels
from ._validate import INTERACTION_INDICES
from .result import INDICES, Result, rebuild_result  # noqa: F401  (rebuild_result: the torch.load allow-list)

if TYPE_CHECKING:  # pragma: no cover
    from ..methods import Estimator
    from ..games import Game


def make_result(game: "Game", index: str, values: Any, estimator: "Estimator", evaluations: int,
                **fields: Any) -> Result:
    """A :class:`Result` about ``game``: its player count, labels and grid filled in; ``players``
    defaults to all players."""
    fields.setdefault("players", tuple(range(game.n_players)))
    return Result(index=index, values=torch.as_tensor(values), n_players=game.n_players, estimator=estimator,
                  evaluations=int(evaluations), labels=game.labels, grid=game.grid, **fields)


__all__ = ["INDICES", "INTERACTION_INDICES", "Partition", "PartitionSearch", "Partitions", "Result", "make_result",
           "partition_from_labels"]
