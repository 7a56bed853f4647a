"""Results drawn: ``Result.plot()`` picks the picture from the result's typed fields (``index``,
the shape of ``values``, ``labels``, ``grid``, ``pairs``, ``sizes``, ``partitions``, ``search``);
small inline heatmaps for the HTML display of a result. Nothing here evaluates a game."""
from __future__ import annotations

import base64
import io
import os
from typing import TYPE_CHECKING, Any, Optional, Sequence, Union

import torch

from ._common import DIVERGING, TITLES, _finish, _grid, _new_figure, _tensor
from ._scales import colour_bar, opaque_heatmap, signed_norm
from .curves import order_curve, partition_trajectory
from .grid import grid_interaction_strength
from .matrices import interaction_matrix, interaction_network, player_values
from .sentence import coalition_sentence

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..results import Result

_PAIR = ("SII", "BII", "RII")


def plot_result(result: "Result", kind: Optional[str] = None, **kwargs: Any) -> "Figure":
    """The picture of a result (``Result.plot()``), chosen from ``result.index`` and its shape.

    * ``"SV"`` / ``"BV"`` (``[n]``): a heatmap over ``result.grid`` (``kind="grid"``, the default when
      the game has a grid), else bars (``kind="bar"``) labelled by ``result.labels``, with error bars
      from ``result.stderr``;
    * ``"SII"`` / ``"BII"`` ``[n, n]``: ``kind="matrix"`` (default) heatmap, ``"network"`` circle
      network, ``"grid"`` neighbour strength over ``result.grid`` (or ``grid=``);
      a ``[P]`` pair result: bars labelled by its pairs (default), or the same three pictures of
      the matrix it fills (NaN where a pair was not estimated);
    * ``"SII-order"``: the order curve, x the middle of each size range of ``result.sizes`` over n;
    * ``"T"``: the partitions at B_max and B_min over the words (``result.labels``; default,
      ``kind="partitions"``) or, ``kind="trajectory"``, the learned search's p trajectories
      (``result.search.trajectory_max`` / ``trajectory_min``, one panel each);
    * any other 1-D result: bars; other 2-D arrays: a heatmap.

    Keyword arguments go to the plot function (``save=``, ``title=``, ``ax=``, ...) and override
    what the result says (e.g. ``labels=``, ``grid=``, ``image=``).
    """
    values = result.values.detach().cpu()
    index = result.index
    if index == "T":
        return _plot_significance(result, kind, **kwargs)
    if values.dim() == 0:
        raise ValueError(f"this {index!r} result is a single value ({float(values):.6g}); there is nothing to plot")
    if index == "SII-order" and kind in (None, "orders"):
        return _plot_orders(result, **kwargs)
    if index in _PAIR and values.dim() == 1 and kind in ("matrix", "network", "grid"):
        if kind != "grid":
            kwargs.setdefault("title", TITLES.get(index))
        return _plot_matrix(result, _pairs_matrix(result), kind, **kwargs)
    if values.dim() == 1:
        return _plot_values(result, kind, **kwargs)
    if values.dim() == 2 and values.shape[0] == values.shape[1] == result.n_players:
        return _plot_matrix(result, result, kind, **kwargs)
    if kind not in (None, "heatmap"):
        raise ValueError(f"kind must be 'heatmap' for a {index!r} result of shape {list(values.shape)}, got {kind!r}")
    return _plain_heatmap(values, **kwargs)


def _pair_names(result: "Result") -> list[str]:
    words = result.labels
    assert result.pairs is not None
    if words is None:
        return [f"({a}, {b})" for a, b in result.pairs]
    return [f"{words[a]}·{words[b]}" for a, b in result.pairs]


def _plot_values(result: "Result", kind: Optional[str], **kwargs: Any) -> "Figure":
    if kind not in (None, "bar", "grid"):
        raise ValueError(f"kind must be 'bar' or 'grid' for a {result.index!r} result, got {kind!r}")
    on_players = result.values.numel() == result.n_players and result.pairs is None
    grid = kwargs.pop("grid", None)
    if grid is None and kind != "bar" and on_players:
        grid = result.grid
    if kind == "grid" and grid is None:
        raise ValueError("kind='grid' needs the grid: pass grid=(h, w) or make the game with grid=")
    if kind == "bar":
        grid = None
    if grid is None:
        kwargs.setdefault("labels", _pair_names(result) if result.pairs is not None
                          else result.labels if on_players else None)
    return player_values(result, grid=grid, **kwargs)


def _pairs_matrix(result: "Result") -> torch.Tensor:
    """The [n, n] matrix a [P] pair result fills (both ways; NaN where no pair was estimated)."""
    n = result.n_players
    m = torch.full((n, n), float("nan"), dtype=torch.float64)
    m.fill_diagonal_(0.0)
    assert result.pairs is not None
    for (a, b), v in zip(result.pairs, result.values.detach().cpu().double().tolist()):
        m[a, b] = m[b, a] = v
    return m


