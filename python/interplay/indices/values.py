"""Shapley and Banzhaf values and Harsanyi dividends (dropout paper Eq. 1; multivariate paper Eq. 1)."""
from __future__ import annotations

from typing import Any, Union

from ..methods import Estimator, resolve
from ..games import Game
from ..games.base import check_game
from ..results import Result

Method = Union[None, str, Estimator]


def shapley_values(game: Game, method: Method = None, **options: Any) -> Result:
    """φ(i|N) = Σ_{S ⊆ N∖{i}} |S|! (n-|S|-1)! / n! [v(S ∪ {i}) - v(S)] for every player, ``[n]`` (index "SV").

    ``method=None`` is exact (O(n 2^n) in C over the 2^n table); ``budget=B`` without ``method``
    picks exact when 2^n <= B, else the default sampler.
    """
    check_game(game)
    return resolve("shapley_values", method, options, game.n_players).shapley_values(game)


def banzhaf_values(game: Game, method: Method = None, **options: Any) -> Result:
    """ψ(i|N) = Σ_{S ⊆ N∖{i}} 2^{-(n-1)} [v(S ∪ {i}) - v(S)] for every player, ``[n]`` (index "BV")."""
    check_game(game)
    return resolve("banzhaf_values", method, options, game.n_players).banzhaf_values(game)


def harsanyi_dividends(game: Game, method: Method = None, **options: Any) -> Result:
    """The Harsanyi dividends d(T) of every coalition T (the Möbius transform of v), ``[2^n]``
    indexed by bitmask (index "Moebius"): v(S) = Σ_{T ⊆ S} d(T), and the marginal reward of the
    dropout paper is R^T(i, j) = d(T ∪ {i, j})."""
    check_game(game)
    return resolve("harsanyi_dividends", method, options, game.n_players).harsanyi_dividends(game)
