"""Sampling estimators converge to the exact values on a small real model (fixed seeds).

For each estimator: at a small budget on the model itself and a 16x larger budget on the same
model's game table (identical values, cheap lookups), the error lies within 4 standard errors, and
the standard error shrinks like 1/sqrt(samples) (ratio 4, checked within [3, 5.3])."""
import functools
from types import SimpleNamespace

import pytest
import torch

import interplay as ip
from engine_models import digits, digits_cnn
from seeded_games import table_game


@functools.lru_cache(maxsize=None)
def game_and_table():
    x, y = digits()
    game = ip.ModelGame(digits_cnn(), x[7], ip.players.grid((1, 8, 8), (2, 4)), baseline="mean",
                        reference=x[:100], batch_size=256)
    return game, game.table().clone()


def fresh():
    game, table = game_and_table()
    game.evaluations = 0
    return game, ip.TableGame(table)


N = 8  # players of the game
# most budgets here cover all 2^8 coalitions: the samplers' own designs, not the exact values they would return
OWN = dict(exact_when_covered=False)


def check_convergence(run, exact, small=200, factor=16):
    """run(k, game): the estimate with k samples on the game (the budget that buys exactly k)."""
    model_game, table_game = fresh()
    a, b = run(small, model_game), run(small * factor, table_game)
    for r in (a, b):
        se = r.stderr.reshape(-1)
        err = (r.values - exact).reshape(-1).abs()
        ok = se > 1e-9  # deterministic contexts (e.g. order 0) give a zero stderr up to rounding
        assert bool((err[~ok] < 1e-9).all()), "a zero standard error needs an exact estimate"
        assert bool((err[ok] <= 4 * se[ok]).all()), (err / se).max()
    ratio = (a.stderr / b.stderr).reshape(-1)
    ratio = ratio[(b.stderr.reshape(-1) > 1e-9) & (a.stderr.reshape(-1) > 1e-9)]
    assert bool(((ratio > 3) & (ratio < 5.3)).all()), ratio
    return a, b


def test_shapley_values_permutation():
    game, table = fresh()
    exact = ip.shapley_values(table).values
    before = game.evaluations
    # a permutation costs n - 1 rows; v(∅) and v(N) are evaluated once
    a, b = check_convergence(
        lambda k, g: ip.shapley_values(g, method="permutation", budget=k * (N - 1) + 2, seed=1, **OWN), exact)
    assert a.evaluations == 200 * (N - 1) + 2 == game.evaluations - before and a.method == "permutation"
    assert a.estimator == ip.Permutation(budget=200 * (N - 1) + 2, seed=1, **OWN) and a.index == "SV"
    assert b.evaluations == 3200 * (N - 1) + 2
    # a budget between two permutations buys the whole ones that fit
    r = ip.shapley_values(table, method="permutation", budget=200 * (N - 1) + 2 + N - 2, seed=1, **OWN)
    same = ip.shapley_values(table, method="permutation", budget=200 * (N - 1) + 2, seed=1, **OWN)
    assert r.evaluations == 200 * (N - 1) + 2 and torch.equal(r.values, same.values)
    torch.testing.assert_close(r.values, a.values, rtol=0, atol=1e-6)  # the model's own values, float32


@pytest.mark.parametrize("kind", ["shapley", "banzhaf"])
def test_pair_interaction(kind):
    game, table = fresh()
    f = getattr(ip, f"{kind}_interaction")
    exact = f(table, 1, 6).values
    a, _ = check_convergence(lambda k, g: f(g, 1, 6, method="pair_sampling", budget=4 * k, seed=2, **OWN), exact)
    assert a.evaluations == 4 * 200 and a.index == ("SII" if kind == "shapley" else "BII")
    assert a.dim() == 0 and a.players == (1, 6)


@pytest.mark.parametrize("method", ["pair_sampling", "shared_pairs"])
def test_interaction_matrix_for_neighbours(method):
    game, table = fresh()
    pairs = ip.players.neighbours((2, 4))
    exact = ip.shapley_interaction_matrix(table).values[pairs[:, 0], pairs[:, 1]]
    per_sample = 2 * (1 + 8 + len(pairs)) if method == "shared_pairs" else 4 * len(pairs)  # shared: T and N ∖ T

    def run(k, g):
        extra = {"border": 0} if method == "shared_pairs" else {}  # the plain design (border: test_border_strata.py)
        m = ip.shapley_interaction_matrix(g, method=method, pairs=pairs, budget=k * per_sample, seed=3, **OWN, **extra)
        assert torch.isnan(m.values[0, 7]) and float(m.values[0, 0]) == 0.0  # not a neighbour pair
        assert torch.isnan(m.stderr[0, 7]) and float(m.stderr[0, 0]) == 0.0
        assert m.pairs == tuple(map(tuple, pairs.tolist())) and m.shape == (8, 8)
        torch.testing.assert_close(m.values, m.values.T, equal_nan=True)
        return SimpleNamespace(values=m.values[pairs[:, 0], pairs[:, 1]], stderr=m.stderr[pairs[:, 0], pairs[:, 1]],
                               evaluations=m.evaluations)

    a, _ = check_convergence(run, exact)
    assert a.evaluations == 200 * per_sample


