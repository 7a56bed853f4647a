"""Explaining a model does not change it: a ModelGame never updates running statistics and gives the
eval-mode values whatever the batch size, restores each module's train/eval mode (also when the model
raises), refuses batch-dependent normalisation, and checks a batch's memory before allocating it."""
import pytest
import torch
from torch import nn

import interplay as ip
from engine_models import bn_net, buffers


def test_model_game_never_updates_running_stats_and_restores_train_mode():
    net = bn_net().train()
    net[1].running_mean.normal_()  # running stats that differ from any batch's
    before = buffers(net)
    x = torch.randn(6)
    game = ip.ModelGame(net, x, ip.players.columns(6), batch_size=5)
    r = ip.shapley_values(game)
    after = buffers(net)
    assert all(torch.equal(before[k], after[k]) for k in before)  # num_batches_tracked too
    assert net.training and all(m.training for m in net.modules())
    # the values are those of the eval-mode network, whatever the batch size
    ref = ip.shapley_values(ip.ModelGame(net.eval(), x, ip.players.columns(6), batch_size=64))
    net.train()
    assert torch.allclose(r.values, ref.values, atol=1e-5)
    for bs in (1, 3, 64):
        v = ip.shapley_values(ip.ModelGame(net, x, ip.players.columns(6), batch_size=bs)).values
        assert torch.allclose(v, ref.values, atol=1e-5)
    assert net.training


def test_mixed_modes_are_restored_module_by_module():
    net = bn_net().train()
    net[1].eval()  # frozen batch norm, trained rest: a common fine-tuning set-up
    ip.shapley_values(ip.ModelGame(net, torch.randn(6), ip.players.columns(6)))
    assert [m.training for m in net] == [True, False, True, True, True]


def test_train_mode_restored_when_evaluation_raises():
    class Fails(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin, self.calls = nn.Linear(4, 2), 0

        def forward(self, x):
            self.calls += 1
            if self.calls > 1:
                raise RuntimeError("boom")
            return self.lin(x)

    net = Fails().train()
    game = ip.ModelGame(net, torch.randn(4), ip.players.columns(4))
    assert net.training
    with pytest.raises(RuntimeError, match="boom"):
        ip.shapley_values(game)
    assert net.training and net.lin.training


def test_batch_dependent_normalisation_is_refused():
    net = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4, track_running_stats=False), nn.Linear(4, 2))
    with pytest.raises(ValueError, match="track_running_stats=False"):
        ip.ModelGame(net, torch.randn(4), ip.players.columns(4))


def test_model_batch_memory_is_checked_before_allocating():
    net = nn.Linear(1000, 2)
    game = ip.ModelGame(net, torch.randn(1000), ip.players.columns(1000)[:10].repeat(100), n_players=10,
                        batch_size=4096)
    previous = ip.set_max_memory(1 << 20)  # 1 MiB: one batch of 1024 rows needs 7.8 MiB
    try:
        with pytest.raises(MemoryError, match=r"a batch of 1024 masked inputs of 1000 elements need 7.8 MiB, "
                                              r"more than max_memory = 1.0 MiB; lower batch_size"):
            ip.shapley_values(game)
        assert game.evaluations == 0
    finally:
        ip.set_max_memory(previous)
