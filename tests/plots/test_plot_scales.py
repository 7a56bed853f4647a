"""Colour scales and legends of the pictures: every heatmap opaque and on the one colour map of its
quantity (signed values on the diverging map with limits symmetric about 0, |I| on the magnitude
map), the input in a panel of its own (never blended into the values), NaN cells in a colour of
their own with a note, the game's labels on the network, instability axes that say what they show,
and a legend for edge widths."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402

import interplay as ip  # noqa: E402
from interplay import plots  # noqa: E402

WORDS = "a truly great and moving film".split()


def random_table(n, seed):
    return torch.randint(-9, 10, (2**n,), generator=torch.Generator().manual_seed(seed)).double()


def word_game(n=6, seed=12):
    """A game of n named players (labels= as a SentenceGame has) over a random table."""
    table = random_table(n, seed)
    weights = (1 << torch.arange(n)).view(1, n)
    return ip.Game(lambda s: table[(s.long() * weights).sum(1)], n, labels=WORDS[:n])


def value_maps(fig):
    """The colour-mapped images of a figure (the heatmaps), not the pictures of an input."""
    return [im for ax in fig.axes for im in ax.images if im.get_array().ndim == 2 and im.cmap.name != "gray"]


def the_map(fig):
    (im,) = value_maps(fig)
    return im


def assert_signed_scale(im):
    """The image is on the diverging map with limits symmetric about 0 (0 at its middle)."""
    assert im.cmap.name == plots.DIVERGING
    assert im.norm.vmin == -im.norm.vmax and im.norm.vmax > 0
    assert im.norm(0.0) == pytest.approx(0.5)


def assert_opaque(fig, im):
    """Nothing blended: ``im`` is alone and opaque on its axes, and no image anywhere is translucent."""
    assert im.get_alpha() in (None, 1.0)
    assert list(im.axes.images) == [im]
    for ax in fig.axes:
        for other in ax.images:
            assert other.get_alpha() in (None, 1.0)


def signed_lines(ax):
    """The edges on ``ax``: its lines in the colour of a positive or a negative interaction."""
    return [line for line in ax.lines if line.get_color() in (plots.POSITIVE, plots.NEGATIVE)]


def rendered_rgb(fig, ax, x, y):
    """The colour (RGB in [0, 1]) drawn at data point (x, y) of ``ax``."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())
    px, py = ax.transData.transform((x, y))
    return pixels[int(round(pixels.shape[0] - py)), int(round(px)), :3] / 255.0


# -- signed values: one diverging map, symmetric about 0 ----------------------------------------
def test_player_values_grid_is_symmetric_about_zero_on_the_diverging_map():
    fig = plots.player_values([0.5, -2.0, 1.0, 0.25, 0.0, 1.5], grid=(2, 3))
    im = the_map(fig)
    assert_signed_scale(im)
    assert (im.norm.vmin, im.norm.vmax) == (-2.0, 2.0)
    assert_opaque(fig, im)
    only_positive = the_map(plots.player_values([0.5, 1.0, 3.0, 0.1], grid=(2, 2)))
    assert (only_positive.norm.vmin, only_positive.norm.vmax) == (-3.0, 3.0)


def test_signed_pictures_share_the_one_diverging_map():
    game = ip.TableGame(random_table(6, 3), grid=(2, 3))
    sv, m = ip.shapley_values(game), ip.shapley_interaction_matrix(game)
    plain = ip.shapley_values(ip.TableGame(random_table(6, 3)))
    for fig in (sv.plot(), plots.image_values(sv.values, (2, 3), torch.rand(4, 6)), m.plot(),
                plots.interaction_matrix(m), plain.plot(kind="grid", grid=(3, 2))):
        assert_signed_scale(the_map(fig))
    network = plots.interaction_network(m, node_values=sv)
    (nodes,) = [c for c in network.axes[0].collections if c.get_array() is not None]
    assert nodes.cmap.name == plots.DIVERGING and nodes.norm.vmin == -nodes.norm.vmax


