"""The Gaussian-process estimator (posterior mean under a Gaussian prior on the Walsh coefficients):
its covariances against brute force over every Walsh term, exact for games inside the prior's span,
exact efficiency, unbiasedness and stderr calibration of the Monte Carlo-corrected estimate over
fixed seeds, convergence, the budget, seeds, keywords, the leave-one-out error."""
from __future__ import annotations

import itertools
import math

import pytest
import torch

import interplay as ip
from interplay.estimators.complementary import design, index_sums, walsh
from interplay.estimators.complementary.gaussian_process import _distinct
from estimator_checks import (assert_budget_honoured, assert_unbiased_and_calibrated, estimate, exact, k_additive,
                              random_game, table)

INDICES = ("SV", "BV", "SII", "BII")


def parity_game(n: int, u: tuple[int, ...]) -> ip.TableGame:
    """χ_U(S) = Π_{i∈U} (+1 if i ∈ S else -1)."""
    return ip.TableGame(table(n, lambda x: (2 * x[:, list(u)] - 1).prod(1) if u else torch.ones(len(x),
                                                                                          dtype=torch.float64)))


def test_krawtchouk_is_the_mean_of_the_parities():
    n = 7
    x = torch.tensor([[i < d for i in range(n)] for d in range(n + 1)])  # d players absent... present
    s = (2 * x.to(torch.float64) - 1)
    for r in range(n + 1):
        mean = torch.stack([s[:, list(u)].prod(1) for u in itertools.combinations(range(n), r)]).mean(0)
        torch.testing.assert_close(walsh.krawtchouk(n)[r], mean.flip(0), rtol=0, atol=1e-12)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 40, 65, 130])
def test_krawtchouk_is_the_sum_formula_exactly(n):
    """K_r(d) / C(n, r) = Σ_j (-1)^j C(d, j) C(n-d, r-j) / C(n, r) in exact integers, correctly rounded:
    the recursion over d (× (1 - z) / (1 + z)) and the mirror d -> n - d give the same floats."""
    want = torch.tensor([[sum((-1) ** j * math.comb(d, j) * math.comb(n - d, r - j) for j in range(r + 1))
                          / math.comb(n, r) for d in range(n + 1)] for r in range(n + 1)], dtype=torch.float64)
    assert torch.equal(walsh.krawtchouk(n), want)


@pytest.mark.parametrize("n", [1, 5, 63, 64, 65, 130])
def test_distance_covariance_is_the_table_at_the_hamming_distance(n):
    """torch.ops.interplay.walsh_kernel (a popcount per packed word) against distances counted here, on
    one and on several words (64 players: every bit of a word)."""
    g = torch.Generator().manual_seed(n)
    xa, xb = torch.rand(7, n, generator=g) < 0.5, torch.rand(5, n, generator=g) < 0.3
    kd = torch.randn(n + 1, dtype=torch.float64, generator=g)
    assert torch.equal(walsh.distance_covariance(xa, xb, kd), kd[(xa[:, None, :] != xb[None]).sum(-1)])
    assert walsh.distance_covariance(xa[:0], xb, kd).shape == (0, 5)


@pytest.mark.parametrize("n", [1, 5, 63, 64, 65, 130])
def test_distance_covariance_product_is_the_matrix_times_the_weights(n):
    """torch.ops.interplay.walsh_kernel_product: K(a, b) @ weights without K, on one and several words,
    with more and fewer than 4 sets in b (its partial sums and their tail), and no rows."""
    g = torch.Generator().manual_seed(n)
    kd = torch.randn(n + 1, dtype=torch.float64, generator=g)
    for rows, cols in ((7, 11), (3, 2), (0, 5), (4, 0)):
        xa, xb = torch.rand(rows, n, generator=g) < 0.5, torch.rand(cols, n, generator=g) < 0.3
        weights = torch.randn(cols, dtype=torch.float64, generator=g)
        got = walsh.distance_covariance_product(xa, xb, kd, weights)
        assert got.shape == (rows,)
        torch.testing.assert_close(got, walsh.distance_covariance(xa, xb, kd) @ weights, rtol=1e-13, atol=1e-13)


