"""The regression estimator (k-additive least squares + Monte Carlo correction of the residual):
exact where the surrogate is exact, efficiency, unbiasedness and stderr calibration over fixed
seeds, the budget honoured and counted, seeds reproducible, strict keywords, the defaults."""
from __future__ import annotations

import math

import pytest
import torch

import interplay as ip
from interplay.estimators.complementary import design
from estimator_checks import (assert_budget_honoured, assert_unbiased_and_calibrated, estimate, exact, k_additive,
                              random_game)


ALL_PAIRS = torch.triu_indices(9, 9, 1).t()


# -- exact where the surrogate is exact --------------------------------------------------------------
@pytest.mark.parametrize("correction", [True, False])
@pytest.mark.parametrize("index,k,order", [("SV", 1, 1), ("BV", 1, 1), ("SV", 2, 1), ("SV", 2, 2), ("BV", 2, 2),
                                           ("SII", 2, 2), ("BII", 2, 2), ("SV", 3, 3), ("SII", 3, 3),
                                           ("BII", 3, 3)])
def test_k_additive_games_are_recovered_exactly(index, k, order, correction):
    """A game of order <= k has zero residual for an order-k surrogate (order 1 also gives the SV of a
    2-additive game: complementary pairs decouple the even orders). 9 players, 400 rows: sampled, not
    enumerated."""
    game = k_additive(9, k, seed=k)
    method = ip.Regression(budget=400, seed=1, order=order, correction=correction)
    assert method.plan(9, index).units > 0
    r = estimate(game, index, method, ALL_PAIRS)
    torch.testing.assert_close(r.values, exact(game, index, ALL_PAIRS), rtol=0, atol=1e-6)
    if correction:
        assert float(r.stderr.max()) < 1e-6


@pytest.mark.parametrize("order", [1, 2, 3])
@pytest.mark.parametrize("correction", [True, False])
def test_efficiency(order, correction):
    game = random_game(10, seed=2)
    r = ip.shapley_values(game, method=ip.Regression(budget=300, seed=4, order=order, correction=correction))
    full = game.table()
    assert abs(float(r.values.sum()) - float(full[-1] - full[0])) < 1e-9


def test_every_coalition_enumerated_is_exact():
    game = random_game(7, seed=1)
    for index in ("SV", "BV", "SII", "BII"):
        pairs = torch.triu_indices(7, 7, 1).t()
        m = ip.Regression(budget=128, order=2, exact_when_covered=False)  # its own enumeration, not exact's table
        assert m.plan(7, index).units == 0 or index in ("BV", "BII")
        if m.plan(7, index).units:  # Banzhaf never enumerates by the expected-count rule
            continue
        r = estimate(game, index, m, pairs)
        torch.testing.assert_close(r.values, exact(game, index, pairs), rtol=0, atol=1e-10)
        assert float(r.stderr.abs().max()) == 0.0 and r.evaluations == 128


def test_order_4_pairs_recover_4_additive_games():
    """Pairs see the even part only: an order-4 surrogate (C(9,2) + C(9,4) = 162 even terms) is exact
    on a 4-additive game, corrected or not."""
    game = k_additive(9, 4, seed=4, scale=(1.0, 0.5, 0.3, 0.2))
    for correction in (True, False):
        for index in ("SII", "BII"):
            # 2^9 <= 1000: exact_when_covered=False, so that the order-4 surrogate is what is checked
            r = estimate(game, index, ip.Regression(budget=1000, seed=3, order=4, correction=correction,
                                                    exact_when_covered=False), ALL_PAIRS)
            torch.testing.assert_close(r.values, exact(game, index, ALL_PAIRS), rtol=0, atol=1e-6)


def test_auto_settings():
    """order / correction "auto": by the pairs (budget // 2) per fitted coefficient (16 players: values
    order 3 from 864 pairs — 1.5 × (16 + 560) —, else 1; pairs always order 2: order 4 was never
    better, RESULTS.md "The estimators' constants"); the correction from 4 pairs per coefficient.
    Corrected runs report a stderr, in-sample ones none."""
    s = {b: ip.Regression(budget=b).settings(16, "SV") for b in (512, 1726, 1728, 8192)}
    assert s == {512: (1, True), 1726: (1, True), 1728: (3, False), 8192: (3, True)}
    p = {b: ip.Regression(budget=b).settings(16, "SII") for b in (300, 512, 2048, 5818, 5820)}
    assert p == {300: (2, False), 512: (2, False), 2048: (2, True), 5818: (2, True), 5820: (2, True)}
    assert ip.Regression(budget=300, correction=False).settings(16, "SII") == (2, False)
    assert ip.Regression(budget=512, order=2, correction=True).settings(16, "SII") == (2, True)
    game = random_game(10)
    for b, corrected in ((60, False), (200, False), (400, True), (900, True)):
        r = ip.shapley_interaction_matrix(game, method=ip.Regression(budget=b, seed=1))
        assert ip.Regression(budget=b).settings(10, "SII")[1] == corrected and (r.stderr is not None) == corrected


