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
from interplay._ops import ops
from interplay.engine import Design, unpack
from interplay.sampling import border_cost
from engine_models import PAIRS, digits_table_game as table_game

M = 300  # seeds per variant
LIKE = torch.zeros(0)




def exact_pairs(game, pairs=PAIRS):
    return ip.shapley_interaction_matrix(game).tensor()[pairs[:, 0], pairs[:, 1]]


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


@pytest.mark.parametrize("kw", [dict(border=4), dict(border=9, antithetic=False), dict(border=4, systematic=True),
                                dict(samples=40)])  # samples=40: the automatic border affords every size
def test_a_border_covering_every_size_is_exact(kw):
    game = random_table(7, 1)
    want = ip.shapley_interaction_matrix(game).tensor()
    kw = {"samples": 10, **kw}
    r = ip.shapley_interaction_matrix(game, method="shared", seed=3, **kw)
    torch.testing.assert_close(r.tensor(), want, rtol=0, atol=1e-9)
    assert float(r.stderr.abs().max()) == 0.0
    assert r.evaluations == 1 << 7  # every coalition once


def test_exact_on_the_model_table_with_listed_pairs():
    game = table_game()
    r = ip.pair_interactions(game, PAIRS, method="shared", border=5, samples=2, seed=0)
    torch.testing.assert_close(r.tensor(), exact_pairs(game), rtol=0, atol=1e-9)
    assert float(r.stderr.max()) == 0.0 and r.settings["border"] == 5


VARIANTS = {
    "border 1": dict(border=1, antithetic=False, samples=4),
    "border 2 antithetic": dict(border=2, antithetic=True, samples=3),
    "border 2 antithetic systematic": dict(border=2, antithetic=True, systematic=True, replicates=2, samples=4),
}


@functools.lru_cache(maxsize=None)
def runs(variant):
    game = table_game()
    est, se = [], []
    for s in range(M):
        r = ip.pair_interactions(game, PAIRS, method="shared", seed=2000 + s, progress=False, **VARIANTS[variant])
        est.append(r.tensor())
        se.append(r.stderr)
    return torch.stack(est), torch.stack(se), r


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_partial_border_is_unbiased(variant):
    est, _, r = runs(variant)
    b, n = VARIANTS[variant]["border"], 8
    assert r.settings["border"] == b and r.settings["border_evaluations"] == border_cost(n, b)
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
    rows_per = 2 * (1 + 8 + len(PAIRS))
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
        r = ip.pair_interactions(game, pairs, method="shared", samples=samples, seed=1, border="auto")
        b = r.settings["border"]
        assert border_cost(12, b) <= budget / 2 < border_cost(12, b + 1)
        assert r.settings["border_evaluations"] == border_cost(12, b) and r.evaluations <= budget
    off = ip.pair_interactions(game, pairs, method="shared", samples=8, seed=1, border=0)
    assert off.settings["border"] == 0 and off.evaluations == 8 * per_sample


def test_arguments():
    game = table_game()
    for bad in (-1, "all", True, 1.5):
        with pytest.raises(ValueError, match="border must be"):
            ip.pair_interactions(game, PAIRS, method="shared", border=bad)
    with pytest.raises(ValueError, match="kind='shapley'"):
        ip.pair_interactions(game, PAIRS, kind="banzhaf", method="shared", border=2)
    with pytest.raises(ValueError, match="method='shared' only"):
        ip.pair_interactions(game, PAIRS, method="sampling", border=2)
    for bad in (0, 1.5, "half"):
        with pytest.raises(ValueError, match="border_fraction"):
            ip.pair_interactions(game, PAIRS, method="shared", border_fraction=bad)
    # Banzhaf / rate contexts have no uniform sizes: the automatic border stays off there
    r = ip.pair_interactions(game, PAIRS, kind="banzhaf", method="shared", samples=50)
    assert r.settings["border"] == 0
