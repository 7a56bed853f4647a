"""Border strata of the shared pair design (the "border trick" of shapiq's kernel approximators):
the context sizes |T| < b and |T| > n - b are enumerated exactly, the middle band is sampled.

- the enumeration (ip_combinations) lists every t-subset once, in lexicographic order, in chunks;
- a border covering every size gives the exact Shapley interaction index with a zero stderr;
- a partial border stays unbiased and its stderr (from the band alone) matches the spread over
  seeds (fixed seeds; within 4 standard errors, with the power check of test_shared_variance.py);
- the automatic border fits the budget; bad arguments raise.
"""
import functools
import itertools
import math

import pytest
import torch

import interplay as ip
from interplay._internal.ops import ops
from interplay.engine import Design, unpack
from interplay.estimators import border_cost
from engine_models import PAIRS, digits_table_game as table_game

M = 300  # seeds per variant
LIKE = torch.zeros(0)
# the budgets below often cover all 2^n coalitions: the border and band paths themselves, not exact's shortcut
OWN = dict(exact_when_covered=False)




def exact_pairs(game, pairs=PAIRS):
    return ip.shapley_interaction_matrix(game).values[pairs[:, 0], pairs[:, 1]]


def subsets(masks, n):
    return [tuple(torch.nonzero(r).flatten().tolist()) for r in unpack(masks, n)]


