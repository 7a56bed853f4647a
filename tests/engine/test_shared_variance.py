"""Variance-reduced shared pair contexts (antithetic complements, stratified sizes) stay unbiased
and report correct standard errors (fixed seeds, principled bounds).

Over M independent seeds on the table of a small trained CNN's game (8 players):
- unbiasedness: the mean of the M estimates lies within 4 standard errors (the spread over seeds
  / sqrt(M)) of the exact values;
- stderr: with D_s = (estimate_s - exact)² - stderr_s², E[D_s] = 0 exactly when the estimator is
  unbiased and stderr² is an unbiased estimate of its variance (i.i.d. samples: s²/K; stratified:
  var(replicate means)/R); the mean of D over seeds lies within 4 of its standard errors of 0.
"""
import functools
import itertools

import pytest
import torch

import interplay as ip
from engine_models import PAIRS, digits_table_game as table_game

M = 300  # seeds per variant



ROWS = 1 + int(torch.unique(PAIRS).numel()) + len(PAIRS)  # rows of one shared context

# (index, estimator keywords, samples): the budget is samples × the rows of a sample (the default
# automatic border treats it as its budget)
VARIANTS = {
    "iid": ("SII", dict(antithetic=False), 6),
    "antithetic": ("SII", dict(antithetic=True), 3),
    "systematic": ("SII", dict(antithetic=False, systematic=True, replicates=3), 7),
    "systematic+antithetic": ("SII", dict(antithetic=True, systematic=True, replicates=2), 4),
    "banzhaf antithetic": ("BII", dict(antithetic=True), 3),
}


def index(variant):
    return VARIANTS[variant][0]


@functools.lru_cache(maxsize=None)
def runs(variant):
    game = table_game()
    idx, kw, samples = VARIANTS[variant]
    budget = samples * ROWS * (2 if kw["antithetic"] else 1)
    est, se = [], []
    for s in range(M):
        r = ip.pair_interactions(game, PAIRS, idx, method="shared_pairs", seed=1000 + s, progress=False,
                                 budget=budget, **kw)
        est.append(r.values)
        se.append(r.stderr)
    assert r.evaluations <= budget
    return torch.stack(est), torch.stack(se), r


def exact(idx):
    f = ip.shapley_interaction_matrix if idx == "SII" else ip.banzhaf_interaction_matrix
    return f(table_game()).values[PAIRS[:, 0], PAIRS[:, 1]]


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_unbiased_over_seeds(variant):
    est, _, _ = runs(variant)
    want = exact(index(variant))
    mean, sem = est.mean(0), est.std(0) / M ** 0.5
    assert bool((sem > 0).all())
    assert bool(((mean - want).abs() <= 4 * sem).all()), ((mean - want) / sem)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_reported_stderr_matches_the_spread(variant):
    est, se, _ = runs(variant)
    err2 = (est - exact(index(variant))) ** 2

    def z(d):  # D_s i.i.d. over seeds with mean 0 if the stderr is right
        return d.mean(0) / (d.std(0) / M ** 0.5)

    assert bool((z(err2 - se ** 2).abs() <= 4).all()), z(err2 - se ** 2)
    pooled = z((err2 - se ** 2).mean(1))
    assert abs(float(pooled)) <= 4, pooled
    # the test has power: a stderr off by a factor 2 either way fails it
    assert float(z((err2 - se ** 2 / 4).mean(1))) > 4 and float(z((err2 - 4 * se ** 2).mean(1))) < -4


def test_antithetic_variance_is_lower_on_the_model():
    want = exact("SII")
    iid, anti = runs("iid")[0], runs("antithetic")[0]  # equal evaluations: 6 contexts vs 3 pairs
    assert runs("iid")[2].evaluations == runs("antithetic")[2].evaluations
    assert float(((anti - want) ** 2).mean()) < float(((iid - want) ** 2).mean())


