"""Bars and curves: scores in groups (multivariate paper Table 1), interaction strength by order
(dropout paper Fig. 2), the partition search's p_i (multivariate paper Fig. 3) and the instability
of repeated estimates against their budget or samples (multivariate paper Fig. 4b)."""
from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Any, Mapping, Optional, Sequence, Union

import torch

from ._common import TITLES, _finish, _new_figure, _tensor

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


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


X_LABELS = {"budget": "evaluations (budget)", "samples": "samples"}


def _runs_of(runs: Any) -> list:
    """The results (objects with a string ``index`` and tensor ``values``) in ``runs``: one, or
    nested lists / tuples / dicts of them."""
    is_result = isinstance(getattr(runs, "index", None), str)
    if is_result and isinstance(getattr(runs, "values", None), torch.Tensor):
        return [runs]
    if isinstance(runs, Mapping):
        runs = list(runs.values())
    if isinstance(runs, (list, tuple)):
        return [r for item in runs for r in _runs_of(item)]
    return []


def _runs_index(runs: list) -> Optional[str]:
    """The one index of ``runs`` (None when there are none or several)."""
    indices = {r.index for r in runs}
    return indices.pop() if len(indices) == 1 else None


def _x_kind(by_x: Mapping[Any, Any]) -> Optional[str]:
    """``"budget"`` when every run of ``{x: runs}`` was made with budget x, ``"samples"`` when with
    samples x (their estimators' fields), else None."""
    for field in ("budget", "samples"):
        if by_x and all(_runs_of(rs) and all(getattr(r.estimator, field, None) == x for r in _runs_of(rs))
                        for x, rs in by_x.items()):
            return field
    return None


def _compact(x: float) -> str:
    """A tick label: 200, 3.2k, 1.5M."""
    for size, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(x) >= size:
            return f"{x / size:.3g}{suffix}"
    return f"{x:.3g}"


def _readable_ticks(ax: "Axes", xs: torch.Tensor, log_x: bool, most: int = 6) -> None:
    """At most ``most`` x ticks that do not crowd: on a log axis the given x values, thinned to a
    spacing of at least 1/``most`` of the range (in log10), without minor labels; otherwise
    matplotlib's choice of ``most``. Labels are compact (3.2k)."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator, NullFormatter

    formatter = FuncFormatter(lambda x, _: _compact(x))
    positive = sorted({float(x) for x in xs if x > 0})
    if log_x and positive:
        logs = [math.log10(x) for x in positive]
        gap = max(logs[-1] - logs[0], 1e-12) / most
        kept = [positive[0]]
        for x, lx in zip(positive[1:], logs[1:]):
            if lx - math.log10(kept[-1]) >= gap:
                kept.append(x)
        if len(positive) > 1 and kept[-1] != positive[-1]:  # the last value is labelled, not the one before
            kept[-1] = positive[-1]
        ax.set_xticks(kept)
        ax.xaxis.set_minor_formatter(NullFormatter())
    else:
        ax.xaxis.set_major_locator(MaxNLocator(nbins=most))
    ax.xaxis.set_major_formatter(formatter)


def instability_curve(
    samples: Any,
    instability_values: Any,
    *,
    index: Optional[str] = None,
    x_is: Optional[str] = None,
    log_x: bool = True,
    title: Optional[str] = None,
    ax: Optional["Axes"] = None,
    save: Optional[Union[str, os.PathLike]] = None,
) -> "Figure":
    """Instability against the estimators' budget or samples (multivariate paper Fig. 4b).

    ``samples``: the x values, or ``{x: runs}`` (the repeated results each instability was computed
    from, e.g. ``{budget: [ip.shapley_values(game, budget=budget, seed=s) for s in seeds]}``), from
    which the picture reads what the runs are. ``instability_values``: one value per x (each from
    :func:`interplay.estimators.instability`), or ``{label: values}`` for several models / datasets.

    The y axis says what is unstable: "instability of SV" from ``index`` or the runs' one index
    (else "instability"); the x axis "evaluations (budget)" when ``x_is="budget"`` or the runs
    were made with budget x, "samples" otherwise (``x_is="samples"``, or runs made with samples x).
    ``title`` None: the index's name (e.g. "instability of Shapley values"). Ticks: at most six,
    compact, no minor labels. ``fig.interplay_data``: ``samples`` (the x values) and each series.
    """
    by_x = samples if isinstance(samples, Mapping) else None
    x = _tensor(list(by_x) if by_x is not None else samples, "samples").flatten()
    if index is None and by_x is not None:
        index = _runs_index(_runs_of(by_x))
    if x_is is None:
        x_is = (_x_kind(by_x) if by_x is not None else None) or "samples"
    if x_is not in X_LABELS:
        raise ValueError(f"x_is must be one of {sorted(X_LABELS)} or None, got {x_is!r}")
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
    _readable_ticks(ax, x, log_x)
    ax.set_xlabel(X_LABELS[x_is])
    named = "T([A])" if index == "T" else index
    ax.set_ylabel(f"instability of {named}" if named else "instability")
    ax.set_ylim(bottom=0)
    if any(data):
        ax.legend(fontsize=8)
    if title is None:
        title = f"instability of {TITLES.get(index, named)}" if index else None
    if title:
        ax.set_title(title)
    return _finish(fig, save, {"samples": x, **data})
