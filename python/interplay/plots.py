"""Pictures of interactions (matplotlib), the way the papers show them.

Every plot function draws on a ``matplotlib.figure.Figure`` made without pyplot, so it works
under any backend (Agg on a server, inline in a notebook) and leaves no global figure state.
Each returns the figure (the one of ``ax=`` when given), writes a PNG when ``save=path``, and
attaches the numbers it drew as ``fig.interplay_data`` (a dict of tensors / lists) so that
callers and tests can check them. The arithmetic behind the pictures lives in pure
functions (:func:`grid_strength`, :func:`context_weights`, :func:`pair_contexts`,
:func:`instability`) that need no matplotlib.

matplotlib is imported only inside the functions that draw: ``import interplay`` stays light.

Grid cells are players in row-major order: cell (r, c) of an h x w grid is player r * w + c.

  dropout paper Fig. 1        :func:`grid_interaction_strength`  Color(g) = E_{g' ∈ neighbour(g)} |I(g, g')|
  multivariate paper Fig. 2   :func:`context_map`                sum_S |Δv(i, j, S)| · map(S)
  dropout paper Fig. 2        :func:`order_curve`                |I^(s)| against s / n
  multivariate paper Fig. 3   :func:`partition_trajectory`       p_i during the partition search
  multivariate paper Fig. 4b  :func:`instability_curve`          instability of T([A]) against samples
  dropout paper Eq. 1-2       :func:`image_values`,              an image's cells with their Shapley values /
                              :func:`image_interactions`         neighbour interactions (python -m interplay image)
  multivariate paper Table 1  :func:`grouped_bars`               scores per data set and method (... toy)
"""
from __future__ import annotations

import base64
import io
import math
import os
from typing import TYPE_CHECKING, Any, Mapping, Optional, Sequence, Union

import torch

from .games import Game, masks_to_coalitions

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .results import Result, Significance

POSITIVE = "#c0392b"  # edges / bars of positive interactions
NEGATIVE = "#2471a3"
DIVERGING = "RdBu_r"
BLOCK_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948",
                 "#ff9da7", "#9c755f", "#bab0ac")


# ---------------------------------------------------------------------------------------------
# argument handling
# ---------------------------------------------------------------------------------------------
def _tensor(x: Any, what: str) -> torch.Tensor:
    """Any array-like (Result, tensor, numpy, list) as a float64 CPU tensor."""
    if hasattr(x, "tensor") and callable(x.tensor) and isinstance(x, torch.Tensor):
        x = x.tensor()
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


# ---------------------------------------------------------------------------------------------
# grid interaction strength (dropout paper Fig. 1)
# ---------------------------------------------------------------------------------------------
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
    cmap: str = "magma",
    alpha: float = 0.6,
    title: Optional[str] = "interaction strength with neighbours",
    ax: Optional["Axes"] = None,
    save: Optional[Union[str, os.PathLike]] = None,
) -> "Figure":
    """Heatmap of each cell's mean |I(g, g')| over its neighbours, optionally over ``image``.

    ``normalize=True`` divides by the largest cell so the colours span [0, 1] as in the paper.
    ``fig.interplay_data``: ``strength`` (the raw :func:`grid_strength`) and ``shown``.
    """
    strength = grid_strength(interactions, grid, neighbours)
    shown = strength
    if normalize:
        top = float(torch.nan_to_num(strength, nan=0.0).max())
        shown = strength / top if top > 0 else strength
    fig, ax = _new_figure(ax, (4.2, 3.8))
    finite = shown[torch.isfinite(shown)]
    vmax = float(finite.max()) if finite.numel() and float(finite.max()) > 0 else 1.0
    im = _grid_heatmap(ax, shown, image, cmap=cmap, vmin=0.0, vmax=vmax, alpha=alpha)
    fig.colorbar(im, ax=ax, shrink=0.85, label="mean |I(g, g')|" + (" (normalised)" if normalize else ""))
    if title:
        ax.set_title(title)
    return _finish(fig, save, {"strength": strength, "shown": shown})


