"""Plots: each function draws on small inputs, returns a Figure, writes a PNG, and draws the right numbers;
Result.plot() picks the picture from the typed fields of results made by the real producers."""
import ast
import math
import os
import pathlib
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
from interplay.exact import pair_contexts  # noqa: E402
from interplay.results import PartitionSearch, Result  # noqa: E402

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
    contexts, deltas = pair_contexts(game, i, j)
    assert contexts.dtype == torch.bool and contexts.shape == (2 ** (n - 2), n)
    assert not contexts[:, [i, j]].any()
    assert len({tuple(row.tolist()) for row in contexts}) == 2 ** (n - 2)
    for row, d in zip(contexts, deltas):
        S = tuple(k for k in range(n) if row[k])
        assert float(d) == ref.delta_f(game.table(), S, i, j)


def test_pair_contexts_sampled():
    n, i, j = 7, 0, 6
    game = ip.TableGame(random_table(n, 6))
    contexts, deltas = pair_contexts(game, i, j, samples=50, seed=3)
    assert contexts.shape == (50, n) and not contexts[:, [i, j]].any()
    assert game.evaluations == 4 * 50
    for row, d in zip(contexts, deltas):
        S = tuple(k for k in range(n) if row[k])
        assert float(d) == ref.delta_f(game.table(), S, i, j)
    again, _ = pair_contexts(game, i, j, samples=50, seed=3)
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
    contexts, deltas = pair_contexts(game, 1, 4)
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
    torch.testing.assert_close(fig.interplay_data["values"], sv.values.view(2, 3))
    fig = plots.player_values(sv, labels="a very good film , really".split(), save=tmp_path / "b.png")
    assert_png(fig, tmp_path / "b.png")
    torch.testing.assert_close(fig.interplay_data["values"], sv.values)
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
    torch.testing.assert_close(fig.interplay_data["matrix"], m.values)
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
    torch.testing.assert_close(y, one.values.abs())
    many = torch.stack([ip.multi_order_interaction(game, i, j).values for i, j in [(0, 1), (2, 3), (1, 5)]])
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
    # the one instability (interplay.estimators, runs along dim 0); plots only draws the numbers
    # T = 1, 2, 3: E_{u≠v}|T_u - T_v| = (1 + 2 + 1) * 2 / 6 = 4/3, E|T| = 2
    assert math.isclose(float(ip.estimators.instability(torch.tensor([1.0, 2.0, 3.0]))), 2 / 3)
    runs = torch.tensor([[1.0, -2.0], [2.0, -2.0], [3.0, -2.0]])  # 3 runs of 2 quantities
    assert math.isclose(float(ip.estimators.instability(runs)), 1 / 3)
    assert not hasattr(plots, "instability")
    with pytest.raises(ValueError, match="at least 2 runs"):
        ip.estimators.instability(torch.tensor([1.0]))
    cnn = [float(ip.estimators.instability(torch.tensor([[1.0], [1.0 + d]]))) for d in (1.0, 0.5, 0.1)]
    fig = plots.instability_curve([10, 100, 1000], {"cnn": cnn, "lstm": [0.9, 0.3, 0.1]},
                                  save=tmp_path / "i.png")
    assert_png(fig, tmp_path / "i.png")
    torch.testing.assert_close(fig.interplay_data["cnn"], torch.tensor(cnn, dtype=torch.float64))
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


# -- Result.plot: the picture from the typed fields of results made by the real producers -------
WORDS = "a truly great and moving film".split()


def sentence_game(n=6, seed=12, labels=True):
    """A game of n 'words' (a random table behind an ordinary ip.Game, labels= as a SentenceGame has)."""
    table = random_table(n, seed)
    weights = (1 << torch.arange(n)).view(1, n)

    def value(s):
        return table[(s.long() * weights).sum(1)]

    return ip.Game(value, n, labels=WORDS[:n] if labels else None)


def tick_labels(ax):
    return [t.get_text() for t in ax.get_xticklabels()]


