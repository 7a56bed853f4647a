"""The Gaussian process's own time per estimate: the default estimator (budget=, no
method=) on a cheap function game (tanh of a random projection: no model cost), one call per cell,
one thread. For an A/B of two commits run it from a worktree of each, alternating.

    PYTHONPATH=python python benchmarks/gp_time.py [--players 64] [--threads 1] [--cells SII:2048,SV:32768]
    PYTHONPATH=python python benchmarks/gp_time.py --factor-sizes 1024,4096,5489   # the m x m Cholesky alone

The first call in a process also pays for the Krawtchouk table of n players (cached after it).
"""
from __future__ import annotations

import argparse
import time

import torch

import interplay as ip

CELLS = "SII:2048,SII:8192,SII:32768,neighbours:32768,SV:32768"  # quantity:budget


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--players", type=int, default=64, help="a square number: the neighbours of a grid")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--cells", default=CELLS, help="comma-separated quantity:budget, quantity SII, neighbours or SV")
    ap.add_argument("--factor-sizes", default="",
                    help="comma-separated m: time one float64 Cholesky factor of an m x m covariance instead (the floor "
                         "of a fit on m pairs: 4096 at 8192 evaluations, three of 5489 at 32768)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    if a.factor_sizes:
        for m in (int(v) for v in a.factor_sizes.split(",")):
            g = torch.randn(m, m + 64, dtype=torch.float64, generator=torch.Generator().manual_seed(m))
            k = g @ g.t() / m
            times = []
            for _ in range(3):
                t0 = time.perf_counter()
                torch.linalg.cholesky_ex(k)
                times.append(time.perf_counter() - t0)
            print(f"Cholesky factor {m} x {m}: {min(times):.3f} s (best of 3)", flush=True)
        return
    n, side = a.players, int(round(a.players ** 0.5))
    if side * side != n:
        raise SystemExit("--players must be a square number")
    torch.manual_seed(0)
    w = torch.randn(n, 32, dtype=torch.float64) / 8
    game = ip.Game(lambda c: torch.tanh(c.to(torch.float64) @ w).sum(1), n, batch_size=2048, progress=False)
    grid = [[r * side + c, r * side + c + 1] for r in range(side) for c in range(side - 1)]
    grid += [[r * side + c, (r + 1) * side + c] for r in range(side - 1) for c in range(side)]
    out = []
    for cell in a.cells.split(","):
        quantity, budget = cell.split(":")[0], int(cell.split(":")[1])
        if quantity not in ("SII", "neighbours", "SV"):
            raise SystemExit(f"unknown quantity {quantity!r} in --cells")
        t0 = time.perf_counter()
        if quantity == "SV":
            ip.shapley_values(game, budget=budget, seed=0, progress=False)
        else:
            ip.shapley_interaction_matrix(game, pairs=grid if quantity == "neighbours" else None, budget=budget,
                                          seed=0, progress=False)
        out.append(f"{quantity} {budget} {time.perf_counter() - t0:.2f} s")
    print(f"{ip.__file__}: " + " | ".join(out), flush=True)


if __name__ == "__main__":
    main()
