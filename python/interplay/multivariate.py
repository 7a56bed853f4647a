"""Multivariate interactions (multivariate paper Eq. 3-6).

  phi([C] | N_C)  the Shapley value of a coalition C acting as one player, with the players in
                  ``absent`` held at the baseline (Eq. 1 over N_C = N ∖ absent ∖ C ∪ {[C]})
  B([A])         = phi([A] | N_[A]) - sum_{i∈A} phi(i | N_i),  N_i = N ∖ A ∪ {i}      (Eq. 3)
  I(A')          the Shapley interaction index of A' ⊆ A in the game where A ∖ A' is absent,
                  so that B([A]) = sum_{A' ⊆ A, |A'| > 1} I(A')                          (Eq. 6)
  T([A])         = B_max - B_min over the partitions Ω of A, B = sum_{C∈Ω} phi(C|N_C) - sum_i phi(i|N_i)
                                                                                          (Eq. 4-5)
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence

import torch

from . import _checks, methods
from ._ops import ops
from .games import Game
from .results import Result, Significance, partition_from_labels


def coalition_shapley(game: Game, coalition: Iterable[int], absent: Iterable[int] = (), method: str = "exact",
                      **kwargs: Any) -> Result:
    """phi([C] | N_C): the Shapley value of ``coalition`` playing as one player (a 0-d result)."""
    n = game.n_players
    c = _checks.players(coalition, n, "coalition")
    a = _checks.players(absent, n, "absent", min_size=0)
    if set(c) & set(a):
        raise ValueError(f"coalition and absent share players {sorted(set(c) & set(a))}")
    if method != "exact":
        return methods.run("coalition_shapley", method, game, c, a, **kwargs)
    table = game.table()
    value = ops.coalition_shapley(table, torch.tensor([[_checks.mask(c)]]), torch.tensor([[_checks.mask(a)]]))[0]
    return Result(value, quantity="coalition_shapley", evaluations=table.numel(),
                  settings={"coalition": c, "absent": a})


def multivariate_interaction(game: Game, A: Iterable[int]) -> Result:
    """B([A]) of Eq. 3 (a 0-d result); needs at least 2 players in A."""
    players = _checks.players(A, game.n_players, "A", min_size=2)
    table = game.table()
    value = ops.multivariate_interaction(table, torch.tensor([[_checks.mask(players)]]))[0]
    return Result(value, quantity="multivariate_interaction", evaluations=table.numel(), settings={"A": players})


def elementary_interaction(game: Game, A: Iterable[int], subset: Iterable[int]) -> Result:
    """I(A') for A' = ``subset`` ⊆ A: its Shapley interaction index with A ∖ A' absent (Eq. 6)."""
    players = _checks.players(A, game.n_players, "A", min_size=1)
    sub = _checks.players(subset, game.n_players, "subset", min_size=1)
    if not set(sub) <= set(players):
        raise ValueError(f"subset {list(sub)} is not contained in A = {list(players)}")
    table = game.table()
    value = ops.elementary_interaction(table, torch.tensor([[_checks.mask(players)]]), torch.tensor([[_checks.mask(sub)]]))[0]
    return Result(value, quantity="elementary_interaction", evaluations=table.numel(),
                  settings={"A": players, "subset": sub})


def interaction_significance(game: Game, A: Sequence[int], method: str = "exact", partitions: str = "contiguous",
                             **kwargs: Any) -> Significance:
    """T([A]) = B_max - B_min and the partitions of A that reach them (Eq. 4-5).

    ``partitions="contiguous"`` scores the 2^(m-1) partitions of the ordered A into runs of
    neighbours (the paper's sequential words); ``"all"`` scores all Bell(m) set partitions.
    Ties keep the first partition found (coarsest first). Other methods (``"learned"``) estimate.
    """
    players = _checks.players(A, game.n_players, "A", min_size=2)
    if partitions not in ("contiguous", "all"):
        raise ValueError(f"partitions must be one of ['all', 'contiguous'], got {partitions!r}")
    if method != "exact":
        return methods.run("interaction_significance", method, game, players, partitions=partitions, **kwargs)
    limit = 24 if partitions == "contiguous" else 13
    if len(players) > limit:
        raise ValueError(f"A has {len(players)} players; exact {partitions} partitions allow at most {limit}")
    table = game.table()
    blocks = ops.block_values(table, list(players))
    stats, max_labels, min_labels = ops.significance_from_blocks(blocks, partitions)
    b_max, b_min, T, _, count = stats.tolist()
    return Significance(
        players=players,
        T=T,
        b_max=b_max,
        b_min=b_min,
        max_partition=partition_from_labels(players, max_labels.tolist()),
        min_partition=partition_from_labels(players, min_labels.tolist()),
        method="exact",
        evaluations=table.numel(),
        settings={"partitions": partitions, "partitions_scored": int(count)},
    )
