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
    _edge_legend,
    _finish,
    _grid,
    _grid_heatmap,
    _input_beside,
    _new_figure,
    _signed_edges,
    _tensor,
    _title,
)
from ._scales import colour_bar, colour_map, map_axes, opaque_heatmap, signed_norm, text_colour_on

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _labels(labels: Optional[Sequence[Any]], n: int, what: str, source: Any = None) -> list[str]:
    """The names of ``n`` players: ``labels``, else those of ``source`` (a Result's ``labels``, the
    game's player names) when it names n players, else 0..n-1."""
    if labels is None:
        given = getattr(source, "labels", None)
        if isinstance(given, (tuple, list)) and len(given) == n:
            return [str(x) for x in given]
        return [str(k) for k in range(n)]
    labels = [str(x) for x in labels]
    if len(labels) != n:
        raise ValueError(f"labels has {len(labels)} entries but {what} has {n} players")
    return labels


def _names_players(values: Any) -> bool:
    """Whether ``values`` (a Result) holds one value per player, so that its labels name them."""
    return getattr(values, "pairs", None) is None and getattr(values, "orders", None) is None


def player_values(
    values: Any,
    grid: Optional[Sequence[int]] = None,
    labels: Optional[Sequence[Any]] = None,
    image: Any = None,
    *,
    stderr: Any = None,
    cmap: str = DIVERGING,
    colour_label: str = "value",
    title: Optional[str] = None,
    ax: Optional["Axes"] = None,
    save: Optional[Union[str, os.PathLike]] = None,
) -> "Figure":
    """Shapley / Banzhaf values of the players.

    With ``grid=(h, w)``: an opaque heatmap over the cells on the diverging map, limits symmetric
    about 0 (red positive, blue negative, white 0, NaN hatched grey), labelled ``colour_label``
    on its colour bar; ``image`` is drawn in its own panel left of it, never under it. Otherwise
    a bar chart, with ``labels`` (e.g. the words of a sentence or feature names; default: a
    Result's ``labels``) under the bars and error bars from ``stderr`` (taken from a Result when
    not given). ``fig.interplay_data``: ``values`` (``[h, w]`` on a grid, else ``[n]``).
    """
    v = _tensor(values, "values").flatten()
    if stderr is None and isinstance(getattr(values, "stderr", None), torch.Tensor):
        stderr = values.stderr
    if title is None:
        title = _title(values, "player values")
    if grid is not None:
        h, w = _grid(grid, v.numel())
        shown = v.view(h, w)
        fig, image_ax, map_ax, cax = map_axes(ax, image is not None, (4.2, 3.8))
        if image_ax is not None:
            _input_beside(image_ax, image, h, w)
        im = _grid_heatmap(map_ax, shown, cmap=cmap, norm=signed_norm(shown), ticks=image_ax is None)
        colour_bar(fig, im, colour_label, ax=map_ax, cax=cax)
        if title:
            map_ax.set_title(title)
        return _finish(fig, save, {"values": shown})
    n = v.numel()
    names = _labels(labels, n, "values", values if _names_players(values) else None)
    named = any(name != str(k) for k, name in enumerate(names))
    fig, ax = _new_figure(ax, (max(4.0, 0.45 * n + 1.5), 3.4))
    err = None if stderr is None else _tensor(stderr, "stderr").flatten().numpy()
    colours = [POSITIVE if float(x) >= 0 else NEGATIVE for x in v]
    ax.bar(range(n), v.numpy(), color=colours, yerr=err, capsize=2 if err is not None else 0)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(range(n), names, rotation=45 if named and n > 4 else 0,
                  ha="right" if named and n > 4 else "center")
    ax.set_ylabel(colour_label)
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
    """Heatmap of a pairwise interaction matrix ``[n, n]``: the diverging map with limits symmetric
    about 0 (red positive, blue negative, white 0), rows and columns named by ``labels`` (default:
    a Result's ``labels``).

    NaN cells (pairs not estimated) are grey and hatched, a colour on no map, and a note under the
    colour bar says so. ``annotate`` writes the numbers in the cells (default: when n <= 8; none
    in NaN cells).
    """
    m = _square(matrix)
    n = m.shape[0]
    names = _labels(labels, n, "the matrix", matrix)
    named = labels is not None or names != [str(k) for k in range(n)]
    fig, ax = _new_figure(ax, (max(3.6, 0.4 * n + 1.8), max(3.2, 0.4 * n + 1.2)))
    norm = signed_norm(m)
    im = opaque_heatmap(ax, m, cmap=cmap, norm=norm, left=-0.5, top=-0.5)
    colour_bar(fig, im, "interaction", ax=ax)
    if n <= 40:
        ax.set_xticks(range(n), names, rotation=45 if named else 0, ha="right" if named else "center")
        ax.set_yticks(range(n), names)
    if annotate if annotate is not None else n <= 8:
        shades = colour_map(cmap)
        for a in range(n):
            for b in range(n):
                x = float(m[a, b])
                if math.isnan(x):  # not estimated
                    continue
                ax.text(b, a, f"{x:.2g}", ha="center", va="center", fontsize=7,
                        color=text_colour_on(shades(norm(x))))
    if title is None:
        title = _title(matrix, "interaction matrix")
    if title:
        ax.set_title(title)
    return _finish(fig, save, {"matrix": m})


