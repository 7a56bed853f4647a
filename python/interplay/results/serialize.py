"""Results as data: a validated state for pickling and standard JSON for files.

The JSON form holds numbers only as JSON numbers or, for NaN and the infinities, the strings
``"NaN"``, ``"Infinity"`` and ``"-Infinity"`` (so any JSON reader takes it). Loading checks every
field (types, shapes, dtypes, ranges) through the constructors and rejects unknown keys, so a
tampered file fails with one line naming the problem.
"""
from __future__ import annotations

import json
import math
import os
import tempfile
from typing import Any

import torch

from ..estimators.base import Estimator, registered
from .partitions import Partitions, PartitionSearch
from .result import Result

FORMAT = "interplay.Result/1"
_DTYPES = {"float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32, "float64": torch.float64}
_SPECIAL = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
_TENSOR_FIELDS = ("values", "stderr")


def _encode_number(x: float) -> Any:
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def _encode(obj: Any) -> Any:
    if isinstance(obj, float):
        return _encode_number(obj)
    if isinstance(obj, (list, tuple)):
        return [_encode(o) for o in obj]
    return obj


def _decode_numbers(obj: Any, what: str) -> Any:
    if isinstance(obj, list):
        return [_decode_numbers(o, what) for o in obj]
    if isinstance(obj, str) and obj in _SPECIAL:
        return _SPECIAL[obj]
    if isinstance(obj, bool) or not isinstance(obj, (int, float)):
        raise ValueError(f"{what} must hold numbers, got {obj!r}")
    return float(obj)


def estimator_state(estimator: Estimator) -> dict:
    return {"name": type(estimator).name,
            **{k: getattr(estimator, k) for k in type(estimator).parameters()}}


def estimator_from_state(state: Any) -> Estimator:
    if not isinstance(state, dict) or not isinstance(state.get("name"), str):
        raise ValueError("estimator must be a dict with a 'name'")
    cls = registered().get(state["name"])
    if cls is None:
        raise ValueError(f"unknown estimator {state['name']!r}; known: {sorted(registered())}")
    options = {k: (tuple(v) if isinstance(v, list) else v) for k, v in state.items() if k != "name"}
    return cls.create(**options)


def result_state(result: Result) -> dict:
    """Every field as plain data (tensors kept as tensors)."""
    state: dict[str, Any] = {"format": FORMAT}
    for field in ("index", "values", "n_players", "evaluations", "stderr", "players", "pairs", "absent",
                  "sizes", "labels", "grid"):
        state[field] = getattr(result, field)
    state["estimator"] = estimator_state(result.estimator)
    p = result.partitions
    state["partitions"] = None if p is None else {k: getattr(p, k) for k in Partitions.__dataclass_fields__}
    s = result.search
    state["search"] = None if s is None else {k: getattr(s, k) for k in PartitionSearch.__dataclass_fields__}
    return state


def rebuild_result(state: Any) -> Result:
    """A :class:`Result` from :func:`result_state` (validated; unknown keys rejected)."""
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise ValueError(f"not an interplay result (expected format {FORMAT!r})")
    known = {"format", "estimator", "partitions", "search", *Result.__dataclass_fields__}
    unknown = sorted(set(state) - known)
    if unknown:
        raise ValueError(f"unknown fields {unknown} in a result")
    fields = {k: v for k, v in state.items() if k not in ("format", "estimator", "partitions", "search")}
    partitions, search = state.get("partitions"), state.get("search")
    try:
        return Result(
            **fields,
            estimator=estimator_from_state(state.get("estimator")),
            partitions=None if partitions is None else Partitions(**partitions),
            search=None if search is None else PartitionSearch(**search),
        )
    except TypeError as e:
        raise ValueError(f"invalid result: {e}") from None


def result_to_dict(result: Result) -> dict:
    state = result_state(result)
    state["dtype"] = str(result.values.dtype).replace("torch.", "")
    for field in _TENSOR_FIELDS:
        t = state[field]
        state[field] = None if t is None else _encode(t.detach().cpu().double().tolist())
    for field in ("partitions", "search"):
        if state[field] is not None:
            state[field] = {k: _encode(v) for k, v in state[field].items()}
    return state


def result_from_dict(data: Any) -> Result:
    if not isinstance(data, dict):
        raise ValueError(f"a result dict must be a dict, got {type(data).__name__}")
    data = dict(data)
    dtype = _DTYPES.get(data.pop("dtype", "float64"))
    if dtype is None:
        raise ValueError(f"a result's dtype must be one of {sorted(_DTYPES)}")
    for field in _TENSOR_FIELDS:
        value = data.get(field)
        if value is not None:
            try:
                data[field] = torch.tensor(_decode_numbers(value, field), dtype=torch.float64).to(dtype)
            except (ValueError, TypeError) as e:
                raise ValueError(f"invalid {field}: {e}") from None
    for field in ("partitions", "search"):
        part = data.get(field)
        if part is not None:
            if not isinstance(part, dict):
                raise ValueError(f"{field} must be a dict")
            data[field] = {k: (_SPECIAL[v] if isinstance(v, str) and v in _SPECIAL else v) for k, v in part.items()}
    return rebuild_result(data)


def save_json(data: dict, path: str) -> None:
    """Writes ``data`` as standard JSON atomically (a temporary file renamed into place)."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".interplay-", suffix=".json", dir=directory)
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

    with open(path) as f:
        try:
            return json.load(f, parse_constant=reject)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path} is not valid JSON: {e}") from None


torch.serialization.add_safe_globals([rebuild_result])
