"""shapiq's games (or any callable on boolean coalition arrays, NumPy in and out) as interplay games;
interplay's interaction values go back as ``shapiq.InteractionValues`` by ``Result.to_shapiq()``.

    import shapiq, interplay as ip
    game = ip.games.from_shapiq_game(shapiq_game)            # a shapiq.Game
    game = ip.games.callable_game(fn, n_players=8)           # fn: bool ndarray [B, n] -> ndarray [B]
    r = ip.interaction_values(game, index="k-SII", order=2)
    iv = r.to_shapiq()                                       # == shapiq.ExactComputer(shapiq_game)("k-SII", 2)
    iv.plot_force()                                          # shapiq's plots

shapiq is optional: only ``to_shapiq`` and :func:`from_shapiq_game` import it (an ImportError
saying how to install it otherwise).
"""
from __future__ import annotations

from typing import Any, Callable, Optional, Sequence

import numpy as np
import torch

from .._internal.optional import import_optional
from .base import Game

__all__ = ["callable_game", "from_shapiq_game"]


def _numpy_rewards(fn: Callable[[np.ndarray], Any]) -> Callable[[torch.Tensor], torch.Tensor]:
    def rewards(coalitions: torch.Tensor) -> torch.Tensor:
        out = np.asarray(fn(coalitions.detach().cpu().numpy().astype(bool)))
        if out.dtype == object:  # Python numbers in a list
            out = out.astype(np.float64)
        # complex, bool or malformed rewards are refused by the Game, as for any game
        return torch.from_numpy(out.reshape(-1).copy())

    return rewards


def callable_game(fn: Callable[[np.ndarray], Any], n_players: int, *, batch_size: int = 4096,
                  labels: Optional[Sequence[str]] = None, grid: Optional[Sequence[int]] = None) -> Game:
    """An interplay :class:`~interplay.Game` of a function of boolean coalition arrays ``[B, n]``
    (NumPy) returning ``[B]`` rewards (NumPy or anything ``np.asarray`` takes), as shapiq's games are."""
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}")
    return Game(_numpy_rewards(fn), n_players, batch_size=batch_size, labels=labels, grid=grid)


def from_shapiq_game(game: Any, *, batch_size: int = 4096, labels: Optional[Sequence[str]] = None) -> Game:
    """An interplay game of a ``shapiq.Game`` (its ``__call__`` on boolean coalitions, normalisation
    included, so that exact values equal shapiq's ``ExactComputer(game)``). Player names come from
    ``labels`` or the game's ``player_names`` where it has them."""
    shapiq = import_optional("shapiq", "from_shapiq_game")
    if not isinstance(game, shapiq.Game):
        raise TypeError(f"game must be a shapiq.Game, got {type(game).__name__} (use callable_game for a function)")
    names = labels
    if names is None and getattr(game, "player_names", None) is not None:
        names = [str(p) for p in game.player_names]
    return callable_game(game, int(game.n_players), batch_size=batch_size, labels=names)
