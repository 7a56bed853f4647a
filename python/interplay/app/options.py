"""The options every command of the command line shares (output folder, progress bars) and those of
the learned partition search."""
from __future__ import annotations

import argparse
import sys


def common_options(p: argparse.ArgumentParser, out: str = "out") -> None:
    p.add_argument(
        "--out", default=out, metavar="DIR", help=f"folder for the JSON and PNG files (default: {out})"
    )
    bars = p.add_mutually_exclusive_group()
    bars.add_argument(
        "--progress",
        dest="progress",
        action="store_true",
        default=None,
        help="progress bars on stderr even when it is not a terminal",
    )
    bars.add_argument(
        "--no-progress",
        dest="progress",
        action="store_false",
        help="no progress bars (default when stderr is not a terminal, e.g. piped or redirected)",
    )


def progress_of(args: argparse.Namespace) -> bool:
    """Progress bars: --progress / --no-progress, else only when stderr is a terminal (tqdm's
    carriage returns and escape codes would litter piped or redirected output)."""
    if args.progress is not None:
        return args.progress
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stderr
        return False


def learned_options(p: argparse.ArgumentParser, final_contexts: bool = False) -> None:
    """The budgets of the learned partition search (read by interplay.app.cli._learned)."""
    p.add_argument("--updates", type=int, default=None, help="learned: updates K1")
    p.add_argument("--contexts", type=int, default=None, help="learned: contexts per update K3")
    if final_contexts:
        p.add_argument(
            "--final-contexts", type=int, default=None, help="learned: contexts for the final B and T"
        )
