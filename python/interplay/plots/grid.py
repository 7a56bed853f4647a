"""Grid interaction strength (dropout paper Fig. 1): Color(g) = E_{g' ∈ neighbour(g)} |I(g, g')|."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Mapping, Optional, Sequence, Union

import torch

from ._common import MAGNITUDE, _finish, _grid, _grid_heatmap, _input_beside, _tensor
from ._scales import colour_bar, magnitude_norm, map_axes

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _neighbour_pairs(h: int, w: int, neighbours: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(source, neighbour) cell indices of every in-grid neighbour pair, both directions."""
    if neighbours == 4:
        offsets = [(-1, 0), (1, 0), (0, -1), (0, 1)]
    elif neighbours == 8:
        offsets = [(dr, dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1) if (dr, dc) != (0, 0)]
    else:
        raise ValueError(f"neighbours must be 4 or 8, got {neighbours!r}")
    rows = torch.arange(h).view(h, 1).expand(h, w)
    cols = torch.arange(w).view(1, w).expand(h, w)
    src, dst = [], []
    for dr, dc in offsets:
        r2, c2 = rows + dr, cols + dc
        ok = (r2 >= 0) & (r2 < h) & (c2 >= 0) & (c2 < w)
        src.append((rows * w + cols)[ok])
        dst.append((r2 * w + c2)[ok])
    return torch.cat(src), torch.cat(dst)


def _cell_index(g: Any, h: int, w: int) -> int:
    if isinstance(g, (tuple, list)):
        if len(g) != 2:
            raise ValueError(f"a grid cell must be an index or a (row, column) pair, got {g!r}")
        r, c = int(g[0]), int(g[1])
        if not (0 <= r < h and 0 <= c < w):
            raise ValueError(f"grid cell {tuple(g)} is outside the {h}x{w} grid")
        return r * w + c
    k = int(g)
    if not 0 <= k < h * w:
        raise ValueError(f"grid cell {k} is outside the {h}x{w} grid (valid: 0..{h * w - 1})")
    return k


def _pairs_to_matrix(pairs: Mapping[Any, Any], h: int, w: int) -> torch.Tensor:
    """{(g, g'): I} (cells as indices or (row, col)) to an [n, n] matrix, NaN where not given.

    A pair given in one direction only fills both; a pair given both ways keeps each.
    """
    n = h * w
    out = torch.full((n, n), float("nan"), dtype=torch.float64)
    given = torch.zeros((n, n), dtype=torch.bool)
    for key, value in pairs.items():
        try:
            g, g2 = key
        except (TypeError, ValueError) as e:
            raise ValueError(f"interaction pairs must be keyed by (g, g'), got key {key!r}") from e
        a, b = _cell_index(g, h, w), _cell_index(g2, h, w)
        if a == b:
            raise ValueError(f"an interaction pair needs two different cells, got {key!r}")
        v = float(_tensor(value, f"the interaction of {key!r}"))
        out[a, b] = v
        given[a, b] = True
        if not given[b, a]:
            out[b, a] = v
    return out


def grid_strength(interactions: Any, grid: Sequence[int], neighbours: int = 4) -> torch.Tensor:
    """Color(g) = E_{g' ∈ neighbour(g)} |I(g, g')| for every cell g (dropout paper, Fig. 1).

    Args:
        interactions: an interaction matrix ``[n, n]`` (n = h * w, row g holds I(g, ·)) or a dict
            ``{(g, g'): I(g, g')}`` with cells as player indices or (row, column) pairs; a dict may
            give only the neighbour pairs, and a pair given one way counts both ways.
        grid: (h, w); cell (r, c) is player r * w + c.
        neighbours: 4 (up, down, left, right) or 8 (with the diagonals).

    Returns:
        ``[h, w]`` float64: the mean |I| over the cell's in-grid neighbours whose interaction is
        known (NaN for a cell with none).
    """
    if isinstance(interactions, Mapping):
        h, w = _grid(grid)
        matrix = _pairs_to_matrix(interactions, h, w)
    else:
        matrix = _tensor(interactions, "interactions")
        if matrix.dim() != 2 or matrix.shape[0] != matrix.shape[1]:
            raise ValueError(f"an interaction matrix must be square [n, n], got shape {list(matrix.shape)}")
        h, w = _grid(grid, matrix.shape[0], "the interaction matrix")
    src, dst = _neighbour_pairs(h, w, neighbours)
    values = matrix[src, dst].abs()
    known = ~torch.isnan(values)
    n = h * w
    sums = torch.zeros(n, dtype=torch.float64).index_add_(0, src[known], values[known])
    counts = torch.zeros(n, dtype=torch.float64).index_add_(0, src[known], torch.ones_like(values[known]))
    strength = torch.where(counts > 0, sums / counts.clamp(min=1), torch.full_like(sums, float("nan")))
    return strength.view(h, w)


def grid_interaction_strength(
    interactions: Any,
    grid: Sequence[int],
    image: Any = None,
    *,
    neighbours: int = 4,
    normalize: bool = True,
    cmap: str = MAGNITUDE,
    title: Optional[str] = "interaction strength with neighbours",
    ax: Optional["Axes"] = None,
    save: Optional[Union[str, os.PathLike]] = None,
) -> "Figure":
    """Opaque heatmap of each cell's mean |I(g, g')| over its neighbours on the magnitude map (0 to
    the largest cell); ``image`` is drawn in its own panel left of it, never under it. A cell with
    no estimated neighbour interaction (NaN) is grey and hatched, and a note under the colour bar
    says so.

    ``normalize=True`` divides by the largest cell so the colours span [0, 1] as in the paper.
    ``fig.interplay_data``: ``strength`` (the raw :func:`grid_strength`) and ``shown``.
    """
    strength = grid_strength(interactions, grid, neighbours)
    shown = strength
    if normalize:
        top = float(torch.nan_to_num(strength, nan=0.0).max())
        shown = strength / top if top > 0 else strength
    h, w = shown.shape
    fig, image_ax, map_ax, cax = map_axes(ax, image is not None, (4.2, 3.8))
    if image_ax is not None:
        _input_beside(image_ax, image, h, w)
    im = _grid_heatmap(map_ax, shown, cmap=cmap, norm=magnitude_norm(shown), ticks=image_ax is None)
    colour_bar(fig, im, "mean |I(g, g')|" + (" (normalised)" if normalize else ""), ax=map_ax, cax=cax,
               missing="no estimated\nneighbour (NaN)")
    if title:
        map_ax.set_title(title, fontsize=11)
    return _finish(fig, save, {"strength": strength, "shown": shown})