def test_plot_player_values_on_the_game_grid_or_as_bars(tmp_path):
    game = ip.TableGame(random_table(6, 11), grid=(2, 3))
    sv = ip.shapley_values(game)
    assert sv.grid == (2, 3)
    fig = sv.plot(save=tmp_path / "v.png")
    assert_png(fig, tmp_path / "v.png")
    torch.testing.assert_close(fig.interplay_data["values"], sv.values.view(2, 3))
    assert fig.axes[0].get_title() == "Shapley values"
    bars = sv.plot(kind="bar")
    torch.testing.assert_close(bars.interplay_data["values"], sv.values)
    assert tick_labels(bars.axes[0]) == [str(k) for k in range(6)]
    bv = ip.banzhaf_values(ip.TableGame(random_table(6, 11)))
    assert bv.grid is None and bv.plot().interplay_data["values"].shape == (6,)
    with pytest.raises(ValueError, match="needs the grid"):
        bv.plot(kind="grid")
    assert bv.plot(kind="grid", grid=(3, 2)).interplay_data["values"].shape == (3, 2)
    with pytest.raises(ValueError, match="kind must be 'bar' or 'grid'"):
        bv.plot(kind="network")


def test_plot_player_values_of_words_labels_the_bars():
    sv = ip.shapley_values(sentence_game())
    assert sv.labels == tuple(WORDS)
    fig = sv.plot()
    assert tick_labels(fig.axes[0]) == WORDS
    torch.testing.assert_close(fig.interplay_data["values"], sv.values)
    assert tick_labels(sv.plot(labels=list("abcdef")).axes[0]) == list("abcdef")  # keywords override


def test_plot_sampled_values_draws_error_bars():
    game = ip.TableGame(random_table(6, 13))
    # 300 >= 2^6: exact_when_covered=False, or the bars would be the exact values' zero stderr
    sv = ip.shapley_values(game, method="permutation", budget=300, seed=0, exact_when_covered=False)
    assert sv.stderr is not None and bool((sv.stderr > 0).all())
    fig = sv.plot()
    heights = torch.tensor([b.get_height() for b in fig.axes[0].patches], dtype=torch.float64)
    torch.testing.assert_close(heights, sv.values.double())
    (errorbars,) = [c for c in fig.axes[0].containers if type(c).__name__ == "ErrorbarContainer"]
    _, _, (lines,) = errorbars.lines
    lengths = torch.tensor([(seg[1][1] - seg[0][1]) / 2 for seg in lines.get_segments()], dtype=torch.float64)
    torch.testing.assert_close(lengths, sv.stderr.double())


def test_plot_interaction_matrix_network_and_grid(tmp_path):
    game = ip.TableGame(random_table(6, 11), grid=(2, 3))
    m = ip.shapley_interaction_matrix(game)
    fig = m.plot(save=tmp_path / "m.png")
    assert_png(fig, tmp_path / "m.png")
    torch.testing.assert_close(fig.interplay_data["matrix"], m.values)
    assert fig.axes[0].get_title() == "Shapley interactions"
    assert len(m.plot(kind="network", top_k=3).interplay_data["edges"]) == 3
    torch.testing.assert_close(m.plot(kind="grid").interplay_data["strength"], plots.grid_strength(m, (2, 3)))
    plain = ip.shapley_interaction_matrix(ip.TableGame(random_table(6, 11)))
    with pytest.raises(ValueError, match="needs the grid"):
        plain.plot(kind="grid")
    torch.testing.assert_close(plain.plot(kind="grid", grid=(3, 2)).interplay_data["strength"],
                               plots.grid_strength(plain, (3, 2)))
    with pytest.raises(ValueError, match="kind must be 'matrix', 'network' or 'grid'"):
        m.plot(kind="bar")
    words = ip.shapley_interaction_matrix(sentence_game()).plot()
    assert tick_labels(words.axes[0]) == WORDS


def test_plot_partial_matrix_leaves_unestimated_pairs_out():
    game = ip.TableGame(random_table(6, 14))
    m = ip.shapley_interaction_matrix(game, pairs=[(0, 1), (2, 4)])
    assert torch.isnan(m.values[0, 2])
    edges = m.plot(kind="network", top_k=None).interplay_data["edges"]
    assert sorted((a, b) for a, b, _ in edges) == [(0, 1), (2, 4)]
    for a, b, x in edges:
        assert x == float(m.values[a, b])
    fig = m.plot()  # NaN cells stay blank, not "nan"
    assert all(t.get_text() != "nan" for t in fig.axes[0].texts)


