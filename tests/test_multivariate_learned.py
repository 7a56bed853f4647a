"""The learned partition search (multivariate paper Eq. 7-9), its samplers, and the toy models."""
import math

import pytest
import torch

import interplay as ip
import reference as ref
from interplay.datasets import toy
from interplay._ops import player_set
from interplay.engine import unpack as unpack_masks
from interplay.multivariate_learned import coalition_shapley_sampled, runs_of

ops = torch.ops.interplay


def table_game(n, seed):
    return torch.randn(2**n, dtype=torch.float64, generator=torch.Generator().manual_seed(seed))


def function_game(table):
    """The same game as TableGame(table), but evaluated on coalitions (never tabulated by the estimator)."""
    n = int(math.log2(table.numel()))
    return ip.Game(lambda c: table[ip.coalitions_to_masks(c)], n)


def exact_partition_score(table, A, partition):
    """Σ_{C ∈ Ω} φ(C | N_C) by brute force (reference.coalition_shapley)."""
    n = int(math.log2(table.numel()))
    return sum(ref.coalition_shapley(table, n, block, tuple(p for p in A if p not in block)) for block in partition)


# -- samplers -------------------------------------------------------------------------

def test_partition_sampler_frequencies_and_common_numbers():
    p = torch.tensor([0.1, 0.5, 0.93], dtype=torch.float64)
    count = 40000
    g = ops.mv_sample_partitions(p, count, 7, 0)
    assert g.dtype == torch.bool and g.shape == (count, 3)
    freq = g.double().mean(0)
    assert ((freq - p).abs() <= 4 * (p * (1 - p) / count).sqrt()).all()
    assert torch.equal(g, ops.mv_sample_partitions(p, count, 7, 0))  # a pure function of (seed, stream)
    # the same uniforms for any p: a larger p_k never removes a joined gap (common random numbers)
    q = torch.tensor([0.3, 0.6, 0.95], dtype=torch.float64)
    assert (ops.mv_sample_partitions(q, count, 7, 0) | ~g).all()
    # stream offsets index the same sequence
    assert torch.equal(ops.mv_sample_partitions(p, 10, 7, 5), g[5:15])


def test_context_sampler_is_uniform_over_sizes_and_players():
    n, rest, count = 70, [0, 3, 5, 63, 64, 69], 30000
    packed = ops.mv_sample_contexts(player_set(rest, n), n, count, True, 11, 0)
    assert packed.shape == (count, 2) and packed.dtype == torch.int64
    ctx = unpack_masks(packed, n)
    outside = [i for i in range(n) if i not in rest]
    assert not ctx[:, outside].any()
    sizes = ctx.sum(1).bincount(minlength=len(rest) + 1)
    assert sizes.max() - sizes.min() <= 1  # stratified: the sizes sweep 0..R evenly
    # given its size, S is uniform: every player attends with probability 1/2 overall
    freq = ctx[:, rest].double().mean(0)
    assert ((freq - 0.5).abs() <= 4 * math.sqrt(0.25 / count)).all()
    unstratified = unpack_masks(ops.mv_sample_contexts(player_set(rest, n), n, count, False, 11, 0), n).sum(1)
    counts = unstratified.bincount(minlength=len(rest) + 1).double()
    expect = count / (len(rest) + 1)
    assert ((counts - expect).abs() <= 4 * math.sqrt(expect)).all()


def test_samplers_reject_bad_arguments():
    with pytest.raises(ValueError, match="rest holds players out of range"):
        ops.mv_sample_contexts(player_set([0, 5], 6), 5, 3, True, 0, 0)
    with pytest.raises(ValueError, match="rest must be one packed player set"):
        ops.mv_sample_contexts(torch.zeros(2, dtype=torch.int64), 5, 3, True, 0, 0)
    with pytest.raises(ValueError):
        ops.mv_sample_partitions(torch.tensor([0.5, 1.5], dtype=torch.float64), 3, 0, 0)
    with pytest.raises(ValueError):
        ops.mv_sample_partitions(torch.tensor([float("nan")], dtype=torch.float64), 3, 0, 0)


# -- φ(C | N_C) by Eq. 7 ------------------------------------------------------------

def test_sampled_coalition_shapley_enumerated_is_exact():
    table = table_game(7, 1)
    got = coalition_shapley_sampled(function_game(table), (2, 3), absent=(4,), samples=64)
    want = ref.coalition_shapley(table, 7, (2, 3), (4,))
    assert got.settings["exact"] and got.evaluations == 2 * 2**4
    assert abs(float(got) - want) < 1e-12


def test_sampled_coalition_shapley_is_unbiased_and_converges():
    table = table_game(9, 2)
    want = ref.coalition_shapley(table, 9, (1, 2, 3), (4,))
    errors = []
    for samples in (200, 3200):
        got = coalition_shapley_sampled(function_game(table), (1, 2, 3), absent=(4,), samples=samples, seed=3,
                                        enumerate_contexts=False)
        assert got.evaluations == 2 * samples and not got.settings["exact"]
        assert abs(float(got) - want) <= 4 * float(got.stderr)
        errors.append(float(got.stderr))
    assert errors[1] < errors[0] / 2  # the standard error shrinks like 1/sqrt(samples) (ratio 4 expected)


