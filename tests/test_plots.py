"""Plots: each function draws on small inputs, returns a Figure, writes a PNG, and draws the right numbers."""
import math
import os
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
import torch  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import interplay as ip  # noqa: E402
import reference as ref  # noqa: E402
from interplay import plots  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"


def random_table(n, seed):
    return torch.randint(-9, 10, (2**n,), generator=torch.Generator().manual_seed(seed)).double()


def assert_png(fig, path):
    assert isinstance(fig, Figure)
    assert os.path.getsize(path) > 1000
    with open(path, "rb") as f:
        assert f.read(8) == PNG


def hand_strength(matrix, h, w, offsets):
    """Color(g) = mean over in-grid neighbours g' of |M[g, g']|, by plain loops."""
    out = torch.empty(h, w, dtype=torch.float64)
    for r in range(h):
        for c in range(w):
            vals = [abs(float(matrix[r * w + c, (r + dr) * w + (c + dc)]))
                    for dr, dc in offsets if 0 <= r + dr < h and 0 <= c + dc < w]
            out[r, c] = sum(vals) / len(vals)
    return out


FOUR = [(-1, 0), (1, 0), (0, -1), (0, 1)]
EIGHT = [(a, b) for a in (-1, 0, 1) for b in (-1, 0, 1) if (a, b) != (0, 0)]


# -- grid strength ------------------------------------------------------------------------------
@pytest.mark.parametrize("neighbours,offsets", [(4, FOUR), (8, EIGHT)])
def test_grid_strength_matches_hand_computation(neighbours, offsets):
    h, w = 3, 4
    m = torch.randn(h * w, h * w, dtype=torch.float64, generator=torch.Generator().manual_seed(2))
    got = plots.grid_strength(m, (h, w), neighbours=neighbours)
    torch.testing.assert_close(got, hand_strength(m, h, w, offsets), rtol=0, atol=1e-12)


def test_grid_strength_of_a_game_interaction_matrix():
    game = ip.TableGame(random_table(6, 1))
    m = ip.shapley_interaction_matrix(game)
    want = torch.empty(2, 3, dtype=torch.float64)
    for r in range(2):
        for c in range(3):
            g = r * 3 + c
            nb = [(r + dr) * 3 + c + dc for dr, dc in FOUR if 0 <= r + dr < 2 and 0 <= c + dc < 3]
            want[r, c] = sum(abs(ref.shapley_interaction_eq2(game.table(), 6, g, k)) for k in nb) / len(nb)
    torch.testing.assert_close(plots.grid_strength(m, (2, 3)), want, rtol=0, atol=1e-9)


def test_grid_strength_from_pairs_dict():
    h, w = 2, 3
    m = torch.randn(6, 6, dtype=torch.float64, generator=torch.Generator().manual_seed(3))
    m = m + m.T
    # each neighbour pair once, half keyed by index and half by (row, col)
    pairs = {}
    for a in range(6):
        for b in range(a + 1, 6):
            ra, ca, rb, cb = a // w, a % w, b // w, b % w
            if abs(ra - rb) + abs(ca - cb) == 1:
                key = (a, b) if (a + b) % 2 else ((ra, ca), (rb, cb))
                pairs[key] = float(m[a, b])
    torch.testing.assert_close(plots.grid_strength(pairs, (h, w)), plots.grid_strength(m, (h, w)))
    # a cell without any known neighbour interaction is NaN; others average what is known
    got = plots.grid_strength({(0, 1): -2.0, (1, 2): 4.0}, (2, 3))
    assert got[0, 0] == 2.0 and got[0, 1] == 3.0 and got[0, 2] == 4.0
    assert torch.isnan(got[1]).all()