def test_walsh_kernel_product_refuses_bad_weights():
    ops = torch.ops.interplay
    a, b, table = torch.tensor([[0b0011]]), torch.tensor([[0b0101], [0b1000]]), torch.zeros(5, dtype=torch.float64)
    with pytest.raises(ValueError, match=r"interplay.walsh_kernel_product: weights has 3 entries, b has 2 sets"):
        ops.walsh_kernel_product(a, b, table, torch.zeros(3, dtype=torch.float64))
    with pytest.raises(ValueError, match=r"interplay.walsh_kernel_product: weights must be float64, got float32"):
        ops.walsh_kernel_product(a, b, table, torch.zeros(2))
    with pytest.raises(ValueError, match=r"interplay.walsh_kernel_product: weights must be 1-D \[B\]"):
        ops.walsh_kernel_product(a, b, table, torch.zeros(2, 1, dtype=torch.float64))
    with pytest.raises(ValueError, match=r"interplay.walsh_kernel_product: b\[1\] holds a player >= n = 3"):
        ops.walsh_kernel_product(a, b, torch.zeros(4, dtype=torch.float64), torch.zeros(2, dtype=torch.float64))


def test_walsh_kernel_refuses_sets_outside_the_table():
    ops = torch.ops.interplay
    a, b = torch.tensor([[0b0011]]), torch.tensor([[0b0101], [0b1000]])
    with pytest.raises(ValueError, match=r"interplay.walsh_kernel: b\[1\] holds a player >= n = 3"):
        ops.walsh_kernel(a, b, torch.zeros(4, dtype=torch.float64))
    same = torch.tensor([[0b1000]])  # player 3 in both: distance 0, still outside a table for n = 3
    with pytest.raises(ValueError, match=r"interplay.walsh_kernel: a\[0\] holds a player >= n = 3"):
        ops.walsh_kernel(same, same, torch.zeros(4, dtype=torch.float64))
    with pytest.raises(ValueError, match=r"1 <= W <= INT64_MAX / 64, got W = 288230376151711744"):
        ops.walsh_kernel(torch.empty(0, 2**58, dtype=torch.int64), torch.empty(0, 2**58, dtype=torch.int64),
                         torch.zeros(5, dtype=torch.float64))
    with pytest.raises(ValueError, match=r"interplay.walsh_kernel: table has 66 entries"):
        ops.walsh_kernel(a, b, torch.zeros(66, dtype=torch.float64))
    with pytest.raises(ValueError, match=r"interplay.walsh_kernel: table must be float64, got float32"):
        ops.walsh_kernel(a, b, torch.zeros(5))
    with pytest.raises(ValueError, match=r"interplay.walsh_kernel: b must be packed player sets \[B, 1\]"):
        ops.walsh_kernel(a, torch.zeros(2, 2, dtype=torch.int64), torch.zeros(5, dtype=torch.float64))