# -- unbiased, calibrated -----------------------------------------------------------------------------
@pytest.mark.parametrize("index", ["SV", "BV", "SII", "BII"])
def test_unbiased_and_stderr_calibrated_over_seeds(index):
    """A game with every order of interaction, an order-1/2 surrogate (so the residual is not zero):
    the mean over 300 seeds is within 4.5 standard errors of the exact value for every entry (the
    standard error of the mean from the spread over seeds), and the reported stderr matches the
    spread: the mean of ((estimate - exact) / stderr)² over seeds and entries is within [0.7, 1.4].
    (200 rows: 63 complementary pairs. The stderr leaves out the correlation of the folds through
    their fits, so with few pairs per coefficient it is too small: E z² ≈ 1.5 at 51 pairs, 2.2 at
    21 pairs for SII here.)"""
    n, seeds = 8, 300
    game = random_game(n, seed=5)
    pairs = torch.tensor([[0, 1], [2, 5], [3, 7], [6, 4]])
    truth = exact(game, index, pairs)
    order = 1 if index in ("SV", "BV") else 2
    runs = [estimate(game, index, ip.Regression(budget=200, seed=s, order=order, correction=True), pairs)
            for s in range(seeds)]
    assert_unbiased_and_calibrated(runs, truth)


def test_in_sample_regression_converges():
    """correction=False is the plain regression (KernelSHAP at order 1): biased, no stderr, but its
    error shrinks with the budget."""
    game = random_game(10, seed=3)
    truth = exact(game, "SV", None)
    err = []
    for budget in (100, 400, 900):
        runs = [ip.shapley_values(game, method=ip.Regression(budget=budget, seed=s, order=1, correction=False))
                for s in range(20)]
        assert runs[0].stderr is None
        err.append(float(torch.stack([((r.values - truth) ** 2).mean() for r in runs]).mean()))
    assert err[2] < err[1] < err[0]


# -- budget, seeds, keywords --------------------------------------------------------------------------
@pytest.mark.parametrize("budget", [18, 19, 57, 300, 1000])
def test_budget_honoured_and_counted(budget):
    assert_budget_honoured(ip.Regression(budget=budget, seed=1))


def test_too_small_a_budget_names_its_minimum():
    game = random_game(10)
    with pytest.raises(ValueError, match="too small for 'regression'.*minimum budget is 18"):
        ip.shapley_values(game, method="regression", budget=17, correction=True)
    with pytest.raises(ValueError, match="minimum budget is 4"):
        ip.shapley_values(game, method="regression", budget=3, correction=False)
    with pytest.raises(ValueError, match="minimum budget is 4"):
        ip.shapley_values(game, method="regression", budget=3)  # "auto": no correction at 1 pair
    assert game.evaluations == 0


def test_seeds_reproducible():
    game = random_game(10)
    a = ip.shapley_interaction_matrix(game, method="regression", budget=200, seed=7, correction=True)
    b = ip.shapley_interaction_matrix(game, method="regression", budget=200, seed=7, correction=True)
    c = ip.shapley_interaction_matrix(game, method="regression", budget=200, seed=8, correction=True)
    assert torch.equal(a.values, b.values) and torch.equal(a.stderr, b.stderr)
    assert not torch.equal(a.values, c.values)
    s = ip.shapley_values(game, method=ip.Regression(budget=200, seed=(1 << 64) - 1)).values
    assert torch.equal(s, ip.shapley_values(game, method=ip.Regression(budget=200, seed=(1 << 64) - 1)).values)


