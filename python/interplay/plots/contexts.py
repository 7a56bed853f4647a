"""Context maps (multivariate paper Fig. 2): the contexts S of a pair, their Δv(i, j, S) and
sum_S |Δv(i, j, S)| · map(S) over a grid."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Optional, Sequence, Union

import torch

from ._common import SHARE, _finish, _grid, _grid_heatmap, _input_beside, _tensor
from ._scales import colour_bar, magnitude_norm, map_axes
from .grid import _cell_index

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def context_weights(contexts: Any, deltas: Any, interaction: Optional[float] = None,
                    normalize: bool = True) -> torch.Tensor:
    """sum_S |Δv(i, j, S)| · map(S) over the given contexts (multivariate paper, Fig. 2).

    Args:
        contexts: bool ``[K, n]``, row k = map(S_k).
        deltas: ``[K]``, Δv(i, j, S_k).
        interaction: when given (B(S_ij) or I(i, j)), only the contexts that boost it count,
            Δv(i, j, S) · interaction > 0, as in the paper's figure.
        normalize: divide by sum_S |Δv| so each cell is the |Δv|-weighted share of contexts
            that contain it (in [0, 1]); all zeros when no context counts.

    Returns:
        ``[n]`` float64.
    """
    maps = _tensor(contexts, "contexts")
    d = _tensor(deltas, "deltas")
    if maps.dim() != 2:
        raise ValueError(f"contexts must be a [K, n] mask, got shape {list(maps.shape)}")
    if d.dim() != 1 or d.shape[0] != maps.shape[0]:
        raise ValueError(f"deltas must have shape [{maps.shape[0]}] (one per context), got {list(d.shape)}")
    weight = d.abs()
    if interaction is not None:
        weight = torch.where(d * float(interaction) > 0, weight, torch.zeros_like(weight))
    out = weight @ maps
    if normalize:
        total = float(weight.sum())
        out = out / total if total > 0 else out
    return out


def context_map(
    contexts: Any,
    deltas: Any,
    grid: Sequence[int],
    image: Any = None,
    *,
    pair: Optional[tuple[int, int]] = None,
    interaction: Optional[float] = None,
    normalize: bool = True,
    cmap: str = SHARE,
    title: Optional[str] = None,
    ax: Optional["Axes"] = None,
    save: Optional[Union[str, os.PathLike]] = None,
) -> "Figure":
    """The weighted contexts sum_S |Δv(i, j, S)| · map(S) of a pair as an opaque grid heatmap
    (the share map, from 0); ``image`` is drawn in its own panel left of it, never under it.

    ``contexts``/``deltas`` as from :func:`pair_contexts`; ``pair`` outlines cells i and j;
    ``interaction`` keeps only boosting contexts (see :func:`context_weights`).
    ``fig.interplay_data``: ``weights`` ``[h, w]``.
    """
    weights = context_weights(contexts, deltas, interaction, normalize)
    h, w = _grid(grid, weights.shape[0], "contexts")
    weights = weights.view(h, w)
    fig, image_ax, ax, cax = map_axes(ax, image is not None, (4.2, 3.8))
    if image_ax is not None:
        _input_beside(image_ax, image, h, w)
    im = _grid_heatmap(ax, weights, cmap=cmap, norm=magnitude_norm(weights), ticks=image_ax is None)
    label = "Σ_S |Δv(i,j,S)| map(S)" + (" / Σ_S |Δv|" if normalize else "")
    colour_bar(fig, im, label, ax=ax, cax=cax)
    if pair is not None:
        from matplotlib.patches import Rectangle

        for k in pair:
            k = _cell_index(k, h, w)
            ax.add_patch(Rectangle((k % w, k // w), 1, 1, fill=False, edgecolor="#ff2a2a", linewidth=2.5))
    if title is None and pair is not None:
        title = f"contexts of the pair ({pair[0]}, {pair[1]})"
    if title:
        ax.set_title(title)
    return _finish(fig, save, {"weights": weights})
