"""The notebook view of a :class:`~interplay.Result` (``_repr_html_``): a title with the
provenance, a small heatmap for matrices and grid values, a table of the first values, and for
T([A]) the partitions at B_max / B_min (over the words when the game has labels)."""
from __future__ import annotations

import html
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .result import Result

_LIMIT = 16


def _title(r: "Result") -> str:
    meta = f"{r.estimator!r}, evaluations={r.evaluations}"
    if r.players and len(r.players) < r.n_players:
        meta += f", players={list(r.players)}"
    if r.absent:
        meta += f", absent={list(r.absent)}"
    return f"<b>{html.escape(r.index)}</b> <small>{html.escape(meta)}</small>"


def _pm(r: "Result") -> str:
    return "" if r.stderr is None or r.stderr.dim() else f" ± {float(r.stderr):.3g}"


def _partition(partition: tuple) -> str:
    return html.escape(" | ".join("{" + ", ".join(map(str, b)) + "}" for b in partition))


def _significance_html(r: "Result") -> str:
    if r.labels is not None:
        from .display import significance_html

        return significance_html(r)
    p = r.partitions
    assert p is not None
    return (f"{_title(r)}<br><b>T([A]) = {float(r.values):.4g}{_pm(r)}</b> for A = {list(r.players)}<br>"
            f"B<sub>max</sub> = {p.b_max:.4g} at {_partition(p.max_partition)}<br>"
            f"B<sub>min</sub> = {p.b_min:.4g} at {_partition(p.min_partition)}")


def _thumbnail(r: "Result") -> str:
    values = r.values.detach().cpu()
    try:
        from ..plots import thumbnail_html

        if values.dim() == 2 and min(values.shape) > 1:
            return thumbnail_html(values)
        if values.dim() == 1 and r.grid is not None and values.numel() == r.n_players:
            return thumbnail_html(values, grid=r.grid)
    except ImportError:  # no matplotlib: the table still shows
        pass
    return ""


def result_html(r: "Result") -> str:
    if r.partitions is not None:
        return _significance_html(r)
    values = r.values.detach().cpu()
    if values.dim() == 0:
        return f"{_title(r)}<br>{float(values):.6g}{_pm(r)}"
    shape = f"<small>shape {list(values.shape)}, {str(values.dtype).replace('torch.', '')}</small>"
    rows = values.reshape(-1, values.shape[-1]) if values.dim() > 1 else values.reshape(1, -1)
    cells = "".join(
        "<tr>" + "".join(f"<td>{float(x):.4g}</td>" for x in row[:_LIMIT])
        + ("<td>…</td>" if row.numel() > _LIMIT else "") + "</tr>"
        for row in rows[:_LIMIT]
    )
    if rows.shape[0] > _LIMIT:
        cells += "<tr><td>⋮</td></tr>"
    table = f'<table style="font-size: small">{cells}</table>'
    if r.stderr is not None:
        table += f"<small>mean stderr {float(r.stderr.double().nanmean()):.3g}</small>"
    picture = _thumbnail(r)
    flex = '<div style="display: flex; gap: 1em; align-items: flex-start">'
    body = f"{flex}{picture}<div>{table}</div></div>" if picture else table
    return f"{_title(r)}<br>{shape}{body}"