# ---------------------------------------------------------------------------------------------
# context maps (multivariate paper Fig. 2)
# ---------------------------------------------------------------------------------------------
def pair_contexts(game: Game, i: int, j: int, *, samples: Optional[int] = None,
                  seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """The contexts S ⊆ N ∖ {i, j} of a pair and their Δv(i, j, S).

    Δv(i, j, S) = v(S∪{i,j}) - v(S∪{i}) - v(S∪{j}) + v(S) (multivariate paper, Fig. 2).

    ``samples=None`` enumerates all 2^(n-2) contexts from the game's table (n <= 24);
    ``samples=K`` draws K contexts uniformly from the 2^(n-2) (each other player present with
    probability 1/2, seeded by ``seed``) and evaluates the game on 4K coalitions — for grids too
    large to enumerate; sums over them estimate 2^(n-2) / K times the full sums.

    Returns:
        ``contexts`` bool ``[K, n]`` (i and j never present) and ``deltas`` float64 ``[K]``.
    """
    from . import _checks

    n = game.n_players
    i, j = _checks.pair(i, j, n)
    others = torch.tensor([k for k in range(n) if k not in (i, j)], dtype=torch.int64)
    if samples is None:
        if n - 2 > 22:
            raise ValueError(f"enumerating the 2^{n - 2} contexts of a {n}-player game is too large; "
                             "pass samples= to draw contexts at random")
        table = game.table()
        compressed = torch.arange(1 << (n - 2), dtype=torch.int64)
        bits = masks_to_coalitions(compressed, n - 2)                    # [K, n-2]
        full = (bits.to(torch.int64) * (torch.ones_like(others) << others)).sum(1)
        bi, bj = 1 << i, 1 << j
        deltas = table[full | bi | bj] - table[full | bi] - table[full | bj] + table[full]
        return masks_to_coalitions(full, n), deltas
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise ValueError(f"samples must be a positive integer, got {samples!r}")
    gen = torch.Generator().manual_seed(int(seed))
    contexts = torch.zeros(samples, n, dtype=torch.bool)
    contexts[:, others] = torch.rand(samples, n - 2, generator=gen, dtype=torch.float64) < 0.5
    with_i, with_j = contexts.clone(), contexts.clone()
    with_i[:, i] = True
    with_j[:, j] = True
    both = with_i.clone()
    both[:, j] = True
    values = game(torch.cat([both, with_i, with_j, contexts])).view(4, samples)
    return contexts, values[0] - values[1] - values[2] + values[3]


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
    cmap: str = "viridis",
    alpha: float = 0.6,
    title: Optional[str] = None,
    ax: Optional["Axes"] = None,
    save: Optional[Union[str, os.PathLike]] = None,
) -> "Figure":
    """The weighted contexts sum_S |Δv(i, j, S)| · map(S) of a pair as a grid heatmap.

    ``contexts``/``deltas`` as from :func:`pair_contexts`; ``pair`` outlines cells i and j;
    ``interaction`` keeps only boosting contexts (see :func:`context_weights`).
    ``fig.interplay_data``: ``weights`` ``[h, w]``.
    """
    weights = context_weights(contexts, deltas, interaction, normalize)
    h, w = _grid(grid, weights.shape[0], "contexts")
    weights = weights.view(h, w)
    fig, ax = _new_figure(ax, (4.2, 3.8))
    vmax = float(weights.max()) if float(weights.max()) > 0 else 1.0
    im = _grid_heatmap(ax, weights, image, cmap=cmap, vmin=0.0, vmax=vmax, alpha=alpha)
    label = "Σ_S |Δv(i,j,S)| map(S)" + (" / Σ_S |Δv|" if normalize else "")
    fig.colorbar(im, ax=ax, shrink=0.85, label=label)
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


# ---------------------------------------------------------------------------------------------
# player values, interaction matrices and networks
# ---------------------------------------------------------------------------------------------
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
        title = str(getattr(values, "quantity", "player values")).replace("_", " ")
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

    ``annotate`` writes the numbers in the cells (default: when n <= 8).
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
                ax.text(b, a, f"{x:.2g}", ha="center", va="center", fontsize=7,
                        color="white" if abs(x) > 0.6 * lim else "black")
    if title is None:
        title = str(getattr(matrix, "quantity", "interaction matrix")).replace("_", " ")
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

    Edge width is proportional to |I(i, j)| (the matrix is read above the diagonal), red for
    positive and blue for negative; ``node_values`` (e.g. Shapley values) colour the nodes.
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
    order = order[weights[order] != 0]
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


# ---------------------------------------------------------------------------------------------
# an image explained: its cells, their values and neighbour interactions (python -m interplay image)
# ---------------------------------------------------------------------------------------------
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


