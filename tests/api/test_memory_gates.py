"""Every path that sizes memory from user input asks the memory budget first: a MemoryError naming
what, how much and the knob, before any evaluation or allocation of that size."""
import pytest
import torch

import interplay as ip


@pytest.fixture
def small_budget():
    previous = ip.set_max_memory("50M")
    yield
    ip.set_max_memory(previous)


def linear_game(n):
    return ip.Game(lambda s: s.double().sum(1), n)


@pytest.mark.parametrize("call, what", [
    (lambda g: ip.shapley_values(g, method="gaussian_process", budget=400000), "complementary pairs drawn"),
    (lambda g: ip.shapley_values(g, method="regression", budget=400000), "complementary pairs drawn"),
    (lambda g: ip.shapley_values(g, method="regression", order=3, budget=4000), "a surrogate of"),
    (lambda g: ip.coalition_shapley(g, [0, 1], method="coalition_sampling", budget=10 ** 7), "contexts of Eq. 7"),
    (lambda g: ip.interaction_significance(g, [0, 1, 2], method="learned_partitions", final_contexts=10 ** 6,
                                           contexts=10 ** 5), "contexts of Eq. 7"),
])
def test_large_plans_are_refused_before_any_evaluation(small_budget, call, what):
    g = linear_game(300 if "surrogate" in what else 3000)
    with pytest.raises(MemoryError, match=f"{what}.* need .*, more than max_memory = 50.0 MiB; .*set_max_memory"):
        call(g)
    assert g.evaluations == 0


def test_the_border_strata_fit_their_rows_to_the_budget():
    """The shared pairs' border sums its rows in blocks the budget allows: the same estimate under a
    tiny budget, and a refusal only when one row does not fit."""
    n = 40
    g = ip.Game(lambda s: s.double().sum(1) + (s[:, 0] & s[:, 1]).double(), n)
    full = ip.shapley_interaction_matrix(g, method="shared_pairs", budget=30000, seed=0, border=1)
    previous = ip.set_max_memory("200K")
    try:
        small = ip.shapley_interaction_matrix(g, method="shared_pairs", budget=30000, seed=0, border=1)
        torch.testing.assert_close(small.values, full.values, rtol=0, atol=0, equal_nan=True)
        ip.set_max_memory(1000)
        with pytest.raises(MemoryError, match="the border strata of 780 pairs need"):
            ip.shapley_interaction_matrix(g, method="shared_pairs", budget=30000, seed=0, border=1)
    finally:
        ip.set_max_memory(previous)
