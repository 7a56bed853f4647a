"""Results as files and pickles: standard JSON (``to_dict`` / ``from_dict`` / ``save`` / ``load``)
and the plain state that pickles, copies and ``torch.save`` keep (``_state`` / ``_from_state``),
both of the :class:`Persisted` base of :class:`~interplay.Result`; the estimator as plain data.

The JSON form holds numbers only as JSON numbers or, for NaN and the infinities, the strings
``"NaN"``, ``"Infinity"`` and ``"-Infinity"`` (so any JSON reader takes it). Loading checks every
field (types, shapes, dtypes, ranges) through the constructors and rejects unknown keys, so a
tampered file fails with one ValueError naming the problem.

Which fields are kept, and how, comes from each field's :class:`~.schema.FieldSchema` (its
:class:`~.schema.Encoding`); nothing here names a field of a result but ``values`` (whose dtype the
file records). This module does not import :mod:`.result` (the result class imports it): the JSON
methods reach the class through ``cls`` / ``type(self)``.
"""
from __future__ import annotations

import json
import math
import os
import stat
import tempfile
from typing import Any

import torch

from ..methods import Estimator, registered
from .schema import Encoding, FieldSchema, schema_fields

FORMAT = "interplay.Result/1"
_DTYPES = {"float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32, "float64": torch.float64}
_SPECIAL = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


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
    try:
        return float(obj)
    except OverflowError:  # an integer beyond the float range
        raise ValueError(f"{what} holds a number out of the float range ({str(obj)[:20]}..., "
                         f"{len(str(obj))} digits)") from None


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


def plain_state(obj: Any) -> dict:
    """Every field of ``obj`` (a dataclass of schema fields) as plain data, for pickles: tensors
    and numbers as they are, the estimator as its parameters, nested dataclasses as dicts."""
    state: dict[str, Any] = {}
    for name, schema in schema_fields(obj):
        value = getattr(obj, name)
        if schema.encoding is Encoding.ESTIMATOR:
            value = estimator_state(value)
        elif schema.encoding is Encoding.NESTED and value is not None:
            value = plain_state(value)
        state[name] = value
    return state


def constructor_arguments(cls: type, state: dict) -> dict:
    """The keywords that build ``cls`` from :func:`plain_state`'s dict: the estimator and nested
    dataclasses rebuilt, the rest as they are (keys ``cls`` does not know are passed on, for its
    constructor to refuse)."""
    schemas = dict(schema_fields(cls))
    arguments = dict(state)
    for name, value in state.items():
        schema = schemas.get(name)
        if schema is None:
            continue
        if schema.encoding is Encoding.ESTIMATOR:
            arguments[name] = estimator_from_state(value)
        elif schema.encoding is Encoding.NESTED and value is not None:
            if not isinstance(value, dict):
                raise ValueError(f"{name} must be a dict, got {type(value).__name__}")
            arguments[name] = schema.nested(**constructor_arguments(schema.nested, value))  # type: ignore[misc]
    return arguments


def _to_json(schema: FieldSchema, value: Any) -> Any:
    """A field of :func:`plain_state`'s dict as standard JSON values."""
    if value is None or schema.encoding is Encoding.ESTIMATOR:
        return value
    if schema.encoding is Encoding.TENSOR:
        return _encode(value.detach().cpu().double().tolist())
    if schema.encoding is Encoding.NESTED:
        nested = dict(schema_fields(schema.nested))
        return {k: _to_json(nested.get(k, FieldSchema()), v) for k, v in value.items()}
    return _encode(value)


def _from_json(schema: FieldSchema, value: Any, what: str, dtype: torch.dtype) -> Any:
    """The inverse of :func:`_to_json` (tensors in ``dtype``); numbers that are not numbers are a
    ValueError naming ``what``."""
    if value is None:
        return None
    if schema.encoding is Encoding.TENSOR:
        try:
            return torch.tensor(_decode(value, what), dtype=torch.float64).to(dtype)
        except (ValueError, TypeError, RuntimeError) as e:
            raise ValueError(f"invalid {what}: {e}") from None
    if schema.encoding is Encoding.NUMBERS:
        return _decode(value, what)
    if schema.encoding is Encoding.NESTED:
        if not isinstance(value, dict):
            raise ValueError(f"{what} must be a dict, got {type(value).__name__}")
        nested = dict(schema_fields(schema.nested))
        return {k: _from_json(nested[k], v, f"{what}.{k}", dtype) if k in nested else v for k, v in value.items()}
    return value


class Persisted:
    """The files and pickle state of a dataclass of schema fields with ``values`` (a result)."""

    def _state(self) -> dict:
        """Every field as plain data (tensors kept as tensors, the estimator as its parameters, the
        nested parts as dicts), by the encodings the fields declare."""
        return {"format": FORMAT, **plain_state(self)}

    @classmethod
    def _from_state(cls, state: Any) -> Any:
        """An instance from :meth:`_state` (validated; unknown keys rejected)."""
        if not isinstance(state, dict) or state.get("format") != FORMAT:
            raise ValueError(f"not an interplay result (expected format {FORMAT!r})")
        fields = {k: v for k, v in state.items() if k != "format"}
        unknown = sorted(set(fields) - {name for name, _ in schema_fields(cls)})
        if unknown:
            raise ValueError(f"unknown fields {unknown} in a result")
        try:
            return cls(**constructor_arguments(cls, fields))
        except TypeError as e:
            raise ValueError(f"invalid result: {e}") from None

    def to_dict(self) -> dict:
        """A JSON-ready dict of standard JSON values (NaN and infinities as the strings "NaN",
        "Infinity", "-Infinity"); ``dtype`` records the values' dtype."""
        state = self._state()
        for name, schema in schema_fields(self):
            state[name] = _to_json(schema, state[name])
        state["dtype"] = str(self.values.dtype).replace("torch.", "")  # type: ignore[attr-defined]
        return state

    @classmethod
    def from_dict(cls, data: Any) -> Any:
        """Inverse of :meth:`to_dict`; validates every field and rejects anything else."""
        if not isinstance(data, dict):
            raise ValueError(f"a result dict must be a dict, got {type(data).__name__}")
        data = dict(data)
        dtype_name = data.pop("dtype", "float64")
        dtype = _DTYPES.get(dtype_name) if isinstance(dtype_name, str) else None
        if dtype is None:
            raise ValueError(f"a result's dtype must be one of {sorted(_DTYPES)}")
        if data.get("values") is None:
            raise ValueError("a result dict needs 'values'")
        for name, schema in schema_fields(cls):
            if name in data:
                data[name] = _from_json(schema, data[name], name, dtype)
        return cls._from_state(data)

    def save(self, path: str) -> None:
        """Writes ``to_dict()`` as standard JSON, atomically (a temporary file renamed into place)."""
        save_json(self.to_dict(), path)

    @classmethod
    def load(cls, path: str) -> Any:
        """Reads a file written by :meth:`save` (anything else is a ValueError naming the problem)."""
        return cls.from_dict(load_json(path))


def _regular_target(path: str, action: str) -> str:
    """The file that ``path`` names, for ``action`` ("save to" or "load"): the path itself, or where
    its symlink points; anything but a regular file (a directory, a device, a FIFO, a socket, a
    dangling symlink) is refused by name."""
    target = os.path.realpath(path) if os.path.islink(path) else path
    if os.path.islink(path) and not os.path.exists(target):
        raise FileNotFoundError(f"cannot {action} {path}: it is a symlink to nothing ({target})")
    if os.path.isdir(target):
        raise IsADirectoryError(f"cannot {action} {path}: it is a directory (name a file)")
    if os.path.exists(target) and not stat.S_ISREG(os.stat(target).st_mode):
        raise ValueError(f"cannot {action} {path}: it is not a regular file (a device, FIFO or socket)")
    return target


def save_json(data: dict, path: str) -> None:
    """Writes ``data`` as standard JSON atomically: a temporary file in the same directory, renamed
    into place, so a reader never sees half a file. Only regular files are written: a path that is a
    symlink to a regular file replaces the file it points to (the link stays); directories, devices,
    FIFOs, sockets and dangling symlinks are refused. A new file gets the mode the umask gives; a
    replaced one keeps its mode."""
    path = os.fspath(path)
    target = _regular_target(path, "save a result to")
    directory = os.path.dirname(os.path.abspath(target))
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"cannot save a result to {path}: the directory {directory} does not exist")
    if os.path.exists(target):
        mode = stat.S_IMODE(os.stat(target).st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        fd, tmp = tempfile.mkstemp(prefix=".interplay-", suffix=".json", dir=directory)
    except OSError as e:
        raise OSError(f"cannot save a result to {path}: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(data, f, allow_nan=False)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def load_json(path: str) -> Any:
    def reject(token: str) -> Any:
        raise ValueError(f"{path}: {token} is not standard JSON")

    _regular_target(os.fspath(path), "load")  # a FIFO or device would block or never end
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f, parse_constant=reject)
    except UnicodeDecodeError:
        raise ValueError(f"{path} is not a result file (not UTF-8 text: a binary file?)") from None
    except json.JSONDecodeError as e:
        raise ValueError(f"{path} is not valid JSON: {e}") from None
    except RecursionError:
        raise ValueError(f"{path} is not a result file (JSON nested too deeply)") from None
