"""Shapley and Banzhaf values of the players (dropout paper Eq. 1; multivariate paper Eq. 1)."""
from __future__ import annotations

from typing import Any

from . import methods
from ._ops import ops
from .games import Game
from .results import Result


def harsanyi_dividends(game: Game) -> Result:
    """The Harsanyi dividends d(T) for every coalition T (the Moebius transform of v), ``[2^n]``.

    v(S) = sum_{T ⊆ S} d(T); the marginal reward of the dropout paper is R^T(i, j) = d(T ∪ {i, j}).
    """
    table = game.table()
    return Result(ops.harsanyi_dividends(table), quantity="harsanyi_dividends", evaluations=table.numel())


def shapley_values(game: Game, method: str = "exact", **kwargs: Any) -> Result:
    """phi(i | N) = sum_{S ⊆ N∖{i}} |S|! (n-|S|-1)! / n! [v(S ∪ {i}) - v(S)] for every player, ``[n]``.

    ``method="exact"`` uses the 2^n table (O(n 2^n) in C); other methods sample (``samples=``, ``seed=``).
    """
    if method != "exact":
        return methods.run("shapley_values", method, game, **kwargs)
    table = game.table()
    return Result(ops.player_values(table, "shapley"), quantity="shapley_values", evaluations=table.numel())


def banzhaf_values(game: Game, method: str = "exact", **kwargs: Any) -> Result:
    """psi(i | N) = sum_{S ⊆ N∖{i}} 2^{-(n-1)} [v(S ∪ {i}) - v(S)] for every player, ``[n]``."""
    if method != "exact":
        return methods.run("banzhaf_values", method, game, **kwargs)
    table = game.table()
    return Result(ops.player_values(table, "banzhaf"), quantity="banzhaf_values", evaluations=table.numel())

