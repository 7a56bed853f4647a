"""An image explained: its cells, their Shapley values and neighbour interactions (dropout paper
Eqs. 1-2, Fig. 1; the figures of ``python -m interplay image``).

The input is drawn in its own panel (left) and the numbers as an opaque heatmap (right), never
blended together: every cell of a heatmap has a colour of its colour bar. A line drawing (``ink``,
e.g. a digit) can add its outline to the heatmap as a thin line."""
from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Any, Optional, Sequence, Union

import torch

from ._common import _draw_image, _edge_legend, _finish, _grid, _image_array, _signed_edges, _tensor
from ._scales import text_colour_on
from .grid import grid_interaction_strength
from .matrices import player_values

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def is_picture(image: Any) -> bool:
    """Whether ``image`` can be drawn as a picture ([H, W], [H, W, C] or [C, H, W] with C in 1/3/4)."""
    try:
        _image_array(image)
    except (ValueError, TypeError):
        return False
    return True


INK_COLOUR = "#1a1a1a"  # the outline of a line drawing over a heatmap
EDGE_BASE, EDGE_SCALE, EDGE_ALPHA = 0.3, 7.0, 0.9  # the input panel's edges: base + scale * |I| / max |I|


def _cell_lines(ax: "Axes", rows: int, cols: int, colour: str = "white") -> None:
    """The borders of the cells, thin opaque lines."""
    for r in range(1, rows):
        ax.axhline(r, color=colour, linewidth=0.6)
    for c in range(1, cols):
        ax.axvline(c, color=colour, linewidth=0.6)


def _input_panel(ax: "Axes", image: Any, rows: int, cols: int, title: str) -> None:
    """The input with the borders of its cells (orange), as the left panel."""
    _draw_image(ax, image, rows, cols, interpolation="nearest", unit_range=True)
    _cell_lines(ax, rows, cols, colour="#e67e22")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=10)


def _ink_strokes(ink: Any) -> torch.Tensor:
    """A single-channel image ([H, W] or [1, H, W]) stretched to [0, 1], to draw as an outline."""
    ink = _tensor(ink, "ink")
    while ink.dim() > 2 and ink.shape[0] == 1:
        ink = ink[0]
    if ink.dim() != 2:
        raise ValueError(f"ink drawing needs a single-channel image [H, W] or [1, H, W], got {list(ink.shape)}")
    lo, hi = float(ink.min()), float(ink.max())
    return (ink - lo) / (hi - lo) if hi > lo else torch.zeros_like(ink)


def _ink_outline(ax: "Axes", strokes: torch.Tensor, rows: int, cols: int) -> bool:
    """Draws the outline of ``strokes`` ([H, W] in [0, 1]; the level 0.5) as a thin opaque line over
    the cells [0, cols] x [0, rows]: where the drawing is, without tinting the cells' colours.
    Returns whether there was an outline to draw."""
    height, width = strokes.shape
    if height < 2 or width < 2 or float(strokes.max()) <= 0.5 or float(strokes.min()) >= 0.5:
        return False
    xs = ((torch.arange(width, dtype=torch.float64) + 0.5) * cols / width).numpy()
    ys = ((torch.arange(height, dtype=torch.float64) + 0.5) * rows / height).numpy()
    ax.contour(xs, ys, strokes.numpy(), levels=[0.5], colors=INK_COLOUR, linewidths=1.1, zorder=3)
    ax.set_xlim(0, cols)
    ax.set_ylim(rows, 0)
    return True


def _explanation_figure(grid: Sequence[int], image: Any, ink: Any, panels_before_map: int) -> tuple:
    """The figure of :func:`image_values` / :func:`image_interactions`: (fig, axes (the
    ``panels_before_map`` panels of the input, then the heatmap's), rows, cols, the ink strokes or
    None)."""
    from matplotlib.figure import Figure

    rows, cols = _grid(grid)
    strokes = None if ink is None else _ink_strokes(ink)
    panels = panels_before_map + 1
    fig = Figure(figsize=(3.7 * panels + 1.0, 4.5), layout="compressed")
    axes = fig.subplots(1, panels, squeeze=False)[0]
    return fig, axes, rows, cols, strokes


def _is_colour(image: Any) -> bool:
    """Whether ``image`` has colour channels (RGB / RGBA), not one grey channel."""
    return image is not None and _image_array(image).ndim == 3


def _finish_heatmap(ax: "Axes", strokes: Optional[torch.Tensor], rows: int, cols: int, title: str) -> None:
    """The heatmap's cell borders, the ink outline over it, no ticks, and its title."""
    _cell_lines(ax, rows, cols, colour="white")
    if strokes is not None and _ink_outline(ax, strokes, rows, cols):
        from matplotlib.lines import Line2D

        ax.legend(handles=[Line2D([], [], color=INK_COLOUR, lw=1.1, label="outline of the input")],
                  loc="upper center", bbox_to_anchor=(0.5, -0.01), fontsize=7.5, frameon=False)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=10)


def _write_values(ax: "Axes", values: torch.Tensor, cols: int) -> None:
    """Writes each cell's value in it, black or white by the colour under it, on a box of that very
    colour (opaque: the ink outline stops at the text, the cell keeps its colour)."""
    image = ax.images[0]  # the values' heatmap
    top = float(values.abs().nan_to_num(0.0).max()) if values.numel() else 0.0
    decimals = max(0, 2 - math.floor(math.log10(top))) if top > 0 else 2
    for k, x in enumerate(values.tolist()):
        if math.isnan(x):  # not estimated: the hatched grey says so
            continue
        cell = image.cmap(image.norm(x))  # a box of the cell's own colour keeps the outline off the text
        ax.text(k % cols + 0.5, k // cols + 0.5, f"{x:+.{decimals}f}", ha="center", va="center", fontsize=8,
                color=text_colour_on(cell), zorder=4,
                bbox={"boxstyle": "square,pad=0.25", "facecolor": cell, "edgecolor": "none"})


