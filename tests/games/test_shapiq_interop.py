"""shapiq interop: result.to_shapiq() equals shapiq's own exact InteractionValues, shapiq games and
plain callables on boolean coalition arrays are interplay games, and shapiq stays optional."""
import sys

import numpy as np
import pytest
import torch

import interplay as ip

INDICES = ["SV", "BV", "SII", "BII", "k-SII", "STII", "FSII", "FBII", "Moebius", "Co-Moebius"]


def mlp_game(n=8):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(n, 16), torch.nn.Tanh(), torch.nn.Linear(16, 3)).double().eval()
    x = torch.randn(n, dtype=torch.float64)
    return ip.ModelGame(model, x, players=torch.arange(n), reward="logit", target=1)


def assert_same(ours, theirs, atol):
    assert (ours.index, ours.max_order, ours.min_order, ours.n_players) == \
        (theirs.index, theirs.max_order, theirs.min_order, theirs.n_players)
    assert ours.baseline_value == pytest.approx(theirs.baseline_value, abs=atol)
    keys = set(ours.interaction_lookup) | set(theirs.interaction_lookup)
    np.testing.assert_allclose([ours[k] for k in sorted(keys)], [theirs[k] for k in sorted(keys)], atol=atol)


@pytest.mark.parametrize("index", INDICES)
def test_to_shapiq_equals_shapiq_on_a_model_game(index):
    shapiq = pytest.importorskip("shapiq")
    game = mlp_game()
    n = game.n_players
    fn = lambda c: game(torch.as_tensor(c)).numpy()  # noqa: E731
    orders = [1] if index in ("SV", "BV") else [n] if index == "Moebius" else [1, 2, 3, n]  # shapiq's Moebius: order n
    for k in orders:
        ours = ip.interaction_values(game, index=index, order=k).to_shapiq()
        theirs = shapiq.ExactComputer(fn, n_players=n, evaluate_game=True)(index, k)
        assert_same(ours, theirs, atol=1e-6 if index == "FSII" else 1e-10)
        assert not ours.estimated


def test_shapiq_game_and_callables_are_games():
    shapiq = pytest.importorskip("shapiq")

    class Cubic(shapiq.Game):
        def __init__(self):
            super().__init__(n_players=6, normalization_value=0.5, normalize=True)

        def value_function(self, coalitions):
            c = coalitions.astype(float)
            return 0.5 + c @ np.arange(1.0, 7.0) + 3 * c[:, 0] * c[:, 1] - 2 * c[:, 2] * c[:, 3] * c[:, 4]

    sgame = Cubic()
    game = ip.games.from_shapiq_game(sgame)
    assert game.n_players == 6
    for index, k in [("k-SII", 2), ("STII", 2), ("FSII", 3), ("SII", 3), ("SV", 1)]:
        assert_same(ip.interaction_values(game, index=index, order=k).to_shapiq(),
                    shapiq.ExactComputer(sgame)(index, k), atol=1e-6)
    ours = ip.interaction_values(game, index="Moebius", order=6)
    assert ours.get((0, 1)) == pytest.approx(3.0) and ours.get((2, 3, 4)) == pytest.approx(-2.0)
    assert ours.get(()) == pytest.approx(0.0)  # shapiq's normalisation subtracts v(∅)
    plain = ip.games.callable_game(lambda c: c.sum(axis=1) ** 2, n_players=5)
    sv = ip.interaction_values(plain, index="SV")
    np.testing.assert_allclose(sv.values[1:].numpy(), np.full(5, 5.0))
    with pytest.raises(TypeError, match="must be a shapiq.Game"):
        ip.games.from_shapiq_game(lambda c: c.sum(1))


def test_random_games_match_shapiq_and_plots_draw():
    shapiq = pytest.importorskip("shapiq")
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    for n in (4, 7):
        table = np.random.default_rng(n).normal(size=1 << n)
        weights = 1 << np.arange(n)
        fn = lambda c: table[(c.astype(np.int64) * weights).sum(1)]  # noqa: E731
        game = ip.games.callable_game(fn, n_players=n)
        for index in ("k-SII", "STII", "FBII", "Co-Moebius"):
            assert_same(ip.interaction_values(game, index=index, order=2).to_shapiq(),
                        shapiq.ExactComputer(fn, n_players=n)(index, 2), atol=1e-10)
    iv = ip.interaction_values(game, index="k-SII", order=2).to_shapiq()
    import matplotlib.pyplot as plt

    iv.plot_force(show=False)
    plt.close("all")


def test_to_shapiq_refuses_other_results_and_needs_shapiq(monkeypatch):
    table = ip.TableGame(torch.randn(8, dtype=torch.float64))
    with pytest.raises(ValueError, match="to_shapiq takes interaction values over coalitions .* not a 'T' result"):
        ip.interaction_significance(table, [0, 1]).to_shapiq()
    monkeypatch.setitem(sys.modules, "shapiq", None)
    with pytest.raises(ImportError, match="pip install shapiq"):
        ip.interaction_values(table, index="SII").to_shapiq()
    with pytest.raises(ImportError, match="pip install shapiq"):
        ip.games.from_shapiq_game(object())


def test_values_and_pair_results_convert_to_shapiq():
    """SV / BV values and SII / BII pairs (a matrix, listed pairs, one pair) become shapiq
    InteractionValues of order 1 and 2 equal to shapiq's own exact ones; a matrix's NaN (pairs not
    estimated) is left out; other results are refused by name."""
    shapiq = pytest.importorskip("shapiq")
    n = 6
    t = torch.randn(1 << n, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    g = ip.TableGame(t)
    table, weights = t.numpy(), 1 << np.arange(n)
    computer = shapiq.ExactComputer(lambda c: table[(c.astype(np.int64) * weights).sum(1)], n_players=n,
                                    evaluate_game=True)
    for ours, index in ((ip.shapley_values(g), "SV"), (ip.banzhaf_values(g), "BV")):
        iv, theirs = ours.to_shapiq(), computer(index, 1)
        assert (iv.index, iv.min_order, iv.max_order, len(iv.values)) == (index, 1, 1, n)
        for i in range(n):
            assert iv[(i,)] == pytest.approx(theirs[(i,)], abs=1e-12)
    theirs = computer("SII", 2)
    every = [(i, j) for i in range(n) for j in range(i + 1, n)]
    iv = ip.shapley_interaction_matrix(g).to_shapiq()
    assert (iv.index, iv.min_order, iv.max_order, len(iv.values)) == ("SII", 2, 2, len(every))
    for p in every:
        assert iv[p] == pytest.approx(theirs[p], abs=1e-12)
    listed = ip.shapley_interaction_matrix(g, pairs=[(0, 1), (4, 2)]).to_shapiq()
    assert sorted(listed.interaction_lookup) == [(0, 1), (2, 4)]
    assert ip.pair_interactions(g, [(3, 1)]).to_shapiq()[(1, 3)] == pytest.approx(theirs[(1, 3)], abs=1e-12)
    assert ip.shapley_interaction(g, 0, 2).to_shapiq()[(0, 2)] == pytest.approx(theirs[(0, 2)], abs=1e-12)
    estimate = ip.shapley_values(g, budget=40, seed=0).to_shapiq()
    assert estimate.estimated and estimate.estimation_budget == 40 or estimate.estimation_budget is None
    with pytest.raises(ValueError, match="to_shapiq takes .* not a 'T' result"):
        ip.interaction_significance(g, [0, 1, 2]).to_shapiq()
