"""interplay.nn.InteractionLoss and interaction_loss: reuse of the forward pass, BN-safe track, rewards."""
import pytest
import torch
import torch.nn.functional as F
from torch import nn

import interplay
from interplay.nn import InteractionLoss, frozen_norm_stats, interaction_loss


def net(bn: bool = True) -> nn.Sequential:
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1),
        nn.BatchNorm2d(4) if bn else nn.Identity(),
        nn.ReLU(),
        nn.Sequential(nn.Conv2d(4, 6, 3, padding=1), nn.ReLU()),  # "3.1" is the layer in some tests
        nn.Conv2d(6, 6, 3, padding=1),
        nn.BatchNorm2d(6) if bn else nn.Identity(),
        nn.ReLU(),
        nn.Flatten(),
        nn.Linear(6 * 6 * 6, 5),
    )


def data(batch: int = 6):
    g = torch.Generator().manual_seed(1)
    return torch.randn(batch, 1, 6, 6, generator=g), torch.randint(0, 5, (batch,), generator=g)


class CountCalls:
    def __init__(self, module):
        self.calls = 0
        module.register_forward_hook(self)

    def __call__(self, *args):
        self.calls += 1


def bn_state(model):
    return {k: v.clone() for k, v in model.state_dict().items() if "running" in k or "num_batches" in k}


def test_interplay_exposes_nn():
    assert interplay.nn.InteractionLoss is InteractionLoss
    assert "nn" in interplay.__all__


@pytest.mark.parametrize("layer", ["3.1", "2"])
def test_module_matches_functional_and_reuses_the_forward_pass(layer):
    model, (x, y) = net(), data()
    reg = InteractionLoss(model, layer=layer, contexts=3, seed=4, batchnorm="eval")
    first = CountCalls(model[0])
    out = model(x)
    assert first.calls == 1
    loss = reg(x, y)
    assert first.calls == 1, "the activation of model(x) must be reused, not recomputed"
    assert loss.item() > 0
    # the same value from the functional form, with the rest of the network in eval-BN mode
    h = model[: int(layer.split(".")[0]) + 1](x)
    rest = model[int(layer.split(".")[0]) + 1 :]
    rest.eval()
    with torch.no_grad():
        seed = reg_seed(reg)
        want = interaction_loss(h, rest, y, contexts=3, seed=seed)
    torch.testing.assert_close(loss.detach(), want)
    (F.cross_entropy(out, y) + loss).backward()
    assert all(p.grad is not None for p in model.parameters())


def reg_seed(reg):
    from interplay._internal.seeds import derive_seed

    return derive_seed(reg.seed, reg.calls - 1)


def test_repeat_strategy_equals_sequential_suffix():
    model, (x, y) = net().double(), data()
    x = x.double()
    a = InteractionLoss(model, layer="3.1", contexts=2, seed=8, suffix="auto")
    b = InteractionLoss(model, layer="3.1", contexts=2, seed=8, suffix="repeat")
    model(x)  # one forward: both capture it (a second one would move the running statistics)
    la = a(x, y)
    lb = b(x, y)
    torch.testing.assert_close(la, lb)
    ga = torch.autograd.grad(la, list(model.parameters()), allow_unused=True, retain_graph=True)
    gb = torch.autograd.grad(lb, list(model.parameters()), allow_unused=True)
    for u, v in zip(ga, gb):
        assert (u is None) == (v is None)
        if u is not None:
            torch.testing.assert_close(u, v)


def test_recomputes_for_another_input_without_touching_batchnorm():
    model, (x, y) = net(), data()
    reg = InteractionLoss(model, layer="2", contexts=2, seed=1)
    first = CountCalls(model[0])
    model(x)
    x2 = x + 1.0
    before = bn_state(model)
    reg(x2, y)  # a different tensor: the activation is recomputed
    assert first.calls == 2
    after = bn_state(model)
    for k in before:
        assert torch.equal(before[k], after[k]), f"{k} changed by the interaction loss"


