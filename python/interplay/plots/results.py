"""Results drawn: ``Result.plot()`` / ``Significance.plot()`` pick the picture from the quantity and
settings; small inline heatmaps for the HTML display of a result."""
from __future__ import annotations

import base64
import io
import os
from typing import TYPE_CHECKING, Any, Optional, Sequence, Union

from ._common import DIVERGING, _finish, _grid, _new_figure, _symmetric_limit, _tensor
from .curves import order_curve, partition_trajectory
from .grid import grid_interaction_strength
from .matrices import interaction_matrix, interaction_network, player_values
from .sentence import coalition_sentence

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..results import Result, Significance


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