# ---------------------------------------------------------------------------------------------
# scores in groups (the toy benchmark, multivariate paper Table 1)
# ---------------------------------------------------------------------------------------------
def grouped_bars(
    groups: Mapping[str, Mapping[str, float]],
    *,
    legend: Optional[Mapping[str, str]] = None,
    ylabel: Optional[str] = None,
    ylim: Optional[tuple[float, float]] = None,
    title: Optional[str] = None,
    ax: Optional["Axes"] = None,
    save: Optional[Union[str, os.PathLike]] = None,
) -> "Figure":
    """One group of bars per key of ``groups`` (e.g. a data set), one bar per key of its values (e.g. a
    method, in the order of the first group, named by ``legend``), each labelled with its value.
    ``fig.interplay_data``: ``groups`` (as given, as plain floats)."""
    names = list(groups)
    if not names:
        raise ValueError("grouped_bars needs at least one group")
    bars = list(groups[names[0]])
    missing = [(g, b) for g in names for b in bars if b not in groups[g]]
    if missing:
        raise ValueError(f"every group needs a value for each of {bars}; missing (group, bar): {missing}")
    fig, ax = _new_figure(ax, (2.6 + 0.35 * len(names) * len(bars) + 0.3 * len(names), 3.4))
    width = 0.8 / len(bars)
    for k, b in enumerate(bars):
        xs = [d + (k - (len(bars) - 1) / 2) * width for d in range(len(names))]
        drawn = ax.bar(xs, [float(groups[g][b]) for g in names], width, label=(legend or {}).get(b, str(b)))
        ax.bar_label(drawn, fmt="%.2f", fontsize=6, padding=1)
    ax.set_xticks(range(len(names)), names)
    if ylim is not None:
        ax.set_ylim(*ylim)
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    return _finish(fig, save, {"groups": {g: {b: float(groups[g][b]) for b in bars} for g in names}})


