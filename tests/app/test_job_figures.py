"""The figures of the command-line jobs (interplay.plots.image_values / image_interactions /
grouped_bars): the numbers they draw, and clear errors."""
import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
import torch  # noqa: E402

import interplay as ip  # noqa: E402
from interplay import plots  # noqa: E402
from interplay.app import jobs  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"


def _game():
    w = torch.tensor([1.0, -2.0, 0.5, 3.0, -1.0, 2.0])
    return ip.Game(lambda s: (s.double() * w).sum(1) + 4.0 * (s[:, 0] & s[:, 1]) - 3.0 * (s[:, 4] & s[:, 5]), 6)


@pytest.mark.parametrize("with_image", [False, True])
def test_image_figures_draw_the_values_and_neighbour_strength(tmp_path, with_image):
    game = _game()
    values = ip.shapley_values(game).values
    matrix = ip.shapley_interaction_matrix(game).values
    pairs = [(int(a), int(b), float(matrix[a, b])) for a, b in ip.players.neighbours((2, 3)).tolist()]
    image = torch.rand(1, 4, 6) if with_image else None
    fig = plots.image_values(values, (2, 3), image, save=tmp_path / "v.png")
    torch.testing.assert_close(fig.interplay_data["values"], values.view(2, 3).double())
    fig = plots.image_interactions(pairs, (2, 3), image, ink=image, save=tmp_path / "i.png")
    assert fig.interplay_data["pairs"] == pairs
    torch.testing.assert_close(fig.interplay_data["strength"], plots.grid_strength(matrix, (2, 3)), equal_nan=True)
    assert len(fig.axes) == (3 if with_image else 2)  # the input panel, the heatmap and its colour bar
    for name in ("v.png", "i.png"):
        assert (tmp_path / name).read_bytes()[:8] == PNG


def test_image_figures_reject_bad_input():
    with pytest.raises(ValueError, match="single-channel"):
        plots.image_values(torch.zeros(4), (2, 2), torch.rand(3, 4, 4), ink=torch.rand(3, 4, 4))
    with pytest.raises(ValueError, match="grid 2x3 has 6 cells"):
        plots.image_values(torch.zeros(4), (2, 3))
    assert plots.is_picture(torch.rand(3, 5, 5)) and not plots.is_picture(torch.rand(5))


def test_explain_image_turns_a_drawing_error_into_a_cli_error(tmp_path):
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(3 * 4 * 4, 2)).eval()
    with pytest.raises(jobs.CliError, match="single-channel"):
        jobs.explain_image(model, torch.rand(3, 4, 4), cells=(2, 2), ink=True, out=str(tmp_path), progress=False)


def test_grouped_bars_keeps_the_order_and_needs_every_bar():
    fig = plots.grouped_bars({"a": {"x": 0.5, "y": 1.0}, "b": {"x": 0.25, "y": 0.0}}, legend={"x": "X"})
    assert fig.interplay_data["groups"] == {"a": {"x": 0.5, "y": 1.0}, "b": {"x": 0.25, "y": 0.0}}
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["X", "y"]
    with pytest.raises(ValueError, match="missing"):
        plots.grouped_bars({"a": {"x": 1.0}, "b": {"y": 1.0}})


@pytest.mark.parametrize("ink", [False, True], ids=["cli", "demo-ink"])
def test_explain_image_draws_opaque_maps_on_one_map_per_quantity(tmp_path, monkeypatch, ink):
    """The image job (the CLI, and the demo with ink=True) draws the values on the diverging map,
    symmetric about 0, and the neighbour strength on the magnitude map, both opaque and alone on
    their panels, the input in its own; the same maps as Result.plot()."""
    drawn = {}
    for name in ("image_values", "image_interactions"):
        def capture(*args, _draw=getattr(plots, name), _name=name, **kwargs):
            drawn[_name] = _draw(*args, **kwargs)
            return drawn[_name]

        monkeypatch.setattr(plots, name, capture)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(16, 2)).eval()
    x = torch.rand(1, 4, 4, generator=torch.Generator().manual_seed(0))
    r = jobs.explain_image(model, x, cells=(2, 2), out=str(tmp_path), image=1 - x, ink=ink, progress=False)
    maps = {name: [im for ax in fig.axes for im in ax.images
                   if im.get_array().ndim == 2 and im.cmap.name != "gray"]  # not the input's picture
            for name, fig in drawn.items()}
    (values_map,), (strength_map,) = maps["image_values"], maps["image_interactions"]
    assert values_map.cmap.name == plots.DIVERGING == r["values"].plot().axes[0].images[0].cmap.name
    assert values_map.norm.vmin == -values_map.norm.vmax
    assert strength_map.cmap.name == plots.MAGNITUDE
    for im in (values_map, strength_map):
        assert im.get_alpha() in (None, 1.0) and list(im.axes.images) == [im]
    for fig in drawn.values():
        assert all(im.get_alpha() in (None, 1.0) for ax in fig.axes for im in ax.images)
