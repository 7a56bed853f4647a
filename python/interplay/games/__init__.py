"""Games v(S): a function of coalitions (:class:`Game`), a table (:class:`TableGame`), a model on
masked inputs (:class:`ModelGame`), a sentence under a sentence encoder (:class:`SentenceGame`),
and the player maps of :mod:`.players`."""
from . import players
from .base import Game, TableGame, coalitions_to_masks, masks_to_coalitions
from .model import ModelGame
from .text import SentenceGame, load_minilm

__all__ = ["Game", "ModelGame", "SentenceGame", "TableGame", "coalitions_to_masks", "load_minilm",
           "masks_to_coalitions", "players"]