@pytest.mark.parametrize("mode", ["ordinary", "eval", "batch"])
@pytest.mark.parametrize("suffix", ["auto", "repeat"])
def test_masked_track_never_updates_running_stats(mode, suffix):
    model, (x, y) = net(), data()
    reg = InteractionLoss(model, layer="3", contexts=2, seed=2, batchnorm=mode, suffix=suffix)
    out = model(x)
    before = bn_state(model)
    loss = F.cross_entropy(out, y) + reg(x, y)
    after = bn_state(model)
    for k in before:
        assert torch.equal(before[k], after[k]), f"{k} changed by the masked pass ({mode}, {suffix})"
    assert all(m.training and m.track_running_stats and "forward" not in vars(m)
               for m in model.modules() if isinstance(m, nn.BatchNorm2d))
    loss.backward()
    model(x)  # the ordinary track still updates
    assert not torch.equal(bn_state(model)["1.running_mean"], after["1.running_mean"])
    assert int(bn_state(model)["5.num_batches_tracked"]) == int(after["5.num_batches_tracked"]) + 1


def test_batchnorm_modes_normalise_differently():
    model, (x, y) = net(), data()
    regs = [InteractionLoss(model, layer="3", contexts=2, seed=2, batchnorm=m) for m in ("ordinary", "eval", "batch")]
    model(x)
    a, b, c = (reg(x, y) for reg in regs)
    assert not torch.allclose(a, b) and not torch.allclose(a, c) and not torch.allclose(b, c)


def test_ordinary_mode_normalises_as_the_training_pass():
    """batchnorm="ordinary": inside the masked track each batch norm uses the ordinary pass's batch
    statistics (recorded for every batch-norm layer), so the same batch gives exactly the training-mode
    output, another batch is normalised with x's statistics, and nothing is recorded."""
    model, (x, y) = net().double(), data()
    x = x.double()
    reg = InteractionLoss(model, layer="3", contexts=2, seed=2)
    assert reg.batchnorm == "ordinary"
    out = model(x)
    assert set(reg._norm_stats) == {m for m in model.modules() if isinstance(m, nn.BatchNorm2d)}
    x2 = 3 * x + 1
    before = bn_state(model)
    with frozen_norm_stats(model, "ordinary", reg._norm_stats):
        again, other = model(x), model(x2)
    torch.testing.assert_close(again, out)
    with frozen_norm_stats(model, "batch"):
        own = model(x2)  # x2 with its own batch statistics
    assert not torch.allclose(other, own)
    assert all(torch.equal(before[k], v) for k, v in bn_state(model).items())
    assert all("forward" not in vars(m) and not hasattr(m, "_interplay_masked_track") for m in model.modules())


def test_ordinary_mode_without_a_preceding_forward_recomputes_the_statistics():
    """reg(x, y) with no model(x) before it (or after model(other)) records x's statistics in its own
    forced pass: the same loss and gradients as after model(x)."""
    model, (x, y) = net().double(), data()
    x = x.double()
    fresh = InteractionLoss(model, layer="3", contexts=2, seed=5)
    model(x + 1.0)  # another batch: its statistics must not be used for x
    lf = fresh(x, y)
    assert fresh._norm_stats == {}  # used once: the graph is not held past the call
    gf = torch.autograd.grad(lf, list(model.parameters()), allow_unused=True)
    after = InteractionLoss(model, layer="3", contexts=2, seed=5)
    model(x)
    la = after(x, y)
    ga = torch.autograd.grad(la, list(model.parameters()), allow_unused=True)
    torch.testing.assert_close(lf, la)
    for u, v in zip(gf, ga):
        assert (u is None) == (v is None)
        if u is not None:
            torch.testing.assert_close(u, v)
    assert after._norm_stats == {}


def test_two_losses_on_one_model_ignore_each_others_masked_passes():
    """A loss whose layer lies in another loss's suffix keeps the ordinary activation and statistics."""
    model, (x, y) = net().double(), data()
    x = x.double()
    low = InteractionLoss(model, layer="2", contexts=2, seed=1)
    high = InteractionLoss(model, layer="6", contexts=2, seed=3)
    model(x)
    low(x, y)  # its masked pass runs layer "6" on 4 * 2 * 6 rows
    l_high = high(x, y)
    alone_model = net().double()
    alone = InteractionLoss(alone_model, layer="6", contexts=2, seed=3)
    alone_model(x)
    torch.testing.assert_close(l_high, alone(x, y))


