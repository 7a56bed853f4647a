"""Player values (grid heatmap or bar chart), interaction matrices and interaction networks."""
from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Any, Optional, Sequence, Union

import torch

from ._common import (
    DIVERGING,
    NEGATIVE,
    POSITIVE,
    _finish,
    _grid,
    _grid_heatmap,
    _new_figure,
    _sign_legend,
    _signed_edges,
    _symmetric_limit,
    _tensor,
    _title,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _labels(labels: Optional[Sequence[Any]], n: int, what: str) -> list[str]:
    if labels is None:
        return [str(k) for k in range(n)]
    labels = [str(x) for x in labels]
    if len(labels) != n:
        raise ValueError(f"labels has {len(labels)} entries but {what} has {n} players")
    return labels


def player_values(
    values: Any,
    grid: Optional[Sequence[int]] = None,
    labels: Optional[Sequence[Any]] = None,
    image: Any = None,
    *,
    stderr: Any = None,
    cmap: str = DIVERGING,
    alpha: float = 0.65,
    title: Optional[str] = None,
    ax: Optional["Axes"] = None,
    save: Optional[Union[str, os.PathLike]] = None,
) -> "Figure":
    """Shapley / Banzhaf values of the players.

    With ``grid=(h, w)``: a heatmap over the cells (optionally over ``image``), red positive,
    blue negative, centred at 0. Otherwise a bar chart, with ``labels`` (e.g. the words of a
    sentence or feature names) under the bars and error bars from ``stderr`` (taken from a
    Result when not given). ``fig.interplay_data``: ``values`` (``[h, w]`` on a grid, else ``[n]``).
    """
    v = _tensor(values, "values").flatten()
    if stderr is None and isinstance(getattr(values, "stderr", None), torch.Tensor):
        stderr = values.stderr
    if title is None:
        title = _title(values, "player values")
    if grid is not None:
        h, w = _grid(grid, v.numel())
        shown = v.view(h, w)
        fig, ax = _new_figure(ax, (4.2, 3.8))
        lim = _symmetric_limit(shown)
        im = _grid_heatmap(ax, shown, image, cmap=cmap, vmin=-lim, vmax=lim, alpha=alpha)
        fig.colorbar(im, ax=ax, shrink=0.85, label="value")
        if title:
            ax.set_title(title)
        return _finish(fig, save, {"values": shown})
    n = v.numel()
    names = _labels(labels, n, "values")
    fig, ax = _new_figure(ax, (max(4.0, 0.45 * n + 1.5), 3.4))
    err = None if stderr is None else _tensor(stderr, "stderr").flatten().numpy()
    colours = [POSITIVE if float(x) >= 0 else NEGATIVE for x in v]
    ax.bar(range(n), v.numpy(), color=colours, yerr=err, capsize=2 if err is not None else 0)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(range(n), names, rotation=45 if labels is not None and n > 4 else 0,
                  ha="right" if labels is not None and n > 4 else "center")
    ax.set_ylabel("value")
    if title:
        ax.set_title(title)
    return _finish(fig, save, {"values": v})


def _square(matrix: Any) -> torch.Tensor:
    m = _tensor(matrix, "matrix")
    if m.dim() != 2 or m.shape[0] != m.shape[1]:
        raise ValueError(f"an interaction matrix must be square [n, n], got shape {list(m.shape)}")
    return m


def interaction_matrix(
    matrix: Any,
    labels: Optional[Sequence[Any]] = None,
    *,
    annotate: Optional[bool] = None,
    cmap: str = DIVERGING,
    title: Optional[str] = None,
    ax: Optional["Axes"] = None,
    save: Optional[Union[str, os.PathLike]] = None,
) -> "Figure":
    """Heatmap of a pairwise interaction matrix ``[n, n]`` (red positive, blue negative, centred at 0).

    ``annotate`` writes the numbers in the cells (default: when n <= 8); NaN cells (not estimated)
    stay blank.
    """
    m = _square(matrix)
    n = m.shape[0]
    names = _labels(labels, n, "the matrix")
    fig, ax = _new_figure(ax, (max(3.6, 0.4 * n + 1.8), max(3.2, 0.4 * n + 1.2)))
    lim = _symmetric_limit(m)
    im = ax.imshow(m.numpy(), cmap=cmap, vmin=-lim, vmax=lim, interpolation="nearest")
    fig.colorbar(im, ax=ax, shrink=0.85, label="interaction")
    if n <= 40:
        ax.set_xticks(range(n), names, rotation=45 if labels is not None else 0,
                      ha="right" if labels is not None else "center")
        ax.set_yticks(range(n), names)
    if annotate if annotate is not None else n <= 8:
        for a in range(n):
            for b in range(n):
                x = float(m[a, b])
                if math.isnan(x):  # not estimated
                    continue
                ax.text(b, a, f"{x:.2g}", ha="center", va="center", fontsize=7,
                        color="white" if abs(x) > 0.6 * lim else "black")
    if title is None:
        title = _title(matrix, "interaction matrix")
    if title:
        ax.set_title(title)
    return _finish(fig, save, {"matrix": m})


def interaction_network(
    matrix: Any,
    labels: Optional[Sequence[Any]] = None,
    top_k: Optional[int] = 20,
    *,
    node_values: Any = None,
    title: Optional[str] = None,
    ax: Optional["Axes"] = None,
    save: Optional[Union[str, os.PathLike]] = None,
) -> "Figure":
    """The players on a circle, joined by their ``top_k`` strongest interactions (None: all).

    Edge width is proportional to |I(i, j)| (the matrix is read above the diagonal; NaN entries,
    not estimated, and zeros draw no edge), red for positive and blue for negative; ``node_values`` (e.g. Shapley values) colour the nodes.
    ``fig.interplay_data``: ``edges``, a list of (i, j, I(i, j)) strongest first.
    """
    m = _square(matrix)
    n = m.shape[0]
    names = _labels(labels, n, "the matrix")
    if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 0):
        raise ValueError(f"top_k must be a non-negative integer or None, got {top_k!r}")
    rows, cols = torch.triu_indices(n, n, offset=1)
    weights = m[rows, cols]
    order = torch.argsort(weights.abs(), descending=True, stable=True)
    order = order[(weights[order] != 0) & ~torch.isnan(weights[order])]  # NaN: not estimated
    if top_k is not None:
        order = order[:top_k]
    edges = [(int(rows[k]), int(cols[k]), float(weights[k])) for k in order]
    angle = [math.pi / 2 - 2 * math.pi * k / n for k in range(n)]
    xy = [(math.cos(a), math.sin(a)) for a in angle]
    fig, ax = _new_figure(ax, (4.6, 4.6))
    _signed_edges(ax, [(xy[a], xy[b], x) for a, b, x in reversed(edges)],  # strongest drawn last, on top
                  base=0.5, scale=5.5, alpha=0.75, zorder=1)
    if node_values is not None:
        nv = _tensor(node_values, "node_values").flatten()
        if nv.numel() != n:
            raise ValueError(f"node_values has {nv.numel()} entries but the matrix has {n} players")
        lim = _symmetric_limit(nv)
        sc = ax.scatter([p[0] for p in xy], [p[1] for p in xy], c=nv.numpy(), cmap=DIVERGING, vmin=-lim,
                        vmax=lim, s=260, edgecolors="black", zorder=2)
        fig.colorbar(sc, ax=ax, shrink=0.7, label="player value")
    else:
        ax.scatter([p[0] for p in xy], [p[1] for p in xy], color="#eeeeee", s=260, edgecolors="black",
                   zorder=2)
    for (x, y), name in zip(xy, names):
        ax.text(1.2 * x, 1.2 * y, name, ha="center", va="center", fontsize=9)
    _sign_legend(ax, "positive", "negative", loc="lower right", fontsize=7, frameon=False)
    ax.set_xlim(-1.45, 1.45)
    ax.set_ylim(-1.45, 1.45)
    ax.set_aspect("equal")
    ax.axis("off")
    if title is None:
        title = "strongest interactions" if top_k is not None and len(edges) == top_k else "interactions"
    if title:
        ax.set_title(title)
    return _finish(fig, save, {"edges": edges})
