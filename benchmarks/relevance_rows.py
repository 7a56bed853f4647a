"""The Gaussian process's relevance_rows at many players: the per-pair variances learned
on the default rows (m² C(n, 2) <= RELEVANCE_WORK: 1028 rows at 128 players, 513 at 256), on 4096
rows, and not at all, on a game whose SII is known exactly (an additive part, 3 pair products and 3
triple products: SII = the pair's weight, + half a triple's for each of its pairs), 8192
evaluations, one thread by default.

    PYTHONPATH=python python benchmarks/relevance_rows.py [--seeds 3] [--players 128] [--budget 8192]
        [--variants default,4096,none] [--threads 1]
"""
from __future__ import annotations

import argparse
import itertools
import statistics
import time

import torch

import interplay as ip

PAIRS = ((3, 17), (40, 41), (90, 127))
TRIPLES = ((5, 6, 7), (60, 70, 80), (100, 101, 3))
VARIANTS = {"default": ("rows None (the default)", {}), "4096": ("rows 4096", {"relevance_rows": 4096}),
            "none": ("none (relevance_steps=0)", {"relevance_steps": 0})}


def sparse_game(n: int) -> tuple[ip.Game, torch.Tensor]:
    """The game of ``n`` >= 128 players and its exact SII matrix."""
    a = torch.randn(n, generator=torch.Generator().manual_seed(0), dtype=torch.float64)

    def reward(c: torch.Tensor) -> torch.Tensor:
        x = c.to(torch.float64)
        out = x @ a
        for i, j in PAIRS:
            out = out + 2.0 * x[:, i] * x[:, j]
        for t in TRIPLES:
            out = out + 1.5 * x[:, t[0]] * x[:, t[1]] * x[:, t[2]]
        return out

    exact = torch.zeros(n, n, dtype=torch.float64)
    for i, j in PAIRS:
        exact[i, j] += 2.0
    for t in TRIPLES:
        for i, j in itertools.combinations(t, 2):
            exact[i, j] += 1.5 / 2  # a unanimity game of 3 players: SII = 1 / (|T| - 1) per pair
    return ip.Game(reward, n, batch_size=4096, progress=False), exact + exact.t()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--budget", type=int, default=8192)
    ap.add_argument("--players", type=int, default=128)
    ap.add_argument("--variants", default="default,4096,none", help=f"comma-separated, of {','.join(VARIANTS)}")
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    if a.players < 128:
        raise SystemExit("--players must be at least 128 (the game's terms use players up to 127)")
    game, exact = sparse_game(a.players)
    iu = torch.triu_indices(a.players, a.players, 1)
    print(f"{a.players} players, {a.budget} evaluations, {a.threads} thread(s)")
    print("| relevance | MSE per seed | time per estimate (s) |\n|---|---|---|")
    for label, kw in (VARIANTS[v] for v in a.variants.split(",")):
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
