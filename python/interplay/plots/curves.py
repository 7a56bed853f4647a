"""Bars and curves: scores in groups (multivariate paper Table 1), interaction strength by order
(dropout paper Fig. 2), the partition search's p_i (multivariate paper Fig. 3) and the instability
of T([A]) against samples (multivariate paper Fig. 4b)."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Mapping, Optional, Sequence, Union

import torch

from ._common import _finish, _new_figure, _tensor

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

    ``instability_values``: one value per entry of ``samples`` (each computed with
    :func:`interplay.estimators.instability`), or ``{label: values}`` for several models / datasets.
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
