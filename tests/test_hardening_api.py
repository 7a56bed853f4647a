"""Issue #11 (Python side): the memory budget, one seed rule, nothing truncated or dropped silently,
non-finite inputs named."""
import numpy as np
import pytest
import torch
from torch import nn

import interplay as ip
from interplay._internal import checks as _checks
from interplay.nn import InteractionLoss, interaction_loss


@pytest.fixture
def budget():
    """Sets interplay's memory budget for one test."""
    saved = []

    def set_(limit):
        saved.append(ip.set_max_memory(limit))

    yield set_
    if saved:
        ip.set_max_memory(saved[0])


def table_game(n=4, seed=0):
    return ip.TableGame(torch.randn(1 << n, dtype=torch.float64, generator=torch.Generator().manual_seed(seed)))


# -- memory -----------------------------------------------------------------------------------
def test_exact_at_26_players_is_refused_before_evaluating_naming_need_and_budget(budget):
    budget("1G")
    game = ip.Game(lambda c: c.sum(1).double(), 26)
    with pytest.raises(MemoryError, match=r"n = 26: the exact table and its transforms need 1\.\d GiB, "
                                          r"more than max_memory = 1\.0 GiB"):
        ip.shapley_values(game)
    assert game.evaluations == 0


def test_the_default_budget_is_half_the_available_memory_and_env_overrides(monkeypatch):
    assert ip.set_max_memory(None) is None
    assert abs(ip.max_memory() - _checks.available_memory() // 2) < 1 << 28
    monkeypatch.setenv("INTERPLAY_MAX_MEMORY", "3 MiB")
    assert ip.max_memory() == 3 << 20
    previous = ip.set_max_memory(12345)  # the explicit setting wins over the environment
    assert previous is None and ip.max_memory() == 12345
    ip.set_max_memory(None)
    monkeypatch.setenv("INTERPLAY_MAX_MEMORY", "lots")
    with pytest.raises(ValueError, match="INTERPLAY_MAX_MEMORY must be bytes"):
        ip.max_memory()


@pytest.mark.parametrize("bad, error", [(0, ValueError), (-1, ValueError), (True, TypeError), (1.5, TypeError),
                                        ("4X", ValueError), ("", ValueError)])
def test_set_max_memory_refuses_nonsense(bad, error):
    with pytest.raises(error, match="max_memory"):
        ip.set_max_memory(bad)
    assert ip.set_max_memory(None) is None  # unchanged


def test_the_table_is_filled_block_by_block_within_the_budget(budget):
    calls = []

    def fn(c):
        calls.append(c.shape[0])
        return c.sum(1).double()

    game = ip.Game(fn, 18, batch_size=1000)
    budget(8 * (1 << 18) * 2 + game.table_memory())  # exactly what it needs
    r = ip.banzhaf_values(game)
    assert torch.allclose(r.values, torch.ones(18, dtype=torch.float64))
    assert sum(calls) == 1 << 18 and max(calls) == 1000  # never all 2^18 coalitions at once


def test_a_cached_table_is_checked_for_its_transform(budget):
    game = table_game(20)
    budget(4 << 20)  # the table (8 MiB) is there; a transform needs 8 MiB more
    with pytest.raises(MemoryError, match=r"n = 20.*need 8\.0 MiB, more than max_memory = 4\.0 MiB"):
        ip.harsanyi_dividends(game)


def test_sampler_plans_and_pair_contexts_are_checked(budget):
    game = table_game(4)
    with pytest.raises(MemoryError, match="the plan of .* samples .* more than max_memory"):
        ip.shapley_values(game, method="permutation", budget=2 ** 70)
    budget("1M")
    with pytest.raises(MemoryError, match="sampled contexts"):
        ip.exact.pair_contexts(game, 0, 1, samples=10 ** 7)


def test_interaction_loss_checks_the_masked_batch_before_the_op(budget):
    net = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 2))
    budget("1M")
    reg = InteractionLoss(net, "1", contexts=1000, seed=0)
    with pytest.raises(MemoryError, match=r"masked batch of 8 inputs x 1000 contexts x 4 variants of 64 units"):
        reg(torch.randn(8, 4), torch.zeros(8, dtype=torch.long))
    with pytest.raises(ValueError, match="contexts must be a positive int"):
        InteractionLoss(net, "1", contexts=2 ** 62 + 1)  # the heap overflow never reaches the op


