"""The Gaussian process's fit_rows against its error and its own time: the 16-cell digits
game at 8192 evaluations, answered from its 2^16 table (so the time is the estimator's work, no
model), 10 seeds, one thread, MSE to the exact values.

    PYTHONPATH=python python benchmarks/fit_rows.py [--table-cache /tmp/bench]
"""
from __future__ import annotations

import argparse
import statistics
import time

import torch

import interplay as ip
from estimators import TABLES, digits16, table_of  # benchmarks/estimators.py: the same game and table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--budget", type=int, default=8192)
    ap.add_argument("--fit-rows", default="5500,2048,1024,512")
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--table-cache", default=None, help="a folder with (or for) the game's 2^n table")
    a = ap.parse_args()
    torch.set_num_threads(1)
    if a.table_cache:
        TABLES["dir"] = a.table_cache
    game = digits16()["digits-a"]
    game.bench_name = "digits-a"
    t = ip.TableGame(table_of(game))
    n = t.n_players
    exact = {"SV": ip.shapley_values(t).values, "SII": ip.shapley_interaction_matrix(t).values}
    iu = torch.triu_indices(n, n, 1)
    print("| quantity | fit_rows | MSE | time per estimate (s) |\n|---|---|---|---|")
    for q in ("SV", "SII"):
        for fit in (int(f) for f in a.fit_rows.split(",")):
            errs, times = [], []
            for seed in range(a.seeds):
                m = ip.GaussianProcess(budget=a.budget, seed=seed, fit_rows=fit, progress=False)
                t0 = time.perf_counter()
                r = (ip.shapley_values if q == "SV" else ip.shapley_interaction_matrix)(t, method=m).values
                times.append(time.perf_counter() - t0)
                e = r - exact[q] if q == "SV" else (r - exact[q])[iu[0], iu[1]]
                errs.append(float((e ** 2).mean()))
            print(f"| {q} | {fit} | {statistics.fmean(errs):.2e} | {statistics.median(times):.2f} |", flush=True)


if __name__ == "__main__":
    main()
