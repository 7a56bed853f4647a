"""Context maps (multivariate paper Fig. 2): the contexts S of a pair, their Δv(i, j, S) and
sum_S |Δv(i, j, S)| · map(S) over a grid."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Optional, Sequence, Union

import torch

from ..games import Game, masks_to_coalitions
from ._common import _finish, _grid, _grid_heatmap, _new_figure, _tensor
from .grid import _cell_index

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


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
    from .. import _checks

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
