"""Pairwise interactions (dropout paper):

  Eq. 2   I(i,j) = Σ_{S ⊆ N∖{i,j}} P_Shapley(S | N∖{i,j}) Δf(S,i,j),
          Δf(S,i,j) = v(S∪{i,j}) - v(S∪{i}) - v(S∪{j}) + v(S)
  Eq. 3   I(i,j) = 1/(n-1) Σ_{s=0}^{n-2} I^(s)(i,j),   I^(s)(i,j) = E_{|S|=s}[Δf(S,i,j)]
  Eq. 4   I^(s)(i,j) = Σ_{q<=s} C(s,q) J^(q)(i,j),   J^(q)(i,j) = E_{|T|=q}[R^T(i,j)]
  App. D  R^T(i,j) = Δf(T,i,j) - Σ_{T' ⊊ T} R^{T'}(i,j)   (= the Harsanyi dividend d(T ∪ {i,j}))

The Banzhaf interaction (Grabisch & Roubens) is Σ_{S ⊆ N∖{i,j}} 2^{-(n-2)} Δf(S,i,j).
"""
from __future__ import annotations

from typing import Any, Iterable, Optional, Sequence, Union

import torch

from .._internal import checks as _checks
from ..engine import order_range
from ..methods import Estimator, resolve
from ..games import Game
from ..games.base import check_game
from ..results import Result

Method = Union[None, str, Estimator]
PAIR_INDICES = ("SII", "BII", "RII")


def _check_pairs(pairs: Any, n: int) -> torch.Tensor:
    """Pairs as an int64 tensor ``[P, 2]`` of distinct players in range (ints only, no truncation)."""
    if isinstance(pairs, torch.Tensor):
        _checks.dense_data(pairs, "pairs")
        if pairs.is_floating_point() or pairs.is_complex() or pairs.dtype == torch.bool:
            raise TypeError(f"pairs must hold integer player indices, got a {pairs.dtype} tensor")
        if pairs.dim() != 2:
            raise ValueError(f"pairs must be a [P, 2] tensor of (i, j), got shape {list(pairs.shape)}")
        rows = pairs.tolist()
    else:
        if isinstance(pairs, (str, bytes)) or not isinstance(pairs, Iterable):
            raise TypeError(f"pairs must be a list of (i, j) or a [P, 2] tensor, got {type(pairs).__name__}")
        rows = list(pairs)
        if any(isinstance(r, (str, bytes)) or not isinstance(r, Iterable) for r in rows):
            raise ValueError("pairs must be a non-empty list of (i, j), got an entry that is not a pair")
        rows = [list(r) for r in rows]
    if not rows or any(len(r) != 2 for r in rows):
        raise ValueError("pairs must be a non-empty list of (i, j)")
    out = torch.tensor([_checks.pair(i, j, n) for i, j in rows], dtype=torch.int64)
    return out


def pair_interactions(game: Game, pairs: Any, index: str = "SII", *, rate: Optional[Sequence[float]] = None,
                      method: Method = None, **options: Any) -> Result:
    """The interaction of each listed pair, ``[P]``.

    ``index``: ``"SII"`` (Shapley contexts, Eq. 2), ``"BII"`` (Banzhaf contexts) or ``"RII"``
    (contexts that keep each other player at a rate r ~ U(rate), e.g. the interaction loss's
    contexts; ``rate=(0, 1)`` gives Shapley contexts again).
    """
    check_game(game)
    if index not in PAIR_INDICES:
        raise ValueError(f"index must be one of {PAIR_INDICES}, got {index!r}")
    if (index == "RII") != (rate is not None):
        raise ValueError("rate=(lo, hi) goes with index='RII' (and only there)")
    if rate is not None:
        rate = _checks.keep_rates(rate)
    p = _check_pairs(pairs, game.n_players)
    estimator = resolve("pair_interactions", method, options, game.n_players, pairs=p, index=index, rate=rate)
    return estimator.pair_interactions(game, p, index, rate)


def _one_pair(game: Game, i: int, j: int, index: str, method: Method, options: dict) -> Result:
    i, j = _checks.pair(i, j, game.n_players)
    p = torch.tensor([[i, j]])
    r = resolve("pair_interactions", method, options, game.n_players, pairs=p, index=index).pair_interactions(
        game, p, index, None)
    stderr = None if r.stderr is None else r.stderr[0]
    return Result(index=index, values=r.values[0], n_players=r.n_players, estimator=r.estimator,
                  evaluations=r.evaluations, stderr=stderr, players=(i, j), labels=r.labels, grid=r.grid)


def shapley_interaction(game: Game, i: int, j: int, method: Method = None, **options: Any) -> Result:
    """The Shapley interaction I(i, j) of dropout paper Eq. 2 (a 0-d result, index "SII")."""
    check_game(game)
    return _one_pair(game, i, j, "SII", method, options)