def test_magnitudes_share_the_one_magnitude_map():
    game = ip.TableGame(random_table(6, 4), grid=(2, 3))
    m = ip.shapley_interaction_matrix(game)
    pairs = [(int(a), int(b), float(m[a, b])) for a, b in ip.players.neighbours((2, 3)).tolist()]
    figs = [plots.grid_interaction_strength(m, (2, 3)), m.plot(kind="grid"),
            plots.image_interactions(pairs, (2, 3)),
            plots.image_interactions(pairs, (2, 3), torch.rand(4, 6)),
            plots.image_interactions(pairs, (2, 3), torch.rand(1, 4, 6), ink=torch.rand(1, 4, 6))]
    for fig in figs:
        im = the_map(fig)
        assert im.cmap.name == plots.MAGNITUDE
        assert im.norm.vmin == 0.0
        assert_opaque(fig, im)


# -- the input beside the values, never blended into them ---------------------------------------
@pytest.mark.parametrize("image", [torch.rand(1, 8, 8), torch.rand(3, 8, 8), torch.rand(8, 8, 3)],
                         ids=["grey", "rgb-first", "rgb-last"])
def test_the_input_has_its_own_panel_and_the_values_stay_opaque(image):
    values = torch.tensor([0.5, -1.0, 0.0, 2.0])
    for fig in (plots.image_values(values, (2, 2), image),
                plots.player_values(values, grid=(2, 2), image=image)):
        im = the_map(fig)
        assert_opaque(fig, im)
        pictures = [other for ax in fig.axes for other in ax.images if other is not im]
        assert len(pictures) == 1 and pictures[0].axes is not im.axes


def test_the_ink_outline_is_a_line_not_a_translucent_image():
    digit = torch.zeros(1, 8, 8)
    digit[0, 2:6, 3:5] = 1.0
    fig = plots.image_values(torch.tensor([0.5, -1.0, 0.0, 2.0]), (2, 2), 1 - digit, ink=digit)
    im = the_map(fig)
    assert_opaque(fig, im)
    assert im.axes.collections  # the outline (a contour line)
    assert [t.get_text() for t in im.axes.get_legend().get_texts()] == ["outline of the input"]


def test_each_cell_is_drawn_in_the_colour_of_its_value_on_the_bar():
    values = torch.tensor([0.5, -1.0, 0.0, 2.0, -2.0, 1.0])
    fig = plots.image_values(values, (2, 3), torch.rand(1, 8, 12))
    im = the_map(fig)
    for k, v in enumerate(values.tolist()):
        r, c = divmod(k, 3)
        drawn = rendered_rgb(fig, im.axes, c + 0.15, r + 0.15)  # off the number at the centre
        np.testing.assert_allclose(drawn, im.cmap(im.norm(v))[:3], atol=2 / 255)
    # 0 is the map's middle (near white), not a grey of the input
    middle = matplotlib.colormaps[plots.DIVERGING](0.5)[:3]
    np.testing.assert_allclose(rendered_rgb(fig, im.axes, 2 + 0.15, 0 + 0.15), middle, atol=2 / 255)


def test_an_rgb_input_keeps_its_edges_off_the_picture():
    game = ip.TableGame(random_table(4, 5))
    m = ip.shapley_interaction_matrix(game)
    pairs = [(int(a), int(b), float(m[a, b])) for a, b in ip.players.neighbours((2, 2)).tolist()]
    fig = plots.image_interactions(pairs, (2, 2), torch.rand(3, 8, 8))
    picture_ax, edges_ax, map_ax = fig.axes[:3]
    assert len(picture_ax.images) == 1 and not signed_lines(picture_ax)
    assert not edges_ax.images and len(signed_lines(edges_ax)) == len(pairs)
    assert the_map(fig).axes is map_ax


