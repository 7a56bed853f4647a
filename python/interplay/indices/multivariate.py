"""Multivariate interactions (multivariate paper Eq. 1-6):

  φ([C] | N_C)  the Shapley value of a coalition C acting as one player, the players of ``absent``
                held at the baseline (Eq. 1 over N_C = N ∖ absent ∖ C ∪ {[C]})
  B([A])       = φ([A] | N_[A]) - Σ_{i∈A} φ(i | N_i),  N_i = N ∖ A ∪ {i}              (Eq. 3)
  I(A')        the Shapley interaction index of A' ⊆ A in the game where A ∖ A' is absent,
                so that B([A]) = Σ_{A' ⊆ A, |A'| > 1} I(A')                               (Eq. 6)
  T([A])       = B_max - B_min over the partitions Ω of A,
                B = Σ_{C∈Ω} φ(C|N_C) - Σ_i φ(i|N_i)                                      (Eq. 4-5)
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence, Union

from .._internal import checks as _checks
from ..methods import Estimator, resolve
from ..games import Game
from ..games.base import check_game
from ..results import Result
from ..results.partitions import FAMILIES

Method = Union[None, str, Estimator]


def coalition_shapley(game: Game, coalition: Iterable[int], absent: Iterable[int] = (), method: Method = None,
                      **options: Any) -> Result:
    """φ([C] | N_C): the Shapley value of ``coalition`` playing as one player (0-d, index "coalition-SV")."""
    check_game(game)
    n = game.n_players
    c = _checks.players(coalition, n, "coalition")
    a = _checks.players(absent, n, "absent", min_size=0)
    if set(c) & set(a):
        raise ValueError(f"coalition and absent share players {sorted(set(c) & set(a))}")
    return resolve("coalition_shapley", method, options, n).coalition_shapley(game, c, a)


def multivariate_interaction(game: Game, A: Iterable[int], method: Method = None, **options: Any) -> Result:
    """B([A]) of Eq. 3 (0-d, index "B"); A needs at least 2 players."""
    check_game(game)
    players = _checks.players(A, game.n_players, "A", min_size=2)
    return resolve("multivariate_interaction", method, options, game.n_players).multivariate_interaction(game, players)


def elementary_interaction(game: Game, A: Iterable[int], subset: Iterable[int], method: Method = None,
                           **options: Any) -> Result:
    """I(A') for A' = ``subset`` ⊆ A: its Shapley interaction index with A ∖ A' absent (Eq. 6;
    0-d, index "elementary")."""
    check_game(game)
    players = _checks.players(A, game.n_players, "A", min_size=1)
    sub = _checks.players(subset, game.n_players, "subset", min_size=1)
    if not set(sub) <= set(players):
        raise ValueError(f"subset {list(sub)} is not contained in A = {list(players)}")
    estimator = resolve("elementary_interaction", method, options, game.n_players)
    return estimator.elementary_interaction(game, players, sub)


def interaction_significance(game: Game, A: Sequence[int], partitions: str = "contiguous", method: Method = None,
                             **options: Any) -> Result:
    """T([A]) = B_max - B_min and the partitions of A that reach them (Eq. 4-5; index "T").

    ``partitions="contiguous"`` scores the 2^(m-1) partitions of the ordered A into runs of
    neighbours (the paper's sequential words); ``"all"`` scores all Bell(m) set partitions. Ties
    keep the first partition found (coarsest first). ``result.partitions`` holds B_max, B_min
    and their partitions; the learned search (``method="learned_partitions"``, Eq. 7-9) also
    fills ``result.search``.
    """
    check_game(game)
    players = _checks.players(A, game.n_players, "A", min_size=2)
    if partitions not in FAMILIES:
        raise ValueError(f"partitions must be one of {list(FAMILIES)}, got {partitions!r}")
    estimator = resolve("interaction_significance", method, options, game.n_players)
    return estimator.interaction_significance(game, players, partitions)
