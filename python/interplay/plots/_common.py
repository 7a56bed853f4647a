"""What every picture shares: argument handling, a figure made without pyplot, its finish (``save=``,
``fig.interplay_data``), the drawing helpers and the colours."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Optional, Sequence, Union

import torch

from ._scales import DIVERGING, MAGNITUDE, SHARE, opaque_heatmap  # noqa: F401 (the maps, for the modules)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.colors import Normalize
    from matplotlib.figure import Figure
    from matplotlib.image import AxesImage

POSITIVE = "#c0392b"  # edges / bars of positive interactions
NEGATIVE = "#2471a3"
WIDTH_COLOUR = "#555555"  # the reference lines of an edge-width legend (no sign)
# a title per index of interplay.INDICES, for pictures of results
TITLES = {"SV": "Shapley values", "BV": "Banzhaf values", "Moebius": "Harsanyi dividends",
          "SII": "Shapley interactions", "BII": "Banzhaf interactions", "RII": "interactions at a random rate",
          "SII-order": "multi-order interactions", "R": "marginal rewards", "J": "average marginal rewards"}
BLOCK_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948",
                 "#ff9da7", "#9c755f", "#bab0ac")


# ---------------------------------------------------------------------------------------------
# argument handling
# ---------------------------------------------------------------------------------------------
def _tensor(x: Any, what: str) -> torch.Tensor:
    """Any array-like (Result, tensor, numpy, list) as a float64 CPU tensor."""
    if isinstance(getattr(x, "values", None), torch.Tensor):  # an interplay.Result
        x = x.values
    try:
        t = torch.as_tensor(x).detach().cpu()
    except (TypeError, ValueError, RuntimeError) as e:
        raise TypeError(f"{what} must be a tensor or an array of numbers, got {type(x).__name__}") from e
    if t.dtype == torch.bool:
        return t.to(torch.float64)
    integers = (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8)
    if not (t.is_floating_point() or t.dtype in integers):
        raise TypeError(f"{what} must hold real numbers, got dtype {t.dtype}")
    return t.to(torch.float64)


def _title(values: Any, default: str) -> str:
    """The title of a picture of ``values``: its index's name for a Result, else ``default``."""
    index = getattr(values, "index", None)
    return TITLES.get(index, default) if isinstance(index, str) else default


def _grid(grid: Any, n: Optional[int] = None, what: str = "values") -> tuple[int, int]:
    """Checks ``grid = (h, w)`` (and that it covers ``n`` players when given)."""
    try:
        h, w = (int(g) for g in grid)
    except (TypeError, ValueError) as e:
        raise ValueError(f"grid must be a pair (height, width) of positive integers, got {grid!r}") from e
    if h < 1 or w < 1:
        raise ValueError(f"grid must be a pair (height, width) of positive integers, got {grid!r}")
    if n is not None and h * w != n:
        raise ValueError(f"grid {h}x{w} has {h * w} cells but {what} has {n} players")
    return h, w


def _new_figure(ax: Optional["Axes"], figsize: tuple[float, float]) -> tuple["Figure", "Axes"]:
    if ax is not None:
        return ax.figure, ax
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def _finish(fig: "Figure", save: Optional[Union[str, os.PathLike]], data: dict, dpi: int = 120) -> "Figure":
    fig.interplay_data = data
    if save is not None:
        if os.path.isdir(os.fspath(save)):
            raise IsADirectoryError(f"save={os.fspath(save)!r} is a directory; save must name a file (e.g. 'x.png')")
        folder = os.path.dirname(os.fspath(save))
        if folder:
            os.makedirs(folder, exist_ok=True)
        fig.savefig(save, dpi=dpi)
    return fig


def _image_array(image: Any):
    """An image ([H, W], [H, W, C] or [C, H, W]) as a numpy array in [0, 1] for imshow."""
    img = _tensor(image, "image")
    # [1, H, W] always (a picture one pixel high is not meant); [3 or 4, H, W] when it cannot be [H, W, C]
    one_channel_first = img.dim() == 3 and img.shape[0] == 1
    channels_first = img.dim() == 3 and img.shape[0] in (3, 4) and img.shape[2] not in (1, 3, 4)
    if one_channel_first or channels_first:
        img = img.permute(1, 2, 0)
    if img.dim() == 3 and img.shape[2] == 1:
        img = img[:, :, 0]
    if img.dim() not in (2, 3) or (img.dim() == 3 and img.shape[2] not in (3, 4)):
        raise ValueError(f"image must have shape [H, W], [H, W, C] or [C, H, W] with C in 1/3/4, "
                         f"got {list(_tensor(image, 'image').shape)}")
    lo, hi = float(img.min()), float(img.max())
    if lo < 0 or hi > 1:
        img = (img - lo) / (hi - lo) if hi > lo else torch.zeros_like(img)
    return img.numpy()


def _draw_image(ax: "Axes", image: Any, h: int, w: int, *, interpolation: str,
                unit_range: bool = False) -> None:
    """Draws ``image`` stretched over cells [0, w] x [0, h] (grey when it has one channel);
    ``unit_range`` fixes the colour range to [0, 1] instead of the image's own."""
    img = _image_array(image)
    limits = {"vmin": 0, "vmax": 1} if unit_range else {}
    ax.imshow(img, extent=(0, w, h, 0), cmap="gray" if img.ndim == 2 else None, interpolation=interpolation,
              **limits)


def _input_beside(ax: "Axes", image: Any, h: int, w: int) -> None:
    """The picture of the input in its own panel, stretched over the same h x w cells as the map."""
    _draw_image(ax, image, h, w, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title("the input", fontsize=10)


def _grid_heatmap(ax: "Axes", values: torch.Tensor, *, cmap: str, norm: "Normalize",
                  ticks: bool = True) -> "AxesImage":
    """Draws an [h, w] array opaque over cells [0, w] x [0, h] (NaN cells hatched grey), with the
    row and column numbers as ticks when ``ticks`` and the grid is at most 16 wide."""
    h, w = values.shape
    im = opaque_heatmap(ax, values, cmap=cmap, norm=norm)
    if ticks and max(h, w) <= 16:
        ax.set_xticks([c + 0.5 for c in range(w)], [str(c) for c in range(w)])
        ax.set_yticks([r + 0.5 for r in range(h)], [str(r) for r in range(h)])
    else:
        ax.set_xticks([])
        ax.set_yticks([])
    ax.set_xlim(0, w)
    ax.set_ylim(h, 0)
    return im


# ---------------------------------------------------------------------------------------------
# edges: colour by sign, width by |value|, and their legend
# ---------------------------------------------------------------------------------------------
def _edge_width(magnitude: float, strongest: float, *, base: float, scale: float) -> float:
    """The line width of an edge of |value| ``magnitude`` when the strongest edge has ``strongest``."""
    return base + scale * magnitude / strongest


def _strongest(edges: Sequence[tuple]) -> float:
    """max |value| of ``edges`` ``(start, end, value)`` (1 when there is none or it is 0)."""
    return max((abs(v) for _, _, v in edges), default=1.0) or 1.0


def _signed_edges(ax: "Axes", edges: Sequence[tuple], *, base: float, scale: float, alpha: float,
                  zorder: Optional[float] = None) -> float:
    """Draws ``edges`` ``(start, end, value)`` (points (x, y)) in the order given, red for value > 0
    and blue otherwise, width :func:`_edge_width`; returns the strongest |value| (the width scale)."""
    strongest = _strongest(edges)
    for (x0, y0), (x1, y1), v in edges:
        ax.plot([x0, x1], [y0, y1], color=POSITIVE if v > 0 else NEGATIVE,
                linewidth=_edge_width(abs(v), strongest, base=base, scale=scale), alpha=alpha,
                solid_capstyle="round", zorder=zorder)
    return strongest


def _reference_magnitudes(strongest: float) -> list[float]:
    """Three round |values| for a width legend: about a quarter, a half and all of ``strongest``."""
    picked = []
    for fraction in (0.25, 0.5, 1.0):
        value = float(f"{fraction * strongest:.2g}")
        if value > 0 and value not in picked:
            picked.append(value)
    return picked


def _edge_legend(ax: "Axes", strongest: Optional[float], *, base: float, scale: float, alpha: float,
                 quantity: str = "I", **legend: Any) -> list[tuple[float, float]]:
    """A legend of the edges in two rows: the colours (red ``quantity`` > 0, blue < 0) and, when
    there are edges (``strongest`` not None), three reference widths labelled with their |value|.
    Returns the references as (|value|, line width)."""
    from matplotlib.lines import Line2D

    signs = [Line2D([], [], color=POSITIVE, lw=3, alpha=alpha, label=f"{quantity} > 0"),
             Line2D([], [], color=NEGATIVE, lw=3, alpha=alpha, label=f"{quantity} < 0")]
    if strongest is None:
        ax.legend(handles=signs, ncol=2, **legend)
        return []
    references = [(v, _edge_width(v, strongest, base=base, scale=scale))
                  for v in _reference_magnitudes(strongest)]
    widths = [Line2D([], [], color=WIDTH_COLOUR, lw=lw, alpha=alpha, solid_capstyle="butt",
                     label=f"|{quantity}| = {v:.2g}") for v, lw in references]
    note = Line2D([], [], color="none", label=f"width ∝ |{quantity}|:")
    _legend_rows(ax, [signs + [note], widths], **legend)
    return references


def _legend_rows(ax: "Axes", rows: Sequence[Sequence[Any]], **legend: Any) -> None:
    """A legend whose ``rows`` of handles each read across (short rows padded with blanks)."""
    from matplotlib.lines import Line2D

    columns = max(len(row) for row in rows)
    blank = Line2D([], [], color="none", label=" ")
    padded = [list(row) + [blank] * (columns - len(row)) for row in rows]
    # matplotlib fills a legend column by column: interleave the rows so that each reads across
    ax.legend(handles=[row[c] for c in range(columns) for row in padded], ncol=columns, **legend)
