"""The count fields of the estimators (budget, replicates, border, updates, contexts, ...): each must be at
least 1 (0 refused where the estimator is made and where it runs; border = 0 turns the border off), and
NumPy integers are taken as plain ints."""
import numpy as np
import pytest

import interplay as ip
from seeded_games import table_game


@pytest.mark.parametrize("field", ["updates", "partitions_per_update", "contexts", "final_contexts", "budget"])
def test_learned_partitions_counts_at_least_one(field):
    with pytest.raises(ValueError, match=f"{field} must be at least 1, got 0"):
        ip.LearnedPartitions(**{field: 0})
    g = table_game(8)
    with pytest.raises(ValueError, match="updates must be at least 1"):
        ip.interaction_significance(g, [1, 2, 3], method=ip.LearnedPartitions(updates=0))


@pytest.mark.parametrize("cls, field", [(ip.SharedPairs, "replicates"), (ip.Permutation, "budget"),
                                        (ip.Exact, "budget"), (ip.CoalitionSampling, "budget"),
                                        (ip.SharedPairs, "border")])
def test_estimator_counts_take_numpy_ints_and_refuse_zero(cls, field):
    est = cls(**{field: np.int64(8)})
    assert getattr(est, field) == 8 and type(getattr(est, field)) is int
    if field != "border":  # border = 0 turns the border off
        with pytest.raises(ValueError, match=f"{field} must be"):
            cls(**{field: 0})
