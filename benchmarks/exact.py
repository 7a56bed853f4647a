"""Exact indices from a game's table: interplay (C, O(n 2^n)) against shapiq's ExactComputer.

For each n, one random table; both libraries compute the all-pairs Shapley interaction matrix
(shapiq: index="SII", order=2), the all-pairs Banzhaf interaction matrix ("BII", order=2) and
the Harsanyi dividends ("Moebius", order=n), side by side in one run. shapiq's game values are
evaluated before timing (evaluate_game=True), so both time only the index computation. The
values are checked to agree before any time is reported.

    python benchmarks/exact.py [--max-n 22] [--max-shapiq-n 16] [--repeats 3]
"""
from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
import interplay as ip  # noqa: E402

INDICES = [
    ("Shapley interaction matrix", "SII", 2, ip.shapley_interaction_matrix),
    ("Banzhaf interaction matrix", "BII", 2, ip.banzhaf_interaction_matrix),
    ("Harsanyi dividends", "Moebius", None, ip.harsanyi_dividends),
]


def best_time(fn, repeats: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def shapiq_as_array(values, n: int, order) -> np.ndarray:
    if order == 2:
        M = np.zeros((n, n))
        for (i, j), k in ((key, k) for key, k in values.interaction_lookup.items() if len(key) == 2):
            M[i, j] = M[j, i] = values.values[k]
        return M
    out = np.zeros(1 << n)
    for key, k in values.interaction_lookup.items():
        out[sum(1 << p for p in key)] = values.values[k]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--min-n", type=int, default=10)
    parser.add_argument("--max-n", type=int, default=22)
    parser.add_argument("--max-shapiq-n", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    shapiq = None
    if args.max_shapiq_n >= args.min_n:  # --max-shapiq-n 0: interplay alone
        try:
            import shapiq
        except ImportError:
            sys.exit("pip install shapiq to run this benchmark (or --max-shapiq-n 0 for interplay alone)")
    versions = f", shapiq {importlib.metadata.version('shapiq')}" if shapiq is not None else ""
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__}, "
          f"torch threads {torch.get_num_threads()}{versions}")
    print(f"{'n':>3} {'index':<28} {'interplay s':>12} {'shapiq s':>10} {'speed-up':>9}")
    for n in range(args.min_n, args.max_n + 1, 2):
        table = torch.randn(1 << n, dtype=torch.float64, generator=torch.Generator().manual_seed(n))
        game = ip.TableGame(table)
        computer = None
        if shapiq is not None and n <= args.max_shapiq_n:
            weights = 1 << np.arange(n)
            values = table.numpy()
            computer = shapiq.ExactComputer(lambda c: values[(c.astype(np.int64) * weights).sum(1)], n_players=n,
                                            evaluate_game=True)
        for name, index, order, fn in INDICES:
            t_ours, ours = best_time(lambda: fn(game), args.repeats)
            if computer is None:
                print(f"{n:>3} {name:<28} {t_ours:>12.5f} {'-':>10} {'-':>9}")
                continue
            t_theirs, theirs = best_time(lambda: computer(index=index, order=order or n), 1)
            np.testing.assert_allclose(ours.numpy(), shapiq_as_array(theirs, n, order), atol=1e-8)
            print(f"{n:>3} {name:<28} {t_ours:>12.5f} {t_theirs:>10.4f} {t_theirs / t_ours:>8.0f}x")


if __name__ == "__main__":
    main()