# -- seeds: one rule ---------------------------------------------------------------------------
BAD_SEEDS = [(-1, ValueError), (2 ** 64, ValueError), (1.0, TypeError), (True, TypeError), ("1", TypeError),
             (np.float64(1), TypeError), (torch.tensor(1.0), TypeError)]


def seed_users():
    g = table_game(4)
    words = ip.TableGame(torch.randn(16, dtype=torch.float64), labels=list("abcd"))
    net = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 2))
    h, y = torch.randn(2, 4), torch.zeros(2, dtype=torch.long)
    return {
        "Permutation": lambda s: ip.Permutation(seed=s),
        "PairSampling": lambda s: ip.PairSampling(seed=s),
        "SharedPairs": lambda s: ip.SharedPairs(seed=s),
        "CoalitionSampling": lambda s: ip.CoalitionSampling(seed=s),
        "LearnedPartitions": lambda s: ip.LearnedPartitions(seed=s),
        "shapley_values": lambda s: ip.shapley_values(g, method="permutation", seed=s),
        "budget picks exact": lambda s: ip.shapley_values(g, budget=1 << 10, seed=s),
        "pair_interactions": lambda s: ip.pair_interactions(g, [(0, 1)], method="pair_sampling", budget=64, seed=s),
        "prototypes": lambda s: ip.prototypes(words, [0, 1, 2], method="learned_partitions", seed=s),
        "pair_contexts": lambda s: ip.exact.pair_contexts(g, 0, 1, samples=4, seed=s),
        "InteractionLoss": lambda s: InteractionLoss(net, "1", seed=s),
        "interaction_loss": lambda s: interaction_loss(h, lambda m: m[:, :2], y, seed=s),
        "explain_dataset": lambda s: ip.explain_dataset(lambda x, seed: x, [1, 2], seed=s),
    }


@pytest.mark.parametrize("user", list(seed_users()))
@pytest.mark.parametrize("seed, error", BAD_SEEDS, ids=[repr(s) for s, _ in BAD_SEEDS])
def test_every_seed_follows_one_rule(user, seed, error):
    with pytest.raises(error, match="seed"):
        seed_users()[user](seed)


@pytest.mark.parametrize("user", list(seed_users()))
def test_seeds_up_to_two_to_the_64_work_everywhere(user):
    for seed in (0, 2 ** 63, 2 ** 64 - 1, np.uint64(2 ** 64 - 1)):
        seed_users()[user](seed)


def test_seeds_above_two_to_the_63_are_distinct_and_reproducible():
    g = table_game(6)
    a = ip.shapley_values(g, method="permutation", budget=200, seed=2 ** 63 + 1).values
    b = ip.shapley_values(g, method="permutation", budget=200, seed=2 ** 63 + 1).values
    c = ip.shapley_values(g, method="permutation", budget=200, seed=2 ** 63 + 2).values
    assert torch.equal(a, b) and not torch.equal(a, c)


# -- nothing truncated ---------------------------------------------------------------------------
def bad_indices():
    return [0.0, 1.0, True, False, np.bool_(True), np.float32(1), torch.tensor(1.0), torch.tensor(True),
            torch.tensor([1]), "1"]


INDEX_CALLS = {
    "pairs": lambda g, v: ip.pair_interactions(g, [(v, 2)]),
    "pairs tensor": lambda g, v: ip.pair_interactions(g, torch.tensor([[0, 1]], dtype=torch.float64)),
    "matrix pairs": lambda g, v: ip.shapley_interaction_matrix(g, pairs=[(0, v)]),
    "i": lambda g, v: ip.shapley_interaction(g, v, 2),
    "j": lambda g, v: ip.banzhaf_interaction(g, 0, v),
    "A": lambda g, v: ip.multivariate_interaction(g, [v, 2]),
    "coalition": lambda g, v: ip.coalition_shapley(g, [v]),
    "absent": lambda g, v: ip.coalition_shapley(g, [0], absent=[v]),
    "subset": lambda g, v: ip.elementary_interaction(g, [0, 1, 2], [v, 2]),
    "significance A": lambda g, v: ip.interaction_significance(g, [v, 2]),
    "order": lambda g, v: ip.multi_order_interaction(g, 0, 2, order=v),
    "orders": lambda g, v: ip.multi_order_interaction(g, 0, 2, orders=[v]),
    "marginal i": lambda g, v: ip.marginal_rewards(g, v, 2),
    "average marginal j": lambda g, v: ip.average_marginal_rewards(g, 0, v),
    "pair_contexts": lambda g, v: ip.exact.pair_contexts(g, v, 2),
}