# -- the learned search ---------------------------------------------------------------

def neighbour_game(n, A, b, seed):
    """Φ(g) = const + Σ_k b_k g_k: main effects, neighbour pairs in A, and pairs of A with N∖A."""
    gen = torch.Generator().manual_seed(seed)
    main = torch.randn(n, dtype=torch.float64, generator=gen)
    cross = torch.randn(len(A), dtype=torch.float64, generator=gen)
    rest = [i for i in range(n) if i not in A]

    def fn(c):
        x = c.double()
        y = x @ main
        for k in range(len(A) - 1):
            y = y + b[k] * x[:, A[k]] * x[:, A[k + 1]]
        for k, a in enumerate(A):
            y = y + cross[k] * x[:, a] * x[:, rest[k % len(rest)]]
        return y

    return ip.Game(fn, n)


def test_learned_matches_exact_on_separable_games():
    A = [2, 3, 4, 5, 6]
    b = [1.5, -0.7, 0.4, -2.0]
    game = neighbour_game(10, A, b, 0)
    got = ip.interaction_significance(game, A, method="learned", seed=1, contexts=16, final_contexts=32)
    want = ip.interaction_significance(ip.TableGame(game.table()), A)
    assert got.max_partition == want.max_partition == [(2, 3), (4, 5), (6,)]
    assert got.min_partition == want.min_partition == [(2,), (3, 4), (5, 6)]
    assert got.extra["final_contexts_exact"] and not got.extra["search_contexts_exact"]
    assert abs(got.T - want.T) < 1e-9 and abs(got.T - sum(abs(x) for x in b)) < 1e-9
    assert abs(got.b_max - want.b_max) < 1e-9 and abs(got.b_min - want.b_min) < 1e-9
    assert got.method == "learned" and got.evaluations == game.evaluations - 2**10
    assert len(got.extra["trajectory_max"]) == got.settings["updates"] + 1
    assert all(p > 0.5 for p in (got.extra["p_max"][0], got.extra["p_max"][2]))


def test_learned_works_beyond_64_players():
    n, A, b = 70, [60, 61, 62, 63, 64, 65], [1.0, -1.0, 2.0, 0.5, -0.3]
    game = neighbour_game(n, A, b, 4)
    got = ip.interaction_significance(game, A, method="learned", seed=2, final_contexts=400)
    assert got.max_partition == [(60, 61), (62, 63, 64), (65,)]
    assert got.min_partition == [(60,), (61, 62), (63,), (64, 65)]
    assert abs(got.T - sum(abs(x) for x in b)) <= 4 * got.extra["stderr"]["T"] + 1e-9


@pytest.mark.parametrize("seed", range(6))
def test_learned_on_random_games_is_a_local_optimum_with_exact_values(seed):
    """With enumerated contexts the gradient is exact: the search ends at partitions no single
    merge or split improves, their values are exact, and T never exceeds the exact T."""
    n, A = 8, [1, 2, 3, 4, 5]
    table = table_game(n, 100 + seed)
    got = ip.interaction_significance(function_game(table), A, method="learned", seed=seed)
    want = ip.interaction_significance(ip.TableGame(table), A)
    assert got.extra["search_contexts_exact"] and got.extra["final_contexts_exact"]
    assert got.T <= want.T + 1e-9
    singles = sum(ref.coalition_shapley(table, n, (i,), tuple(p for p in A if p != i)) for i in A)
    best = exact_partition_score(table, A, got.max_partition)
    worst = exact_partition_score(table, A, got.min_partition)
    assert abs(got.b_max - (best - singles)) < 1e-9 and abs(got.b_min - (worst - singles)) < 1e-9
    for partition, sign in ((got.max_partition, 1), (got.min_partition, -1)):
        block = {p: b for b, ps in enumerate(partition) for p in ps}
        gaps = [block[A[k]] == block[A[k + 1]] for k in range(len(A) - 1)]
        score = exact_partition_score(table, A, partition)
        for k in range(len(gaps)):
            flipped = list(gaps)
            flipped[k] = not flipped[k]
            other = [tuple(A[a : b + 1]) for a, b in runs_of(flipped)]
            assert sign * (exact_partition_score(table, A, other) - score) <= 1e-9


def test_learned_sampled_estimate_is_unbiased_at_its_partitions():
    n, A = 11, [3, 4, 5, 6]
    table = table_game(n, 7)
    got = ip.interaction_significance(function_game(table), A, method="learned", seed=5,
                                      enumerate_contexts=False, final_contexts=600)
    assert not got.extra["final_contexts_exact"]
    want_T = exact_partition_score(table, A, got.max_partition) - exact_partition_score(table, A, got.min_partition)
    se = got.extra["stderr"]["T"]
    assert 0 < se and abs(got.T - want_T) <= 4 * se