def test_shared_banzhaf_and_rate_contexts():
    game, table = fresh()
    pairs = torch.tensor([[0, 1], [2, 6], [3, 7]])
    exact = ip.banzhaf_interaction_matrix(table).values[pairs[:, 0], pairs[:, 1]]
    shared = 2 * (1 + 6 + 3)  # antithetic by default for Banzhaf contexts
    a, _ = check_convergence(lambda k, g: ip.pair_interactions(g, pairs, "BII", method="shared_pairs",
                                                               budget=k * shared, seed=4, **OWN), exact)
    assert a.evaluations == 200 * shared and a.index == "BII"
    check_convergence(lambda k, g: ip.pair_interactions(g, pairs, "RII", rate=(0.5, 0.5), method="pair_sampling",
                                                        budget=k * 4 * 3, seed=5), exact)
    # a keep rate uniform in [0, 1] gives P_Shapley contexts (|S| uniform, S uniform given |S|)
    exact = ip.shapley_interaction_matrix(table).values[pairs[:, 0], pairs[:, 1]]
    a, _ = check_convergence(lambda k, g: ip.pair_interactions(g, pairs, "RII", rate=(0.0, 1.0),
                                                               method="pair_sampling", budget=k * 4 * 3, seed=6), exact)
    assert a.index == "RII" and a.evaluations == 200 * 4 * 3


def test_shared_systematic_sizes_stay_unbiased():
    game, table = fresh()
    pairs = ip.players.neighbours((2, 4))
    exact = ip.shapley_interaction_matrix(table).values[pairs[:, 0], pairs[:, 1]]
    per_sample = 2 * (1 + 8 + len(pairs))
    r = ip.pair_interactions(table, pairs, method="shared_pairs", systematic=True, budget=9 * 300 * per_sample,
                             seed=7, border=0, **OWN)
    assert r.evaluations == 9 * 300 * per_sample
    assert bool(((r.values - exact).abs() <= 4 * r.stderr).all())


def test_multi_order_orders_and_ranges():
    game, table = fresh()
    exact = ip.multi_order_interaction(table, 2, 5).values  # [n - 1] = 7 orders
    a, _ = check_convergence(lambda k, g: ip.multi_order_interaction(g, 2, 5, method="pair_sampling",
                                                                     budget=k * 4 * 7, seed=8, **OWN), exact)
    assert a.evaluations == 200 * 4 * 7 and a.sizes == tuple((s, s) for s in range(7)) and a.players == (2, 5)
    one = ip.multi_order_interaction(table, 2, 5, order=3, method="pair_sampling", budget=4 * 3200, seed=9, **OWN)
    assert one.dim() == 0 and abs(float(one) - float(exact[3])) <= 4 * float(one.stderr)
    assert one.evaluations == 4 * 3200 and one.sizes == ((3, 3),)
    # |S| uniform in [0.25 n, 0.5 n] = {2, 3, 4}: the mean of those orders (dropout paper Fig. 2)
    want = torch.stack([exact[2:5].mean(), exact[4:7].mean()])
    r, _ = check_convergence(lambda k, g: ip.multi_order_interaction(g, 2, 5, order_ranges=[(0.25, 0.5), (0.5, 0.75)],
                                                                     method="pair_sampling", budget=k * 4 * 2,
                                                                     seed=10, **OWN), want)
    assert r.sizes == ((2, 4), (4, 6))


def test_coalition_shapley_eq7():
    from interplay.multivariate import CoalitionSampling  # registers "coalition_sampling"

    game, table = fresh()
    for c, a in [((1, 2), (5,)), ((0, 4, 5), ()), ((3,), (0, 1, 2))]:
        exact = ip.coalition_shapley(table, c, a).values
        r, _ = check_convergence(lambda k, g: ip.coalition_shapley(g, c, a, method="coalition_sampling",
                                                                   enumerate_contexts=False, budget=2 * k, seed=11,
                                                                   **OWN),
                                 exact)
        assert r.evaluations == 2 * 200 and r.players == c and r.absent == a  # 2 rows per context
        assert r.estimator == CoalitionSampling(budget=400, seed=11, enumerate_contexts=False, **OWN)