@pytest.mark.parametrize("call", list(INDEX_CALLS))
def test_float_bool_and_array_indices_are_refused_not_truncated(call):
    g = table_game(4)
    for v in bad_indices():
        with pytest.raises(TypeError):
            INDEX_CALLS[call](g, v)
    assert g.evaluations == 0


def test_integer_like_indices_are_taken():
    g = table_game(4)
    expected = ip.shapley_interaction(g, 1, 2).values
    for v in (np.int64(1), torch.tensor(1), np.uint8(1)):
        assert torch.equal(ip.shapley_interaction(g, v, 2).values, expected)


def test_complex_and_bool_rewards_and_tables_are_refused():
    with pytest.raises(TypeError, match="complex rewards"):
        ip.shapley_values(ip.Game(lambda c: c.sum(1) * (1 + 1j), 3))
    with pytest.raises(TypeError, match="bool rewards"):
        ip.shapley_values(ip.Game(lambda c: c[:, 0], 3))
    for dtype in (torch.complex64, torch.bool):
        with pytest.raises(TypeError, match="real numbers"):
            ip.TableGame(torch.ones(8, dtype=dtype))
    net = nn.Linear(3, 2)
    with pytest.raises(TypeError, match="complex rewards"):
        ip.shapley_values(ip.ModelGame(net, torch.randn(3), ip.players.columns(3),
                                       reward=lambda out: out[:, 0].to(torch.complex64)))


def test_non_finite_inputs_are_named():
    net = nn.Linear(4, 3)
    cols = ip.players.columns(4)
    x = torch.randn(4)
    cases = {
        "x has a non-finite value \\(nan\\) at index \\[2\\]": dict(x=torch.tensor([0, 0, float("nan"), 0])),
        "the baseline has a non-finite value \\(inf\\) at index \\[1\\]":
            dict(baseline=torch.tensor([0, float("inf"), 0, 0])),
        "the reference batch has a non-finite value": dict(baseline="mean",
                                                           reference=torch.tensor([[0, 0, 0, float("nan")]])),
    }
    for message, kw in cases.items():
        with pytest.raises(ValueError, match=message):
            ip.ModelGame(net, kw.pop("x", x), cols, **kw)
    with pytest.raises(ValueError, match="the game table has a non-finite value at mask 3"):
        ip.TableGame(torch.tensor([0, 1, 2, float("-inf")]))
    nan_net = nn.Sequential(nn.Linear(4, 3), nn.Hardtanh(float("nan"), 1.0))
    with pytest.raises(ValueError, match="the model's output on the full x has a non-finite value"):
        ip.ModelGame(nan_net, x, cols)

    class NanWithoutPlayer0(nn.Module):
        def forward(self, x):
            out = torch.stack([x.sum(1), -x.sum(1)], 1)
            return torch.where(x[:, :1] == 0, torch.full_like(out, float("nan")), out)

    game = ip.ModelGame(NanWithoutPlayer0(), torch.ones(4), cols)
    with pytest.raises(ValueError, match=r"non-finite reward \(nan\) for the coalition with players \[\]"):
        ip.shapley_values(game)


@pytest.mark.parametrize("target, error, message", [
    (-1, ValueError, "target must be a class index >= 0, got -1"),
    (3, ValueError, "target 3 is out of range for a model with 3 classes"),
    (1.0, TypeError, "target must be an integer"),
    (True, TypeError, "target must be an integer"),
])
def test_model_game_targets(target, error, message):
    with pytest.raises(error, match=message):
        ip.ModelGame(nn.Linear(4, 3), torch.randn(4), ip.players.columns(4), target=target)


@pytest.mark.parametrize("kw, error", [
    (dict(batch_size=0), ValueError), (dict(batch_size=2.5), TypeError), (dict(batch_size=True), TypeError),
    (dict(batch_size=2 ** 70), ValueError), (dict(progress="yes"), TypeError),
])
def test_game_keywords(kw, error):
    with pytest.raises(error, match="batch_size|progress"):
        ip.Game(lambda c: c.sum(1).double(), 3, **kw)
