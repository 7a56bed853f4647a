"""Result objects: tensors that remember how they were made.

``Result`` is a ``torch.Tensor`` (so ``torch.allclose``, indexing and arithmetic work; the
arithmetic gives plain tensors) that also carries what it is (``quantity``), how it was
computed (``method``, ``settings``), what it cost (``evaluations``: game values used) and,
for estimates, its standard error. It prints well, converts to a dict and saves as JSON.

In a notebook a result shows as HTML (a small heatmap for 2-D results and for values on an
image grid), ``.plot()`` draws it with :mod:`interplay.plots`, and it pickles (keeping dtype,
device and settings exactly) as well as saving to JSON (tuples in ``settings`` come back as lists).
"""
from __future__ import annotations

import html
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Optional, Sequence

import torch


def _plain(t: Optional[torch.Tensor]) -> Any:
    return None if t is None else t.detach().cpu().tolist()


class Result(torch.Tensor):
    """A tensor of game-theoretic values with its provenance."""

    quantity: str
    method: str
    evaluations: int
    stderr: Optional[torch.Tensor]
    settings: dict

    __torch_function__ = torch._C._disabled_torch_function_impl

    @staticmethod
    def __new__(
        cls,
        data: torch.Tensor,
        *,
        quantity: str,
        method: str = "exact",
        evaluations: int = 0,
        stderr: Optional[torch.Tensor] = None,
        settings: Optional[dict] = None,
    ) -> "Result":
        obj = torch.Tensor._make_subclass(cls, torch.as_tensor(data).detach(), False)
        obj.quantity = quantity
        obj.method = method
        obj.evaluations = int(evaluations)
        obj.stderr = None if stderr is None else torch.as_tensor(stderr).detach()
        obj.settings = dict(settings or {})
        return obj

    def tensor(self) -> torch.Tensor:
        """The values as a plain tensor."""
        return self.as_subclass(torch.Tensor)

    def __repr__(self, *args: Any, **kwargs: Any) -> str:
        head = f"{self.quantity} (method={self.method!r}, evaluations={self.evaluations}"
        head += "".join(f", {k}={v!r}" for k, v in self.settings.items()) + ")"
        body = repr(self.tensor())
        if self.stderr is not None:
            body += "\nstderr: " + repr(self.stderr)
        return head + "\n" + body

    def _meta(self) -> str:
        meta = {"method": self.method, "evaluations": self.evaluations, **self.settings}
        return ", ".join(f"{k}={v}" for k, v in meta.items())

    def _repr_html_(self) -> str:
        values = self.tensor().detach().cpu()
        title = f"<b>{html.escape(self.quantity)}</b> <small>{html.escape(self._meta())}</small>"
        shape = f"<small>shape {list(values.shape)}, {str(values.dtype).replace('torch.', '')}</small>"
        if values.dim() == 0:
            text = f"{float(values):.6g}"
            if self.stderr is not None and self.stderr.numel() == 1:
                text += f" ± {float(self.stderr):.3g}"
            return f"{title}<br>{text}"
        picture = ""
        grid = self.settings.get("grid")
        try:
            if values.dim() == 2 and min(values.shape) > 1:
                from .plots import thumbnail_html

                picture = thumbnail_html(values)
            elif values.dim() == 1 and grid is not None:
                from .plots import thumbnail_html

                picture = thumbnail_html(values, grid=grid)
        except Exception:  # no matplotlib, or a grid that does not fit: the table still shows
            picture = ""
        rows = values.reshape(-1, values.shape[-1]) if values.dim() > 1 else values.reshape(1, -1)
        limit = 16
        cells = "".join(
            "<tr>" + "".join(f"<td>{float(x):.4g}</td>" for x in row[:limit])
            + ("<td>…</td>" if row.numel() > limit else "") + "</tr>"
            for row in rows[:limit]
        )
        if rows.shape[0] > limit:
            cells += "<tr><td>⋮</td></tr>"
        table = f'<table style="font-size: small">{cells}</table>'
        if self.stderr is not None:
            table += f"<small>mean stderr {float(self.stderr.double().mean()):.3g}</small>"
        flex = '<div style="display: flex; gap: 1em; align-items: flex-start">'
        body = f"{flex}{picture}<div>{table}</div></div>" if picture else table
        return f"{title}<br>{shape}{body}"

    def plot(self, kind: Optional[str] = None, **kwargs: Any):
        """Draws the result (see :func:`interplay.plots.plot_result`); returns the matplotlib Figure.

        Player values: a heatmap on ``settings["grid"]`` (or ``grid=``), else a bar chart labelled
        by ``settings["words"]``; matrices: ``kind="matrix" | "network" | "grid"``; multi-order
        interactions: the order curve. ``save=path`` writes a PNG.
        """
        from .plots import plot_result

        return plot_result(self, kind=kind, **kwargs)

    def to_dict(self) -> dict:
        """A JSON-ready dict of the values and their provenance."""
        return {
            "quantity": self.quantity,
            "values": _plain(self.tensor()),
            "dtype": str(self.dtype).replace("torch.", ""),
            "stderr": _plain(self.stderr),
            "method": self.method,
            "evaluations": self.evaluations,
            "settings": json.loads(json.dumps(self.settings, default=_plain)),
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Result":
        """Inverse of :meth:`to_dict` (float64 where the dict names no dtype)."""
        for key in ("quantity", "values"):
            if key not in d:
                raise ValueError(f"a Result dict needs {key!r}; got keys {sorted(d)}")
        dtype = getattr(torch, str(d.get("dtype") or "float64"), None)
        if not isinstance(dtype, torch.dtype):
            raise ValueError(f"unknown dtype {d.get('dtype')!r} in a Result dict")
        stderr = d.get("stderr")
        return cls(
            torch.tensor(d["values"], dtype=dtype),
            quantity=d["quantity"],
            method=d.get("method", "exact"),
            evaluations=d.get("evaluations", 0),
            stderr=None if stderr is None else torch.tensor(stderr, dtype=torch.float64),
            settings=d.get("settings"),
        )

    def save(self, path: str) -> None:
        """Writes ``to_dict()`` as JSON."""
        with open(path, "w") as f:
            json.dump(self.to_dict(), f)

    @classmethod
    def load(cls, path: str) -> "Result":
        with open(path) as f:
            return cls.from_dict(json.load(f))

    def __reduce_ex__(self, protocol: int):
        # Pickle (and torch.save, copy) the plain tensors: dtype, device and settings survive as they are.
        stderr = None if self.stderr is None else self.stderr.clone()
        return (_rebuild_result, (self.tensor().clone(), self.quantity, self.method, self.evaluations,
                                  stderr, dict(self.settings)))

    def __deepcopy__(self, memo: dict) -> "Result":
        import copy

        return _rebuild_result(self.tensor().clone(), self.quantity, self.method, self.evaluations,
                               None if self.stderr is None else self.stderr.clone(),
                               copy.deepcopy(self.settings, memo))


def _rebuild_result(values: torch.Tensor, quantity: str, method: str, evaluations: int,
                    stderr: Optional[torch.Tensor], settings: dict) -> Result:
    return Result(values, quantity=quantity, method=method, evaluations=evaluations, stderr=stderr,
                  settings=settings)


def partition_from_labels(players: Sequence[int], labels: Sequence[int]) -> list[tuple[int, ...]]:
    """Block labels (one per player of A, in order) to a list of tuples of players."""
    blocks: dict[int, list[int]] = {}
    for p, b in zip(players, labels):
        blocks.setdefault(int(b), []).append(int(p))
    return [tuple(blocks[b]) for b in sorted(blocks)]


@dataclass
class Significance:
    """T([A]) = B_max - B_min and the partitions that reach them (multivariate paper Eq. 4-5)."""

    players: tuple
    T: float
    b_max: float
    b_min: float
    max_partition: list
    min_partition: list
    method: str = "exact"
    evaluations: int = 0
    settings: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)  # e.g. the learned p and its trajectory

    def __repr__(self) -> str:
        return (
            f"Significance(A={list(self.players)}, T={self.T:.6g}, b_max={self.b_max:.6g}, "
            f"b_min={self.b_min:.6g}, max_partition={self.max_partition}, "
            f"min_partition={self.min_partition}, method={self.method!r}, evaluations={self.evaluations}"
            + "".join(f", {k}={v!r}" for k, v in self.settings.items()) + ")"
        )

    def _repr_html_(self) -> str:
        if self.extra.get("words"):  # a sentence: show the prototype features (interplay.display)
            from .display import significance_html

            return significance_html(self)

        def fmt(p: list) -> str:
            return html.escape(" | ".join("{" + ", ".join(map(str, b)) + "}" for b in p))

        meta = ", ".join(f"{k}={v}" for k, v in {"method": self.method, "evaluations": self.evaluations,
                                                  **self.settings}.items())

        return (
            f"<b>T([A]) = {self.T:.4g}</b> for A = {list(self.players)}<br>"
            f"B<sub>max</sub> = {self.b_max:.4g} at {fmt(self.max_partition)}<br>"
            f"B<sub>min</sub> = {self.b_min:.4g} at {fmt(self.min_partition)}<br>"
            f"<small>{html.escape(meta)}</small>"
        )

    def plot(self, kind: Optional[str] = None, **kwargs: Any):
        """Draws the max / min partitions over the words (``settings["words"]``), or with
        ``kind="trajectory"`` the learned search's p trajectory; returns the matplotlib Figure."""
        from .plots import plot_significance

        return plot_significance(self, kind=kind, **kwargs)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["players"] = list(self.players)
        d["max_partition"] = [list(b) for b in self.max_partition]
        d["min_partition"] = [list(b) for b in self.min_partition]
        return json.loads(json.dumps(d, default=_plain))

    @classmethod
    def from_dict(cls, d: dict) -> "Significance":
        d = dict(d)
        d["players"] = tuple(d["players"])
        d["max_partition"] = [tuple(b) for b in d["max_partition"]]
        d["min_partition"] = [tuple(b) for b in d["min_partition"]]
        known = {f for f in cls.__dataclass_fields__}
        unknown = sorted(set(d) - known)
        if unknown:
            raise ValueError(f"unknown fields {unknown} in a Significance dict")
        return cls(**d)

    def save(self, path: str) -> None:
        with open(path, "w") as f:
            json.dump(self.to_dict(), f)

    @classmethod
    def load(cls, path: str) -> "Significance":
        with open(path) as f:
            return cls.from_dict(json.load(f))
