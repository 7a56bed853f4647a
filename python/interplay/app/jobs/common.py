"""What every job shares: its error for bad input, how it picks an estimator, how it writes JSON."""

from __future__ import annotations

import contextlib
import json
import math
import os
import shutil
import tempfile
from typing import Any, Iterator, Optional, Union

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
    text = json.dumps(_plain(data), indent=1, allow_nan=False)  # fails before the file is opened
    with open(path, "w") as f:
        f.write(text)
    return path


def check_out(out: str) -> str:
    """Refuses an output folder that names an existing file (before any work is done)."""
    if not isinstance(out, str) or not out:
        raise CliError(f"--out must name a folder, got {out!r}")
    if os.path.exists(out) and not os.path.isdir(out):
        raise CliError(f"--out {out} is a file, not a folder")
    return out


def out_files(out: str, **names: str) -> dict:
    """Creates the folder ``out``; the paths of ``names`` (key -> file name) in it. Refuses (before
    anything is written) a folder that names a file, or a directory in the way of an output file."""
    check_out(out)
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as e:
        raise CliError(f"cannot create the output folder {out}: {e.strerror or e}") from None
    files = {key: os.path.join(out, name) for key, name in names.items()}
    for path in files.values():
        if os.path.isdir(path):
            raise CliError(f"cannot write {path}: a directory of that name is in the way")
    return files


@contextlib.contextmanager
def staged(out: str, **names: str) -> Iterator[dict]:
    """Writes a set of output files atomically: within the block the paths (key -> file name)
    point into a fresh staging folder inside ``out``; when the block succeeds every file is
    renamed into place, else the staging folder is removed. Either the whole set of files appears
    or none of them does. A directory in the way of an output file fails before anything is
    written (:func:`out_files`)."""
    final = out_files(out, **names)
    try:
        tmp = tempfile.mkdtemp(prefix=".interplay-staging-", dir=out)
    except OSError as e:
        raise CliError(f"cannot write into the output folder {out}: {e.strerror or e}") from None
    files = {key: os.path.join(tmp, os.path.basename(path)) for key, path in final.items()}
    try:
        yield files
        missing = [p for p in files.values() if not os.path.isfile(p)]
        if missing:
            raise CliError(f"the job did not write {', '.join(os.path.basename(p) for p in missing)}")
        for key, path in files.items():
            os.replace(path, final[key])
        files.update(final)
    except OSError as e:
        raise CliError(f"cannot write the outputs into {out}: {e.strerror or e}") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
