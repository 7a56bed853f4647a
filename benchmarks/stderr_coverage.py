"""Calibration of the complementary-pair family's stderr: the coverage of the 95 % interval
est ± 1.96 stderr over seeds, and the mean stderr over the actual root mean squared error, on a
12-player game with a known exact answer (a random second-order game plus a smooth higher-order part).

    PYTHONPATH=python python benchmarks/stderr_coverage.py [--seeds 100] [--players 12]

Coverage near 0.95 and a ratio near 1 mean a calibrated stderr; the cells are the cross-fitted forms
(Regression with correction=True, the Gaussian process beyond fit_rows pairs).
"""
from __future__ import annotations

import argparse

import torch

import interplay as ip


def random_game(n: int, seed: int) -> ip.TableGame:
    g = torch.Generator().manual_seed(seed)
    masks = torch.arange(1 << n)
    x = ((masks[:, None] >> torch.arange(n)) & 1).double()
    w1 = torch.randn(n, generator=g, dtype=torch.float64)
    w2 = torch.randn(n, n, generator=g, dtype=torch.float64).triu(1) / n ** 0.5
    v = x @ w1 + ((x @ w2) * x).sum(1) + torch.sin(1.3 * x.sum(1)) + 0.5 * torch.cos(x @ w1)
    return ip.TableGame(v)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=100)
    ap.add_argument("--players", type=int, default=12)
    args = ap.parse_args()
    game = random_game(args.players, 0)
    truth = {"SV": ip.shapley_values(game).values, "SII": ip.shapley_interaction_matrix(game).values}
    cells = [("regression", dict(correction=True), 600), ("regression", dict(correction=True), 3000),
             ("gaussian_process", dict(fit_rows=150), 1000), ("gaussian_process", dict(fit_rows=300), 3000)]
    print(f"{'method':<18} {'settings':<22} {'budget':>6} {'index':>5} {'coverage':>9} {'stderr/rmse':>12}")
    for method, settings, budget in cells:
        for index, exact in truth.items():
            hits, count, se2, err2 = 0, 0, 0.0, 0.0
            for seed in range(args.seeds):
                kw = dict(method=method, budget=budget, seed=seed, progress=False, **settings)
                r = ip.shapley_values(game, **kw) if index == "SV" else ip.shapley_interaction_matrix(game, **kw)
                keep = ~torch.eye(args.players, dtype=torch.bool) if index == "SII" else torch.ones_like(exact, dtype=torch.bool)
                err, se = (r.values - exact)[keep], r.stderr[keep]
                hits += int((err.abs() <= 1.96 * se).sum())
                count += err.numel()
                se2 += float(se.square().sum())
                err2 += float(err.square().sum())
            print(f"{method:<18} {str(settings):<22} {budget:>6} {index:>5} {hits / count:>9.3f} "
                  f"{(se2 / err2) ** 0.5:>12.3f}")


if __name__ == "__main__":
    main()