# ---------------------------------------------------------------------------------------------
# curves: orders, the partition search, instability
# ---------------------------------------------------------------------------------------------
def order_strength(values: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """(s / n, strength) of multi-order interactions I^(s), s = 0..n-2 (dropout paper Fig. 2).

    ``values``: ``[n-1]`` for one pair (strength |I^(s)|) or ``[P, n-1]`` for P pairs (strength
    E_{(i,j)} |I^(s)(i, j)|, the mean over the pairs), or an explicit pair ``(x, y)``.
    """
    if isinstance(values, tuple) and len(values) == 2:
        x, y = _tensor(values[0], "orders"), _tensor(values[1], "strengths")
        if x.dim() != 1 or x.shape != y.shape:
            raise ValueError(f"an (x, y) pair needs two 1-D arrays of one length, got {list(x.shape)}, "
                             f"{list(y.shape)}")
        return x, y.abs()
    v = _tensor(values, "orders")
    if v.dim() == 2:
        v = v.abs().mean(0)
    elif v.dim() == 1:
        v = v.abs()
    else:
        raise ValueError(f"multi-order values must be [n-1] or [pairs, n-1], got shape {list(v.shape)}")
    n = v.numel() + 1
    return torch.arange(n - 1, dtype=torch.float64) / n, v


def order_curve(
    orders_by_setting: Any,
    *,
    title: Optional[str] = "interaction strength by order",
    ax: Optional["Axes"] = None,
    save: Optional[Union[str, os.PathLike]] = None,
) -> "Figure":
    """Strength of the multi-order interactions |I^(s)| against s / n, one curve per setting.

    ``orders_by_setting``: ``{label: values}`` (see :func:`order_strength` for the values), or
    one values array. ``fig.interplay_data``: ``{label: (x, strength)}``.
    """
    if not isinstance(orders_by_setting, Mapping):
        orders_by_setting = {"I^(s)": orders_by_setting}
    if not orders_by_setting:
        raise ValueError("order_curve needs at least one setting")
    fig, ax = _new_figure(ax, (4.8, 3.4))
    data = {}
    for label, values in orders_by_setting.items():
        x, y = order_strength(values)
        data[str(label)] = (x, y)
        ax.plot(x.numpy(), y.numpy(), marker="o", markersize=3, label=str(label))
    ax.set_xlabel("order s / n")
    ax.set_ylabel(r"$|I^{(s)}|$")
    ax.set_xlim(0, 1)
    if len(data) > 1 or next(iter(data)) != "I^(s)":
        ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return _finish(fig, save, data)


def partition_trajectory(
    trajectory: Any,
    labels: Optional[Sequence[Any]] = None,
    *,
    title: Optional[str] = "partition search: p_i",
    ax: Optional["Axes"] = None,
    save: Optional[Union[str, os.PathLike]] = None,
) -> "Figure":
    """p_i (the probability that words i and i+1 share a coalition) during the search, ``[K1, m-1]``.

    ``labels``: the m words of A (each curve is labelled "word_i | word_i+1") or m-1 curve labels
    (multivariate paper Fig. 3).
    """
    p = _tensor(trajectory, "trajectory")
    if p.dim() == 1:
        p = p.view(-1, 1)
    if p.dim() != 2:
        raise ValueError(f"trajectory must be [steps, m-1], got shape {list(p.shape)}")
    gaps = p.shape[1]
    if labels is None:
        names = [f"p{k + 1}" for k in range(gaps)]
    else:
        labels = [str(x) for x in labels]
        if len(labels) == gaps + 1:
            names = [f"p{k + 1}: {labels[k]} | {labels[k + 1]}" for k in range(gaps)]
        elif len(labels) == gaps:
            names = labels
        else:
            raise ValueError(f"labels must name the {gaps + 1} words or the {gaps} gaps, got {len(labels)}")
    fig, ax = _new_figure(ax, (5.2, 3.4))
    for k in range(gaps):
        ax.plot(range(p.shape[0]), p[:, k].numpy(), label=names[k])
    ax.set_ylim(-0.03, 1.03)
    ax.set_xlabel("step")
    ax.set_ylabel("p_i")
    ax.legend(fontsize=7, loc="best")
    if title:
        ax.set_title(title)
    return _finish(fig, save, {"trajectory": p})


def instability(T_runs: Any) -> float:
    """E_I[ E_{u≠v} |T^(u) - T^(v)| / E_w |T^(w)| ] (multivariate paper, Stability of T([A])).

    ``T_runs``: ``[U]`` repeated estimates of one T([A]) or ``[I, U]`` for I sets A (U >= 2).
    """
    t = _tensor(T_runs, "T_runs")
    if t.dim() == 1:
        t = t.view(1, -1)
    if t.dim() != 2 or t.shape[1] < 2:
        raise ValueError(f"T_runs must be [U] or [I, U] with U >= 2 repeats, got shape {list(t.shape)}")
    U = t.shape[1]
    diffs = (t.unsqueeze(2) - t.unsqueeze(1)).abs().sum((1, 2)) / (U * (U - 1))
    scale = t.abs().mean(1)
    if bool((scale == 0).any()):
        raise ValueError("instability is undefined where every repeat of T([A]) is 0")
    return float((diffs / scale).mean())


def instability_curve(
    samples: Any,
    instability_values: Any,
    *,
    log_x: bool = True,
    title: Optional[str] = "instability of T([A])",
    ax: Optional["Axes"] = None,
    save: Optional[Union[str, os.PathLike]] = None,
) -> "Figure":
    """Instability against the number of samples (multivariate paper Fig. 4b).

    ``instability_values``: one value per entry of ``samples``, or ``{label: values}`` for
    several models / datasets.
    """
    x = _tensor(samples, "samples").flatten()
    series = instability_values if isinstance(instability_values, Mapping) else {"": instability_values}
    fig, ax = _new_figure(ax, (4.8, 3.4))
    data = {}
    for label, values in series.items():
        y = _tensor(values, "instability").flatten()
        if y.shape != x.shape:
            raise ValueError(f"instability {label!r} has {y.numel()} values for {x.numel()} sample counts")
        data[str(label)] = y
        ax.plot(x.numpy(), y.numpy(), marker="o", markersize=3, label=str(label) or None)
    if log_x:
        ax.set_xscale("log")
    ax.set_xlabel("samples")
    ax.set_ylabel("instability")
    ax.set_ylim(bottom=0)
    if any(data):
        ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return _finish(fig, save, {"samples": x, **data})


# ---------------------------------------------------------------------------------------------
# a sentence with its coalitions (a picture; the terminal / HTML display is issue 4's)
# ---------------------------------------------------------------------------------------------
def coalition_sentence(
    words: Sequence[str],
    partitions: Mapping[str, Sequence[Sequence[int]]],
    *,
    title: Optional[str] = None,
    ax: Optional["Axes"] = None,
    save: Optional[Union[str, os.PathLike]] = None,
) -> "Figure":
    """The sentence once per partition (e.g. ``{"max": ..., "min": ...}``), each coalition of A in its
    own colour and the words outside A in grey (multivariate paper Figs. 5-6, as a picture).

    ``partitions``: name -> list of blocks, each block a sequence of word indices.
    """
    words = [str(w) for w in words]
    if not partitions:
        raise ValueError("coalition_sentence needs at least one partition")
    colour_of: list[dict[int, str]] = []
    for name, partition in partitions.items():
        colours: dict[int, str] = {}
        for b, block in enumerate(partition):
            for k in block:
                k = int(k)
                if not 0 <= k < len(words):
                    raise ValueError(f"partition {name!r} has word index {k} outside the {len(words)} words")
                if k in colours:
                    raise ValueError(f"partition {name!r} has word {k} in two blocks")
                colours[k] = BLOCK_COLOURS[b % len(BLOCK_COLOURS)]
        colour_of.append(colours)
    rows = len(partitions)
    label_width = max(len(str(name)) for name in partitions) + 2
    chars = sum(len(w) + 2 for w in words) + label_width
    fig, ax = _new_figure(ax, (max(3.0, 0.085 * chars + 0.4), 0.45 * rows + 0.5))
    for r, (name, colours) in enumerate(zip(partitions, colour_of)):
        y = 1 - (r + 0.5) / rows
        previous = ax.text(0.0, y, f"{name}:".ljust(label_width), family="monospace", fontsize=10,
                           va="center", ha="left",
                           weight="bold", transform=ax.transAxes)
        for k, word in enumerate(words):
            colour = colours.get(k)
            box = dict(boxstyle="round,pad=0.2", facecolor=colour, edgecolor="none") if colour else None
            # each word starts a few points right of the previous one's right edge
            previous = ax.annotate(word, xy=(1, 0.5), xycoords=previous, xytext=(8 if k == 0 else 5, 0),
                                   textcoords="offset points", family="monospace", fontsize=10, va="center",
                                   ha="left", color="white" if colour else "#777777", bbox=box)
    ax.axis("off")
    if title:
        ax.set_title(title)
    return _finish(fig, save, {"colours": colour_of})


# ---------------------------------------------------------------------------------------------
# results: .plot() and inline pictures
# ---------------------------------------------------------------------------------------------
def _setting(settings: dict, *names: str) -> Any:
    for name in names:
        if settings.get(name) is not None:
            return settings[name]
    return None


def plot_result(result: "Result", kind: Optional[str] = None, **kwargs: Any) -> "Figure":
    """``Result.plot()``: picks the picture from ``result.quantity`` (and ``settings``).

    * player values (``shapley_values``, ``banzhaf_values``, any 1-D result): a grid heatmap when
      ``settings["grid"]`` (or ``grid=``) is known, else a bar chart labelled by
      ``settings["words"|"tokens"|"labels"]``;
    * interaction matrices (any square 2-D result): ``kind="matrix"`` (default) heatmap,
      ``"network"`` circle network, ``"grid"`` neighbour strength over the grid;
    * ``multi_order_interaction`` over all orders: the order curve.

    Keyword arguments go to the plot function and override what the settings say.
    """
    values = result.tensor()
    settings = result.settings
    q = result.quantity
    if values.dim() == 0:
        raise ValueError(f"{q} is a single value ({float(values):.6g}); there is nothing to plot")
    if values.dim() == 1 and q == "multi_order_interaction" and kind in (None, "orders"):
        pair = settings.get("pair")
        label = kwargs.pop("label", f"pair {tuple(pair)}" if pair is not None else q)
        return order_curve({label: values}, **kwargs)
    if values.dim() == 1:
        if kind not in (None, "values", "bar", "grid"):
            raise ValueError(f"kind must be 'values' for {q}, got {kind!r}")
        kwargs.setdefault("grid", None if kind == "bar" else _setting(settings, "grid"))
        if kwargs["grid"] is None:
            kwargs.setdefault("labels", _setting(settings, "words", "tokens", "labels"))
        kwargs.setdefault("image", None)
        return player_values(result, **kwargs)
    if values.dim() == 2 and values.shape[0] == values.shape[1]:
        labels = _setting(settings, "words", "tokens", "labels")
        if kind in (None, "matrix"):
            kwargs.setdefault("labels", labels)
            return interaction_matrix(result, **kwargs)
        if kind == "network":
            kwargs.setdefault("labels", labels)
            return interaction_network(result, **kwargs)
        if kind == "grid":
            grid = kwargs.pop("grid", _setting(settings, "grid"))
            if grid is None:
                raise ValueError("kind='grid' needs the grid: pass grid=(h, w) or keep settings['grid']")
            return grid_interaction_strength(result, grid, **kwargs)
        raise ValueError(f"kind must be 'matrix', 'network' or 'grid' for {q}, got {kind!r}")
    if values.dim() == 2:
        return interaction_matrix(result, **kwargs) if kind == "matrix" else _plain_heatmap(result, **kwargs)
    raise ValueError(f"{q} has {values.dim()} dimensions; plot a 1-D or 2-D slice of it")


def _plain_heatmap(values: Any, *, title: Optional[str] = None, ax: Optional["Axes"] = None,
                   save: Optional[Union[str, os.PathLike]] = None) -> "Figure":
    m = _tensor(values, "values")
    fig, ax = _new_figure(ax, (4.2, 3.4))
    lim = _symmetric_limit(m)
    im = ax.imshow(m.numpy(), cmap=DIVERGING, vmin=-lim, vmax=lim, interpolation="nearest", aspect="auto")
    fig.colorbar(im, ax=ax, shrink=0.85)
    title = title or str(getattr(values, "quantity", "")).replace("_", " ")
    if title:
        ax.set_title(title)
    return _finish(fig, save, {"values": m})


def plot_significance(sig: "Significance", kind: Optional[str] = None, **kwargs: Any) -> "Figure":
    """``Significance.plot()``: the max / min partitions of A over the words (default), or with
    ``kind="trajectory"`` the learned search's p trajectory (``sig.extra["trajectory"]``)."""
    words = _setting(sig.settings, "words", "tokens", "labels")
    trajectory = sig.extra.get("trajectory") if isinstance(sig.extra, dict) else None
    if kind == "trajectory":
        if trajectory is None:
            raise ValueError(f"this T([A]) was computed with method={sig.method!r} and has no p trajectory")
        if words is not None and "labels" not in kwargs:
            kwargs["labels"] = [words[p] for p in sig.players]
        return partition_trajectory(trajectory, **kwargs)
    if kind not in (None, "partitions"):
        raise ValueError(f"kind must be 'partitions' or 'trajectory', got {kind!r}")
    if words is None:
        shown = list(sig.players)
        words = [f"x{p}" for p in shown]
        index = {p: k for k, p in enumerate(shown)}
    else:
        index = {p: p for p in sig.players}
    partitions = {
        f"B_max {sig.b_max:.3g}": [[index[p] for p in block] for block in sig.max_partition],
        f"B_min {sig.b_min:.3g}": [[index[p] for p in block] for block in sig.min_partition],
    }
    kwargs.setdefault("title", f"T([A]) = {sig.T:.4g}")
    return coalition_sentence(words, partitions, **kwargs)


def thumbnail_png(values: Any, *, grid: Optional[Sequence[int]] = None, size: float = 1.8) -> bytes:
    """A small heatmap PNG of a 2-D array (or of 1-D values on ``grid``), for inline HTML."""
    from matplotlib.figure import Figure

    m = _tensor(values, "values")
    if grid is not None:
        m = m.reshape(_grid(grid, m.numel()))
    fig = Figure(figsize=(size, size * min(2.0, max(0.3, m.shape[0] / m.shape[1]))), layout="constrained")
    ax = fig.add_subplot()
    lim = _symmetric_limit(m)
    ax.imshow(m.numpy(), cmap=DIVERGING, vmin=-lim, vmax=lim, interpolation="nearest", aspect="auto")
    ax.set_xticks([])
    ax.set_yticks([])
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=72)
    return buf.getvalue()


def thumbnail_html(values: Any, **kwargs: Any) -> str:
    """``<img>`` of :func:`thumbnail_png` as an inline base64 data URI."""
    data = base64.b64encode(thumbnail_png(values, **kwargs)).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" style="image-rendering: pixelated"/>'