EDGE_BASE, EDGE_SCALE, EDGE_ALPHA = 0.5, 5.5, 0.75  # the network's edge widths: base + scale * |I| / max |I|


def _circle(n: int) -> list[tuple[float, float]]:
    """n points on the unit circle, the first at the top, going clockwise."""
    angles = [math.pi / 2 - 2 * math.pi * k / n for k in range(n)]
    return [(math.cos(a), math.sin(a)) for a in angles]


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
    """The players on a circle, named by ``labels`` (default: a Result's ``labels``, the game's
    player names), joined by their ``top_k`` strongest interactions (None: all).

    Edge width is base + scale * |I(i, j)| / max |I| (the matrix is read above the diagonal; NaN
    entries, not estimated, and zeros draw no edge), red for positive and blue for negative; a
    legend under the circle gives the colours and three reference widths with their |I|.
    ``node_values`` (e.g. Shapley values) colour the nodes on the diverging map, symmetric about 0.
    ``fig.interplay_data``: ``edges``, a list of (i, j, I(i, j)) strongest first, and
    ``edge_widths``, the legend's (|I|, line width).
    """
    m = _square(matrix)
    n = m.shape[0]
    names = _labels(labels, n, "the matrix", matrix)
    if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 0):
        raise ValueError(f"top_k must be a non-negative integer or None, got {top_k!r}")
    rows, cols = torch.triu_indices(n, n, offset=1)
    weights = m[rows, cols]
    order = torch.argsort(weights.abs(), descending=True, stable=True)
    order = order[(weights[order] != 0) & ~torch.isnan(weights[order])]  # NaN: not estimated
    if top_k is not None:
        order = order[:top_k]
    edges = [(int(rows[k]), int(cols[k]), float(weights[k])) for k in order]
    xy = _circle(n)
    fig, ax = _new_figure(ax, (4.6, 5.0))
    strongest = _signed_edges(ax, [(xy[a], xy[b], x) for a, b, x in reversed(edges)],  # strongest on top
                              base=EDGE_BASE, scale=EDGE_SCALE, alpha=EDGE_ALPHA, zorder=1)
    if node_values is not None:
        nv = _tensor(node_values, "node_values").flatten()
        if nv.numel() != n:
            raise ValueError(f"node_values has {nv.numel()} entries but the matrix has {n} players")
        sc = ax.scatter([p[0] for p in xy], [p[1] for p in xy], c=nv.numpy(), cmap=colour_map(DIVERGING),
                        norm=signed_norm(nv), s=260, edgecolors="black", zorder=2)
        colour_bar(fig, sc, "player value", ax=ax, shrink=0.7)
    else:
        ax.scatter([p[0] for p in xy], [p[1] for p in xy], color="#eeeeee", s=260, edgecolors="black",
                   zorder=2)
    for (x, y), name in zip(xy, names):
        ax.text(1.2 * x, 1.2 * y, name, ha="center", va="center", fontsize=9)
    widths = _edge_legend(ax, strongest if edges else None, base=EDGE_BASE, scale=EDGE_SCALE,
                          alpha=EDGE_ALPHA, loc="upper center", bbox_to_anchor=(0.5, 0.0), fontsize=7,
                          frameon=False, columnspacing=1.2, handlelength=2.4)
    ax.set_xlim(-1.45, 1.45)
    ax.set_ylim(-1.45, 1.45)
    ax.set_aspect("equal")
    ax.axis("off")
    if title is None:
        title = "strongest interactions" if top_k is not None and len(edges) == top_k else "interactions"
    if title:
        ax.set_title(title)
    return _finish(fig, save, {"edges": edges, "edge_widths": widths})
