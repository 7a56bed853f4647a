"""Result objects: tensors that remember how they were made.

``Result`` is a ``torch.Tensor`` (so ``torch.allclose``, indexing and arithmetic work; the
arithmetic gives plain tensors) that also carries what it is (``quantity``), how it was
computed (``method``, ``settings``), what it cost (``evaluations``: game values used) and,
for estimates, its standard error. It prints well, converts to a dict and saves as JSON.
"""
from __future__ import annotations

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

    def _repr_html_(self) -> str:
        values = self.tensor().detach().cpu()
        rows = values.reshape(-1, values.shape[-1]) if values.dim() > 1 else values.reshape(1, -1)
        cells = "".join(
            "<tr>" + "".join(f"<td>{float(x):.4g}</td>" for x in row) + "</tr>" for row in rows[:32]
        )
        meta = ", ".join(f"{k}={v}" for k, v in {"method": self.method, "evaluations": self.evaluations,
                                                  **self.settings}.items())
        return f"<b>{self.quantity}</b> <small>({meta})</small><table>{cells}</table>"

    def to_dict(self) -> dict:
        """A JSON-ready dict of the values and their provenance."""
        return {
            "quantity": self.quantity,
            "values": _plain(self.tensor()),
            "stderr": _plain(self.stderr),
            "method": self.method,
            "evaluations": self.evaluations,
            "settings": self.settings,
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Result":
        stderr = d.get("stderr")
        return cls(
            torch.tensor(d["values"], dtype=torch.float64),
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
        return (Result.from_dict, (self.to_dict(),))


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
            f"min_partition={self.min_partition}, method={self.method!r}, evaluations={self.evaluations})"
        )

    def _repr_html_(self) -> str:
        if self.extra.get("words"):  # a sentence: show the prototype features (interplay.display)
            from .display import significance_html

            return significance_html(self)

        def fmt(p: list) -> str:
            return " | ".join("{" + ", ".join(map(str, b)) + "}" for b in p)

        return (
            f"<b>T([A]) = {self.T:.4g}</b> for A = {list(self.players)}<br>"
            f"B<sub>max</sub> = {self.b_max:.4g} at {fmt(self.max_partition)}<br>"
            f"B<sub>min</sub> = {self.b_min:.4g} at {fmt(self.min_partition)}<br>"
            f"<small>method={self.method}, evaluations={self.evaluations}</small>"
        )

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
        return cls(**d)

    def save(self, path: str) -> None:
        with open(path, "w") as f:
            json.dump(self.to_dict(), f)

    @classmethod
    def load(cls, path: str) -> "Significance":
        with open(path) as f:
            return cls.from_dict(json.load(f))