def test_grid_strength_rejects_bad_input():
    with pytest.raises(ValueError, match="grid 2x2 has 4 cells"):
        plots.grid_strength(torch.zeros(6, 6), (2, 2))
    with pytest.raises(ValueError, match="square"):
        plots.grid_strength(torch.zeros(6, 5), (2, 3))
    with pytest.raises(ValueError, match="outside the 2x3 grid"):
        plots.grid_strength({(0, 6): 1.0}, (2, 3))
    with pytest.raises(ValueError, match="neighbours must be 4 or 8"):
        plots.grid_strength(torch.zeros(6, 6), (2, 3), neighbours=6)


def test_grid_interaction_strength_figure(tmp_path):
    m = ip.shapley_interaction_matrix(ip.TableGame(random_table(6, 4)))
    image = torch.rand(3, 20, 30, generator=torch.Generator().manual_seed(0))
    fig = plots.grid_interaction_strength(m, (2, 3), image, save=tmp_path / "g.png")
    assert_png(fig, tmp_path / "g.png")
    strength = plots.grid_strength(m, (2, 3))
    torch.testing.assert_close(fig.interplay_data["strength"], strength)
    torch.testing.assert_close(fig.interplay_data["shown"], strength / strength.max())


# -- context maps -------------------------------------------------------------------------------
def test_pair_contexts_enumerates_every_context():
    n, i, j = 5, 1, 3
    game = ip.TableGame(random_table(n, 5))
    contexts, deltas = plots.pair_contexts(game, i, j)
    assert contexts.dtype == torch.bool and contexts.shape == (2 ** (n - 2), n)
    assert not contexts[:, [i, j]].any()
    assert len({tuple(row.tolist()) for row in contexts}) == 2 ** (n - 2)
    for row, d in zip(contexts, deltas):
        S = tuple(k for k in range(n) if row[k])
        assert float(d) == ref.delta_f(game.table(), S, i, j)


def test_pair_contexts_sampled():
    n, i, j = 7, 0, 6
    game = ip.TableGame(random_table(n, 6))
    contexts, deltas = plots.pair_contexts(game, i, j, samples=50, seed=3)
    assert contexts.shape == (50, n) and not contexts[:, [i, j]].any()
    assert game.evaluations == 4 * 50
    for row, d in zip(contexts, deltas):
        S = tuple(k for k in range(n) if row[k])
        assert float(d) == ref.delta_f(game.table(), S, i, j)
    again, _ = plots.pair_contexts(game, i, j, samples=50, seed=3)
    assert torch.equal(contexts, again)


def test_context_weights_hand_computation():
    contexts = torch.tensor([[1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 0, 0]], dtype=torch.bool)
    deltas = torch.tensor([2.0, -1.0, 0.5])
    raw = plots.context_weights(contexts, deltas, normalize=False)
    torch.testing.assert_close(raw, torch.tensor([2.5, 0.5, 3.0, 1.0], dtype=torch.float64))
    torch.testing.assert_close(plots.context_weights(contexts, deltas), raw / 3.5)
    # only the contexts that boost a positive interaction (Δv > 0)
    boost = plots.context_weights(contexts, deltas, interaction=1.0, normalize=False)
    torch.testing.assert_close(boost, torch.tensor([2.5, 0.5, 2.0, 0.0], dtype=torch.float64))
    with pytest.raises(ValueError, match="one per context"):
        plots.context_weights(contexts, deltas[:2])


def test_context_map_figure(tmp_path):
    game = ip.TableGame(random_table(6, 7))
    contexts, deltas = plots.pair_contexts(game, 1, 4)
    fig = plots.context_map(contexts, deltas, (2, 3), pair=(1, 4), save=tmp_path / "c.png")
    assert_png(fig, tmp_path / "c.png")
    want = plots.context_weights(contexts, deltas).view(2, 3)
    torch.testing.assert_close(fig.interplay_data["weights"], want)
    assert want[0, 1] == 0 and want[1, 1] == 0  # i and j are never in their own contexts