def _plot_matrix(result: "Result", matrix: Any, kind: Optional[str], **kwargs: Any) -> "Figure":
    if kind in (None, "matrix"):
        kwargs.setdefault("labels", result.labels)
        return interaction_matrix(matrix, **kwargs)
    if kind == "network":
        kwargs.setdefault("labels", result.labels)
        return interaction_network(matrix, **kwargs)
    if kind == "grid":
        grid = kwargs.pop("grid", result.grid)
        if grid is None:
            raise ValueError("kind='grid' needs the grid: pass grid=(h, w) or make the game with grid=")
        return grid_interaction_strength(matrix, grid, **kwargs)
    raise ValueError(f"kind must be 'matrix', 'network' or 'grid' for a {result.index!r} result, got {kind!r}")


def _plot_orders(result: "Result", **kwargs: Any) -> "Figure":
    """|I^(s)| against s / n, s the middle of each size range of ``result.sizes``."""
    assert result.sizes is not None
    n = result.n_players
    x = torch.tensor([(a + b) / 2 / n for a, b in result.sizes], dtype=torch.float64)
    y = result.values.detach().cpu().double().reshape(-1)
    if result.labels is not None:
        i, j = result.players
        name = f"{result.labels[i]}·{result.labels[j]}"
    else:
        name = f"pair {tuple(result.players)}"
    label = kwargs.pop("label", name)
    return order_curve({label: (x, y)}, **kwargs)


def _plot_significance(result: "Result", kind: Optional[str], **kwargs: Any) -> "Figure":
    """T([A]): the partitions at B_max / B_min over the words, or the learned search's p trajectories."""
    words = result.labels
    players = list(result.players)
    if kind == "trajectory":
        search = result.search
        if search is None:
            raise ValueError(f"this T([A]) was computed with method={result.method!r}, which has no p trajectory "
                             "(method='learned_partitions' has)")
        labels = kwargs.pop("labels", [words[p] for p in players] if words is not None else [str(p) for p in players])
        title = kwargs.pop("title", "partition search: p_i")
        ax = kwargs.pop("ax", None)
        save = kwargs.pop("save", None)
        if ax is not None:
            axes = list(ax) if isinstance(ax, (list, tuple)) else [ax]
            fig = axes[0].figure
        else:
            from matplotlib.figure import Figure

            fig = Figure(figsize=(10.0, 3.4), layout="constrained")
            axes = list(fig.subplots(1, 2, sharey=True))
        if len(axes) != 2:
            raise ValueError("kind='trajectory' draws two panels (B_max and B_min): pass ax=(ax_max, ax_min)")
        data = {}
        for a, which, trajectory in zip(axes, ("max", "min"), (search.trajectory_max, search.trajectory_min)):
            partition_trajectory(torch.tensor(trajectory, dtype=torch.float64), labels, ax=a,
                                 title=f"search of B_{which}", **kwargs)
            data[f"trajectory_{which}"] = torch.tensor(trajectory, dtype=torch.float64)
        if title:
            fig.suptitle(title)
        return _finish(fig, save, data)
    if kind not in (None, "partitions"):
        raise ValueError(f"kind must be 'partitions' or 'trajectory' for a T([A]) result, got {kind!r}")
    if words is None:  # only A, named by the player indices
        words = [f"x{p}" for p in players]
        position = {p: k for k, p in enumerate(players)}
    else:
        position = {p: p for p in players}
    partitions = {
        f"B_max {result.b_max:.3g}": [[position[p] for p in block] for block in result.max_partition],
        f"B_min {result.b_min:.3g}": [[position[p] for p in block] for block in result.min_partition],
    }
    kwargs.setdefault("title", f"T([A]) = {float(result.values):.4g}")
    return coalition_sentence(words, partitions, **kwargs)


def _plain_heatmap(values: Any, *, title: Optional[str] = None, ax: Optional["Axes"] = None,
                   save: Optional[Union[str, os.PathLike]] = None) -> "Figure":
    m = _tensor(values, "values")
    fig, ax = _new_figure(ax, (4.2, 3.4))
    im = opaque_heatmap(ax, m, cmap=DIVERGING, norm=signed_norm(m), left=-0.5, top=-0.5,
                        aspect="auto")
    colour_bar(fig, im, "value", ax=ax)
    if title:
        ax.set_title(title)
    return _finish(fig, save, {"values": m})


def thumbnail_png(values: Any, *, grid: Optional[Sequence[int]] = None, size: float = 1.8) -> bytes:
    """A small heatmap PNG of a 2-D array (or of 1-D values on ``grid``), for inline HTML."""
    from matplotlib.figure import Figure

    m = _tensor(values, "values")
    if grid is not None:
        m = m.reshape(_grid(grid, m.numel()))
    fig = Figure(figsize=(size, size * min(2.0, max(0.3, m.shape[0] / m.shape[1]))), layout="constrained")
    ax = fig.add_subplot()
    opaque_heatmap(ax, m, cmap=DIVERGING, norm=signed_norm(m), aspect="auto")
    ax.set_xticks([])
    ax.set_yticks([])
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=72)
    return buf.getvalue()


def thumbnail_html(values: Any, **kwargs: Any) -> str:
    """``<img>`` of :func:`thumbnail_png` as an inline base64 data URI."""
    data = base64.b64encode(thumbnail_png(values, **kwargs)).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" style="image-rendering: pixelated"/>'
