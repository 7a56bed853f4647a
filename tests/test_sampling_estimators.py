"""Sampling estimators converge to the exact values on a small real model (fixed seeds).

For each estimator: at a small budget on the model itself and a 16x larger budget on the same
model's game table (identical values, cheap lookups), the error lies within 4 standard errors, and
the standard error shrinks like 1/sqrt(samples) (ratio 4, checked within [3, 5.3])."""
import functools

import pytest
import torch

import interplay as ip
from engine_models import digits, digits_cnn


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


def check_convergence(run, exact, small=200, factor=16):
    """run(k, game): the estimate with k samples on the game."""
    model_game, table_game = fresh()
    a, b = run(small, model_game), run(small * factor, table_game)
    for r in (a, b):
        se = r.stderr.reshape(-1)
        err = (r.tensor() - exact).reshape(-1).abs()
        ok = se > 1e-9  # deterministic contexts (e.g. order 0) give a zero stderr up to rounding
        assert bool((err[~ok] < 1e-9).all()), "a zero standard error needs an exact estimate"
        assert bool((err[ok] <= 4 * se[ok]).all()), (err / se).max()
    ratio = (a.stderr / b.stderr).reshape(-1)
    ratio = ratio[(b.stderr.reshape(-1) > 1e-9) & (a.stderr.reshape(-1) > 1e-9)]
    assert bool(((ratio > 3) & (ratio < 5.3)).all()), ratio
    return a, b


def test_shapley_values_permutation():
    game, table = fresh()
    exact = ip.shapley_values(table).tensor()
    a, b = check_convergence(lambda k, g: ip.shapley_values(g, method="permutation", samples=k, seed=1), exact)
    assert a.evaluations == 200 * (8 - 1) + 2 and a.method == "permutation"


@pytest.mark.parametrize("kind", ["shapley", "banzhaf"])
def test_pair_interaction(kind):
    game, table = fresh()
    f = getattr(ip, f"{kind}_interaction")
    exact = f(table, 1, 6).tensor()
    a, _ = check_convergence(lambda k, g: f(g, 1, 6, method="sampling", samples=k, seed=2), exact)
    assert a.evaluations == 4 * 200


@pytest.mark.parametrize("method", ["sampling", "shared"])
def test_interaction_matrix_for_neighbours(method):
    game, table = fresh()
    pairs = ip.players.neighbours((2, 4))
    exact = ip.shapley_interaction_matrix(table).tensor()[pairs[:, 0], pairs[:, 1]]

    def run(k, g):
        extra = {"border": 0} if method == "shared" else {}  # the plain design (border strata: test_border_strata.py)
        m = ip.shapley_interaction_matrix(g, method=method, pairs=pairs, samples=k, seed=3, **extra)
        assert torch.isnan(m.tensor()[0, 7]) and float(m.tensor()[0, 0]) == 0.0  # not a neighbour pair
        return ip.Result(m.tensor()[pairs[:, 0], pairs[:, 1]], quantity="x", stderr=m.stderr[pairs[:, 0], pairs[:, 1]],
                         evaluations=m.evaluations)

    a, _ = check_convergence(run, exact)
    per_sample = 2 * (1 + 8 + len(pairs)) if method == "shared" else 4 * len(pairs)  # shared: T and N ∖ T
    assert a.evaluations == 200 * per_sample


def test_shared_banzhaf_and_rate_contexts():
    game, table = fresh()
    pairs = torch.tensor([[0, 1], [2, 6], [3, 7]])
    exact = ip.banzhaf_interaction_matrix(table).tensor()[pairs[:, 0], pairs[:, 1]]
    check_convergence(lambda k, g: ip.pair_interactions(g, pairs, kind="banzhaf", method="shared", samples=k, seed=4),
                      exact)
    check_convergence(lambda k, g: ip.pair_interactions(g, pairs, kind="rate", rate=(0.5, 0.5), samples=k, seed=5),
                      exact)
    # a keep rate uniform in [0, 1] gives P_Shapley contexts (|S| uniform, S uniform given |S|)
    exact = ip.shapley_interaction_matrix(table).tensor()[pairs[:, 0], pairs[:, 1]]
    check_convergence(lambda k, g: ip.pair_interactions(g, pairs, kind="rate", rate=(0.0, 1.0), samples=k, seed=6),
                      exact)


