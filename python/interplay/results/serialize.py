"""Results as files: standard JSON (``to_dict`` / ``from_dict`` / ``save`` / ``load``, the
:class:`JsonFile` base of :class:`~interplay.Result`) and the estimator as plain data.

The JSON form holds numbers only as JSON numbers or, for NaN and the infinities, the strings
``"NaN"``, ``"Infinity"`` and ``"-Infinity"`` (so any JSON reader takes it). Loading checks every
field (types, shapes, dtypes, ranges) through the constructors and rejects unknown keys, so a
tampered file fails with one ValueError naming the problem.

This module does not import :mod:`.result` (the result class imports it): the JSON methods reach
the class through ``cls`` / ``type(self)``.
"""
from __future__ import annotations

import json
import math
import os
import tempfile
from typing import Any

import torch

from ..methods import Estimator, registered

FORMAT = "interplay.Result/1"
_DTYPES = {"float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32, "float64": torch.float64}
_SPECIAL = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
_TENSOR_FIELDS = ("values", "stderr")
# the numeric entries of the typed parts (the rest are strings, ints and partitions)
_NUMBERS = {"partitions": ("b_max", "b_min", "b_max_stderr", "b_min_stderr"),
            "search": ("p_max", "p_min", "trajectory_max", "trajectory_min")}


def _encode(obj: Any) -> Any:
    """Floats to JSON numbers, NaN / ±inf to their strings; sequences to lists."""
    if isinstance(obj, float):
        if math.isnan(obj):
            return "NaN"
        if math.isinf(obj):
            return "Infinity" if obj > 0 else "-Infinity"
        return obj
    if isinstance(obj, (list, tuple)):
        return [_encode(o) for o in obj]
    return obj


def _decode(obj: Any, what: str) -> Any:
    """The inverse of :func:`_encode` on numbers: anything but numbers, lists of them and the
    three strings is a ValueError."""
    if isinstance(obj, list):
        return [_decode(o, what) for o in obj]
    if isinstance(obj, str) and obj in _SPECIAL:
        return _SPECIAL[obj]
    if isinstance(obj, bool) or not isinstance(obj, (int, float)):
        raise ValueError(f"{what} must hold numbers, got {obj!r}")
    return float(obj)


def estimator_state(estimator: Estimator) -> dict:
    """The estimator's registered name and its parameters."""
    return {"name": type(estimator).name,
            **{k: getattr(estimator, k) for k in type(estimator).parameters()}}


def estimator_from_state(state: Any) -> Estimator:
    if not isinstance(state, dict) or not isinstance(state.get("name"), str):
        raise ValueError("estimator must be a dict with a 'name'")
    cls = registered().get(state["name"])
    if cls is None:
        raise ValueError(f"unknown estimator {state['name']!r}; known: {sorted(registered())}")
    options = {k: (tuple(v) if isinstance(v, list) else v) for k, v in state.items() if k != "name"}
    try:
        return cls.create(**options)
    except (TypeError, ValueError) as e:
        raise ValueError(f"invalid estimator {state['name']!r}: {e}") from None


class JsonFile:
    """``to_dict`` / ``from_dict`` / ``save`` / ``load`` of a class with ``_state`` / ``_from_state``."""

    def to_dict(self) -> dict:
        """A JSON-ready dict of standard JSON values (NaN and infinities as the strings "NaN",
        "Infinity", "-Infinity"); ``dtype`` records the values' dtype."""
        state = self._state()  # type: ignore[attr-defined]
        state["dtype"] = str(state["values"].dtype).replace("torch.", "")
        for field in _TENSOR_FIELDS:
            t = state[field]
            state[field] = None if t is None else _encode(t.detach().cpu().double().tolist())
        for field in _NUMBERS:
            if state[field] is not None:
                state[field] = {k: _encode(v) for k, v in state[field].items()}
        for field in ("players", "absent", "pairs", "sizes", "labels", "grid", "orders", "baseline_value"):
            state[field] = _encode(state[field])
        return state

    @classmethod
    def from_dict(cls, data: Any) -> Any:
        """Inverse of :meth:`to_dict`; validates every field and rejects anything else."""
        if not isinstance(data, dict):
            raise ValueError(f"a result dict must be a dict, got {type(data).__name__}")
        data = dict(data)
        dtype = _DTYPES.get(data.pop("dtype", "float64"))  # type: ignore[arg-type]
        if dtype is None:
            raise ValueError(f"a result's dtype must be one of {sorted(_DTYPES)}")
        if data.get("values") is None:
            raise ValueError("a result dict needs 'values'")
        for field in _TENSOR_FIELDS:
            value = data.get(field)
            if value is not None:
                try:
                    data[field] = torch.tensor(_decode(value, field), dtype=torch.float64).to(dtype)
                except (ValueError, TypeError, RuntimeError) as e:
                    raise ValueError(f"invalid {field}: {e}") from None
        for field, numeric in _NUMBERS.items():
            part = data.get(field)
            if part is not None:
                if not isinstance(part, dict):
                    raise ValueError(f"{field} must be a dict, got {type(part).__name__}")
                data[field] = {k: (_decode(v, f"{field}.{k}") if k in numeric and v is not None else v)
                               for k, v in part.items()}
        return cls._from_state(data)  # type: ignore[attr-defined]

    def save(self, path: str) -> None:
        """Writes ``to_dict()`` as standard JSON, atomically (a temporary file renamed into place)."""
        save_json(self.to_dict(), path)

    @classmethod
    def load(cls, path: str) -> Any:
        """Reads a file written by :meth:`save` (anything else is a ValueError naming the problem)."""
        return cls.from_dict(load_json(path))


def save_json(data: dict, path: str) -> None:
    """Writes ``data`` as standard JSON atomically (a temporary file renamed into place)."""
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise IsADirectoryError(f"cannot save a result to {path}: it is a directory (name a file)")
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"cannot save a result to {path}: the directory {directory} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".interplay-", suffix=".json", dir=directory)
    except OSError as e:
        raise OSError(f"cannot save a result to {path}: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(data, f, allow_nan=False)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def load_json(path: str) -> Any:
    def reject(token: str) -> Any:
        raise ValueError(f"{path}: {token} is not standard JSON")

    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f, parse_constant=reject)
    except UnicodeDecodeError:
        raise ValueError(f"{path} is not a result file (not UTF-8 text: a binary file?)") from None
    except json.JSONDecodeError as e:
        raise ValueError(f"{path} is not valid JSON: {e}") from None
    except RecursionError:
        raise ValueError(f"{path} is not a result file (JSON nested too deeply)") from None