def test_plot_pair_results_as_bars_matrix_network_and_grid():
    game = ip.TableGame(random_table(6, 15), grid=(2, 3))
    pairs = [(0, 1), (1, 4), (3, 4)]
    r = ip.pair_interactions(game, pairs)
    fig = r.plot()
    assert tick_labels(fig.axes[0]) == ["(0, 1)", "(1, 4)", "(3, 4)"]
    torch.testing.assert_close(fig.interplay_data["values"], r.values)
    edges = r.plot(kind="network", top_k=None).interplay_data["edges"]
    assert sorted((a, b, x) for a, b, x in edges) == sorted((a, b, float(v)) for (a, b), v in zip(pairs, r.values))
    strength = r.plot(kind="grid").interplay_data["strength"]
    want = plots.grid_strength({p: float(v) for p, v in zip(pairs, r.values)}, (2, 3))
    torch.testing.assert_close(strength, want, equal_nan=True)
    matrix = r.plot(kind="matrix").interplay_data["matrix"]
    assert matrix[1, 4] == matrix[4, 1] == float(r.values[1]) and torch.isnan(matrix[0, 5])
    labelled = ip.pair_interactions(sentence_game(), [(1, 2), (4, 5)])
    assert tick_labels(labelled.plot().axes[0]) == ["truly·great", "moving·film"]


def test_plot_multi_order_interaction_from_its_sizes(tmp_path):
    game = ip.TableGame(random_table(6, 10))
    mo = ip.multi_order_interaction(game, 0, 2)
    fig = mo.plot(save=tmp_path / "o.png")
    assert_png(fig, tmp_path / "o.png")
    x, y = fig.interplay_data["pair (0, 2)"]
    torch.testing.assert_close(x, torch.arange(5, dtype=torch.float64) / 6)
    torch.testing.assert_close(y, mo.values.abs())
    ranges = ip.multi_order_interaction(game, 0, 2, order_ranges=[(0.0, 0.5), (0.5, 1.0)])
    x, y = ranges.plot(label="halves").interplay_data["halves"]
    torch.testing.assert_close(x, torch.tensor([(a + b) / 2 / 6 for a, b in ranges.sizes], dtype=torch.float64))
    torch.testing.assert_close(y, ranges.values.abs())
    words = ip.multi_order_interaction(sentence_game(), 1, 2).plot().interplay_data
    assert list(words) == ["truly·great"]
    with pytest.raises(ValueError, match="nothing to plot"):
        ip.multi_order_interaction(game, 0, 2, order=1).plot()


def test_plot_single_values_have_nothing_to_draw():
    game = ip.TableGame(random_table(6, 11))
    with pytest.raises(ValueError, match="nothing to plot"):
        ip.shapley_interaction(game, 0, 1).plot()
    with pytest.raises(ValueError, match="nothing to plot"):
        ip.multivariate_interaction(game, [0, 1, 2]).plot()


def test_plot_significance_partitions_over_the_words(tmp_path):
    sig = ip.interaction_significance(sentence_game(), [1, 2, 3, 4])
    fig = sig.plot(save=tmp_path / "t.png")
    assert_png(fig, tmp_path / "t.png")
    max_colours, min_colours = fig.interplay_data["colours"]
    for partition, colours in ((sig.max_partition, max_colours), (sig.min_partition, min_colours)):
        assert set(colours) == {1, 2, 3, 4}  # the words of A, at their places in the sentence
        for block in partition:
            assert len({colours[p] for p in block}) == 1
        assert len({colours[block[0]] for block in partition}) == len(partition)
    words = [t.get_text() for t in fig.axes[0].texts[1:7]]
    assert words == WORDS
    assert fig.axes[0].get_title() == f"T([A]) = {float(sig.values):.4g}"
    # without labels: only A, named x1..x4, at positions 0..3
    bare = ip.interaction_significance(sentence_game(labels=False), [1, 2, 3, 4]).plot()
    assert [t.get_text() for t in bare.axes[0].texts[1:5]] == ["x1", "x2", "x3", "x4"]
    assert set(bare.interplay_data["colours"][0]) == {0, 1, 2, 3}
    with pytest.raises(ValueError, match="no p trajectory"):
        sig.plot(kind="trajectory")
    with pytest.raises(ValueError, match="'partitions' or 'trajectory'"):
        sig.plot(kind="matrix")


def _check_trajectory_figure(fig, sig):
    search = sig.search
    data = fig.interplay_data
    torch.testing.assert_close(data["trajectory_max"], torch.tensor(search.trajectory_max, dtype=torch.float64))
    torch.testing.assert_close(data["trajectory_min"], torch.tensor(search.trajectory_min, dtype=torch.float64))
    ax_max, ax_min = fig.axes[:2]
    assert ax_max.get_legend().get_texts()[0].get_text() == "p1: truly | great"
    for k in range(len(search.p_max)):
        torch.testing.assert_close(torch.tensor(ax_max.lines[k].get_ydata(), dtype=torch.float64),
                                   data["trajectory_max"][:, k])
        torch.testing.assert_close(torch.tensor(ax_min.lines[k].get_ydata(), dtype=torch.float64),
                                   data["trajectory_min"][:, k])