def test_antithetic_is_exact_for_terms_up_to_order_three():
    # v(S) = sum over |A| <= 3 of a_A [A ⊆ S]: Δf(S) + Δf(N∖{i,j}∖S) is constant, so the
    # antithetic shared estimate is exact with a zero stderr, whatever the seed and budget
    n = 7
    g = torch.Generator().manual_seed(3)
    coef = {A: float(torch.randn(1, generator=g)) for k in range(4) for A in itertools.combinations(range(n), k)}
    table = torch.zeros(1 << n, dtype=torch.float64)
    for mask in range(1 << n):
        table[mask] = sum(a for A, a in coef.items() if all(mask >> p & 1 for p in A))
    game = ip.TableGame(table)
    pairs = torch.tensor([[0, 1], [2, 5], [3, 6]])
    want = ip.shapley_interaction_matrix(game).values[pairs[:, 0], pairs[:, 1]]
    rows = 1 + 6 + 3
    r = ip.pair_interactions(game, pairs, method="shared_pairs", budget=3 * 2 * rows, seed=5)
    torch.testing.assert_close(r.values, want, rtol=0, atol=1e-12)
    assert float(r.stderr.max()) < 1e-12
    plain = ip.pair_interactions(game, pairs, method="shared_pairs", antithetic=False, budget=3 * rows, seed=5)
    assert float(plain.stderr.max()) > 1e-3  # without the complement the order-3 terms are noise


def test_costs_and_arguments():
    game = table_game()
    m = int(torch.unique(PAIRS).numel())
    rows = 1 + m + len(PAIRS)
    r = ip.pair_interactions(game, PAIRS, method="shared_pairs", budget=5 * 2 * rows + 2 * rows - 1, seed=0, border=0)
    assert r.evaluations == 5 * 2 * rows and r.estimator.plan(8, PAIRS).antithetic is True
    r = ip.pair_interactions(game, PAIRS, method="shared_pairs", antithetic=False, budget=5 * rows, seed=0, border=0)
    assert r.evaluations == 5 * rows and r.estimator.plan(8, PAIRS).antithetic is False
    # rates not symmetric about 1/2: the complement has another law, so antithetic is off by default
    r = ip.pair_interactions(game, PAIRS, "RII", rate=(0.2, 0.4), method="shared_pairs", budget=5 * rows, seed=0)
    assert r.estimator.plan(8, PAIRS, "RII", (0.2, 0.4)).antithetic is False and r.evaluations == 5 * rows
    with pytest.raises(ValueError, match="symmetric about 1/2"):
        ip.pair_interactions(game, PAIRS, "RII", rate=(0.2, 0.4), method="shared_pairs", antithetic=True)
    with pytest.raises(ValueError, match="replicates >= 2"):
        ip.pair_interactions(game, PAIRS, method="shared_pairs", systematic=True, replicates=1)
    # 8 replicates need 8 samples (of 2 * rows each)
    with pytest.raises(ValueError, match=f"minimum budget is {8 * 2 * rows}"):
        ip.pair_interactions(game, PAIRS, method="shared_pairs", systematic=True, budget=4 * 2 * rows, border=0)
    with pytest.raises(ValueError, match=f"minimum budget is {8 * 2 * rows}"):
        ip.pair_interactions(game, PAIRS, method="shared_pairs", systematic=True, budget=4 * 2 * rows)
    assert ip.pair_interactions(game, PAIRS, method="shared_pairs", systematic=True, budget=8 * 2 * rows,
                                border=0).evaluations == 8 * 2 * rows
    with pytest.raises(TypeError, match="'pair_sampling' does not take 'antithetic'"):
        ip.pair_interactions(game, PAIRS, method="pair_sampling", antithetic=True)
    # the stratified sizes: each replicate's golden-ratio points spread evenly over 0..n (discrepancy
    # O(log N / N)): in 90 points per replicate every size appears 10 ± 2 times (i.i.d. sizes would
    # have a binomial spread of ±2.8 per size)
    from interplay.engine import Design
    from interplay._internal.ops import ops
    d = Design("shared_pairs", 8, systematic=True, replicates=2, pairs=PAIRS)
    masks = ops.design_plan(**d.args(9), sample0=0, count=180)[0]
    rows_per = 1 + m + len(PAIRS)
    sizes = torch.tensor([bin(int(masks[k * rows_per, 0])).count("1") for k in range(180)])
    for rep in (sizes[0::2], sizes[1::2]):
        counts = torch.bincount(rep, minlength=9)
        assert bool(((counts >= 8) & (counts <= 12)).all()), counts