# -- values, matrices, networks -----------------------------------------------------------------
def test_player_values_grid_tokens_features(tmp_path):
    sv = ip.shapley_values(ip.TableGame(random_table(6, 8)))
    fig = plots.player_values(sv, grid=(2, 3), image=torch.rand(12, 18), save=tmp_path / "a.png")
    assert_png(fig, tmp_path / "a.png")
    torch.testing.assert_close(fig.interplay_data["values"], sv.tensor().view(2, 3))
    fig = plots.player_values(sv, labels="a very good film , really".split(), save=tmp_path / "b.png")
    assert_png(fig, tmp_path / "b.png")
    torch.testing.assert_close(fig.interplay_data["values"], sv.tensor())
    fig = plots.player_values([0.5, -1.0, 2.0], stderr=[0.1, 0.1, 0.2], save=tmp_path / "c.png")
    assert_png(fig, tmp_path / "c.png")
    with pytest.raises(ValueError, match="labels has 2 entries"):
        plots.player_values([1.0, 2.0, 3.0], labels=["a", "b"])
    with pytest.raises(ValueError, match="grid 2x2"):
        plots.player_values([1.0, 2.0, 3.0], grid=(2, 2))


def test_interaction_matrix_and_network(tmp_path):
    m = ip.shapley_interaction_matrix(ip.TableGame(random_table(6, 9)))
    fig = plots.interaction_matrix(m, labels=list("abcdef"), save=tmp_path / "m.png")
    assert_png(fig, tmp_path / "m.png")
    torch.testing.assert_close(fig.interplay_data["matrix"], m.tensor())
    fig = plots.interaction_network(m, top_k=4, node_values=torch.arange(6.0), save=tmp_path / "n.png")
    assert_png(fig, tmp_path / "n.png")
    edges = fig.interplay_data["edges"]
    everything = sorted(((a, b, float(m[a, b])) for a in range(6) for b in range(a + 1, 6) if m[a, b] != 0),
                        key=lambda e: -abs(e[2]))
    assert len(edges) == 4
    assert [abs(e[2]) for e in edges] == [abs(e[2]) for e in everything[:4]]
    for a, b, x in edges:
        assert a < b and x == float(m[a, b])
    assert len(plots.interaction_network(m, top_k=None).interplay_data["edges"]) == len(everything)


# -- curves -------------------------------------------------------------------------------------
def test_order_strength_and_curve(tmp_path):
    game = ip.TableGame(random_table(6, 10))
    one = ip.multi_order_interaction(game, 0, 1)
    x, y = plots.order_strength(one)
    torch.testing.assert_close(x, torch.arange(5, dtype=torch.float64) / 6)
    torch.testing.assert_close(y, one.tensor().abs())
    many = torch.stack([ip.multi_order_interaction(game, i, j).tensor() for i, j in [(0, 1), (2, 3), (1, 5)]])
    _, y = plots.order_strength(many)
    torch.testing.assert_close(y, many.abs().mean(0))
    fig = plots.order_curve({"one pair": one, "three pairs": many, "given x": ([0.1, 0.5], [1.0, -2.0])},
                            save=tmp_path / "o.png")
    assert_png(fig, tmp_path / "o.png")
    given = fig.interplay_data["given x"][1]
    torch.testing.assert_close(given, torch.tensor([1.0, 2.0], dtype=torch.float64))


def test_partition_trajectory(tmp_path):
    p = torch.rand(30, 3, generator=torch.Generator().manual_seed(0))
    fig = plots.partition_trajectory(p, labels="not very good movie".split(), save=tmp_path / "p.png")
    assert_png(fig, tmp_path / "p.png")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()][0] == "p1: not | very"
    torch.testing.assert_close(torch.tensor(ax.lines[2].get_ydata()), p[:, 2].double())
    with pytest.raises(ValueError, match="name the 4 words or the 3 gaps"):
        plots.partition_trajectory(p, labels=["a", "b"])


