"""What every job shares: its error for bad input, how it picks an estimator, how it writes JSON."""

from __future__ import annotations

import json
import math
import os
from typing import Any, Optional, Union

from ...methods import Estimator, resolve
from ...results import Result


class CliError(ValueError):
    """Bad input to a job or on the command line (a missing file, a wrong shape, a bad option)."""


def last_line(e: BaseException) -> str:
    """The last non-blank line of an exception's message (a model's traceback ends with the cause)."""
    lines = [line.strip() for line in str(e).splitlines() if line.strip()]
    return lines[-1] if lines else type(e).__name__


def estimator(
    quantity: str,
    method: Union[None, str, Estimator],
    n_players: int,
    *,
    budget: Optional[int] = None,
    seed: Optional[int] = None,
    progress: Optional[bool] = None,
    **options: Any,
) -> Estimator:
    """The estimator a job runs for ``quantity`` (:func:`interplay.methods.resolve`: the
    library's one rule for ``method=`` / ``budget=``), as a :class:`CliError` when the method does
    not exist, does not compute the quantity, or does not take a keyword that was given.

    ``budget``, ``seed`` and the estimator's own ``options`` are passed only when given (None:
    the estimator's default); ``progress`` is passed to the estimators that take it.
    """
    given = {k: v for k, v in dict(budget=budget, seed=seed, **options).items() if v is not None}
    try:
        chosen = resolve(quantity, method, given, n_players)
        if progress is not None and "progress" in type(chosen).parameters():
            chosen = chosen.replace(progress=progress)
    except (TypeError, ValueError) as e:
        raise CliError(str(e)) from e
    return chosen


def _plain(obj: Any) -> Any:
    """``obj`` as standard JSON data: results through :meth:`Result.to_dict`, NaN and the
    infinities as null, tuples as lists."""
    if isinstance(obj, Result):
        return obj.to_dict()
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    return obj


def write_json(path: str, data: Any) -> str:
    """Writes ``data`` (results among it as :meth:`Result.to_dict`) as indented standard JSON to
    ``path``; returns the path."""
    with open(path, "w") as f:
        json.dump(_plain(data), f, indent=1, allow_nan=False)
    return path


def out_files(out: str, **names: str) -> dict:
    """Creates the folder ``out``; the paths of ``names`` (key -> file name) in it."""
    os.makedirs(out, exist_ok=True)
    return {key: os.path.join(out, name) for key, name in names.items()}
