"""An image explained: its cells, their Shapley values and neighbour interactions (dropout paper
Eqs. 1-2, Fig. 1; the figures of ``python -m interplay image``)."""
from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Any, Optional, Sequence, Union

import torch

from ._common import _draw_image, _finish, _grid, _image_array, _sign_legend, _signed_edges, _tensor
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


def _cell_lines(ax: "Axes", rows: int, cols: int, colour: str = "white") -> None:
    for r in range(1, rows):
        ax.axhline(r, color=colour, linewidth=0.6, alpha=0.8)
    for c in range(1, cols):
        ax.axvline(c, color=colour, linewidth=0.6, alpha=0.8)


def _input_panel(ax: "Axes", image: Any, rows: int, cols: int, title: str) -> None:
    """The input with the borders of its cells (orange), as the left panel."""
    _draw_image(ax, image, rows, cols, interpolation="nearest", unit_range=True)
    _cell_lines(ax, rows, cols, colour="#e67e22")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=10)


def _ink_strokes(ink: Any) -> torch.Tensor:
    """A single-channel image ([H, W] or [1, H, W]) stretched to [0, 1], to draw as strokes."""
    ink = _tensor(ink, "ink")
    while ink.dim() > 2 and ink.shape[0] == 1:
        ink = ink[0]
    if ink.dim() != 2:
        raise ValueError(f"ink drawing needs a single-channel image [H, W] or [1, H, W], got {list(ink.shape)}")
    lo, hi = float(ink.min()), float(ink.max())
    return (ink - lo) / (hi - lo) if hi > lo else torch.zeros_like(ink)


def _ink_layer(ax: "Axes", ink: torch.Tensor, rows: int, cols: int) -> None:
    """Draws ``ink`` ([H, W] in [0, 1]) as translucent black strokes over a heatmap."""
    import numpy as np

    alpha = ink.clamp(0, 1).numpy()
    rgba = np.zeros(alpha.shape + (4,))
    rgba[..., 3] = 0.6 * alpha
    ax.imshow(rgba, extent=(0, cols, rows, 0), interpolation="nearest")
    ax.set_xlim(0, cols)
    ax.set_ylim(rows, 0)


def _explanation_figure(grid: Sequence[int], image: Any, ink: Any) -> tuple:
    """The figure of :func:`image_values` / :func:`image_interactions`: (fig, axes, rows, cols, the
    image under the heatmap, the ink strokes over it)."""
    from matplotlib.figure import Figure

    rows, cols = _grid(grid)
    strokes = None if ink is None else _ink_strokes(ink)
    panels = 2 if image is not None else 1
    fig = Figure(figsize=(3.7 * panels + 1.0, 4.3), layout="compressed")
    axes = fig.subplots(1, panels, squeeze=False)[0]
    return fig, axes, rows, cols, (image if strokes is None else None), strokes


def _finish_heatmap(ax: "Axes", image: Any, strokes: Optional[torch.Tensor], rows: int, cols: int) -> None:
    if strokes is not None:
        _ink_layer(ax, strokes, rows, cols)
    if image is not None:
        _cell_lines(ax, rows, cols, colour="#888888")
        ax.set_xticks([])
        ax.set_yticks([])


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
    and the values as a heatmap over it, the numbers written in the cells when there are at most 64
    (right; red positive, blue negative).

    ``image``: the input as a picture ([H, W] or [C, H, W]); None draws only the right panel.
    ``ink`` ([H, W] or [1, H, W], e.g. a digit) is drawn as dark strokes over the heatmap instead of
    the picture under it. ``fig.interplay_data``: ``values`` ``[rows, cols]``.
    """
    fig, axes, rows, cols, under, strokes = _explanation_figure(grid, image, ink)
    v = _tensor(values, "values").flatten()
    if image is not None:
        _input_panel(axes[0], image, rows, cols, f"the input\n{rows}x{cols} cells = {rows * cols} players")
    player_values(v, grid=(rows, cols), image=under, alpha=0.55, ax=axes[-1], title=None)
    fig.axes[-1].set_ylabel("Shapley value φ(cell)")  # the colour bar just drawn
    axes[-1].set_title(title, fontsize=10)
    _finish_heatmap(axes[-1], image, strokes, rows, cols)
    if rows * cols <= 64:
        top = float(v.abs().max()) if v.numel() else 0.0
        decimals = max(0, 2 - math.floor(math.log10(top))) if top > 0 else 2
        for k, x in enumerate(v.tolist()):
            axes[-1].text(k % cols + 0.5, k // cols + 0.5, f"{x:+.{decimals}f}", ha="center", va="center",
                          fontsize=8,
                          bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none",
                                "alpha": 0.7})
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
    edge between the cells of each pair, red for I > 0, blue for I < 0, width ∝ |I|. Right: each
    cell's mean |I(g, g')| over its neighbours (:func:`grid_interaction_strength`), over the picture,
    or under the ``ink`` strokes (see :func:`image_values`). ``fig.interplay_data``: ``pairs``,
    ``strength`` and ``shown`` (of :func:`grid_interaction_strength`).
    """
    fig, axes, rows, cols, under, strokes = _explanation_figure(grid, image, ink)
    pairs = [(int(a), int(b), float(v)) for a, b, v in pairs]
    if image is not None:
        ax = axes[0]
        _input_panel(ax, image, rows, cols, "interactions I(g, g')\nof neighbouring cells")

        def centre(k: int) -> tuple[float, float]:
            return (k % cols + 0.5, k // cols + 0.5)

        _signed_edges(ax, [(centre(a), centre(b), v) for a, b, v in sorted(pairs, key=lambda e: abs(e[2]))],
                      base=0.3, scale=7, alpha=0.9)
        centres = [centre(k) for k in range(rows * cols)]
        ax.scatter([c[0] for c in centres], [c[1] for c in centres], s=12, color="#e67e22", zorder=3)
        _sign_legend(ax, "I > 0", "I < 0", "width ∝ |I|", loc="upper center", bbox_to_anchor=(0.5, -0.01),
                     ncol=3, fontsize=8, frameon=False)
    grid_interaction_strength({(a, b): v for a, b, v in pairs}, (rows, cols), image=under, alpha=0.55,
                              ax=axes[-1], title=None, cmap="magma" if strokes is None else "YlOrRd")
    data = dict(fig.interplay_data)
    axes[-1].set_title(title, fontsize=10)
    _finish_heatmap(axes[-1], image, strokes, rows, cols)
    return _finish(fig, save, {"pairs": pairs, **data})
