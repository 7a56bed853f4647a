"""Prototype features of a sentence (multivariate paper Fig. 5-6): T([A]) of a run of words."""
from __future__ import annotations

from typing import Any, Sequence, Union

from ..methods import Estimator
from ..games import Game
from ..indices.multivariate import interaction_significance
from ..results import Result


def prototypes(game: Game, A: Sequence[int], partitions: str = "contiguous",
               method: Union[None, str, Estimator] = None, **options: Any) -> Result:
    """T([A]) with the coalitions of words at B_max and B_min, for a run of words A of a
    :class:`~interplay.SentenceGame` (or any game whose players carry ``labels``).

    The result carries the words (``result.labels``, from the game), so it prints as a
    highlighted sentence (:func:`interplay.results.display.significance_ansi`, its HTML in a
    notebook) and plots with the words. ``method`` and ``options`` are those of
    :func:`interplay.interaction_significance` (unknown keywords are a TypeError): no method and
    no budget is exact (2^n model evaluations); ``budget=`` alone picks exact when 2^n <= budget,
    else the learned search (``method="learned_partitions"``).
    """
    if not isinstance(game, Game):
        raise TypeError(f"game must be a Game (e.g. a SentenceGame), got {type(game).__name__}")
    if game.labels is None:
        raise ValueError("prototypes needs a game whose players are words: a SentenceGame, or a Game "
                         "made with labels=")
    return interaction_significance(game, A, partitions, method=method, **options)