def image_values(
    values: Any,
    grid: Sequence[int],
    image: Any = None,
    *,
    ink: Any = None,
    title: str = "Shapley values\nred +, blue -",
    save: Optional[Union[str, os.PathLike]] = None,
) -> "Figure":
    """Shapley values of the cells of an image (dropout paper Eq. 1): the input with its cells (left)
    and the values as an opaque heatmap on the diverging map, symmetric about 0, with the numbers
    written in the cells when there are at most 64 (right; red positive, blue negative).

    ``image``: the input as a picture ([H, W], [H, W, C] or [C, H, W]; RGB too); None draws only
    the right panel. ``ink`` ([H, W] or [1, H, W], e.g. a digit) adds its outline to the heatmap.
    ``fig.interplay_data``: ``values`` ``[rows, cols]``.
    """
    fig, axes, rows, cols, strokes = _explanation_figure(grid, image, ink, 0 if image is None else 1)
    v = _tensor(values, "values").flatten()
    if image is not None:
        _input_panel(axes[0], image, rows, cols, f"the input\n{rows}x{cols} cells = {rows * cols} players")
    player_values(v, grid=(rows, cols), ax=axes[-1], title=None, colour_label="Shapley value φ(cell)")
    _finish_heatmap(axes[-1], strokes, rows, cols, title)
    if rows * cols <= 64:
        _write_values(axes[-1], v, cols)
    return _finish(fig, save, {"values": v.view(rows, cols)})


def image_interactions(
    pairs: Sequence[tuple],
    grid: Sequence[int],
    image: Any = None,
    *,
    ink: Any = None,
    title: str = "interaction strength with neighbours\nmean |I(g, g')| per cell",
    save: Optional[Union[str, os.PathLike]] = None,
) -> "Figure":
    """Interactions I(g, g') of neighbouring cells of an image (dropout paper Eq. 2, Fig. 1).

    ``pairs``: ``(g, g', I)`` with cells as player indices. Left (with ``image``): the input with an
    edge between the cells of each pair, red for I > 0, blue for I < 0, width ∝ |I|, and a legend
    of three reference widths with their |I|; a colour (RGB) input gets a panel of its own and
    the edges go on a plain grid beside it. Right: each cell's mean |I(g, g')| over its
    neighbours (:func:`grid_interaction_strength`) as an opaque heatmap on the magnitude map, with
    the outline of ``ink`` (see :func:`image_values`). ``fig.interplay_data``: ``pairs``,
    ``strength`` and ``shown`` (of :func:`grid_interaction_strength`), ``edge_widths`` (the
    legend's (|I|, line width); empty without an image).
    """
    colour = _is_colour(image)
    input_panels = 0 if image is None else 2 if colour else 1
    fig, axes, rows, cols, strokes = _explanation_figure(grid, image, ink, input_panels)
    pairs = [(int(a), int(b), float(v)) for a, b, v in pairs]
    widths: list[tuple[float, float]] = []
    if colour:  # the edges would be lost in the colours: the input alone, the edges on a plain grid
        _input_panel(axes[0], image, rows, cols, f"the input\n{rows}x{cols} cells = {rows * cols} players")
        widths = _edges_panel(axes[1], None, pairs, rows, cols)
    elif image is not None:
        widths = _edges_panel(axes[0], image, pairs, rows, cols)
    grid_interaction_strength({(a, b): v for a, b, v in pairs}, (rows, cols), ax=axes[-1], title=None)
    data = dict(fig.interplay_data)
    _finish_heatmap(axes[-1], strokes, rows, cols, title)
    return _finish(fig, save, {"pairs": pairs, **data, "edge_widths": widths})


def _edges_panel(ax: "Axes", image: Any, pairs: list, rows: int, cols: int) -> list[tuple[float, float]]:
    """The input (a grey picture; None: a plain white grid) with an edge per pair (strongest on top)
    between the cells' centres and the edge legend under it; returns the legend's reference (|I|,
    line width)."""
    title = "interactions I(g, g')\nof neighbouring cells"
    if image is not None:
        _input_panel(ax, image, rows, cols, title)
    else:
        _cell_lines(ax, rows, cols, colour="#bbbbbb")
        ax.set_xlim(0, cols)
        ax.set_ylim(rows, 0)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(title, fontsize=10)

    def centre(k: int) -> tuple[float, float]:
        return (k % cols + 0.5, k // cols + 0.5)

    weakest_first = sorted(pairs, key=lambda e: abs(e[2]))
    drawn = [(centre(a), centre(b), v) for a, b, v in weakest_first if not math.isnan(v) and v != 0]
    strongest = _signed_edges(ax, drawn, base=EDGE_BASE, scale=EDGE_SCALE, alpha=EDGE_ALPHA)
    centres = [centre(k) for k in range(rows * cols)]
    ax.scatter([c[0] for c in centres], [c[1] for c in centres], s=12, color="#e67e22", zorder=3)
    return _edge_legend(ax, strongest if drawn else None, base=EDGE_BASE, scale=EDGE_SCALE, alpha=EDGE_ALPHA,
                        loc="upper center", bbox_to_anchor=(0.5, -0.01), fontsize=7.5, frameon=False,
                        columnspacing=1.0, handlelength=2.2)
