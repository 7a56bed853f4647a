"""The Gaussian process's per-pair variances, A/B: the EM step's old rule τ ← μ² + σ² (μ² in the units
of the rewards the estimator sees: the game's divided by a power of two near its largest |reward|; σ² in
the prior's) against the current τ ← μ² / s² + σ², with s² = yᵀK⁻¹y / m the prior's overall scale at its
maximum likelihood (both terms in the prior's units: no dependence on the game's units). SII
matrices, default GaussianProcess otherwise.

    PYTHONPATH=python python benchmarks/pair_variance_units.py [--seeds 5] [--games sparse32,digits64]

sparse32: a 32-player game of 16 random pairs plus a linear part (exact SII), at its own scale and
times 100; digits64: the 64-cell digits CNN of benchmarks/estimators.py, its truth from 50 shared-pair
runs of 32000 evaluations (the truth's variance is subtracted from the MSE).
"""
from __future__ import annotations

import argparse
import math
import statistics
import sys
import os

import torch

import interplay as ip
from interplay.estimators.complementary import walsh
from interplay.estimators.complementary.solvers import solve_factored

CURRENT = walsh.learn_pair_variances


def game_units_em(a, y, w, steps, tol=walsh.RELEVANCE_TOL, progress=False):
    """walsh.learn_pair_variances with the old update τ ← μ² + σ²."""
    n = a.shape[1]
    prior = walsh.Prior(w, torch.full((math.comb(n, 2),), float(w[2]) / math.comb(n, 2), dtype=torch.float64))
    others = walsh.distance_covariance(a, a, prior.distance_table())
    k = prior.gram(a)
    best = (math.inf, None)
    for step in range(steps + 1):
        tau = prior.pair_variances
        chol = walsh.factor(k)
        del k
        alpha = solve_factored(chol, y)
        err = walsh.loo_error(chol, alpha)
        if err >= best[0] * (1.0 - tol):
            break
        best = (err, tau if step else None)
        if step == steps:
            break
        fit = walsh.pair_feature_sums(a, prior.pairs, alpha)
        new, k = torch.empty_like(tau), others.clone()
        for at, pairs in prior.pair_blocks():
            phi = walsh.pair_features(a, pairs)
            spread = torch.linalg.solve_triangular(chol, phi, upper=False).square().sum(0)
            new[at] = (tau[at] * fit[at]).square() + (tau[at] - tau[at].square() * spread).clamp_min(0.0)
            walsh.add_lower(k, phi, new[at])
        prior = walsh.Prior(w, new)
    return best[1]


def sparse_game(n: int, seed: int) -> tuple[ip.Game, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    w1 = torch.randn(n, generator=g, dtype=torch.float64)
    p = torch.randint(0, n, (n // 2, 2), generator=g)
    p = p[p[:, 0] != p[:, 1]]
    w2 = 3 * torch.randn(len(p), generator=g, dtype=torch.float64)
    sii = torch.zeros(n, n, dtype=torch.float64)
    for (i, j), c in zip(p.tolist(), w2.tolist()):
        sii[i, j] += c
        sii[j, i] += c
    return ip.Game(lambda s: s.double() @ w1 + (s[:, p[:, 0]] & s[:, p[:, 1]]).double() @ w2, n), sii


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--games", default="sparse32,digits64")
    args = ap.parse_args()
    torch.set_num_threads(1)
    cases = []  # (label, game, truth, truth variance, budgets)
    if "sparse32" in args.games:
        g, sii = sparse_game(32, 1)
        for c in (1.0, 100.0):
            scaled = ip.Game(lambda s, g=g, c=c: c * g(s), 32)
            cases.append((f"sparse32 x{c:g}", scaled, c * sii, 0.0, (512, 1024)))
    if "digits64" in args.games:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import estimators as bench  # the benchmark's 64-cell CNN and its unbiased truth

        g = list(bench.digits64().values())[0]
        sii, var = bench.truth(g, 1600000, 50, keys=("SII",))["SII"]
        cases.append(("digits64", g, sii, float(var[~torch.eye(64, dtype=torch.bool)].mean()), (512, 2048, 8192)))
    print(f"{'game':<14} {'budget':>6} {'MSE, old rule':>14} {'MSE, current':>13} {'ratio':>6}")
    for label, game, truth, var, budgets in cases:
        off = ~torch.eye(game.n_players, dtype=torch.bool)
        for budget in budgets:
            mse = {}
            for name, em in (("game", game_units_em), ("prior", CURRENT)):
                walsh.learn_pair_variances = em
                errs = [float(((ip.shapley_interaction_matrix(game, budget=budget, seed=s, progress=False).values
                                - truth)[off] ** 2).mean()) - var for s in range(args.seeds)]
                mse[name] = statistics.mean(errs)
            walsh.learn_pair_variances = CURRENT
            print(f"{label:<14} {budget:>6} {mse['game']:>14.3e} {mse['prior']:>13.3e} {mse['prior'] / mse['game']:>6.2f}",
                  flush=True)


if __name__ == "__main__":
    main()
