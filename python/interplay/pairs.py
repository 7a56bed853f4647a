"""Pairwise interactions: Shapley and Banzhaf interaction, multi-order parts and marginal rewards.

Dropout paper:
  Eq. 2   I(i,j) = sum_{S ⊆ N∖{i,j}} P_Shapley(S | N∖{i,j}) Δf(S,i,j),
          Δf(S,i,j) = v(S∪{i,j}) - v(S∪{i}) - v(S∪{j}) + v(S)
  Eq. 3   I(i,j) = 1/(n-1) sum_{s=0}^{n-2} I^(s)(i,j),   I^(s)(i,j) = E_{|S|=s}[Δf(S,i,j)]
  Eq. 4   I^(s)(i,j) = sum_{q<=s} C(s,q) J^(q)(i,j),   J^(q)(i,j) = E_{|T|=q}[R^T(i,j)]
  App. D  R^T(i,j) = Δf(T,i,j) - sum_{T' ⊊ T} R^{T'}(i,j)   (= the Harsanyi dividend d(T ∪ {i,j}))
Banzhaf interaction (Grabisch & Roubens): sum_{S ⊆ N∖{i,j}} 2^{-(n-2)} Δf(S,i,j).
"""
from __future__ import annotations

from typing import Any, NamedTuple, Optional

from . import _checks, methods
from ._ops import ops
from .games import Game
from .results import Result


def _pair(game: Game, quantity: str, kind: int, i: int, j: int, method: str, kwargs: dict) -> Result:
    i, j = _checks.pair(i, j, game.n_players)
    if method != "exact":
        return methods.run(quantity, method, game, i, j, **kwargs)
    table = game.table()
    value = ops.pair_interaction(table, i, j, kind)
    return Result(value, quantity=quantity, evaluations=table.numel(), settings={"pair": (i, j)})


def _matrix(game: Game, quantity: str, kind: int, method: str, kwargs: dict) -> Result:
    if game.n_players < 2:
        raise ValueError("an interaction matrix needs a game with at least 2 players")
    if method != "exact":
        return methods.run(quantity, method, game, **kwargs)
    table = game.table()
    return Result(ops.pair_interaction_matrix(table, kind), quantity=quantity, evaluations=table.numel())


def shapley_interaction(game: Game, i: int, j: int, method: str = "exact", **kwargs: Any) -> Result:
    """The Shapley interaction I(i, j) of dropout paper Eq. 2 (a 0-d result)."""
    return _pair(game, "shapley_interaction", "shapley", i, j, method, kwargs)


def banzhaf_interaction(game: Game, i: int, j: int, method: str = "exact", **kwargs: Any) -> Result:
    """The Banzhaf interaction sum_{S ⊆ N∖{i,j}} 2^{-(n-2)} Δf(S, i, j) (a 0-d result)."""
    return _pair(game, "banzhaf_interaction", "banzhaf", i, j, method, kwargs)


def shapley_interaction_matrix(game: Game, method: str = "exact", **kwargs: Any) -> Result:
    """I(i, j) for all pairs, ``[n, n]``, symmetric with a zero diagonal (O(n 2^n) in C)."""
    return _matrix(game, "shapley_interaction_matrix", "shapley", method, kwargs)


def banzhaf_interaction_matrix(game: Game, method: str = "exact", **kwargs: Any) -> Result:
    """The Banzhaf interaction for all pairs, ``[n, n]``, symmetric with a zero diagonal."""
    return _matrix(game, "banzhaf_interaction_matrix", "banzhaf", method, kwargs)


def multi_order_interaction(
    game: Game, i: int, j: int, order: Optional[int] = None, method: str = "exact", **kwargs: Any
) -> Result:
    """I^(s)(i, j) = E_{S ⊆ N∖{i,j}, |S|=s}[Δf(S, i, j)] (dropout paper Eq. 3).

    ``order=None`` gives every order s = 0..n-2 at once (``[n-1]``); an int gives that order.
    """
    i, j = _checks.pair(i, j, game.n_players)
    if order is not None:
        order = _checks.player(order, game.n_players - 1, "order")
    if method != "exact":
        return methods.run("multi_order_interaction", method, game, i, j, order=order, **kwargs)
    table = game.table()
    orders, _, _ = ops.multi_order_interaction(table, i, j)
    value = orders if order is None else orders[order]
    return Result(value, quantity="multi_order_interaction", evaluations=table.numel(),
                  settings={"pair": (i, j), "order": order})


class MarginalRewards(NamedTuple):
    """The decomposition of Eq. 4 for one pair (i, j).

    ``R[c]`` is R^T(i, j) for the context T given as a compressed mask c over the n-2 players
    other than i and j (bit r = the r-th smallest of them); ``J[q]`` is J^(q)(i, j);
    ``players`` lists those n-2 players in bit order.
    """

    R: Result
    J: Result
    players: tuple


def marginal_rewards(game: Game, i: int, j: int) -> MarginalRewards:
    """R^T(i, j) for every T ⊆ N∖{i,j} (App. D) and their means J^(q)(i, j) by size (Eq. 4)."""
    i, j = _checks.pair(i, j, game.n_players)
    table = game.table()
    _, marginal, rewards = ops.multi_order_interaction(table, i, j)
    settings = {"pair": (i, j)}
    others = tuple(k for k in range(game.n_players) if k not in (i, j))
    return MarginalRewards(
        R=Result(rewards, quantity="marginal_rewards", evaluations=table.numel(), settings=settings),
        J=Result(marginal, quantity="average_marginal_rewards", evaluations=table.numel(), settings=settings),
        players=others,
    )
