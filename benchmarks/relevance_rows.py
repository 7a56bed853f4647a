"""The Gaussian process's relevance_rows at 128 players (issue #12): the per-pair variances learned
on the default rows (m² C(n, 2) <= RELEVANCE_WORK: 1028 rows), on 4096 rows, and not at all, on a game
whose SII is known exactly (an additive part, 3 pair products and 3 triple products: SII = the pair's
weight, + half a triple's for each of its pairs), 8192 evaluations, one thread.

    PYTHONPATH=python python benchmarks/relevance_rows.py [--seeds 3]
"""
from __future__ import annotations

import argparse
import itertools
import statistics
import time

import torch

import interplay as ip

N = 128
PAIRS = ((3, 17), (40, 41), (90, 127))
TRIPLES = ((5, 6, 7), (60, 70, 80), (100, 101, 3))


def sparse_game() -> tuple[ip.Game, torch.Tensor]:
    """The game and its exact SII matrix."""
    a = torch.randn(N, generator=torch.Generator().manual_seed(0), dtype=torch.float64)

    def reward(c: torch.Tensor) -> torch.Tensor:
        x = c.to(torch.float64)
        out = x @ a
        for i, j in PAIRS:
            out = out + 2.0 * x[:, i] * x[:, j]
        for t in TRIPLES:
            out = out + 1.5 * x[:, t[0]] * x[:, t[1]] * x[:, t[2]]
        return out

    exact = torch.zeros(N, N, dtype=torch.float64)
    for i, j in PAIRS:
        exact[i, j] += 2.0
    for t in TRIPLES:
        for i, j in itertools.combinations(t, 2):
            exact[i, j] += 1.5 / 2  # a unanimity game of 3 players: SII = 1 / (|T| - 1) per pair
    return ip.Game(reward, N, batch_size=4096, progress=False), exact + exact.t()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--budget", type=int, default=8192)
    a = ap.parse_args()
    torch.set_num_threads(1)
    game, exact = sparse_game()
    iu = torch.triu_indices(N, N, 1)
    print("| relevance | MSE per seed | time per estimate (s) |\n|---|---|---|")
    for label, kw in (("rows None (the default)", {}), ("rows 4096", {"relevance_rows": 4096}),
                      ("none (relevance_steps=0)", {"relevance_steps": 0})):
        errs, times = [], []
        for seed in range(a.seeds):
            m = ip.GaussianProcess(budget=a.budget, seed=seed, progress=False, **kw)
            t0 = time.perf_counter()
            r = ip.shapley_interaction_matrix(game, method=m)
            times.append(time.perf_counter() - t0)
            errs.append(float(((r.values - exact)[iu[0], iu[1]] ** 2).mean()))
        print(f"| {label} | {' / '.join(f'{e:.1e}' for e in errs)} | {statistics.median(times):.0f} |", flush=True)


if __name__ == "__main__":
    main()
