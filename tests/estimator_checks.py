"""Games and checks shared by the tests of the complementary-pair estimators (tests/estimators/:
regression, Gaussian process): tables of small games, k-additive and random games, the exact values and
an estimate of one index, unbiasedness and stderr calibration over seeds, the budget honoured and counted."""
from __future__ import annotations

import itertools
import math

import torch

import interplay as ip


def table(n: int, fn) -> torch.Tensor:
    m = torch.arange(1 << n)
    x = ((m[:, None] >> torch.arange(n)) & 1).to(torch.float64)
    return fn(x)


def k_additive(n: int, k: int, seed: int = 0, scale=(1.0, 0.5, 0.3)) -> ip.TableGame:
    g = torch.Generator().manual_seed(seed)

    def fn(x):
        v = torch.randn(1, generator=g, dtype=torch.float64) + torch.zeros(len(x), dtype=torch.float64)
        for r in range(1, k + 1):
            for t in itertools.combinations(range(n), r):
                v = v + scale[r - 1] * float(torch.randn(1, generator=g, dtype=torch.float64)) * x[:, list(t)].prod(1)
        return v

    return ip.TableGame(table(n, fn))


def random_game(n: int, seed: int = 0) -> ip.TableGame:
    """A game with interactions of every order (a smooth nonlinearity of a random linear form)."""
    g = torch.Generator().manual_seed(seed)
    w = torch.randn(n, generator=g, dtype=torch.float64)
    return ip.TableGame(table(n, lambda x: torch.tanh(x @ w / 2) + 0.3 * (x @ w.abs()) ** 0.5))


def exact(game, index, pairs=None):
    if index == "SV":
        return ip.shapley_values(game).values
    if index == "BV":
        return ip.banzhaf_values(game).values
    r = ip.pair_interactions(game, pairs, index=index)
    return r.values


def estimate(game, index, method, pairs=None):
    if index == "SV":
        return ip.shapley_values(game, method=method)
    if index == "BV":
        return ip.banzhaf_values(game, method=method)
    return ip.pair_interactions(game, pairs, index=index, method=method)


def assert_unbiased_and_calibrated(runs, truth, spread: float = 1e-6) -> None:
    """The mean over the runs (seeds) is within 4.5 standard errors of ``truth`` for every entry,
    and the mean of ((estimate - truth) / stderr)² over runs and entries is within [0.7, 1.4]."""
    est = torch.stack([r.values for r in runs])
    se = torch.stack([r.stderr for r in runs])
    assert est.std(0).min() > spread  # really sampled
    sem = est.std(0) / math.sqrt(len(runs))
    assert bool(((est.mean(0) - truth).abs() <= 4.5 * sem).all()), ((est.mean(0) - truth) / sem)
    z2 = (((est - truth) / se) ** 2).mean()
    assert 0.7 <= float(z2) <= 1.4, float(z2)


def assert_budget_honoured(method) -> None:
    """SV, SII and BV of a 10-player game: the rows counted by the game = the result's evaluations
    = the plan's rows, within the budget, every row but an odd one spent."""
    game = random_game(10)
    for index in ("SV", "SII", "BV"):
        before = game.evaluations
        r = estimate(game, index, method, torch.tensor([[0, 1]]))
        assert r.evaluations == game.evaluations - before == method.plan(10, index).rows <= method.budget
        assert r.evaluations >= method.budget - 1  # every row but an odd one is spent
