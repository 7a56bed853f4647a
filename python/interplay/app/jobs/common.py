"""What every job shares: its error for bad input and how it writes JSON."""

from __future__ import annotations

import json
from typing import Any


class CliError(ValueError):
    """Bad input to a job or on the command line (a missing file, a wrong shape, a bad option)."""


def last_line(e: BaseException) -> str:
    """The last non-blank line of an exception's message (a model's traceback ends with the cause)."""
    lines = [line.strip() for line in str(e).splitlines() if line.strip()]
    return lines[-1] if lines else type(e).__name__


def write_json(path: str, data: Any) -> str:
    """Writes ``data`` as indented JSON to ``path``; returns the path."""
    with open(path, "w") as f:
        json.dump(data, f, indent=1)
    return path