def test_shared_systematic_sizes_stay_unbiased():
    game, table = fresh()
    pairs = ip.players.neighbours((2, 4))
    exact = ip.shapley_interaction_matrix(table).tensor()[pairs[:, 0], pairs[:, 1]]
    r = ip.pair_interactions(table, pairs, method="shared", systematic=True, samples=9 * 300, seed=7,
                          border=0)
    assert bool(((r.tensor() - exact).abs() <= 4 * r.stderr).all())


def test_multi_order_orders_and_ranges():
    game, table = fresh()
    exact = ip.multi_order_interaction(table, 2, 5).tensor()  # [n - 1] = 7 orders
    check_convergence(lambda k, g: ip.multi_order_interaction(g, 2, 5, method="sampling", samples=k, seed=8), exact)
    one = ip.multi_order_interaction(table, 2, 5, order=3, method="sampling", samples=3200, seed=9)
    assert one.dim() == 0 and abs(float(one) - float(exact[3])) <= 4 * float(one.stderr)
    # |S| uniform in [0.25 n, 0.5 n] = {2, 3, 4}: the mean of those orders (dropout paper Fig. 2)
    want = torch.stack([exact[2:5].mean(), exact[4:7].mean()])
    check_convergence(lambda k, g: ip.multi_order_interaction(g, 2, 5, order_ranges=[(0.25, 0.5), (0.5, 0.75)],
                                                           method="sampling", samples=k, seed=10), want)


def test_coalition_shapley_eq7():
    game, table = fresh()
    for c, a in [((1, 2), (5,)), ((0, 4, 5), ()), ((3,), (0, 1, 2))]:
        exact = ip.coalition_shapley(table, c, a).tensor()
        check_convergence(lambda k, g: ip.coalition_shapley(g, c, a, method="sampling", samples=k, seed=11), exact)
    many = ip.coalition_shapley_many(game, [(1, 2), (6,)], [(5,), ()], samples=400, seed=12)
    assert many.shape == (2,) and many.evaluations == 2 * 2 * 400


def test_same_seed_same_result_and_seeds_differ():
    game, _ = fresh()
    a = ip.shapley_values(game, method="permutation", samples=50, seed=3)
    b = ip.shapley_values(game, method="permutation", samples=50, seed=3)
    c = ip.shapley_values(game, method="permutation", samples=50, seed=4)
    assert torch.equal(a.tensor(), b.tensor()) and torch.equal(a.stderr, b.stderr)
    assert not torch.equal(a.tensor(), c.tensor())
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
    torch.testing.assert_close(ip.instability(runs, reduce="none"), torch.tensor(want, dtype=torch.float64))
    torch.testing.assert_close(ip.instability(list(runs)), torch.tensor(want, dtype=torch.float64).mean())
    with pytest.raises(ValueError, match="at least 2 runs"):
        ip.instability(runs[:1])


def test_estimator_arguments_are_checked():
    game, _ = fresh()
    with pytest.raises(ValueError, match="samples"):
        ip.shapley_values(game, method="permutation", samples=1)
    with pytest.raises(ValueError, match="method"):
        ip.pair_interactions(game, [(0, 1)], method="nope")
    with pytest.raises(ValueError, match="different players"):
        ip.pair_interactions(game, [(1, 1)])
    with pytest.raises(ValueError, match="no context size"):
        ip.multi_order_interaction(game, 0, 1, order_ranges=[(0.95, 1.0)], method="sampling")
    with pytest.raises(ValueError, match="unknown method"):
        ip.shapley_values(game, method="kernel")