def test_learned_is_reproducible_and_checks_arguments():
    table = table_game(9, 3)
    a = ip.interaction_significance(function_game(table), [0, 1, 2, 3], method="learned", seed=9,
                                    enumerate_contexts=False, updates=5)
    b = ip.interaction_significance(function_game(table), [0, 1, 2, 3], method="learned", seed=9,
                                    enumerate_contexts=False, updates=5)
    assert a.T == b.T and a.extra == b.extra and a.evaluations == b.evaluations
    game = function_game(table)
    with pytest.raises(ValueError, match="contiguous"):
        ip.interaction_significance(game, [0, 1, 2], method="learned", partitions="all")
    with pytest.raises(ValueError, match="contexts"):
        ip.interaction_significance(game, [0, 1, 2], method="learned", contexts=0)
    with pytest.raises(ValueError, match="unknown method"):
        ip.interaction_significance(game, [0, 1, 2], method="nope")


def test_auto_takes_the_cheaper_path():
    table = table_game(8, 4)
    small = ip.interaction_significance(function_game(table), [1, 2, 3], method="auto")
    exact = ip.interaction_significance(ip.TableGame(table), [1, 2, 3])
    assert small.settings["auto"] == "exact" and small.T == exact.T and small.evaluations == 2**8
    A = [5, 6, 7, 8]
    big = neighbour_game(22, A, [1.0, -1.0, 0.5], 1)
    got = ip.interaction_significance(big, A, method="auto", seed=0)
    assert got.settings["auto"] == "learned" and big.evaluations == got.evaluations < 2**22
    assert got.evaluations <= got.settings["learned_budget"]
    assert got.max_partition == [(5, 6), (7, 8)]


# -- the toy models of Table 1 ----------------------------------------------------------

def test_toy_models_evaluate_their_formula():
    m = toy.make_model("exponential", 3)
    x = torch.ones(1, m.n, dtype=torch.bool)
    assert float(m.game(x)) == len(m.terms)  # 1^1 = 1 and x = 1 for every term
    assert float(m.game(torch.zeros(1, m.n, dtype=torch.bool))) == sum(len(t) == 2 for t in m.terms)  # 0^0 = 1
    for kind in toy.KINDS:
        model = toy.make_model(kind, 1)
        ops_in_a = [model.ops[p] for p in model.A[:-1]]
        assert set(model.truth().values()) <= {True, False} and len(model.truth()) >= 1
        assert sum(op in toy.JOIN for op in ops_in_a) == len(model.truth())
        assert model.A == tuple(range(model.A[0], model.A[-1] + 1))


@pytest.mark.parametrize("kind", toy.KINDS)
def test_learned_partitions_match_toy_ground_truth(kind):
    correct = total = 0
    for model in toy.make_dataset(kind, 15, seed=1):
        got = ip.interaction_significance(model.game, model.A, method="learned", seed=0)
        exact = ip.interaction_significance(ip.TableGame(model.game.table()), model.A)
        c, t = model.score(got.max_partition)
        assert model.score(exact.max_partition) == (t, t)
        correct, total = correct + c, total + t
    assert correct == total


class _RowModel(torch.nn.Module):
    """A 'network' on a 1x10 image whose cells play x0 + x1*x2 + (x3|x4) - x5*x6 + x7 + ..."""

    def forward(self, x):
        c = x.reshape(x.shape[0], -1)
        return (c[:, 0] + 2 * c[:, 1] * c[:, 2] + torch.maximum(c[:, 3], c[:, 4]) - 1.5 * c[:, 5] * c[:, 6]
                + c[:, 7:].sum(1)).unsqueeze(1)


def test_learned_on_a_model_game_of_grid_cells_in_a_row():
    """Grid cells in a row of a ModelGame: the learned partitions and T equal exact enumeration."""
    x = torch.ones(1, 1, 10)
    game = ip.ModelGame(_RowModel(), x, ip.players.grid(x.shape, cells=(1, 10)), baseline=0.0, reward="output")
    A = [1, 2, 3, 4, 5, 6]
    got = ip.interaction_significance(game, A, method="learned", seed=0, contexts=16, final_contexts=16)
    table = game.table()
    want = ip.interaction_significance(ip.TableGame(table), A)
    # additive gaps (2|3, 4|5) are ties, so compare the partitions by their exact scores
    best = exact_partition_score(table, A, want.max_partition)
    worst = exact_partition_score(table, A, want.min_partition)
    assert abs(exact_partition_score(table, A, got.max_partition) - best) < 1e-9
    assert abs(exact_partition_score(table, A, got.min_partition) - worst) < 1e-9
    assert (1, 2) == got.max_partition[0][:2] and (5, 6) in got.min_partition  # x joins (max), -x joins (min)
    assert not any({3, 4} <= set(b) for b in got.max_partition)  # | separates in the max partition
    assert abs(got.T - want.T) < 1e-9