def test_strict_keywords_and_field_checks():
    game = random_game(6)
    with pytest.raises(TypeError, match="does not take 'folds_'.*it takes: budget, seed, progress, exact_when_covered, "
                                        "folds, sizes, order"):
        ip.shapley_values(game, method="regression", budget=40, folds_=3)
    assert ip.Regression.parameters() == ("budget", "seed", "progress", "exact_when_covered", "folds", "sizes", "order",
                                          "correction", "ridge")
    r = ip.Regression()
    assert (r.budget, r.seed, r.order, r.correction, r.folds, r.sizes, r.ridge) == (4096, 0, "auto", "auto", 4,
                                                                                     "uniform", 1e-8)
    for bad in (dict(order=5), dict(order=0), dict(order=True), dict(folds=1), dict(sizes="leverage"), dict(ridge=-1.0),
                dict(budget=0), dict(seed=-1)):
        with pytest.raises(ValueError):
            ip.Regression(**bad)
    for bad in (1, None, "yes"):
        with pytest.raises(TypeError):
            ip.Regression(correction=bad)
    with pytest.raises(ValueError, match="'SII' or 'BII'"):
        ip.pair_interactions(game, [(0, 1)], index="RII", rate=(0.2, 0.8), method="regression", budget=40)
    assert ip.Regression.computes() == ("shapley_values", "banzhaf_values", "pair_interactions",
                                        "interaction_matrix")


def test_matrix_and_pairs_agree():
    game = random_game(9)
    pairs = torch.tensor([[0, 3], [5, 2]])
    m = ip.Regression(budget=300, seed=2)
    full = ip.shapley_interaction_matrix(game, pairs=pairs, method=m)
    listed = ip.pair_interactions(game, pairs, method=m)
    torch.testing.assert_close(full.values[pairs[:, 0], pairs[:, 1]], listed.values)
    torch.testing.assert_close(full.values[pairs[:, 1], pairs[:, 0]], listed.values)
    assert full.pairs == ((0, 3), (5, 2)) and bool(torch.isnan(full.values[0, 1]))


def test_more_than_64_players():
    """Packed masks of two words: an additive game of 70 players, exact at order 1."""
    w = torch.randn(70, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    game = ip.Game(lambda x: x.to(torch.float64) @ w + 1.0, 70)
    r = ip.shapley_values(game, method=ip.Regression(budget=500, order=1))
    torch.testing.assert_close(r.values, w, rtol=0, atol=1e-6)  # the ridge (1e-8 relative) biases by ~1e-7
    assert r.evaluations == game.evaluations <= 500


def test_the_plan():
    """The border grows while its coalitions are expected to be drawn at least once: the first size
    left out would not be."""
    pl = ip.Regression(budget=4096, sizes="kernel").plan(16, "SV")
    assert pl.border[:2] == (0, 1) and pl.rows <= 4096 and pl.rows >= 4095
    assert pl.border_rows == sum(math.comb(16, s) for s in pl.border) and pl.units > 0
    lw = design.law(design.SHAPLEY, 16, "kernel")
    lo = max(s for s in pl.border if s < 8) + 1
    assert pl.band == tuple(range(lo, 17 - lo))
    assert (4096 - pl.border_rows) * float(lw.p[lo] / lw.p[lo:17 - lo].sum()) < math.comb(16, lo)


def test_leave_one_out_error_and_the_auto_order_choice():
    """The in-sample fit's score is the exact weighted leave-one-out error (brute force, no
    constraint); order "auto" in the in-sample regime (values, order 3 affordable) returns the
    order-3 or the order-1 fit, whichever has the smaller one."""
    from interplay.estimators.complementary.regression import _loo_error

    g = torch.Generator().manual_seed(0)
    f = torch.randn(30, 5, generator=g, dtype=torch.float64)
    w = torch.rand(30, generator=g, dtype=torch.float64) + 0.5
    y = torch.randn(30, generator=g, dtype=torch.float64)
    a = (f * w[:, None]).t() @ f
    beta = torch.linalg.solve(a, (f * w[:, None]).t() @ y)
    brute = 0.0
    for i in range(30):
        keep = torch.arange(30) != i
        fi, wi = f[keep], w[keep]
        bi = torch.linalg.solve((fi * wi[:, None]).t() @ fi, (fi * wi[:, None]).t() @ y[keep])
        brute += float(w[i] * (y[i] - f[i] @ bi) ** 2)
    assert abs(_loo_error([torch.linalg.cholesky(a)], f, w, y - f @ beta) - brute) < 1e-9 * brute
    game = random_game(10, seed=6)
    m = ip.Regression(budget=400, seed=2)
    assert m.settings(10, "SV") == (3, False)
    auto = ip.shapley_values(game, method=m).values
    picks = [ip.shapley_values(game, method=m.replace(order=k, correction=False)).values for k in (3, 1)]
    assert any(torch.equal(auto, p) for p in picks)
