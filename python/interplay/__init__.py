"""interplay: game-theoretic interactions inside deep networks, and the interaction loss.

Games: :class:`Game` (a function of coalitions), :class:`TableGame` (2^n values).
Exact methods run in C over the game's table; sampling methods take ``samples=`` and ``seed=``.
"""
from . import methods
from ._ops import WITH_CUDA
from .games import Game, TableGame, coalitions_to_masks, masks_to_coalitions
from .multivariate import coalition_shapley, elementary_interaction, interaction_significance, multivariate_interaction
from .pairs import (
    MarginalRewards,
    banzhaf_interaction,
    banzhaf_interaction_matrix,
    marginal_rewards,
    multi_order_interaction,
    shapley_interaction,
    shapley_interaction_matrix,
)
from .results import Result, Significance
from .values import banzhaf_values, harsanyi_dividends, shapley_values
from . import distributed, plots  # plots imports matplotlib only when it draws
from .distributed import explain_dataset
from .multivariate_learned import coalition_shapley_sampled, learned_significance
from . import engine, players, sampling
from .model_game import ModelGame
from .sampling import coalition_shapley_many, instability, pair_interactions

__version__ = "0.1.0"

__all__ = [
    "Game",
    "TableGame",
    "Result",
    "Significance",
    "MarginalRewards",
    "WITH_CUDA",
    "banzhaf_interaction",
    "banzhaf_interaction_matrix",
    "banzhaf_values",
    "coalition_shapley",
    "coalitions_to_masks",
    "elementary_interaction",
    "harsanyi_dividends",
    "interaction_significance",
    "marginal_rewards",
    "masks_to_coalitions",
    "methods",
    "multi_order_interaction",
    "multivariate_interaction",
    "shapley_interaction",
    "shapley_interaction_matrix",
    "shapley_values",
    "distributed",
    "explain_dataset",
    "plots",
    "coalition_shapley_sampled",
    "learned_significance",
    "ModelGame",
    "coalition_shapley_many",
    "engine",
    "instability",
    "pair_interactions",
    "players",
    "sampling",
]
