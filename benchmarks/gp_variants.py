"""Variants of the default estimators on the 64-cell CNN game (RESULTS.md, "Estimators"): MSE
to the cached truth of benchmarks/estimators.py (its variance subtracted) and time per estimate.

    PYTHONPATH=python python benchmarks/gp_variants.py --table-cache /tmp/bench [--only REGEX]

The truth file comes from a run of benchmarks/estimators.py with the same --table-cache
(``truth_digits64_3276800_4.pt``: 100 × 32768 evaluations, 4 seeds).
"""
from __future__ import annotations

import argparse
import math
import os
import re
import statistics
import time

import torch

import interplay as ip
from estimators import _entries, digits64, neighbours  # benchmarks/estimators.py: the same game

GP, SHARED = ip.GaussianProcess, ip.SharedPairs
# (label, budget, quantity, estimator, seeds)
VARIANTS = [
    ("shared contexts, plain", 8192, "neighbours", SHARED(), 60),
    ("shared contexts, stratified sizes (the default)", 8192, "neighbours", SHARED(systematic=True), 60),
    ("GP default", 32768, "neighbours", GP(), 10),
    ("GP sizes='kernel'", 32768, "neighbours", GP(sizes="kernel"), 10),
    ("GP 4 folds of 4144", 32768, "neighbours", GP(fit_rows=4144), 10),
    ("GP default", 32768, "SII", GP(), 10),
    ("GP 4 folds of 4144", 32768, "SII", GP(fit_rows=4144), 10),
    ("GP default", 8192, "SII", GP(), 10),
    ("GP prior chosen on 512 pairs", 8192, "SII", GP(select_rows=512), 10),
    ("GP default", 2048, "SII", GP(), 10),
    ("GP 5 EM steps", 2048, "SII", GP(relevance_steps=5), 10),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--table-cache", required=True, help="the folder holding the truth of benchmarks/estimators.py")
    ap.add_argument("--only", default="", help="regex: only the variants whose 'label budget quantity' matches")
    a = ap.parse_args()
    torch.set_num_threads(1)
    game = digits64()["digits64"]
    truth = torch.load(os.path.join(a.table_cache, "truth_digits64_3276800_4.pt"))
    nb = neighbours(game)
    n = game.n_players
    for label, budget, q, est, seeds in VARIANTS:
        if a.only and not re.search(a.only, f"{label} {budget} {q}"):
            continue
        key, pairs = ("SV", None) if q == "SV" else ("SII", None if q == "SII" else nb)
        exact, var = truth[key]
        sel = _entries(key, n, pairs)
        errs, times = [], []
        for seed in range(seeds):
            m = est.replace(budget=budget, seed=seed, progress=False)
            t = time.perf_counter()
            v = (ip.shapley_values(game, method=m) if key == "SV"
                 else ip.shapley_interaction_matrix(game, pairs=pairs, method=m)).values
            times.append(time.perf_counter() - t)
            errs.append(float(((v - exact)[sel] ** 2).mean()))
        mse = statistics.fmean(errs) - float(var[sel].mean())
        se = statistics.stdev(errs) / math.sqrt(seeds)
        print(f"{q:>10} {budget:>6}  {label:<48} MSE {mse:.3e} ± {se:.1e}  time {statistics.median(times):.2f} s"
              f"  ({seeds} seeds)", flush=True)


if __name__ == "__main__":
    main()
