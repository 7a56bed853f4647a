"""The public functions: one per quantity of the papers. Each takes ``method=`` (an
:class:`~interplay.Estimator` or its name) and that estimator's keywords, and returns a
:class:`~interplay.Result`."""
from .interactions import interaction_values
from .multivariate import coalition_shapley, elementary_interaction, interaction_significance, multivariate_interaction
from .pairs import (average_marginal_rewards, banzhaf_interaction, banzhaf_interaction_matrix, marginal_rewards,
                    multi_order_interaction, pair_interactions, shapley_interaction, shapley_interaction_matrix)
from .values import banzhaf_values, harsanyi_dividends, shapley_values

__all__ = ["average_marginal_rewards", "banzhaf_interaction", "banzhaf_interaction_matrix", "banzhaf_values",
           "coalition_shapley", "elementary_interaction", "harsanyi_dividends", "interaction_significance", "interaction_values",
           "marginal_rewards", "multi_order_interaction", "multivariate_interaction", "pair_interactions",
           "shapley_interaction", "shapley_interaction_matrix", "shapley_values"]