def banzhaf_interaction(game: Game, i: int, j: int, method: Method = None, **options: Any) -> Result:
    """The Banzhaf interaction Σ_{S ⊆ N∖{i,j}} 2^{-(n-2)} Δf(S, i, j) (a 0-d result, index "BII")."""
    check_game(game)
    return _one_pair(game, i, j, "BII", method, options)


def _matrix(game: Game, index: str, pairs: Any, method: Method, options: dict) -> Result:
    n = game.n_players
    if n < 2:
        raise ValueError("an interaction matrix needs a game with at least 2 players")
    p = None if pairs is None else _check_pairs(pairs, n)
    estimator = resolve("interaction_matrix", method, options, n, pairs=p, index=index)
    return estimator.interaction_matrix(game, index, p)


def shapley_interaction_matrix(game: Game, pairs: Any = None, method: Method = None, **options: Any) -> Result:
    """I(i, j) for all pairs (or the listed ``pairs``), ``[n, n]``, symmetric with a zero diagonal;
    entries not estimated are NaN (index "SII")."""
    check_game(game)
    return _matrix(game, "SII", pairs, method, options)


def banzhaf_interaction_matrix(game: Game, pairs: Any = None, method: Method = None, **options: Any) -> Result:
    """The Banzhaf interaction for all pairs (or the listed ``pairs``), ``[n, n]`` (index "BII")."""
    check_game(game)
    return _matrix(game, "BII", pairs, method, options)


def multi_order_interaction(game: Game, i: int, j: int, order: Optional[int] = None, *,
                            orders: Optional[Sequence[int]] = None,
                            order_ranges: Optional[Sequence[tuple[float, float]]] = None,
                            method: Method = None, **options: Any) -> Result:
    """I^(s)(i, j) = E_{S ⊆ N∖{i,j}, |S|=s}[Δf(S, i, j)] (dropout paper Eq. 3), index "SII-order".

    ``order=s``: a 0-d result; ``orders=[s, ...]``: one value per order; ``order_ranges=[(a, b),
    ...]``: |S| uniform on [a·n, b·n] per value (the paper's Fig. 2, e.g. (0, 0.2) for s ≈ 0.1n);
    none of them: every order s = 0..n-2. ``result.sizes`` holds the size range of each value.
    """
    check_game(game)
    n = game.n_players
    i, j = _checks.pair(i, j, n)
    if sum(a is not None for a in (order, orders, order_ranges)) > 1:
        raise ValueError("give at most one of order=, orders= and order_ranges=")
    if order_ranges is not None:
        if isinstance(order_ranges, (str, bytes)) or not isinstance(order_ranges, Iterable):
            raise TypeError("order_ranges must be a list of (a, b) fractions of n, "
                            f"got {type(order_ranges).__name__}")
        sizes = [order_range(n, *_checks.number_pair(r, "each entry of order_ranges (a, b)")) for r in order_ranges]
    else:
        chosen = [order] if order is not None else (list(orders) if orders is not None else list(range(n - 1)))
        sizes = [(s, s) for s in (_checks.player(s, n - 1, "order") for s in chosen)]
    if not sizes:
        raise ValueError("orders must name at least one order")
    r = resolve("multi_order_interaction", method, options, n).multi_order_interaction(game, i, j, sizes)
    if order is None:
        return r
    stderr = None if r.stderr is None else r.stderr[0]
    return Result(index=r.index, values=r.values[0], n_players=n, estimator=r.estimator, evaluations=r.evaluations,
                  stderr=stderr, players=(i, j), sizes=r.sizes, labels=r.labels, grid=r.grid)


def marginal_rewards(game: Game, i: int, j: int, method: Method = None, **options: Any) -> Result:
    """R^T(i, j) for every T ⊆ N∖{i,j} (dropout paper App. D), ``[2^(n-2)]`` (index "R"): entry c
    is the context T given as a compressed mask over the n-2 players other than i and j (bit r =
    the r-th smallest of them)."""
    check_game(game)
    i, j = _checks.pair(i, j, game.n_players)
    return resolve("marginal_rewards", method, options, game.n_players).marginal_rewards(game, i, j)


def average_marginal_rewards(game: Game, i: int, j: int, method: Method = None, **options: Any) -> Result:
    """J^(q)(i, j) = E_{|T|=q}[R^T(i, j)] for q = 0..n-2 (dropout paper Eq. 4), ``[n-1]`` (index "J")."""
    check_game(game)
    i, j = _checks.pair(i, j, game.n_players)
    return resolve("average_marginal_rewards", method, options, game.n_players).average_marginal_rewards(game, i, j)


__all__ = ["average_marginal_rewards", "banzhaf_interaction", "banzhaf_interaction_matrix", "marginal_rewards",
           "multi_order_interaction", "pair_interactions", "shapley_interaction", "shapley_interaction_matrix"]