@pytest.mark.parametrize("index", INDICES)
def test_covariances_against_every_walsh_term(index):
    """Σ_U (w_|U| / C(n, |U|)) χ_U(x) χ_U(x') and Σ_U (w_|U| / C(n, |U|)) χ_U(x) I(χ_U), summed over
    all 2^n terms U with the index I(χ_U) computed exactly, equal the closed forms (every order has a
    variance here, both parities)."""
    n = 6
    g = torch.Generator().manual_seed(1)
    w = torch.rand(n + 1, generator=g, dtype=torch.float64) + 0.1
    x = torch.rand(9, n, generator=g) < 0.5
    pairs = torch.tensor([[0, 1], [2, 5], [4, 3]])
    s = 2 * x.to(torch.float64) - 1
    cov = torch.zeros(9, 9, dtype=torch.float64)
    icov = torch.zeros(9, n if index in ("SV", "BV") else 3, dtype=torch.float64)
    for r in range(n + 1):
        for u in itertools.combinations(range(n), r):
            chi = s[:, list(u)].prod(1)
            tau = float(w[r]) / math.comb(n, r)
            cov += tau * chi[:, None] * chi[None, :]
            icov += tau * chi[:, None] * exact(parity_game(n, u), index, pairs)[None, :]
    torch.testing.assert_close(walsh.Prior(w).covariance(x, x), cov, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(walsh.index_covariance(x, w, index, pairs), icov, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("index,k", [("SV", 3), ("BV", 3), ("SII", 3), ("BII", 3), ("SV", 1), ("SII", 2)])
def test_exact_for_games_inside_the_prior(index, k):
    """A prior with (numerically) no variance beyond order 3 (values: orders 1 and 3; pairs: 0 and 2):
    a k-additive game (k ≤ 3) lies inside it, and once the sampled pairs determine it the
    interpolation is the game itself, so its index is exact."""
    n = 8
    game = k_additive(n, k, seed=k)
    pairs = torch.tensor([[0, 1], [2, 5], [3, 7], [6, 4]])
    prior = (1.0, 1e-12) if index in ("SV", "BV") else (1e-12, 1e-12)
    r = estimate(game, index, ip.GaussianProcess(budget=240, seed=3, prior=prior), pairs)
    torch.testing.assert_close(r.values, exact(game, index, pairs), rtol=0, atol=1e-6)
    assert r.stderr is None and r.evaluations <= 240


@pytest.mark.parametrize("fit_rows", [4096, 30])
def test_shapley_efficiency_is_exact(fit_rows):
    game = random_game(10, seed=2)
    r = ip.shapley_values(game, method=ip.GaussianProcess(budget=300, seed=1, fit_rows=fit_rows))
    total = float(game(torch.ones(1, 10, dtype=torch.bool))[0] - game(torch.zeros(1, 10, dtype=torch.bool))[0])
    assert abs(float(r.values.sum()) - total) < 1e-9


def test_every_coalition_enumerated_is_exact():
    """The Shapley family enumerates everything at 2^n (Banzhaf's uniform draws never do)."""
    game = random_game(7, seed=4)
    pairs = torch.tensor([[0, 1], [5, 2]])
    for index in INDICES:
        m = ip.GaussianProcess(budget=128, exact_when_covered=False)  # its own enumeration, not exact's table
        assert m.plan(7, index).units == 0 or index in ("BV", "BII")
        if m.plan(7, index).units:
            continue
        r = estimate(game, index, m, pairs)
        torch.testing.assert_close(r.values, exact(game, index, pairs), rtol=0, atol=1e-12)
        assert r.evaluations == 128 and float(r.stderr.abs().max()) == 0.0


@pytest.mark.parametrize("fitted", ["border", "folds"])
@pytest.mark.parametrize("index", INDICES)
def test_corrected_estimate_unbiased_and_stderr_calibrated_over_seeds(index, fitted):
    """The posterior corrected by Monte Carlo: fitted on the border alone (8 players, 200 rows,
    ``fit_rows=20`` < the 37 border pairs) or on the border + 25 pairs in 4 folds taking turns, each
    corrected by the ~115 pairs it did not see (10 players, 300 rows). Over 300 seeds the mean is
    within 4.5 standard errors of the exact value for every entry, and the mean of
    ((estimate - exact) / stderr)² over seeds and entries is within [0.7, 1.4]."""
    n, budget, fit_rows = (8, 200, 20) if fitted == "border" else (10, 300, 11 + 25)
    if fitted == "folds":
        assert ip.GaussianProcess(budget=budget).plan(n, "SV").border_rows // 2 == 11
    game = random_game(n, seed=5)
    pairs = torch.tensor([[0, 1], [2, 5], [3, 7], [6, 4]])
    truth = exact(game, index, pairs)
    runs = [estimate(game, index, ip.GaussianProcess(budget=budget, seed=s, fit_rows=fit_rows), pairs)
            for s in range(300)]
    assert_unbiased_and_calibrated(runs, truth, spread=1e-7)


def test_converges_and_beats_the_regression():
    """The in-sample posterior mean: its error shrinks with the budget and, on a game with every order
    of interaction, stays below the regression's at the same budget and seeds."""
    game = random_game(10, seed=3)
    for index in ("SV", "SII"):
        truth = exact(game, index, torch.triu_indices(10, 10, 1).t())
        err, reg = [], []
        for budget in (100, 400, 900):
            def mse(method):
                runs = [estimate(game, index, method.replace(budget=budget, seed=s), torch.triu_indices(10, 10, 1).t())
                        for s in range(10)]
                return float(torch.stack([((r.values - truth) ** 2).mean() for r in runs]).mean())
            err.append(mse(ip.GaussianProcess()))
            reg.append(mse(ip.Regression()))
        assert err[2] < err[1] < err[0], err
        assert all(e < r for e, r in zip(err, reg)), (err, reg)


def test_leave_one_out_error_is_exact():
    g = torch.Generator().manual_seed(0)
    x = torch.rand(15, 9, generator=g) < 0.5
    w = walsh.order_variances(9, True, 0.3, 0.3)
    k = walsh.Prior(w).covariance(x, x) + 1e-3 * torch.eye(15, dtype=torch.float64)  # a real nugget: exact LOO
    y = torch.randn(15, generator=g, dtype=torch.float64)
    chol = torch.linalg.cholesky(k)
    brute = 0.0
    for i in range(15):
        keep = torch.arange(15) != i
        pred = k[i, keep] @ torch.linalg.solve(k[keep][:, keep], y[keep])
        brute += float((y[i] - pred) ** 2) / 15
    assert abs(walsh.loo_error(chol, torch.cholesky_solve(y[:, None], chol)[:, 0]) - brute) < 1e-9 * brute


def test_one_row_per_pair():
    x = torch.tensor([[0, 1, 1], [1, 0, 0], [0, 1, 0], [0, 1, 1]], dtype=torch.bool)
    y = torch.tensor([1.0, -1.0, 2.0, 1.0], dtype=torch.float64)
    a, ya = _distinct(x, y, odd=True)
    assert a.tolist() == [[False, True, True], [False, True, False]] and ya.tolist() == [1.0, 2.0]


@pytest.mark.parametrize("budget", [4, 19, 57, 300, 1000])
def test_budget_honoured_and_counted(budget):
    assert_budget_honoured(ip.GaussianProcess(budget=budget, seed=1))


def test_too_small_a_budget_names_its_minimum():
    game = random_game(10)
    with pytest.raises(ValueError, match="too small for 'gaussian_process'.*minimum budget is 4"):
        ip.shapley_values(game, method="gaussian_process", budget=3)
    assert game.evaluations == 0


def test_seeds_reproducible():
    game = random_game(10)
    a = ip.shapley_interaction_matrix(game, method="gaussian_process", budget=200, seed=7, fit_rows=40)
    b = ip.shapley_interaction_matrix(game, method="gaussian_process", budget=200, seed=7, fit_rows=40)
    c = ip.shapley_interaction_matrix(game, method="gaussian_process", budget=200, seed=8, fit_rows=40)
    assert a.stderr is not None and torch.equal(a.stderr, b.stderr)  # 40 pairs fitted, the rest correct
    assert torch.equal(a.values, b.values) and not torch.equal(a.values, c.values)


def test_strict_keywords_and_field_checks():
    game = random_game(6)
    with pytest.raises(TypeError, match="does not take 'order'"):
        ip.shapley_values(game, method="gaussian_process", order=2)
    for bad in ("x", (1.0,), (0.0, 1.0), (1.0, float("nan")), (True, 1.0)):
        with pytest.raises(ValueError, match="prior must be"):
            ip.GaussianProcess(prior=bad)
    with pytest.raises(ValueError, match="sizes must be"):
        ip.GaussianProcess(sizes="big")
    with pytest.raises((TypeError, ValueError), match="fit_rows"):
        ip.GaussianProcess(fit_rows=1)
    for field in ("select_rows", "relevance_rows"):
        for bad in (1, "many", 2.5):
            with pytest.raises((TypeError, ValueError), match=field):
                ip.GaussianProcess(**{field: bad})
        assert getattr(ip.GaussianProcess(**{field: 300}), field) == 300
    with pytest.raises(ValueError, match="index 'SII' or 'BII'"):
        ip.GaussianProcess(exact_when_covered=False).pair_interactions(game, torch.tensor([[0, 1]]), "STII")
    # the default budget covers all 2^6 coalitions: exact's check refuses it (naming the two it computes)
    with pytest.raises(ValueError, match="'SII' or 'BII', got 'STII'"):
        ip.GaussianProcess().pair_interactions(game, torch.tensor([[0, 1]]), "STII")
    with pytest.raises(TypeError, match="exact_when_covered must be a bool"):
        ip.GaussianProcess(exact_when_covered=1)


def test_more_than_64_players():
    """Packed masks of two words: an additive game of 70 players under a prior of order 1 only."""
    w = torch.randn(70, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    game = ip.Game(lambda x: x.to(torch.float64) @ w + 1.0, 70)
    r = ip.shapley_values(game, method=ip.GaussianProcess(budget=500, prior=(1e-12, 1e-12)))
    torch.testing.assert_close(r.values, w, rtol=0, atol=1e-6)
    assert r.evaluations == game.evaluations <= 500


@pytest.mark.parametrize("block", [1024, 4])
def test_relevance_prior_covariances_against_every_walsh_term(block, monkeypatch):
    """With a variance per pair (order 2 term by term) the closed forms still equal the sums over all
    2^n Walsh terms (SII and BII see the pairs' own variances); pair features in one block of 15
    pairs or in blocks of 4."""
    monkeypatch.setattr(walsh, "PAIR_BLOCK", block)
    n = 6
    g = torch.Generator().manual_seed(2)
    w = torch.rand(n + 1, generator=g, dtype=torch.float64) + 0.1
    all_pairs = torch.triu_indices(n, n, 1).t()
    tau = torch.rand(len(all_pairs), generator=g, dtype=torch.float64)
    prior = walsh.Prior(w, tau)
    assert torch.equal(prior.pairs, all_pairs)
    x = torch.rand(9, n, generator=g) < 0.5
    pairs = torch.tensor([[0, 1], [5, 2], [4, 3]])
    s = 2 * x.to(torch.float64) - 1
    for index in ("SII", "BII"):
        cov = torch.zeros(9, 9, dtype=torch.float64)
        icov = torch.zeros(9, 3, dtype=torch.float64)
        for r in range(n + 1):
            for u in itertools.combinations(range(n), r):
                chi = s[:, list(u)].prod(1)
                tau_u = float(tau[all_pairs.tolist().index(list(u))]) if r == 2 else float(w[r]) / math.comb(n, r)
                cov += tau_u * chi[:, None] * chi[None, :]
                icov += tau_u * chi[:, None] * exact(parity_game(n, u), index, pairs)[None, :]
        torch.testing.assert_close(prior.covariance(x, x), cov, rtol=1e-12, atol=1e-12)
        torch.testing.assert_close(prior.index_covariance(x, index, pairs), icov, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("index", INDICES)
def test_sums_over_rows_equal_the_matrices(index, monkeypatch):
    """The index sums Σ_S w(S) β(S) (and with w²), the posterior mean's index c(x)ᵀα and the
    posterior mean at other rows, formed without a [rows, pairs] matrix (pair_sums: one product per
    block of rows, blocks of 7 here), equal the matrices' products: pairs in any order (i > j), a
    subset of the players, all pairs, with and without per-pair variances."""

    monkeypatch.setattr(index_sums, "SUM_ROWS", 7)
    n = 9
    g = torch.Generator().manual_seed(5)
    x = torch.rand(40, n, generator=g) < 0.5
    beta = torch.randn(40, generator=g, dtype=torch.float64)
    w = torch.rand(n + 1, generator=g, dtype=torch.float64) + 0.1
    tau = torch.rand(math.comb(n, 2), generator=g, dtype=torch.float64)
    for pairs in (torch.tensor([[0, 1], [5, 2], [8, 3]]), torch.triu_indices(n, n, 1).t()):
        weights = index_sums.index_weights(x, index, pairs)
        torch.testing.assert_close(index_sums.index_sums(x, index, pairs, beta), weights.t() @ beta, rtol=1e-12, atol=1e-14)
        torch.testing.assert_close(index_sums.index_sums(x, index, pairs, beta, squared=True),
                                   weights.square().t() @ beta, rtol=1e-12, atol=1e-16)
        for prior in (walsh.Prior(w), walsh.Prior(w, tau)):
            torch.testing.assert_close(prior.index_mean(x, beta, index, pairs),
                                       prior.index_covariance(x, index, pairs).t() @ beta, rtol=1e-12, atol=1e-14)
    at = torch.rand(11, n, generator=g) < 0.5  # the posterior mean at other rows, without pair features
    for prior in (walsh.Prior(w), walsh.Prior(w, tau)):
        torch.testing.assert_close(walsh.Posterior(prior, x, beta).at(at), prior.covariance(at, x) @ beta,
                                   rtol=1e-12, atol=1e-13)


def test_relevance_rows_by_default_bound_the_work_of_a_step():
    """relevance_rows=None: every pair fitted where relevance is learned (C(n, 2) >= the pairs) up to
    64 players; beyond, m² C(n, 2) <= RELEVANCE_WORK (an EM step's cost), the largest such m."""
    from interplay.estimators.complementary.gaussian_process import RELEVANCE_ROWS, RELEVANCE_WORK, relevance_rows

    for n in range(2, 65):
        assert relevance_rows(n) >= min(math.comb(n, 2), RELEVANCE_ROWS)
    for n in (65, 128, 256, 1000):
        m, p = relevance_rows(n), math.comb(n, 2)
        assert m * m * p <= RELEVANCE_WORK < (m + 1) * (m + 1) * p
    assert relevance_rows(128) == 1028 and relevance_rows(256) == 513


@pytest.mark.parametrize("rows", [3, 512])
def test_gram_is_the_covariance_where_the_factor_reads_it(rows, monkeypatch):
    """Prior.gram(x) with per-pair variances (pair terms on the lower block triangle, GRAM_ROWS rows and
    PAIR_BLOCK pairs a block): covariance(x, x) on and below the diagonal, and the same factor."""
    monkeypatch.setattr(walsh, "GRAM_ROWS", rows)
    monkeypatch.setattr(walsh, "PAIR_BLOCK", 7)
    n, g = 9, torch.Generator().manual_seed(5)
    x = torch.rand(20, n, generator=g) < 0.5
    prior = walsh.Prior(walsh.order_variances(n, False, 0.1, 0.3),
                         torch.rand(math.comb(n, 2), generator=g, dtype=torch.float64))
    full, gram = prior.covariance(x, x), prior.gram(x)
    torch.testing.assert_close(gram.tril(), full.tril(), rtol=1e-12, atol=1e-12)
    if rows < len(x):  # the pair terms are not formed above the diagonal blocks
        assert not torch.allclose(gram, full)
    torch.testing.assert_close(walsh.factor(gram), walsh.factor(full), rtol=1e-7, atol=1e-10)


def test_relevance_finds_the_few_interacting_pairs():
    """A game whose pair interactions sit on 3 of 66 pairs (plus an additive part and a little of
    every order), 130 evaluations (64 pairs fitted, fewer than the 66 pair terms: relevance on): the
    per-pair variances learned by EM concentrate there, and the SII error falls far below the even
    spread's (relevance_steps=0) at the same seeds."""
    n = 12
    g = torch.Generator().manual_seed(0)
    a = torch.randn(n, generator=g, dtype=torch.float64)
    game = ip.TableGame(table(n, lambda x: x @ a + 2.0 * x[:, 0] * x[:, 1] - 1.5 * x[:, 4] * x[:, 9]
                              + 1.0 * x[:, 7] * x[:, 11] + 0.05 * torch.sin(3 * x @ a)))
    truth = ip.shapley_interaction_matrix(game).values
    err = {}
    for steps in (0, 10):
        runs = [ip.shapley_interaction_matrix(game, method=ip.GaussianProcess(budget=130, seed=s, relevance_steps=steps))
                for s in range(5)]
        err[steps] = float(torch.stack([((r.values - truth) ** 2).mean() for r in runs]).mean())
    assert err[10] < 0.2 * err[0], err
    lw = design.law(design.SHAPLEY, n, "uniform")
    sample = design.sample_pairs(game, lw, design.plan(lw, 130, 1), torch.Generator().manual_seed(0), False)
    rows, y = _distinct(sample.x, sample.part(odd=False), False)
    tau = walsh.learn_pair_variances(rows, y, walsh.order_variances(n, False, 0.03, 0.1), 10)
    top = torch.triu_indices(n, n, 1).t()[tau.topk(3).indices].tolist()
    assert sorted(top) == [[0, 1], [4, 9], [7, 11]]
    with pytest.MonkeyPatch.context() as mp:  # the EM with pair features in blocks of 5: the same
        mp.setattr(walsh, "PAIR_BLOCK", 5)
        blocked = walsh.learn_pair_variances(rows, y, walsh.order_variances(n, False, 0.03, 0.1), 10)
    torch.testing.assert_close(blocked, tau, rtol=1e-9, atol=0)


def test_defaults_pick_the_gaussian_process():
    from interplay.methods import resolve

    for q in ("shapley_values", "banzhaf_values", "pair_interactions", "interaction_matrix"):
        assert type(resolve(q, None, {"budget": 1000, "seed": 1}, 12)) is ip.GaussianProcess
        assert type(resolve(q, None, {"budget": 4096}, 12)).__name__ == "Exact"


def test_progress_over_the_fits(capsys):
    """progress=True: a bar over the cross-fitted fits (and over the evaluations); False: silent.
    The estimate is the same either way."""
    game = random_game(10, seed=3)
    values = {}
    for progress in (True, False):
        m = ip.GaussianProcess(budget=400, seed=2, fit_rows=60, progress=progress)
        values[progress] = ip.shapley_values(game, method=m).values
        err = capsys.readouterr().err
        assert ("fitting:" in err) is progress and ("0/4 " in err) is progress  # 4 folds
    torch.testing.assert_close(values[True], values[False], rtol=0, atol=0)


def test_memory_of_the_pair_terms_refused_before_evaluating():
    """Where per-pair variances are learned (128 players: 8128 pair terms over 4096 fitted pairs) the
    fit's pair-feature blocks count in the memory check (~0.39 GiB here, ~0.25 GiB for values): a
    300 MiB budget refuses the pairs before any evaluation and names the fix; no relevance fits."""
    game = ip.Game(lambda x: x.to(torch.float64).sum(1), 128)
    previous = ip.set_max_memory("300M")
    try:
        with pytest.raises(MemoryError, match=r"the Gaussian process on \d+ pairs need .*lower fit_rows"):
            ip.shapley_interaction_matrix(game, method=ip.GaussianProcess(budget=8192))
        assert game.evaluations == 0
        m = ip.GaussianProcess(budget=8192, relevance_steps=0, prior=(0.1, 0.1))
        assert ip.shapley_interaction_matrix(game, pairs=[[0, 1]], method=m).evaluations == 8192
    finally:
        ip.set_max_memory(previous)
