"""Exact indices from a game's table: interplay (C, O(n 2^n)) against shapiq's ExactComputer.

For each n, one random table; both libraries compute the all-pairs Shapley interaction matrix
(shapiq: index="SII", order=2), the all-pairs Banzhaf interaction matrix ("BII", order=2) and
the Harsanyi dividends ("Moebius", order=n), side by side in one run. shapiq's game values are
evaluated before timing (evaluate_game=True), so both time only the index computation. The
values are checked to agree before any time is reported.

    python benchmarks/exact.py [--max-n 22] [--max-shapiq-n 16] [--repeats 3]

Part 2, side by side in the same run: the n = 24 all-pairs SII matrix against one
read-and-write pass over its 2^24-double table (``dst.copy_(table)`` and ``table.clone()``), the
efficiency residual of the Shapley values, every index of ``ip.interaction_values`` (order 2) at
n = 20 and 24, and the largest n the memory allows (with the refusal beyond it):

    python benchmarks/exact.py --min-n 0 --max-n -1 --transforms 24 [--large 26,28] [--shapiq-indices 12]
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


def transforms(n: int, repeats: int, large: list) -> None:
    table = torch.randn(1 << n, dtype=torch.float64, generator=torch.Generator().manual_seed(n))
    game = ip.TableGame(table)
    dst = torch.empty_like(table)
    rows = []
    for rep in range(repeats):  # interleaved, so that load from other jobs hits all of them alike
        times = {}
        for name, fn in (("copy_", lambda: dst.copy_(table)), ("clone", lambda: table.clone()),
                         ("SII matrix", lambda: ip.shapley_interaction_matrix(game)),
                         ("Shapley values", lambda: ip.shapley_values(game)),
                         ("Moebius", lambda: ip.harsanyi_dividends(game))):
            start = time.perf_counter()
            fn()
            times[name] = time.perf_counter() - start
        rows.append(times)
    best = {k: min(r[k] for r in rows) for k in rows[0]}
    copy = min(best["copy_"], best["clone"])
    print(f"n = {n}: one read-and-write pass over the 2^{n}-double table: copy_ {best['copy_'] * 1e3:.1f} ms, "
          f"clone {best['clone'] * 1e3:.1f} ms (best of {repeats})")
    for name in ("SII matrix", "Shapley values", "Moebius"):
        print(f"  {name:<16} {best[name] * 1e3:8.1f} ms = {best[name] / copy:5.1f}x one pass")
    sv = ip.shapley_values(game).values
    scale = float(table.abs().max())
    residual = abs(float(sv.sum()) - float(table[-1] - table[0]))
    print(f"  efficiency residual |sum phi - (v(N) - v(0))| = {residual:.2e} = {residual / scale:.2e} x max|v|")
    for index in ("k-SII", "STII", "FSII"):  # sizes <= 2 straight from v (ip_low_order_values)
        r = ip.interaction_values(game, index=index, order=2)
        res = abs(float(r.values[1:].sum()) - float(table[-1] - table[0]))
        print(f"  {index} order 2: efficiency residual {res:.2e} = {res / scale:.2e} x max|v|")
    offset = ip.TableGame(table + 1e6)
    res = abs(float(ip.shapley_values(offset).values.sum()) - float(table[-1] - table[0]))
    print(f"  with a 1e6 offset: residual {res:.2e} = {res / (scale + 1e6):.2e} x max|v|")
    for m in (20, n):
        g = ip.TableGame(table[: 1 << m].clone())
        line = []
        for index in ("SV", "BV", "SII", "BII", "k-SII", "STII", "FSII", "FBII", "Moebius", "Co-Moebius"):
            order = 1 if index in ("SV", "BV") else 2
            start = time.perf_counter()
            ip.interaction_values(g, index=index, order=order)
            line.append(f"{index} {time.perf_counter() - start:.2f}")
        print(f"  interaction_values, order 2, n = {m} (s): " + ", ".join(line))
    for m in large:
        try:  # a lazy game: the refusal comes before any evaluation
            ip.exact.estimator.check_memory(m, 2)
        except ValueError as e:
            print(f"  n = {m}: refused before evaluating: {e}")
            continue
        g = ip.TableGame(torch.randn(1 << m, dtype=torch.float64, generator=torch.Generator().manual_seed(m)))
        for index in ("k-SII", "SII"):
            start = time.perf_counter()
            r = ip.interaction_values(g, index=index, order=2)
            print(f"  n = {m}: {index} order 2 in {time.perf_counter() - start:.1f} s ({r.numel()} values)")
        del g, r


def indices_vs_shapiq(n: int) -> None:
    """Every index of order 2 against shapiq's ExactComputer on one random table (one call each)."""
    import shapiq

    table = np.random.default_rng(0).normal(size=1 << n)
    weights = 1 << np.arange(n)
    fn = lambda c: table[(c.astype(np.int64) * weights).sum(1)]  # noqa: E731
    game = ip.TableGame(torch.tensor(table))
    for index in ("SII", "BII", "k-SII", "STII", "FSII", "FBII", "Co-Moebius"):
        computer = shapiq.ExactComputer(fn, n_players=n, evaluate_game=True)
        start = time.perf_counter()
        theirs = computer(index, 2)
        t_theirs = time.perf_counter() - start
        start = time.perf_counter()
        ours = ip.interaction_values(game, index=index, order=2)
        t_ours = time.perf_counter() - start
        diff = max(abs(ours.get(c) - theirs[c]) for c in ours.interactions)
        print(f"  {index:<10} order 2, n = {n}: shapiq {t_theirs:.2f} s, interplay {t_ours * 1e3:.2f} ms "
              f"({t_theirs / t_ours:,.0f}x), max |difference| {diff:.1e}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--min-n", type=int, default=10)
    parser.add_argument("--max-n", type=int, default=22)
    parser.add_argument("--max-shapiq-n", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--transforms", type=int, default=0, help="n of part 2 (0: skip)")
    parser.add_argument("--large", default="", help="comma-separated n for the largest exact games of part 2")
    parser.add_argument("--shapiq-indices", type=int, default=0, help="n of the index-by-index shapiq comparison")
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
    if args.transforms:
        transforms(args.transforms, max(args.repeats, 5), [int(x) for x in args.large.split(",") if x])
    if args.shapiq_indices:
        indices_vs_shapiq(args.shapiq_indices)
    if args.max_n < args.min_n:
        return
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