def test_instance_norm_statistics_stay_put_and_attributes_are_restored_exactly():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 3, 3, padding=1), nn.ReLU(), nn.Conv2d(3, 3, 3, padding=1),
                          nn.InstanceNorm2d(3, affine=True, track_running_stats=True), nn.ReLU(), nn.Flatten(),
                          nn.Linear(3 * 6 * 6, 5))
    x, y = data()
    patched = model[3].forward  # a user's instance attribute must survive the masked track
    model[3].forward = patched
    for mode in ("ordinary", "eval", "batch"):
        reg = InteractionLoss(model, layer="1", contexts=2, seed=0, batchnorm=mode)
        model(x)
        before = bn_state(model)
        with frozen_norm_stats(model, mode):  # nested blocks restore what the outer one set
            reg(x, y)
        assert all(torch.equal(before[k], v) for k, v in bn_state(model).items()), mode
        reg.remove()
    assert vars(model[3])["forward"] is patched and model[3].training and model[3].track_running_stats
    assert not any(hasattr(m, "_interplay_masked_track") for m in model.modules())


@pytest.mark.parametrize("mode", ["ordinary", "eval"])
def test_ordinary_mode_keeps_the_scale_invariance_of_batch_norm(mode):
    """A training-mode batch norm makes the network invariant to the scale c of the conv before it; the
    loss in "ordinary" mode inherits that (same value for c = 3, and the gradient is orthogonal to the
    weights, Euler's theorem for a degree-0 function), "eval" does not: there the penalty can be met by
    rescaling alone, which is how it wrecked the digits study's batch-norm network."""
    values, grads = [], []
    for c in (1.0, 3.0):
        model, (x, y) = net().double(), data()
        model[5].eps = 1e-14  # exact invariance (eps breaks it at the 1e-4 level)
        with torch.no_grad():
            model[4].weight.mul_(c), model[4].bias.mul_(c)  # the conv before BatchNorm2d "5"
        reg = InteractionLoss(model, layer="3", contexts=2, seed=2, batchnorm=mode)
        model(x.double())
        loss = reg(x.double(), y)
        values.append(loss.detach())
        grads.append(torch.autograd.grad(loss, [model[4].weight, model[4].bias]))
    w, b = net().double()[4].weight.detach(), net().double()[4].bias.detach()
    radial = float((grads[0][0] * w).sum() + (grads[0][1] * b).sum())
    if mode == "ordinary":
        torch.testing.assert_close(values[1], values[0])
        assert abs(radial) < 1e-10 * float(values[0])
    else:
        assert not torch.allclose(values[1], values[0], rtol=1e-3)
        assert abs(radial) > 1e-3 * float(values[0])


def test_linear_rest_has_no_interaction():
    """Δf = 0 for every context when the rest of the network is affine (no interaction, Eq. 2)."""
    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4), nn.Linear(4, 3))
    x, y = torch.randn(5, 8), torch.randint(0, 3, (5,))
    model(x)
    assert InteractionLoss(model, layer="1", seed=0)(x, y).abs().item() < 1e-10
    model(x)
    assert InteractionLoss(model, layer="1", seed=0, reward="probability")(x, y).item() > 1e-8


@pytest.mark.parametrize("reward", ["logit", "probability", "log_probability", "loss"])
def test_reward_kinds(reward):
    model, (x, y) = net(bn=False), data()
    model(x)
    reg = InteractionLoss(model, layer="2", contexts=2, seed=3, reward=reward)
    got = reg(x, y)
    h = model[:3](x)
    rest = model[3:]

    def fn(out, labels):
        if reward == "logit":
            return out[torch.arange(len(labels)), labels]
        if reward == "probability":
            return out.softmax(1)[torch.arange(len(labels)), labels]
        if reward == "log_probability":
            return out.log_softmax(1)[torch.arange(len(labels)), labels]
        return -out.log_softmax(1)[torch.arange(len(labels)), labels]

    want = interaction_loss(h, rest, y, contexts=2, seed=reg_seed(reg), reward=fn)
    torch.testing.assert_close(got, want)


def test_subsample_uses_part_of_the_batch():
    model, (x, y) = net(bn=False), data(8)
    seen = []
    reg = InteractionLoss(model, layer="2", contexts=3, seed=0, subsample=0.25,
                          suffix=lambda t: seen.append(t.shape[0]) or model[3:](t))
    model(x)
    reg(x, y)
    assert seen == [2 * 3 * 4]


def test_seed_none_follows_torch_manual_seed():
    model, (x, y) = net(bn=False), data()
    reg = InteractionLoss(model, layer="2", contexts=2)
    torch.manual_seed(5)
    a = reg(x, y)
    torch.manual_seed(5)
    b = reg(x, y)
    c = reg(x, y)
    torch.testing.assert_close(a, b)
    assert not torch.allclose(b, c)


def test_bad_arguments():
    model = net()
    with pytest.raises(ValueError, match="no submodule"):
        InteractionLoss(model, layer="nope")
    with pytest.raises(ValueError, match="submodule"):
        InteractionLoss(model, layer=nn.ReLU())
    with pytest.raises(ValueError, match="batchnorm"):
        InteractionLoss(model, layer="2", batchnorm="train")
    with pytest.raises(ValueError, match="reward"):
        x, y = data()
        model(x)
        InteractionLoss(model, layer="2", reward="margin")(x, y)
    with pytest.raises(ValueError, match="y must be"):
        interaction_loss(torch.randn(3, 10), lambda t: t, torch.zeros(4, dtype=torch.long))


def test_recomputed_activation_equals_the_training_forward():
    """Without a preceding model(x), the activation is recomputed with batch statistics (as in training),
    whatever the masked track's batchnorm mode, and the running statistics stay put."""
    model, (x, y) = net().double(), data()
    x = x.double()
    reg = InteractionLoss(model, layer="3", contexts=2, seed=6, batchnorm="eval")
    before = bn_state(model)
    h = reg.activation(x)
    assert all(torch.equal(before[k], v) for k, v in bn_state(model).items())
    torch.testing.assert_close(h, model[:4](x))  # train mode: batch statistics


def test_old_and_unknown_keywords_are_errors():
    """One spelling per idea: reward "probability" (the ModelGame name; "prob" is gone), layer= as in
    ModelGame; options are keyword-only and an unknown keyword is a TypeError, never swallowed."""
    model, (x, y) = net(bn=False), data()
    model(x)
    with pytest.raises(ValueError, match="'probability'"):
        InteractionLoss(model, layer="2", reward="prob")(x, y)
    with pytest.raises(TypeError, match="mask_at"):
        InteractionLoss(model, mask_at="2")
    with pytest.raises(TypeError, match="samples"):
        InteractionLoss(model, layer="2", samples=4)
    with pytest.raises(TypeError):
        InteractionLoss(model, "2", 0.05)  # alpha is keyword-only
    with pytest.raises(TypeError, match="seed"):
        InteractionLoss(model, layer="2", seed="1")
    with pytest.raises(TypeError, match="samples"):
        interaction_loss(torch.randn(3, 10), lambda t: t, torch.zeros(3, dtype=torch.long), samples=2)
    from interplay.games.model import REWARDS as GAME_REWARDS
    from interplay.nn.functional import REWARDS as LOSS_REWARDS

    assert set(LOSS_REWARDS) <= set(GAME_REWARDS)  # the class-score rewards: one set of names


def test_seeded_calls_use_the_shared_derive_seed():
    """Call t of a seeded loss uses _seeds.derive_seed(seed, t) (the seed mixing of explain_dataset)."""
    from interplay._internal.seeds import derive_seed

    model, (x, y) = net(bn=False), data()
    reg = InteractionLoss(model, layer="2", contexts=2, seed=11)
    model(x)
    first = reg(x, y)
    model(x)
    second = reg(x, y)
    rest = model[3:]
    h = model[:3](x)
    torch.testing.assert_close(first, interaction_loss(h, rest, y, contexts=2, seed=derive_seed(11, 0)))
    torch.testing.assert_close(second, interaction_loss(h, rest, y, contexts=2, seed=derive_seed(11, 1)))
    assert not torch.allclose(first, second)


def test_one_resolver_one_suffix_finder_one_splitmix():
    """ModelGame and InteractionLoss share the module resolver, the Sequential-suffix finder and the
    class-score rewards (interplay._internal.modules); SplitMix64 is written once (interplay._internal.seeds)."""
    import pathlib
    import re

    import interplay._internal.modules as M
    import interplay.games.model as game_model
    import interplay.nn.functional as functional
    import interplay.nn.loss as loss

    assert game_model.resolve_module is M.resolve_module is loss.resolve_module
    assert game_model.sequential_suffix is M.sequential_suffix is loss.sequential_suffix
    assert game_model.class_rewards is M.class_rewards is functional.class_rewards
    root = pathlib.Path(interplay.__file__).parent
    defs = {"resolver": r"def (resolve_module|resolve_layer|_module)\(", "suffix": r"def \w*suffix\w*\(model",
            "splitmix": r"0x9E3779B97F4A7C15"}
    for what, pattern in defs.items():
        where = sorted(str(p.relative_to(root)) for p in root.rglob("*.py")
                       if re.search(pattern, p.read_text(), re.IGNORECASE))
        want = ["_internal/seeds.py"] if what == "splitmix" else ["_internal/modules.py"]
        assert where == want, (what, where)


def test_resolver_and_suffix_finder():
    """The one resolver: names and modules, the same errors for both users; the one suffix finder:
    nested Sequentials (outer and inner tails), DDP-style names, None where the forward is no chain."""
    from interplay._internal.modules import resolve_module, sequential_suffix

    model = net(bn=False)
    assert resolve_module(model, "3.1") == (model[3][1], "3.1")
    assert resolve_module(model, model[3][1]) == (model[3][1], "3.1")
    for bad, error in (("nope", ValueError), ("", ValueError), (model, ValueError), (nn.ReLU(), ValueError),
                       (3, TypeError)):
        with pytest.raises(error):
            resolve_module(model, bad)
    with pytest.raises(ValueError, match="no submodule named 'nope'") as from_loss:
        InteractionLoss(model, layer="nope")
    x = torch.randn(1, 6, 6)
    from interplay import ModelGame

    with pytest.raises(ValueError, match="no submodule named 'nope'") as from_game:
        ModelGame(model.eval(), x, None, layer="nope")
    assert str(from_loss.value) == str(from_game.value)

    rest = sequential_suffix(model, "3.0")
    assert [type(m) for m in rest] == [nn.ReLU, nn.Conv2d, nn.Identity, nn.ReLU, nn.Flatten, nn.Linear]
    assert rest[0] is model[3][1] and rest[1] is model[4]
    assert len(sequential_suffix(model, "8")) == 0  # the last layer: the identity
    h = torch.randn(2, 4, 6, 6)
    torch.testing.assert_close(sequential_suffix(model, "2")(h), model[3:](h))

    class Wrap(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = net(bn=False)

        def forward(self, t):
            return self.body(t) + 0

    assert sequential_suffix(Wrap(), "body.2") is None


# -- labels and constructor arguments are checked --------------------------------------------------
def _loss(**kw):
    net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    return net, InteractionLoss(net, "1", seed=0, **kw)


def test_interaction_loss_checks_labels():
    net, reg = _loss()
    x = torch.randn(4, 4)
    net(x)
    with pytest.raises(ValueError, match="label 5 is out of range for 3 classes"):
        reg(x, torch.tensor([0, 1, 2, 5]))
    with pytest.raises(ValueError, match="label -1 is out of range"):
        reg(x, torch.tensor([0, 1, 2, -1]))
    with pytest.raises(TypeError, match="labels must be integer class indices"):
        reg(x, torch.tensor([0., 1., 2., 1.]))
    assert reg(x, torch.tensor([0, 1, 2, 1])).item() >= 0


def test_interaction_loss_constructor_checks():
    with pytest.raises(TypeError, match="alpha must be a number"):
        _loss(alpha="0.1")
    with pytest.raises(ValueError, match="reward must be one of"):
        _loss(reward="logits")
