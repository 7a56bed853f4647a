"""The memory budget (interplay.set_max_memory / max_memory): half the available memory by default,
INTERPLAY_MAX_MEMORY overrides it, nonsense and unknown devices are refused; the exact table and its
transforms, tables filled block by block, sampler plans, pair contexts and the interaction loss's masked
batch are checked against it before anything is evaluated, naming what they need."""
import pytest
import torch
from torch import nn

import interplay as ip
from interplay._internal import checks as _checks
from interplay.nn import InteractionLoss
from seeded_games import table_game


@pytest.fixture
def budget():
    """Sets interplay's memory budget for one test."""
    saved = []

    def set_(limit):
        saved.append(ip.set_max_memory(limit))

    yield set_
    if saved:
        ip.set_max_memory(saved[0])


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
        ip.shapley_values(game, method="permutation", budget=2 ** 70, exact_when_covered=False)
    # a budget covering the 2^4 coalitions: the exact values (no plan), with a zero stderr
    r = ip.shapley_values(game, method="permutation", budget=2 ** 70)
    torch.testing.assert_close(r.values, ip.shapley_values(game).values, rtol=0, atol=0)
    assert torch.equal(r.stderr, torch.zeros(4, dtype=torch.float64))
    assert r.estimator == ip.Permutation(budget=2 ** 70)
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
        InteractionLoss(net, "1", contexts=2 ** 62 + 1)  # refused before the op, whose sizes it overflows


def test_max_memory_refuses_unknown_devices():
    with pytest.raises(ValueError, match="'tpu' is not a torch device"):
        ip.max_memory("tpu")
    assert ip.max_memory("cpu") > 0
