"""How the command line fails: one line on stderr naming the problem, never a traceback for bad
input. The numeric options are checked before any work (:func:`check_options`), argparse's own
errors are one line too (:class:`Parser`), and any exception becomes one line (:func:`one_line`)."""
from __future__ import annotations

import argparse
import os
import pickle
import sys
from typing import Callable, NoReturn

import torch

from .._internal import checks as _checks
from .jobs.common import CliError, check_out, last_line


# options that must be positive when given, and those that are seeds
_POSITIVE = ("budget", "batch_size", "models", "epochs", "updates", "contexts", "final_contexts", "threads")


def check_options(args: argparse.Namespace) -> None:
    """The numeric options, checked before any work: one CliError naming the option."""
    for name in _POSITIVE:
        value = getattr(args, name, None)
        if value is not None and value < 1:
            raise CliError(f"--{name.replace('_', '-')} must be positive, got {value}")
    if getattr(args, "seed", None) is not None:
        try:
            _checks.seed(args.seed, "--seed")
        except (TypeError, ValueError) as e:
            raise CliError(str(e)) from None
    for name in ("target", "index"):
        value = getattr(args, name, None)
        if name == "target" and value is not None and value < 0:
            raise CliError(f"--target must be a class index >= 0, got {value}")
    cells = getattr(args, "cells", None)
    if cells is not None and min(cells) < 1:
        raise CliError(f"--cells must be two positive numbers, got {' '.join(map(str, cells))}")
    if getattr(args, "A", None) is not None and len(set(args.A)) != len(args.A):
        raise CliError(f"--A repeats words: {args.A}")
    if getattr(args, "sentence", None) is not None and not args.sentence.strip():
        raise CliError("the sentence is empty: give a text with at least two words")
    check_out(args.out)


def one_line(e: BaseException) -> str:
    """An exception as one line: its message's last non-blank line (a model's traceback ends with
    the cause), or its type when it has no message."""
    if isinstance(e, CliError):  # our own message: all of it, on one line
        return " ".join(line.strip() for line in str(e).splitlines() if line.strip()) or "CliError"
    text = last_line(e)
    if isinstance(e, (CliError, ValueError, TypeError, FileNotFoundError)) or text == type(e).__name__:
        return text
    return f"{type(e).__name__}: {text}"


class Parser(argparse.ArgumentParser):
    """argparse with its errors as one line on stderr (exit 2), naming the command; ``--help``
    shows the usage."""

    def error(self, message: str) -> "NoReturn":  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (--help for usage)\n")


_BAD_INPUT = (CliError, ValueError, TypeError, MemoryError, OSError, EOFError, ImportError, RuntimeError,
              pickle.UnpicklingError)


def run_guarded(args: argparse.Namespace, job: Callable[[], int]) -> int:
    """Checks the options, then runs ``job``: bad input prints one line
    ``python -m interplay <command>: error: ...`` to stderr and returns 2; anything else is one line
    too (returns 1), with the traceback only under ``INTERPLAY_TRACEBACK=1``."""
    command = f"python -m interplay {args.command}"
    try:
        check_options(args)
        if args.threads is not None:
            torch.set_num_threads(args.threads)
        return job()
    except KeyboardInterrupt:
        print(f"{command}: interrupted", file=sys.stderr)
        return 130
    except Exception as e:
        if os.environ.get("INTERPLAY_TRACEBACK"):
            raise
        expected = isinstance(e, _BAD_INPUT)
        hint = "" if expected else " (unexpected; INTERPLAY_TRACEBACK=1 shows the traceback)"
        print(f"{command}: error: {one_line(e)}{hint}", file=sys.stderr)
        return 2 if expected else 1