# -- NaN: not estimated, in a colour of its own -------------------------------------------------
def test_nan_cells_get_the_bad_colour_distinct_from_zero_and_a_note():
    game = ip.TableGame(random_table(6, 14))
    m = ip.shapley_interaction_matrix(game, pairs=[(0, 1), (2, 4)])
    missing = int(torch.isnan(m.values).sum())
    assert missing > 0
    fig = m.plot()
    im = the_map(fig)
    bad = np.array(im.cmap.get_bad())
    assert bad[3] == 1.0  # opaque, not the white of the axes showing through
    np.testing.assert_allclose(bad, matplotlib.colors.to_rgba(plots.MISSING_COLOUR))
    assert np.abs(bad[:3] - np.array(im.cmap(im.norm(0.0))[:3])).max() > 0.25  # far from the colour of 0
    assert np.abs(bad[:3] - np.array([1.0, 1.0, 1.0])).max() > 0.25  # and from white
    hatched = [p for p in im.axes.patches if p.get_hatch()]
    assert len(hatched) == missing
    notes = [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
    assert any("not estimated" in note and "NaN" in note for note in notes)
    a, b = (int(i) for i in torch.isnan(m.values).nonzero()[0])
    drawn = rendered_rgb(fig, im.axes, b - 0.45, a - 0.45)  # the corner of a NaN cell: grey or its hatch
    assert np.abs(drawn - np.array(im.cmap(im.norm(0.0))[:3])).max() > 0.15


def test_a_full_matrix_has_no_nan_note():
    m = ip.shapley_interaction_matrix(ip.TableGame(random_table(5, 2)))
    fig = plots.interaction_matrix(m)
    assert not [p for p in fig.axes[0].patches if p.get_hatch()]
    assert all(ax.get_legend() is None for ax in fig.axes)


def test_grid_strength_without_an_estimated_neighbour_is_marked():
    fig = plots.grid_interaction_strength({(0, 1): -2.0, (1, 2): 4.0}, (2, 3))
    im = the_map(fig)
    assert len([p for p in im.axes.patches if p.get_hatch()]) == 3  # the whole second row
    notes = [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
    assert any("no estimated" in note for note in notes)


# -- labels on the network ----------------------------------------------------------------------
def node_names(fig):
    return [t.get_text() for t in fig.axes[0].texts]


def test_interaction_network_names_the_nodes_by_the_game_labels():
    m = ip.shapley_interaction_matrix(word_game())
    assert m.labels == tuple(WORDS)
    assert node_names(plots.interaction_network(m)) == WORDS
    assert node_names(m.plot(kind="network")) == WORDS
    assert node_names(plots.interaction_network(m, labels=list("abcdef"))) == list("abcdef")  # labels= wins
    assert node_names(plots.interaction_network(m.values)) == [str(k) for k in range(6)]  # a bare tensor
    matrix = plots.interaction_matrix(m)
    assert [t.get_text() for t in matrix.axes[0].get_xticklabels()] == WORDS


# -- instability: the axes say what they show, ticks that do not crowd -------------------------
def overlapping_tick_labels(fig):
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    labels = list(ax.get_xticklabels()) + list(ax.get_xticklabels(minor=True))
    boxes = [t.get_window_extent() for t in labels if t.get_visible() and t.get_text()]
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.overlaps(b)]


def test_instability_curve_of_sv_runs_by_budget():
    game = ip.TableGame(random_table(10, 6))  # 2^10 > every budget: sampled, not exact
    runs = {k: [ip.shapley_values(game, method="permutation", budget=k, seed=s) for s in range(3)]
            for k in (70, 140, 280, 560)}
    assert all(r.method == "permutation" for rs in runs.values() for r in rs)
    fig = plots.instability_curve(runs, [float(ip.instability(r)) for r in runs.values()])
    ax = fig.axes[0]
    assert ax.get_ylabel() == "instability of SV"
    assert ax.get_xlabel() == "evaluations (budget)"
    assert ax.get_title() == "instability of Shapley values"
    budgets = torch.tensor([70.0, 140, 280, 560], dtype=torch.float64)
    torch.testing.assert_close(fig.interplay_data["samples"], budgets)
    assert not overlapping_tick_labels(fig)
    assert all(not t.get_text() for t in ax.get_xticklabels(minor=True))


def test_instability_curve_labels_from_keywords_and_plain_numbers():
    plain = plots.instability_curve([10, 100, 1000], [0.9, 0.5, 0.1]).axes[0]
    assert (plain.get_xlabel(), plain.get_ylabel(), plain.get_title()) == ("samples", "instability", "")
    told = plots.instability_curve([200, 800, 3200], [0.9, 0.5, 0.1], index="SII", x_is="budget").axes[0]
    assert (told.get_xlabel(), told.get_ylabel()) == ("evaluations (budget)", "instability of SII")
    of_t = plots.instability_curve([10, 100], [0.5, 0.2], index="T").axes[0]
    assert of_t.get_ylabel() == "instability of T([A])"
    with pytest.raises(ValueError, match="x_is must be one of"):
        plots.instability_curve([10, 100], [0.5, 0.2], x_is="steps")


@pytest.mark.parametrize("xs", [[200, 250, 300, 400, 500, 650, 800, 1000, 1300, 1600, 2000, 2500, 3200],
                                [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000],
                                [150, 160, 170, 180]])
@pytest.mark.parametrize("log_x", [True, False])
def test_instability_ticks_do_not_overlap(xs, log_x):
    fig = plots.instability_curve(xs, {"cnn": torch.linspace(1, 0.1, len(xs)).tolist(),
                                       "lstm": torch.linspace(0.8, 0.05, len(xs)).tolist()}, log_x=log_x)
    assert not overlapping_tick_labels(fig)
    low, high = fig.axes[0].get_xlim()
    shown = [t for t in fig.axes[0].get_xticklabels() if t.get_text() and low <= t.get_position()[0] <= high]
    assert 2 <= len(shown) <= 7


# -- a legend for edge widths -------------------------------------------------------------------
def width_legend(ax):
    """{|I|: line width} of the legend entries labelled '|I| = ...'."""
    legend = ax.get_legend()
    assert legend is not None
    return {float(t.get_text().split("=")[1]): h.get_linewidth()
            for t, h in zip(legend.get_texts(), legend.legend_handles) if t.get_text().startswith("|I| =")}


def test_interaction_network_has_a_width_legend_matching_its_edges():
    from interplay.plots.matrices import EDGE_BASE, EDGE_SCALE

    m = ip.shapley_interaction_matrix(ip.TableGame(random_table(6, 9)))
    fig = plots.interaction_network(m, top_k=6)
    widths = width_legend(fig.axes[0])
    assert len(widths) == 3
    edges = fig.interplay_data["edges"]
    strongest = abs(edges[0][2])
    for magnitude, lw in widths.items():  # each reference is drawn as an edge of that |I| would be
        assert lw == pytest.approx(EDGE_BASE + EDGE_SCALE * magnitude / strongest)
    assert max(widths) == pytest.approx(strongest, rel=0.01)  # the widest reference is the strongest edge
    drawn = sorted(line.get_linewidth() for line in fig.axes[0].lines)
    want = sorted(EDGE_BASE + EDGE_SCALE * abs(x) / strongest for _, _, x in edges)
    assert drawn == pytest.approx(want)
    assert [tuple(w) for w in fig.interplay_data["edge_widths"]] == sorted(widths.items())
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "I > 0" in labels and "I < 0" in labels


def test_image_interactions_has_a_width_legend_for_its_edges():
    from interplay.plots.image import EDGE_BASE, EDGE_SCALE

    m = ip.shapley_interaction_matrix(ip.TableGame(random_table(6, 2)))
    pairs = [(int(a), int(b), float(m[a, b])) for a, b in ip.players.neighbours((2, 3)).tolist()]
    fig = plots.image_interactions(pairs, (2, 3), torch.rand(1, 4, 6))
    widths = width_legend(fig.axes[0])
    assert len(widths) == 3 and widths == dict(fig.interplay_data["edge_widths"])
    strongest = max(abs(v) for _, _, v in pairs)
    for magnitude, lw in widths.items():
        assert lw == pytest.approx(EDGE_BASE + EDGE_SCALE * magnitude / strongest)
    assert max(widths) == pytest.approx(strongest, rel=0.01)
    edges = [line.get_linewidth() for line in signed_lines(fig.axes[0])]
    assert max(edges) == pytest.approx(EDGE_BASE + EDGE_SCALE)


def test_no_edges_no_width_references():
    fig = plots.interaction_network(torch.zeros(4, 4))
    assert width_legend(fig.axes[0]) == {} and fig.interplay_data["edge_widths"] == []


def test_a_one_channel_picture_first_is_grey_even_when_square_as_rgba():
    """[1, 4, 4] is one grey channel of 4 x 4 pixels, not one row of 4 RGBA pixels."""
    fig = plots.image_values(torch.tensor([0.5, -1.0, 0.0, 2.0]), (2, 2), torch.rand(1, 4, 4))
    (picture,) = fig.axes[0].images
    assert picture.get_array().shape == (4, 4) and picture.cmap.name == "gray"
