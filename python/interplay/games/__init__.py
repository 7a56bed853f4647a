"""Games v(S): a function of coalitions (:class:`Game`), a table (:class:`TableGame`), a model on
masked inputs (:class:`ModelGame`), a sentence under a sentence encoder (:class:`SentenceGame`),
the player maps of :mod:`.players`, and shapiq's games or any NumPy callable as games (:mod:`.shapiq`)."""
from . import players
from .base import Game, TableGame, coalitions_to_masks, masks_to_coalitions
from .model import ModelGame
from .shapiq import callable_game, from_shapiq_game
from .text import SentenceGame, load_minilm

__all__ = ["Game", "ModelGame", "SentenceGame", "TableGame", "callable_game", "coalitions_to_masks",
           "from_shapiq_game", "load_minilm", "masks_to_coalitions", "players"]