@pytest.mark.parametrize("n,t,chunk", [(6, 3, 20), (6, 0, 1), (6, 6, 1), (9, 4, 7), (70, 2, 11), (130, 1, 64)])
def test_combinations_are_lexicographic_and_chunkable(n, t, chunk):
    total = math.comb(n, t)
    masks = torch.cat([ops.combinations(LIKE, n, t, r0, min(chunk, total - r0)) for r0 in range(0, total, chunk)])
    assert masks.shape == (total, (n + 63) // 64)
    assert subsets(masks, n) == list(itertools.combinations(range(n), t))
    if n % 64:  # bits >= n stay clear
        assert bool((masks[:, -1] >> (n % 64) == 0).all())


def test_combinations_arguments():
    with pytest.raises(ValueError, match="count = 6: ranks 5 .. 10 are outside"):
        ops.combinations(LIKE, 5, 2, 5, 6)
    with pytest.raises(ValueError, match="t = 6 is out of range: need 0 <= t <= n"):
        ops.combinations(LIKE, 5, 6, 0, 1)
    with pytest.raises(ValueError, match="too large"):
        ops.combinations(LIKE, 200, 100, 0, 1)  # C(200, 100) does not fit in int64


def random_table(n, seed):
    return ip.TableGame(torch.randn(1 << n, generator=torch.Generator().manual_seed(seed), dtype=torch.float64))


PER7 = 2 * (1 + 7 + 21)  # rows of an antithetic shared sample, all 21 pairs of 7 players


@pytest.mark.parametrize("kw", [dict(border=4), dict(border=9, antithetic=False), dict(border=4, systematic=True),
                                dict(budget=40 * PER7)])  # 40 samples' budget: the automatic border affords every size
def test_a_border_covering_every_size_is_exact(kw):
    game = random_table(7, 1)
    want = ip.shapley_interaction_matrix(game).values
    kw = {"budget": 10 * PER7, **kw}
    r = ip.shapley_interaction_matrix(game, method="shared_pairs", seed=3, **OWN, **kw)
    torch.testing.assert_close(r.values, want, rtol=0, atol=1e-9)
    assert float(r.stderr.abs().max()) == 0.0
    assert r.evaluations == 1 << 7  # every coalition once
    plan = r.estimator.plan(7, torch.triu_indices(7, 7, 1).t())
    assert plan.border == 4 and plan.samples == 0 and plan.rows == plan.border_rows == 1 << 7


def test_a_full_border_needs_its_budget():
    game = random_table(7, 1)
    with pytest.raises(ValueError, match="minimum budget is 128"):
        ip.shapley_interaction_matrix(game, method="shared_pairs", border=4, budget=127)
    assert game.evaluations == 0  # refused before evaluating


def test_exact_on_the_model_table_with_listed_pairs():
    game = table_game()
    r = ip.pair_interactions(game, PAIRS, method="shared_pairs", border=5, budget=256, seed=0, **OWN)
    torch.testing.assert_close(r.values, exact_pairs(game), rtol=0, atol=1e-9)
    assert float(r.stderr.max()) == 0.0 and r.estimator.plan(8, PAIRS).border == 5 and r.evaluations == 256


ROWS = 1 + int(torch.unique(PAIRS).numel()) + len(PAIRS)  # rows of one shared context

# (estimator keywords, band samples): the budget buys the exact strata and exactly that many band samples
VARIANTS = {
    "border 1": (dict(border=1, antithetic=False), 4),
    "border 2 antithetic": (dict(border=2, antithetic=True), 3),
    "border 2 antithetic systematic": (dict(border=2, antithetic=True, systematic=True, replicates=2), 4),
}


def variant_budget(name):
    kw, samples = VARIANTS[name]
    per_sample = ROWS * (2 if kw["antithetic"] else 1)
    return dict(kw, budget=border_cost(8, kw["border"]) + samples * per_sample), samples, per_sample


@functools.lru_cache(maxsize=None)
def runs(name):
    game = table_game()
    est, se = [], []
    for s in range(M):
        r = ip.pair_interactions(game, PAIRS, method="shared_pairs", seed=2000 + s, progress=False, **OWN,
                                 **variant_budget(name)[0])
        est.append(r.values)
        se.append(r.stderr)
    return torch.stack(est), torch.stack(se), r


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_partial_border_is_unbiased(variant):
    est, _, r = runs(variant)
    _, samples, per_sample = variant_budget(variant)
    b, n = VARIANTS[variant][0]["border"], 8
    plan = r.estimator.plan(n, PAIRS)
    assert plan.border == b and plan.border_rows == border_cost(n, b) and plan.samples == samples
    assert r.evaluations == border_cost(n, b) + samples * per_sample == r.estimator.budget
    mean, sem = est.mean(0), est.std(0) / M ** 0.5
    assert bool((sem > 0).all())
    want = exact_pairs(table_game())
    assert bool(((mean - want).abs() <= 4 * sem).all()), ((mean - want) / sem)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_partial_border_stderr_matches_the_spread(variant):
    est, se, _ = runs(variant)
    err2 = (est - exact_pairs(table_game())) ** 2

    def z(d):  # D_s = err² - stderr² has mean 0 over seeds when the stderr is right
        return d.mean(0) / (d.std(0) / M ** 0.5)

    assert bool((z(err2 - se ** 2).abs() <= 4).all()), z(err2 - se ** 2)
    assert abs(float(z((err2 - se ** 2).mean(1)))) <= 4
    assert float(z((err2 - se ** 2 / 4).mean(1))) > 4 and float(z((err2 - 4 * se ** 2).mean(1))) < -4


def test_band_sizes_stay_in_the_band():
    d = Design("shared_pairs", 8, antithetic=True, pairs=PAIRS, size_lo=[2], size_hi=[6])
    masks = ops.design_plan(**d.args(4), sample0=0, count=200)[0]
    rows_per = 2 * ROWS
    sizes = torch.tensor([bin(int(masks[k * rows_per, 0])).count("1") for k in range(200)])
    assert set(sizes.tolist()) == {2, 3, 4, 5, 6}
    with pytest.raises(ValueError, match="lo \\+ hi = n"):  # the band must be closed under complements
        ops.design_plan(**Design("shared_pairs", 8, pairs=PAIRS, size_lo=[2], size_hi=[5]).args(4), sample0=0, count=1)


def test_automatic_border_fits_the_budget():
    game = random_table(12, 2)
    pairs = torch.triu_indices(12, 12, 1).t()
    per_sample = 2 * (1 + 12 + len(pairs))
    for samples in (3, 8, 30):
        budget = samples * per_sample
        before = game.evaluations
        r = ip.pair_interactions(game, pairs, method="shared_pairs", budget=budget, seed=1, border="auto", **OWN)
        plan = r.estimator.plan(12, pairs)
        b = plan.border
        assert b > 0 and border_cost(12, b) <= budget / 2 < border_cost(12, b + 1)
        assert plan.border_rows == border_cost(12, b) and plan.samples == (budget - border_cost(12, b)) // per_sample
        assert r.evaluations == plan.rows == game.evaluations - before and r.evaluations <= budget
    off = ip.pair_interactions(game, pairs, method="shared_pairs", budget=8 * per_sample + per_sample - 1, seed=1,
                               border=0)
    assert off.estimator.plan(12, pairs).border == 0 and off.evaluations == 8 * per_sample


def test_arguments():
    game = table_game()
    for bad in (-1, "all", True, 1.5):
        with pytest.raises(ValueError, match="border must be"):
            ip.pair_interactions(game, PAIRS, method="shared_pairs", border=bad)
        with pytest.raises(ValueError, match="border must be"):
            ip.SharedPairs(border=bad)
    with pytest.raises(ValueError, match="index='SII'"):
        ip.pair_interactions(game, PAIRS, "BII", method="shared_pairs", border=2, **OWN)
    # the default budget (4096) covers all 2^8 coalitions: exact BII, the border unused
    covered = ip.pair_interactions(game, PAIRS, "BII", method="shared_pairs", border=2)
    torch.testing.assert_close(covered.values, ip.pair_interactions(game, PAIRS, "BII").values, rtol=0, atol=0)
    assert torch.equal(covered.stderr, torch.zeros(len(PAIRS), dtype=torch.float64))
    with pytest.raises(TypeError, match="'pair_sampling' does not take 'border'; it takes: budget, seed, progress, "
                                        "exact_when_covered$"):
        ip.pair_interactions(game, PAIRS, method="pair_sampling", border=2)
    for bad in (0, 1.5, "half", True):
        with pytest.raises(ValueError, match="border_fraction"):
            ip.pair_interactions(game, PAIRS, method="shared_pairs", border_fraction=bad)
    # a border that leaves too little for 2 band samples names the budget that does
    need = border_cost(8, 2) + 2 * 2 * ROWS
    with pytest.raises(ValueError, match=f"minimum budget is {need}"):
        ip.pair_interactions(game, PAIRS, method="shared_pairs", border=2, budget=need - 1)
    assert ip.pair_interactions(game, PAIRS, method="shared_pairs", border=2, budget=need).evaluations == need
    # Banzhaf / rate contexts have no uniform sizes: the automatic border stays off there
    r = ip.pair_interactions(game, PAIRS, "BII", method="shared_pairs", budget=50 * 2 * ROWS, **OWN)
    assert r.estimator.plan(8, PAIRS, "BII").border == 0 and r.evaluations == 50 * 2 * ROWS
