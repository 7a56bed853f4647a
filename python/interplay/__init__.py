"""interplay: game-theoretic interactions inside deep networks, and the interaction loss.

Games (:mod:`interplay.games`): :class:`Game` (a function of coalitions), :class:`TableGame`
(2^n values), :class:`ModelGame` (a network on masked inputs), :class:`SentenceGame`.
Every quantity of the papers is a function (:mod:`interplay.indices`) that takes ``method=``, an
estimator object or its name (:class:`Exact`, the samplers of :mod:`interplay.estimators`, the
learned partition search of :mod:`interplay.multivariate`), with ``budget=`` (model evaluations)
and ``seed=``; each returns a :class:`Result`.
"""
from . import engine, estimators, exact, games, indices, methods, multivariate, nn, results
from ._internal.ops import WITH_CUDA
from ._internal.version import __version__
from ._internal.checks import max_memory, set_max_memory
from .estimators import GaussianProcess, PairSampling, Permutation, Regression, SharedPairs, instability
from .app.distributed import explain_dataset
from .exact import Exact
from .methods import Estimator, Sampler
from .games import Game, ModelGame, SentenceGame, TableGame, coalitions_to_masks, masks_to_coalitions, players
from .multivariate import CoalitionSampling, LearnedPartitions, prototypes
from .indices import (average_marginal_rewards, banzhaf_interaction, banzhaf_interaction_matrix, banzhaf_values,
                      coalition_shapley, elementary_interaction, harsanyi_dividends, interaction_significance,
                      interaction_values,
                      marginal_rewards, multi_order_interaction, multivariate_interaction, pair_interactions,
                      shapley_interaction, shapley_interaction_matrix, shapley_values)
from .results import INDICES, Partitions, PartitionSearch, Result
from .indices.method_docs import document_methods

document_methods(globals())  # every estimator is registered now: the docstrings name them

__all__ = [
    "WITH_CUDA", "INDICES", "set_max_memory", "max_memory",
    # games
    "Game", "TableGame", "ModelGame", "SentenceGame", "players", "coalitions_to_masks", "masks_to_coalitions",
    # estimators
    "Estimator", "Sampler", "Exact", "Permutation", "PairSampling", "SharedPairs", "Regression", "GaussianProcess", "instability",
    "LearnedPartitions", "CoalitionSampling",
    # quantities
    "shapley_values", "banzhaf_values", "harsanyi_dividends",
    "shapley_interaction", "banzhaf_interaction", "shapley_interaction_matrix", "banzhaf_interaction_matrix",
    "pair_interactions", "multi_order_interaction", "marginal_rewards", "average_marginal_rewards",
    "coalition_shapley", "multivariate_interaction", "elementary_interaction", "interaction_significance",
    "interaction_values",
    "prototypes",
    # results
    "Result", "Partitions", "PartitionSearch",
    # subpackages
    "engine", "estimators", "exact", "games", "indices", "results", "nn", "multivariate",
    # over ranks
    "explain_dataset",
]