def test_instability_hand_computation_and_curve(tmp_path):
    # T = 1, 2, 3: E_{u≠v}|T_u - T_v| = (1 + 2 + 1) * 2 / 6 = 4/3, E|T| = 2
    assert math.isclose(plots.instability([1.0, 2.0, 3.0]), 2 / 3)
    assert math.isclose(plots.instability([[1.0, 2.0, 3.0], [-2.0, -2.0, -2.0]]), 1 / 3)
    with pytest.raises(ValueError, match="U >= 2"):
        plots.instability([1.0])
    fig = plots.instability_curve([10, 100, 1000], {"cnn": [0.5, 0.2, 0.05], "lstm": [0.9, 0.3, 0.1]},
                                  save=tmp_path / "i.png")
    assert_png(fig, tmp_path / "i.png")
    with pytest.raises(ValueError, match="2 values for 3 sample counts"):
        plots.instability_curve([10, 100, 1000], [0.5, 0.2])


def test_coalition_sentence(tmp_path):
    words = "a truly great and moving film".split()
    fig = plots.coalition_sentence(words, {"max": [(1, 2), (3, 4)], "min": [(1,), (2,), (3,), (4,)]},
                                   save=tmp_path / "s.png")
    assert_png(fig, tmp_path / "s.png")
    max_colours, min_colours = fig.interplay_data["colours"]
    assert max_colours[1] == max_colours[2] != max_colours[3] == max_colours[4] and 0 not in max_colours
    assert len(set(min_colours.values())) == 4
    with pytest.raises(ValueError, match="in two blocks"):
        plots.coalition_sentence(words, {"bad": [(1, 2), (2, 3)]})


# -- Result.plot / Significance.plot ------------------------------------------------------------
def test_result_plot_dispatches_on_quantity(tmp_path):
    game = ip.TableGame(random_table(6, 11))
    sv = ip.shapley_values(game)
    sv.settings["grid"] = (2, 3)
    fig = sv.plot(save=tmp_path / "v.png")
    assert_png(fig, tmp_path / "v.png")
    assert fig.interplay_data["values"].shape == (2, 3)
    assert ip.banzhaf_values(game).plot().interplay_data["values"].shape == (6,)
    m = ip.shapley_interaction_matrix(game)
    assert "matrix" in m.plot().interplay_data
    assert "edges" in m.plot(kind="network", top_k=3).interplay_data
    torch.testing.assert_close(m.plot(kind="grid", grid=(2, 3)).interplay_data["strength"],
                               plots.grid_strength(m, (2, 3)))
    with pytest.raises(ValueError, match="needs the grid"):
        m.plot(kind="grid")
    mo = ip.multi_order_interaction(game, 0, 2)
    data = mo.plot().interplay_data
    torch.testing.assert_close(data["pair (0, 2)"][1], mo.tensor().abs())
    with pytest.raises(ValueError, match="nothing to plot"):
        ip.shapley_interaction(game, 0, 1).plot()


def test_significance_plot(tmp_path):
    game = ip.TableGame(random_table(6, 12))
    sig = ip.interaction_significance(game, [1, 2, 3, 4])
    fig = sig.plot(save=tmp_path / "t.png")
    assert_png(fig, tmp_path / "t.png")
    sig.settings["words"] = "a truly great and moving film".split()
    sig.extra["trajectory"] = torch.rand(10, 3, generator=torch.Generator().manual_seed(0))
    fig = sig.plot(kind="trajectory", save=tmp_path / "traj.png")
    assert_png(fig, tmp_path / "traj.png")
    assert fig.axes[0].get_legend().get_texts()[0].get_text() == "p1: truly | great"
    sig.extra.clear()
    with pytest.raises(ValueError, match="no p trajectory"):
        sig.plot(kind="trajectory")


def test_import_interplay_does_not_import_matplotlib():
    code = "import sys, interplay; assert 'matplotlib' not in sys.modules, 'matplotlib imported'; print('ok')"
    env = dict(os.environ, PYTHONPATH=os.path.join(os.path.dirname(os.path.dirname(__file__)), "python"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr
