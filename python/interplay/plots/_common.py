"""What every picture shares: argument handling, a figure made without pyplot, its finish (``save=``,
``fig.interplay_data``), the drawing helpers and the colours."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Optional, Sequence, Union

import torch

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

POSITIVE = "#c0392b"  # edges / bars of positive interactions
NEGATIVE = "#2471a3"
DIVERGING = "RdBu_r"
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
    if img.dim() == 3 and img.shape[0] in (1, 3, 4) and img.shape[2] not in (1, 3, 4):
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


def _grid_heatmap(ax: "Axes", values: torch.Tensor, image: Any, *, cmap: str, vmin: float, vmax: float,
                  alpha: float = 0.6):
    """Draws an [h, w] array over cells [0, w] x [0, h] (and the image, stretched to the same box)."""
    h, w = values.shape
    extent = (0, w, h, 0)
    if image is not None:
        _draw_image(ax, image, h, w, interpolation="bilinear")
        im = ax.imshow(values.numpy(), extent=extent, cmap=cmap, vmin=vmin, vmax=vmax, alpha=alpha,
                       interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
    else:
        im = ax.imshow(values.numpy(), extent=extent, cmap=cmap, vmin=vmin, vmax=vmax,
                       interpolation="nearest")
        if max(h, w) <= 16:
            ax.set_xticks([c + 0.5 for c in range(w)], [str(c) for c in range(w)])
            ax.set_yticks([r + 0.5 for r in range(h)], [str(r) for r in range(h)])
    ax.set_xlim(0, w)
    ax.set_ylim(h, 0)
    return im


def _symmetric_limit(values: torch.Tensor) -> float:
    finite = values[torch.isfinite(values)]
    lim = float(finite.abs().max()) if finite.numel() else 1.0
    return lim if lim > 0 else 1.0


def _signed_edges(ax: "Axes", edges: Sequence[tuple], *, base: float, scale: float, alpha: float,
                  zorder: Optional[float] = None) -> None:
    """Draws ``edges`` ``(start, end, value)`` (points (x, y)) in the order given, red for value > 0
    and blue otherwise, width ``base + scale * |value| / max |value|``."""
    strongest = max((abs(v) for _, _, v in edges), default=1.0) or 1.0
    for (x0, y0), (x1, y1), v in edges:
        ax.plot([x0, x1], [y0, y1], color=POSITIVE if v > 0 else NEGATIVE,
                linewidth=base + scale * abs(v) / strongest, alpha=alpha, solid_capstyle="round",
                zorder=zorder)


def _sign_legend(ax: "Axes", positive: str, negative: str, *notes: str, **kwargs: Any) -> None:
    """A legend of a red (positive) and a blue (negative) line, then ``notes`` without a line."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=POSITIVE, lw=3, label=positive),
               Line2D([], [], color=NEGATIVE, lw=3, label=negative)]
    handles += [Line2D([], [], color="none", label=note) for note in notes]
    ax.legend(handles=handles, **kwargs)