def test_plot_learned_trajectory_of_a_real_partition_search(tmp_path):
    sig = ip.interaction_significance(sentence_game(), [1, 2, 3, 4], method="learned_partitions", seed=0)
    assert sig.search is not None and len(sig.search.trajectory_max) > 1
    fig = sig.plot(kind="trajectory", save=tmp_path / "traj.png")
    assert_png(fig, tmp_path / "traj.png")
    _check_trajectory_figure(fig, sig)
    assert sig.plot().interplay_data["colours"]  # its partitions draw as well


def test_plot_trajectory_of_a_result_built_with_partition_search(tmp_path):
    # the same picture from a Result built with the real PartitionSearch type (what the learned
    # search returns), independent of the search itself
    exact = ip.interaction_significance(sentence_game(), [1, 2, 3, 4])
    gen = torch.Generator().manual_seed(0)
    tmax, tmin = torch.rand(11, 3, generator=gen), torch.rand(11, 3, generator=gen)
    search = PartitionSearch(p_max=tmax[-1].tolist(), p_min=tmin[-1].tolist(), trajectory_max=tmax.tolist(),
                             trajectory_min=tmin.tolist(), evaluations_search=100, evaluations_final=50)
    sig = Result(index="T", values=exact.values, n_players=6, estimator=exact.estimator, players=exact.players,
                 labels=exact.labels, partitions=exact.partitions, search=search)
    fig = sig.plot(kind="trajectory", save=tmp_path / "traj.png")
    assert_png(fig, tmp_path / "traj.png")
    _check_trajectory_figure(fig, sig)
    from matplotlib.figure import Figure as F

    own = F()
    axes = own.subplots(1, 2)
    assert sig.plot(kind="trajectory", ax=tuple(axes)) is own
    with pytest.raises(ValueError, match="two panels"):
        sig.plot(kind="trajectory", ax=axes[0])


def test_prototypes_draw_and_print_with_the_words():
    game = sentence_game()
    try:
        from interplay.multivariate import prototypes
    except ImportError:
        prototypes = None
    sig = (prototypes(game, [1, 2, 3]) if prototypes is not None
           else ip.interaction_significance(game, [1, 2, 3]))
    assert sig.labels == tuple(WORDS)
    fig = sig.plot()
    assert [t.get_text() for t in fig.axes[0].texts[1:7]] == WORDS
    assert tick_labels(ip.shapley_values(game).plot().axes[0]) == WORDS
    from interplay.results.display import significance_ansi

    text = significance_ansi(sig, color=False)
    assert "[truly" in text and "and]" in text and "film" in text


def test_plots_compute_nothing_on_games():
    """plots imports no game, estimator or index at run time (only under TYPE_CHECKING)."""
    forbidden = ("games", "estimators", "indices", "exact", "multivariate", "engine", "_ops")
    folder = pathlib.Path(plots.__file__).parent
    for path in folder.glob("*.py"):
        tree = ast.parse(path.read_text())
        guarded = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                guarded |= {id(n) for n in ast.walk(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and id(node) not in guarded:
                module = (node.module or "").split(".")
                assert not (node.level >= 2 and module[0] in forbidden), f"{path.name} imports {node.module}"
                assert not (node.level == 0 and len(module) > 1 and module[0] == "interplay"
                            and module[1] in forbidden), f"{path.name} imports {node.module}"
            if isinstance(node, ast.Import) and id(node) not in guarded:
                for alias in node.names:
                    assert not alias.name.startswith("interplay."), f"{path.name} imports {alias.name}"
        assert len(path.read_text().splitlines()) <= 400, f"{path.name} is over 400 lines"
    assert not hasattr(plots, "pair_contexts") and not hasattr(plots, "plot_significance")


def test_import_interplay_does_not_import_matplotlib():
    code = "import sys, interplay; assert 'matplotlib' not in sys.modules, 'matplotlib imported'; print('ok')"
    env = dict(os.environ, PYTHONPATH=os.path.join(os.path.dirname(__file__), "..", "..", "python"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr
