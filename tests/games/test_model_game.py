"""ModelGame + exact methods equal a brute force that builds every masked input by hand."""
import pytest
import torch
from torch import nn

import interplay as ip
from engine_models import Residual, TokenModel, digits, digits_cnn


def by_hand(model_fn, x, pmap, baseline, n, reward):
    """table[mask] = reward(model(x with elements of absent players set to the baseline)), one at a time."""
    table = torch.zeros(2 ** n, dtype=torch.float64)
    for mask in range(2 ** n):
        absent = torch.tensor([p for p in range(n) if not (mask >> p) & 1], dtype=torch.int64)
        xm = torch.where(torch.isin(pmap, absent), baseline, x)
        with torch.no_grad():
            table[mask] = float(reward(model_fn(xm.unsqueeze(0))[0]))
    return table


def digit():
    x, y = digits()
    return x[3], int(y[3])


REWARDS = {
    "logit": lambda out, t: out[t],
    "probability": lambda out, t: torch.softmax(out.double(), 0)[t],
    "log_probability": lambda out, t: torch.log_softmax(out.double(), 0)[t],
    "loss": lambda out, t: -torch.log_softmax(out.double(), 0)[t],
}


@pytest.mark.parametrize("reward", sorted(REWARDS))
def test_grid_players_every_reward(reward):
    model = digits_cnn()
    x, label = digit()
    pmap = ip.players.grid(x.shape, cells=(2, 3))
    ref = digits()[0][:50]
    game = ip.ModelGame(model, x, pmap, baseline="mean", reference=ref, reward=reward, target=label, batch_size=16)
    assert game.n_players == 6
    base = ref.mean(0)
    want = by_hand(model, x, pmap, base, 6, lambda out: REWARDS[reward](out, label))
    torch.testing.assert_close(game.table(), want, rtol=1e-5, atol=1e-5)
    exact = ip.shapley_values(game)
    assert exact.method == "exact" and exact.index == "SV"
    torch.testing.assert_close(exact.values, ip.shapley_values(ip.TableGame(want)).values, rtol=1e-5, atol=1e-5)


def test_default_target_is_the_predicted_class():
    model = digits_cnn()
    x, _ = digit()
    game = ip.ModelGame(model, x, ip.players.grid(x.shape, (2, 2)))
    assert game.target == int(model(x[None]).argmax())


def test_output_and_callable_rewards():
    model = nn.Sequential(nn.Linear(6, 4), nn.Tanh(), nn.Linear(4, 1)).double()
    x = torch.randn(6, dtype=torch.float64)
    pmap = torch.tensor([0, 0, 1, -1, 2, 3])
    base = torch.full((6,), 0.25, dtype=torch.float64)
    game = ip.ModelGame(model, x, pmap, baseline=0.25, reward="output")
    torch.testing.assert_close(game.table(), by_hand(model, x, pmap, base, 4, lambda o: o[0]))
    game = ip.ModelGame(model, x, pmap, baseline=0.25, reward=lambda out: out[:, 0] ** 2)
    torch.testing.assert_close(game.table(), by_hand(model, x, pmap, base, 4, lambda o: o[0] ** 2))


def test_feature_reward_at_a_module():
    model = digits_cnn()
    x, _ = digit()
    pmap = ip.players.grid(x.shape, (2, 2))
    game = ip.ModelGame(model, x, pmap, reward="feature", feature_at="6")  # the 32-unit hidden layer
    trunk = model[:7]
    with torch.no_grad():
        f_full = trunk(x[None])[0].double()
    want = by_hand(trunk, x, pmap, torch.zeros_like(x), 4, lambda f: (f.double() @ f_full) / (f_full @ f_full))
    torch.testing.assert_close(game.table(), want, rtol=1e-5, atol=1e-6)
    assert abs(float(game.table()[-1]) - 1.0) < 1e-6  # <f_N, f_N> / |f_N|^2


def test_token_and_word_players():
    model = TokenModel()
    ids = torch.tensor([1, 5, 7, 7, 3, 9, 2])
    pmap = ip.players.words([None, 0, 1, 1, 2, 3, None])  # two sub-word tokens form word 1
    assert pmap.tolist() == [-1, 0, 1, 1, 2, 3, -1]
    game = ip.ModelGame(model, ids, pmap, baseline=0)  # token 0 = [PAD]
    want = by_hand(model, ids, pmap, torch.zeros_like(ids), 4, lambda o: o[game.target])
    torch.testing.assert_close(game.table(), want)
    # zero word embeddings as the baseline: mask at the embedding output, [T] map over [T, E]
    game = ip.ModelGame(model, ids, pmap, layer="embed")
    with torch.no_grad():
        emb = model.embed(ids[None])[0]

    def from_embeddings(e):
        h = torch.tanh(model.mix(e))
        return model.head(h.mean(1) * h.amax(1))

    pm2 = pmap[:, None].expand_as(emb)
    want = by_hand(from_embeddings, emb, pm2, torch.zeros_like(emb), 4, lambda o: o[game.target])
    torch.testing.assert_close(game.table(), want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("where", ["sequential", "hook"])
def test_intermediate_layer_players(where):
    if where == "sequential":
        model = digits_cnn()
        x, _ = digit()
        layer = model[7]  # ReLU after the 32-unit layer: the units before a (hypothetical) dropout
        units = torch.tensor([0, 1, 2, 3, 4, -1] + [-1] * 26)
        game = ip.ModelGame(model, x, units, layer=layer)
        assert game._suffix is not None
        with torch.no_grad():
            act = model[:8](x[None])[0]
        want = by_hand(model[8:], act, units, torch.zeros_like(act), 5, lambda o: o[game.target])
    else:
        model = Residual()
        x = torch.randn(5)
        game = ip.ModelGame(model, x, None, layer="hidden", reward="logit", target=1)
        assert game._suffix is None and game.n_players == 9
        with torch.no_grad():
            act = model.hidden(model.inp(x[None]))[0]
            skip = model.skip(x[None])[0]
        want = by_hand(lambda a: model.out(a) + skip, act, torch.arange(9), torch.zeros(9), 9, lambda o: o[1])
    torch.testing.assert_close(game.table(), want, rtol=1e-5, atol=1e-6)
    i = ip.shapley_interaction_matrix(game)
    torch.testing.assert_close(i.values, ip.shapley_interaction_matrix(ip.TableGame(want)).values,
                               rtol=1e-5, atol=1e-6)


def test_nonfinite_reward_names_the_coalition():
    model = nn.Sequential(nn.Linear(3, 1))
    game = ip.ModelGame(model, torch.ones(3), torch.arange(3), reward=lambda o: 1.0 / (o[:, 0] * 0 + (o[:, 0] > 1e9)))
    with pytest.raises(ValueError, match=r"non-finite reward .* players \[\]"):
        game.table()


def test_bad_arguments_raise():
    model = digits_cnn()
    x, _ = digit()
    with pytest.raises(ValueError, match="does not fit"):
        ip.ModelGame(model, x, torch.zeros(3, 3, dtype=torch.int64))
    with pytest.raises(ValueError, match="target"):
        ip.ModelGame(model, x, ip.players.grid(x.shape, (2, 2)), reward="loss")
    with pytest.raises(ValueError, match="no submodule named"):
        ip.ModelGame(model, x, None, layer="nope")
    with pytest.raises(ValueError, match="submodule of the model"):
        ip.ModelGame(model, x, None, layer=nn.ReLU())
    with pytest.raises(ValueError, match="feature_at: the model has no submodule named"):
        ip.ModelGame(model, x, ip.players.grid(x.shape, (2, 2)), reward="feature", feature_at="nope")
    with pytest.raises(ValueError, match="reference"):
        ip.ModelGame(model, x, ip.players.grid(x.shape, (2, 2)), baseline="mean")
    with pytest.raises(ValueError, match="reward must be"):
        ip.ModelGame(model, x, ip.players.grid(x.shape, (2, 2)), reward="logits")


def test_player_helpers():
    g = ip.players.grid((3, 32, 32), (16, 16))
    assert g.shape == (3, 32, 32) and int(g.max()) == 255 and torch.equal(g[0], g[2])
    assert int(g[0, 31, 0]) == 240 and int(g[0, 0, 31]) == 15
    nb = ip.players.neighbours((16, 16))
    assert nb.shape == (480, 2) and bool(((nb[:, 1] - nb[:, 0] == 1) | (nb[:, 1] - nb[:, 0] == 16)).all())
    assert ip.players.tokens(5, always_present=[0, 4]).tolist() == [-1, 0, 1, 2, -1]
    assert ip.players.columns(3).tolist() == [0, 1, 2]


class FlatView(nn.Module):
    """A conv net whose forward views its conv output flat: a view that channels-last batches cannot take."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.conv, self.fc = nn.Conv2d(2, 3, 3, padding=1), nn.Linear(3 * 8 * 8, 4)

    def forward(self, x):
        h = self.conv(x)
        return self.fc(h.view(h.shape[0], -1))


def test_memory_format_auto_takes_channels_last_for_cpu_conv_nets():
    """3 channels, players per cell and channel group, a tensor baseline: the channels-last rows (the
    kernel run over x, baseline and map in (H, W, C) order) equal the brute force and the contiguous path."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(2), nn.Flatten(),
                          nn.Linear(16, 3)).eval()
    g = torch.Generator().manual_seed(3)
    x, base = torch.rand(3, 6, 6, generator=g), torch.rand(3, 6, 6, generator=g)
    channel_group = torch.tensor([0, 1, 1]).view(3, 1, 1)
    pmap = ip.players.grid(x.shape, cells=(2, 2)) + 4 * channel_group  # 8 players
    auto = ip.ModelGame(model, x, pmap, baseline=base, target=1, batch_size=64)
    plain = ip.ModelGame(model, x, pmap, baseline=base, target=1, batch_size=64, memory_format="contiguous")
    assert auto.channels_last is None and plain.channels_last is False  # auto decides on the first batch
    seen = []
    hook = model[0].register_forward_pre_hook(
        lambda m, a: seen.append((a[0].is_contiguous(memory_format=torch.channels_last), a[0].is_contiguous())))
    table = auto.table()
    hook.remove()
    assert auto.channels_last is True and seen == [(True, False)] * (256 // 64)
    torch.testing.assert_close(table, plain.table(), rtol=1e-6, atol=1e-6)
    torch.testing.assert_close(table, by_hand(model, x, pmap, base, 8, lambda o: o[1]), rtol=1e-5, atol=1e-6)


def test_memory_format_falls_back_when_the_network_needs_contiguous_inputs():
    model, x = FlatView().eval(), torch.rand(2, 8, 8)
    pmap = ip.players.grid(x.shape, cells=(2, 2))
    auto = ip.ModelGame(model, x, pmap, baseline=0.0, target=1)
    want = by_hand(model, x, pmap, torch.tensor(0.0), 4, lambda o: o[1])
    torch.testing.assert_close(auto.table(), want, rtol=1e-5, atol=1e-6)
    assert auto.channels_last is False
    forced = ip.ModelGame(model, x, pmap, baseline=0.0, target=1, memory_format="channels_last")
    with pytest.raises(RuntimeError, match="view"):
        forced.table()
    tabular = ip.ModelGame(nn.Linear(4, 2), torch.rand(4), torch.arange(4), target=0)
    assert tabular.channels_last is False
    with pytest.raises(ValueError, match="memory_format"):
        ip.ModelGame(model, x, pmap, memory_format="nhwc")
    with pytest.raises(ValueError, match="channels_last"):  # a hook substitutes the layer: no suffix to run
        ip.ModelGame(FlatView().eval(), x, None, layer="conv", target=0, memory_format="channels_last")


def test_grid_and_labels_flow_into_results():
    """ModelGame(grid=, labels=) reach every result (what pictures read), exact and sampled alike."""
    model = digits_cnn()
    x, label = digit()
    pmap = ip.players.grid(x.shape, cells=(2, 3))
    names = [f"cell{k}" for k in range(6)]
    game = ip.ModelGame(model, x, pmap, target=label, grid=(2, 3), labels=names)
    assert (game.grid, game.labels) == ((2, 3), tuple(names))
    exact = ip.shapley_values(game)
    # 2^6 <= 256: exact_when_covered=False, so that the sampler's own result is what carries them
    sampled = ip.shapley_interaction_matrix(game, method="shared_pairs", budget=256, seed=0, exact_when_covered=False)
    for r in (exact, sampled):
        assert r.grid == (2, 3) and r.labels == tuple(names) and r.n_players == 6
    assert 0 < sampled.evaluations <= 256
    assert ip.ModelGame(model, x, pmap, target=label).grid is None  # only when the caller says so
    with pytest.raises(ValueError, match="grid"):
        ip.ModelGame(model, x, pmap, grid=(2, 2))
    with pytest.raises(ValueError, match="labels"):
        ip.ModelGame(model, x, pmap, labels=["a", "b"])
    table = ip.TableGame(game.table(), grid=(3, 2), labels=names)
    assert ip.banzhaf_values(table).grid == (3, 2)


def test_old_and_unknown_keywords_are_type_errors():
    """One keyword per idea: layer= (was mask_at=), reward 'probability' (never 'prob'); nothing swallowed."""
    model = digits_cnn()
    x, _ = digit()
    pmap = ip.players.grid(x.shape, (2, 2))
    with pytest.raises(TypeError, match="mask_at"):
        ip.ModelGame(model, x, None, mask_at="7")
    with pytest.raises(TypeError, match="colour"):
        ip.ModelGame(model, x, pmap, colour="red")
    with pytest.raises(TypeError, match="cells"):
        ip.TableGame(torch.zeros(4), cells=(1, 2))
    with pytest.raises(ValueError, match="reward must be"):
        ip.ModelGame(model, x, pmap, reward="prob")
    assert ip.ModelGame(model, x, None, layer="7").layer is model[7]


class Wrapped(nn.Module):
    """The digits CNN behind a forward that is not a chain: masking inside it goes through the hook."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        return self.inner(x) * 1.0


def test_layer_in_nested_sequential_runs_only_the_rest():
    """A layer inside nested nn.Sequential containers: the shared suffix finder gives the rest of the
    network (outer and inner tails), which equals the brute force and the hook strategy."""
    base = digits_cnn()
    model = nn.Sequential(nn.Sequential(*base[:4]), nn.Sequential(*base[4:8]), base[8]).eval()
    x, _ = digit()
    units = torch.tensor([0, 1, 2, -1, 3] + [-1] * 27)
    game = ip.ModelGame(model, x, units, layer="1.2")  # the 32-unit Linear inside the second block
    assert game._suffix is not None and game.layer is model[1][2]
    hooked = ip.ModelGame(Wrapped(model).eval(), x, units, layer="inner.1.2", target=game.target)
    assert hooked._suffix is None
    with torch.no_grad():
        act = base[:7](x[None])[0]
    want = by_hand(base[7:], act, units, torch.zeros_like(act), 4, lambda o: o[game.target])
    torch.testing.assert_close(game.table(), want, rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(hooked.table(), want, rtol=1e-5, atol=1e-6)
    # f before the layer: its hook would not fire in the suffix, so the whole model runs
    early = ip.ModelGame(model, x, units, layer="1.2", reward="feature", feature_at="0.1")
    assert early._suffix is None


# -- non-finite inputs and bad targets are named ---------------------------------------------------
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
