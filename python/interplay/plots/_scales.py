"""Colour scales of the pictures: one colour map per quantity, opaque heatmaps, colour bars, and
cells without a value (NaN) drawn in their own hatched grey.

Every heatmap of :mod:`interplay.plots` is drawn here, opaque (nothing is blended into the
values' colours: a picture of the input goes into its own panel, :func:`_map_axes`), so the colour
of each cell is a colour of its colour bar.

* signed quantities (φ, I, Δv): :data:`DIVERGING`, limits symmetric about 0 (:func:`_signed_norm`);
* magnitudes |I| (a grid's neighbour strength): :data:`MAGNITUDE`, from 0 (:func:`_magnitude_norm`);
* shares of contexts (context maps): :data:`SHARE`, from 0.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

import torch

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.colorbar import Colorbar
    from matplotlib.colors import Colormap, Normalize
    from matplotlib.figure import Figure
    from matplotlib.image import AxesImage

DIVERGING = "RdBu_r"  # signed values: blue < 0, white 0, red > 0
MAGNITUDE = "Purples"  # |I| >= 0: neither red nor blue, so it never reads as a sign
SHARE = "viridis"  # the |Δv|-weighted share of contexts holding a cell, in [0, 1]
MISSING_COLOUR = "#a6a6a6"  # NaN (not estimated): a mid grey, on none of the maps above
MISSING_HATCH = "////"
MISSING_EDGE = "#6e6e6e"  # the colour of the hatch lines


def colour_map(name: str) -> "Colormap":
    """The colour map ``name`` with NaN ("bad") cells in :data:`MISSING_COLOUR`."""
    import matplotlib

    return matplotlib.colormaps[name].with_extremes(bad=MISSING_COLOUR)


def symmetric_limit(values: torch.Tensor) -> float:
    """max |finite value| (1 when there is none or it is 0): the limit of a signed scale."""
    finite = values[torch.isfinite(values)]
    limit = float(finite.abs().max()) if finite.numel() else 0.0
    return limit if limit > 0 else 1.0


def signed_norm(values: torch.Tensor) -> "Normalize":
    """[-L, L] with L = max |value|: 0 sits at the middle of a diverging map."""
    from matplotlib.colors import Normalize

    limit = symmetric_limit(values)
    return Normalize(vmin=-limit, vmax=limit)


def magnitude_norm(values: torch.Tensor) -> "Normalize":
    """[0, max value] (top 1 when there is no positive finite value), for magnitudes and shares."""
    from matplotlib.colors import Normalize

    finite = values[torch.isfinite(values)]
    top = float(finite.max()) if finite.numel() else 0.0
    return Normalize(vmin=0.0, vmax=top if top > 0 else 1.0)


def opaque_heatmap(ax: "Axes", values: torch.Tensor, *, cmap: str, norm: "Normalize", left: float = 0.0,
                   top: float = 0.0, aspect: Optional[str] = None) -> "AxesImage":
    """Draws ``values`` ``[h, w]`` opaque, cell (r, c) over [left + c, left + c + 1] x [top + r,
    top + r + 1]; NaN cells in the hatched grey of :func:`hatch_missing`."""
    h, w = values.shape
    image = ax.imshow(values.numpy(), extent=(left, left + w, top + h, top), cmap=colour_map(cmap), norm=norm,
                      interpolation="nearest", aspect=aspect)
    hatch_missing(ax, values, left=left, top=top)
    return image


def hatch_missing(ax: "Axes", values: torch.Tensor, *, left: float = 0.0, top: float = 0.0) -> int:
    """Hatches the NaN cells of ``values`` ``[h, w]`` (drawn as in :func:`opaque_heatmap`); returns
    how many there are."""
    from matplotlib.patches import Rectangle

    missing = torch.isnan(values).nonzero().tolist()
    for r, c in missing:
        ax.add_patch(Rectangle((left + c, top + r), 1, 1, facecolor="none", edgecolor=MISSING_EDGE,
                               hatch=MISSING_HATCH, linewidth=0, label="_missing"))
    return len(missing)


def missing_handle(note: str) -> Any:
    """A legend entry of the NaN swatch (grey, hatched) labelled ``note``."""
    from matplotlib.patches import Patch

    return Patch(facecolor=MISSING_COLOUR, edgecolor=MISSING_EDGE, hatch=MISSING_HATCH, label=note)


def colour_bar(fig: "Figure", image: Any, label: str, *, ax: Optional["Axes"] = None,
               cax: Optional["Axes"] = None, missing: str = "not estimated\n(NaN)",
               shrink: float = 0.85) -> "Colorbar":
    """The colour bar of ``image`` (beside ``ax``, or in ``cax``); when some of its cells are NaN,
    a note under the bar names their grey, hatched swatch ``missing``."""
    bar = fig.colorbar(image, cax=cax) if cax is not None else fig.colorbar(image, ax=ax, shrink=shrink)
    bar.set_label(label)
    if has_missing(image):
        bar.ax.legend(handles=[missing_handle(missing)], loc="upper center", bbox_to_anchor=(0.5, -0.02),
                      fontsize=7, frameon=False, handlelength=1.4, handleheight=1.2, borderaxespad=0.2)
    return bar


def has_missing(image: Any) -> bool:
    """Whether the array a colour-mapped artist draws has NaN (masked) entries."""
    import numpy as np

    array = image.get_array()
    return array is not None and bool(np.ma.getmaskarray(np.ma.masked_invalid(array)).any())


def text_colour_on(rgba: Any) -> str:
    """Black or white, whichever reads better on the colour ``rgba``."""
    r, g, b = (float(x) for x in rgba[:3])
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def map_axes(ax: Optional["Axes"], has_image: bool,
             figsize: tuple[float, float]) -> tuple["Figure", Optional["Axes"], "Axes", Optional["Axes"]]:
    """(figure, the image's panel, the map's panel, the colour bar's axes) of a map over a grid.

    Without an image: ``ax`` (or a new figure's axes) is the map, the colour bar goes beside it
    (None). With one: the image gets its own panel left of the map, never under it, in a new
    1 x 2 figure, or inside ``ax`` (split into image, map and colour bar)."""
    from matplotlib.figure import Figure

    if not has_image:
        if ax is not None:
            return ax.figure, None, ax, None
        fig = Figure(figsize=figsize, layout="constrained")
        return fig, None, fig.add_subplot(), None
    if ax is None:
        fig = Figure(figsize=(2 * figsize[0] - 0.6, figsize[1]), layout="constrained")
        image_ax, map_ax = fig.subplots(1, 2)
        return fig, image_ax, map_ax, None
    ax.set_axis_off()
    image_ax = ax.inset_axes((0.0, 0.0, 0.44, 1.0))
    map_ax = ax.inset_axes((0.48, 0.0, 0.40, 1.0))
    cax = ax.inset_axes((0.91, 0.08, 0.03, 0.84))
    return ax.figure, image_ax, map_ax, cax