def test_same_seed_same_result_and_seeds_differ():
    game, _ = fresh()
    budget = 50 * (N - 1) + 2
    a = ip.shapley_values(game, method="permutation", budget=budget, seed=3, **OWN)
    b = ip.shapley_values(game, method="permutation", budget=budget, seed=3, **OWN)
    c = ip.shapley_values(game, method="permutation", budget=budget, seed=4, **OWN)
    assert torch.equal(a.values, b.values) and torch.equal(a.stderr, b.stderr)
    assert not torch.equal(a.values, c.values)
    for method in ("pair_sampling", "shared_pairs"):
        x, y = (ip.pair_interactions(game, [(0, 1), (2, 3)], method=method, budget=400, seed=5, **OWN)
                for _ in range(2))
        z = ip.pair_interactions(game, [(0, 1), (2, 3)], method=method, budget=400, seed=6, **OWN)
        assert torch.equal(x.values, y.values) and not torch.equal(x.values, z.values)
    # the block size (memory budget) does not change the samples
    from interplay.engine import Design, run_design
    d = Design("pairs", 8, size_lo=[0], size_hi=[6], pairs=torch.tensor([[0, 1], [2, 3]]))
    table = fresh()[1]
    r1, r2 = run_design(table, d, 60, 5, block_rows=8), run_design(table, d, 60, 5, block_rows=1000)
    assert torch.equal(r1.mean, r2.mean) and torch.equal(r1.stderr, r2.stderr)


def test_instability_matches_its_definition():
    g = torch.Generator().manual_seed(0)
    runs = torch.randn(5, 3, generator=g) + 2
    want = []
    for e in range(3):
        t = runs[:, e].tolist()
        pairs = [abs(t[u] - t[v]) for u in range(5) for v in range(5) if u != v]
        want.append(sum(pairs) / len(pairs) / (sum(abs(x) for x in t) / 5))
    want = torch.tensor(want, dtype=torch.float64)
    torch.testing.assert_close(ip.instability(runs, reduce="none"), want)
    torch.testing.assert_close(ip.instability(runs), want.mean())
    torch.testing.assert_close(ip.instability(list(runs)), want.mean())
    assert ip.instability is ip.estimators.instability
    # lists of results: their values (runs along dim 0)
    results = [ip.Result(index="SV", values=r.double(), n_players=3, estimator=ip.Exact()) for r in runs]
    torch.testing.assert_close(ip.instability(results, reduce="none"), want)
    with pytest.raises(ValueError, match="at least 2 runs"):
        ip.instability(runs[:1])
    with pytest.raises(ValueError, match="reduce must be"):
        ip.instability(runs, reduce="sum")
    with pytest.raises(ValueError, match="different shapes"):
        ip.instability([runs[0], runs[1, :2]])
    with pytest.raises(ValueError, match="every run is exactly 0"):
        ip.instability(torch.zeros(3, 2))


def test_instability_refuses_mixed_results():
    g = table_game(4)
    with pytest.raises(ValueError, match="different index"):
        ip.instability([ip.shapley_values(g), ip.banzhaf_values(g)])
    runs = [ip.shapley_values(g, method="permutation", budget=60, seed=s, **OWN) for s in range(3)]  # 2^4 <= 60
    assert ip.instability(runs) > 0


def test_estimator_arguments_are_checked():
    game, _ = fresh()
    with pytest.raises(ValueError, match="minimum budget is 16"):  # 2 permutations of 7 rows + v(∅), v(N)
        ip.shapley_values(game, method="permutation", budget=15)
    with pytest.raises(ValueError, match="unknown method 'nope'"):
        ip.pair_interactions(game, [(0, 1)], method="nope")
    with pytest.raises(ValueError, match="different players"):
        ip.pair_interactions(game, [(1, 1)])
    with pytest.raises(ValueError, match="no context size"):
        ip.multi_order_interaction(game, 0, 1, order_ranges=[(0.95, 1.0)], method="pair_sampling")
    with pytest.raises(ValueError, match="unknown method"):
        ip.shapley_values(game, method="kernel")
    two, one = (ip.TableGame(torch.arange(float(1 << n), dtype=torch.float64) ** 2) for n in (2, 1))
    with pytest.raises(ValueError, match="at least 3 players"):
        ip.pair_interactions(ip.TableGame(torch.zeros(4, dtype=torch.float64)), [(0, 1)], method="pair_sampling",
                             **OWN)
    with pytest.raises(ValueError, match="at least 2 players"):
        ip.shapley_values(ip.TableGame(torch.zeros(2, dtype=torch.float64)), method="permutation", **OWN)
    # the default budget covers all 2^2 (2^1) coalitions of such games: exact values and a zero stderr instead
    for r, want in ((ip.pair_interactions(two, [(0, 1)], method="pair_sampling"), ip.pair_interactions(two, [(0, 1)])),
                    (ip.shapley_values(one, method="permutation"), ip.shapley_values(one))):
        torch.testing.assert_close(r.values, want.values, rtol=0, atol=0)
        assert torch.equal(r.stderr, torch.zeros_like(want.values)) and r.method in ("pair_sampling", "permutation")
