"""The learned partition search (multivariate paper Eq. 7-9), its samplers, and the toy models."""
import math

import pytest
import torch

import interplay as ip
import reference as ref
from interplay.multivariate import toy
from interplay._internal.ops import player_set
from interplay.engine import unpack as unpack_masks
from interplay.multivariate import CoalitionSampling, LearnedPartitions, learned_budget, runs_of

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
    # 2^7 <= 128: exact_when_covered=False, so that the sampler's own enumeration of the contexts is checked
    got = ip.coalition_shapley(function_game(table), (2, 3), absent=(4,), method="coalition_sampling", budget=128,
                               exact_when_covered=False)
    want = ref.coalition_shapley(table, 7, (2, 3), (4,))
    assert got.evaluations == 2 * 2**4 and float(got.stderr) == 0.0  # all 16 contexts, Shapley-weighted
    assert abs(float(got) - want) < 1e-12
    assert got.index == "coalition-SV" and got.dim() == 0 and got.players == (2, 3) and got.absent == (4,)
    assert got.method == "coalition_sampling" and got.estimator == CoalitionSampling(budget=128,
                                                                                      exact_when_covered=False)


def test_sampled_coalition_shapley_is_unbiased_and_converges():
    table = table_game(9, 2)
    want = ref.coalition_shapley(table, 9, (1, 2, 3), (4,))
    errors = []
    for samples in (200, 3200):
        got = ip.coalition_shapley(function_game(table), (1, 2, 3), absent=(4,), method="coalition_sampling",
                                   budget=2 * samples, seed=3, enumerate_contexts=False,
                                   exact_when_covered=False)  # 2^9 <= 6400: the sampled contexts themselves
        assert got.evaluations == 2 * samples and float(got.stderr) > 0
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
    got = ip.interaction_significance(game, A, method="learned_partitions", seed=1, contexts=16, final_contexts=32)
    want = ip.interaction_significance(ip.TableGame(game.table()), A)
    assert got.max_partition == want.max_partition == ((2, 3), (4, 5), (6,))
    assert got.min_partition == want.min_partition == ((2,), (3, 4), (5, 6))
    assert got.search.final_contexts_exact and not got.search.search_contexts_exact
    assert abs(float(got) - float(want)) < 1e-9 and abs(float(got) - sum(abs(x) for x in b)) < 1e-9
    assert abs(got.b_max - want.b_max) < 1e-9 and abs(got.b_min - want.b_min) < 1e-9
    assert got.method == "learned_partitions" and got.evaluations == game.evaluations - 2**10
    assert len(got.search.trajectory_max) == got.estimator.updates + 1 == 31
    assert len(got.search.trajectory_min) == got.estimator.updates + 1
    assert all(p > 0.5 for p in (got.search.p_max[0], got.search.p_max[2]))
    assert float(got.stderr) == got.partitions.b_max_stderr == got.partitions.b_min_stderr == 0.0


def test_learned_works_beyond_64_players():
    n, A, b = 70, [60, 61, 62, 63, 64, 65], [1.0, -1.0, 2.0, 0.5, -0.3]
    game = neighbour_game(n, A, b, 4)
    got = ip.interaction_significance(game, A, method="learned_partitions", seed=2, final_contexts=400)
    assert got.max_partition == ((60, 61), (62, 63, 64), (65,))
    assert got.min_partition == ((60,), (61, 62), (63,), (64, 65))
    assert abs(float(got) - sum(abs(x) for x in b)) <= 4 * float(got.stderr) + 1e-9


@pytest.mark.parametrize("seed", range(6))
def test_learned_on_random_games_is_a_local_optimum_with_exact_values(seed):
    """With enumerated contexts the gradient is exact: the search ends at partitions no single
    merge or split improves, their values are exact, and T never exceeds the exact T."""
    n, A = 8, [1, 2, 3, 4, 5]
    table = table_game(n, 100 + seed)
    got = ip.interaction_significance(function_game(table), A, method="learned_partitions", seed=seed)
    want = ip.interaction_significance(ip.TableGame(table), A)
    assert got.search.search_contexts_exact and got.search.final_contexts_exact
    assert float(got) <= float(want) + 1e-9
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
    got = ip.interaction_significance(function_game(table), A, method="learned_partitions", seed=5,
                                      enumerate_contexts=False, final_contexts=600)
    assert not got.search.final_contexts_exact
    want_T = exact_partition_score(table, A, got.max_partition) - exact_partition_score(table, A, got.min_partition)
    se = float(got.stderr)
    assert 0 < se and abs(float(got) - want_T) <= 4 * se
    assert got.partitions.b_max_stderr > 0 and got.partitions.b_min_stderr > 0


def test_learned_is_reproducible_and_checks_arguments():
    table = table_game(9, 3)
    a = ip.interaction_significance(function_game(table), [0, 1, 2, 3], method="learned_partitions", seed=9,
                                    enumerate_contexts=False, updates=5)
    b = ip.interaction_significance(function_game(table), [0, 1, 2, 3], method="learned_partitions", seed=9,
                                    enumerate_contexts=False, updates=5)
    assert float(a) == float(b) and a.search == b.search and a.partitions == b.partitions
    assert a.evaluations == b.evaluations and torch.equal(a.stderr, b.stderr)
    game = function_game(table)
    with pytest.raises(ValueError, match="contiguous"):
        ip.interaction_significance(game, [0, 1, 2], method="learned_partitions", partitions="all")
    with pytest.raises(ValueError, match="contexts"):
        ip.interaction_significance(game, [0, 1, 2], method="learned_partitions", contexts=0)
    with pytest.raises(ValueError, match="unknown method"):
        ip.interaction_significance(game, [0, 1, 2], method="nope")


def test_budget_without_method_takes_the_cheaper_path():
    """budget= without method=: exact when 2^n <= budget, else the learned search within the budget."""
    table = table_game(8, 4)
    small = ip.interaction_significance(function_game(table), [1, 2, 3], budget=learned_budget(8, 3, 30, 8, 16, 256))
    exact = ip.interaction_significance(ip.TableGame(table), [1, 2, 3])
    assert small.method == "exact" and float(small) == float(exact) and small.evaluations == 2**8
    A = [5, 6, 7, 8]
    big = neighbour_game(22, A, [1.0, -1.0, 0.5], 1)
    budget = learned_budget(22, 4, 30, 8, 16, 256)
    got = ip.interaction_significance(big, A, budget=budget, seed=0)
    assert got.method == "learned_partitions" and big.evaluations == got.evaluations < 2**22
    assert got.estimator == LearnedPartitions(budget=budget, seed=0)
    assert got.evaluations <= budget
    assert got.max_partition == ((5, 6), (7, 8))
    # the same search as without a cap: the default contexts already fit
    free = ip.interaction_significance(neighbour_game(22, A, [1.0, -1.0, 0.5], 1), A, method="learned_partitions")
    assert float(free) == float(got) and free.search == got.search and free.evaluations == got.evaluations


@pytest.mark.parametrize("m, k2, enumerate_contexts", [(6, 1, False), (5, 8, False), (4, 2, True), (9, 3, False)])
def test_learned_budget_bounds_the_evaluations(m, k2, enumerate_contexts):
    """learned_budget is an upper bound on the rows of any search (also with few partitions per
    update, where the runs of one partition, not the m(m+1)/2 runs of A, are the limit)."""
    n = 11
    table = table_game(n, 20 + m)
    A = list(range(1, 1 + m))
    for seed in range(3):
        game = function_game(table)
        got = ip.interaction_significance(game, A, method="learned_partitions", seed=seed, updates=6,
                                          partitions_per_update=k2, contexts=8, final_contexts=16,
                                          enumerate_contexts=enumerate_contexts)
        bound = learned_budget(n, m, 6, k2, 8, 16, enumerate_contexts)
        assert got.evaluations == game.evaluations <= bound
        assert got.search.evaluations_search + got.search.evaluations_final == got.evaluations


def test_learned_budget_caps_the_search():
    n, A = 12, [2, 3, 4, 5, 6]
    table = table_game(n, 31)
    default = learned_budget(n, len(A), 30, 8, 16, 256)
    minimum = learned_budget(n, len(A), 30, 8, 1, 1)
    for budget in (default - 1, default // 3, 4 * minimum, minimum + 1, minimum):
        game = function_game(table)
        got = ip.interaction_significance(game, A, method="learned_partitions", budget=budget, seed=1,
                                          exact_when_covered=False)  # default - 1 >= 2^12: the search itself
        assert got.evaluations == game.evaluations <= budget, budget
        assert got.estimator.budget == budget and got.search.evaluations_search > 0
    # at the minimum: 1 context per update, 1 final context (m + 1 distinct runs at most + v(S))
    assert got.search.evaluations_final <= 3 * len(A) + 1 and not got.search.final_contexts_exact
    with pytest.raises(ValueError, match=f"at least {minimum}"):
        ip.interaction_significance(function_game(table), A, method="learned_partitions", budget=minimum - 1)
    # fewer updates make a smaller budget possible
    few = ip.interaction_significance(function_game(table), A, method="learned_partitions", budget=minimum // 10,
                                      updates=2)
    assert few.evaluations <= minimum // 10 and len(few.search.trajectory_max) == 3


def test_learned_result_fields_are_consistent():
    n, A = 10, [1, 2, 3, 4, 5, 6]
    table = table_game(n, 41)
    game = function_game(table)
    got = ip.interaction_significance(game, A, method="learned_partitions", seed=3, updates=12, contexts=8,
                                      final_contexts=64, enumerate_contexts=False)
    s, p = got.search, got.partitions
    assert got.index == "T" and got.dim() == 0 and got.players == tuple(A) and got.n_players == n
    assert got.stderr.shape == () and float(got.stderr) > 0
    assert p.family == "contiguous" and p.scored == 0
    for b_value, se, partition in ((p.b_max, p.b_max_stderr, got.max_partition),
                                   (p.b_min, p.b_min_stderr, got.min_partition)):
        # all singles: B = 0 exactly; else a sampled B with its standard error
        assert (se > 0) == (len(partition) < len(A)) and (len(partition) < len(A) or b_value == se == 0.0)
    assert len(s.p_max) == len(s.p_min) == len(A) - 1
    assert len(s.trajectory_max) == len(s.trajectory_min) == 13
    assert s.trajectory_max[0] == s.trajectory_min[0] == (0.5,) * (len(A) - 1)
    assert s.trajectory_max[-1] == s.p_max and s.trajectory_min[-1] == s.p_min
    assert all(0.01 <= q <= 0.99 for row in s.trajectory_max + s.trajectory_min for q in row)
    for probs, partition in ((s.p_max, got.max_partition), (s.p_min, got.min_partition)):
        assert partition == tuple(tuple(A[a : b + 1]) for a, b in runs_of([q > 0.5 for q in probs]))
    assert s.evaluations_search + s.evaluations_final == got.evaluations == game.evaluations
    # the final estimate: 64 contexts x (the distinct runs of both partitions and the singles + v(S))
    runs = {b for b in got.max_partition + got.min_partition} | {(i,) for i in A}
    assert s.evaluations_final == 64 * (len(runs) + 1)
    assert not s.search_contexts_exact and not s.final_contexts_exact
    assert float(got) == pytest.approx(got.b_max - got.b_min, abs=1e-12)  # paired on common contexts
    back = ip.Result.from_dict(got.to_dict())  # the typed fields survive JSON
    assert back.search == s and back.partitions == p and back.estimator == got.estimator
    assert float(back) == float(got) and torch.equal(back.stderr, got.stderr)
    # a different seed: a different search
    other = ip.interaction_significance(function_game(table), A, method="learned_partitions", seed=4, updates=12,
                                        contexts=8, final_contexts=64, enumerate_contexts=False)
    assert other.search.trajectory_max != s.trajectory_max


def test_estimators_take_only_their_keywords():
    game = function_game(table_game(8, 5))
    with pytest.raises(TypeError, match="it takes: .*final_contexts"):
        ip.interaction_significance(game, [0, 1, 2], method="learned_partitions", samples=10)
    with pytest.raises(TypeError, match="'contexts'.*it takes: budget, seed, progress, exact_when_covered, "
                                        "enumerate_contexts"):
        ip.coalition_shapley(game, (0, 1), method="coalition_sampling", contexts=10)
    with pytest.raises(TypeError, match="does not take 'seeds'"):
        LearnedPartitions.create(seeds=1)
    with pytest.raises(TypeError, match="does not take 'updates'"):
        CoalitionSampling(budget=10).replace(updates=3)
    with pytest.raises(ValueError, match="does not compute coalition_shapley"):
        ip.coalition_shapley(game, (0, 1), method="learned_partitions")
    with pytest.raises(ValueError, match="does not compute interaction_significance"):
        ip.interaction_significance(game, [0, 1], method=CoalitionSampling())
    for bad in ({"budget": 0}, {"seed": -1}, {"updates": -1}, {"partitions_per_update": 0}, {"final_contexts": 0},
                {"lr": 0.0}, {"eps": 0.5}, {"lr": float("inf")}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            LearnedPartitions(**bad)
    for bad in ({"budget": 1.5}, {"seed": 1.0}, {"enumerate_contexts": 1}, {"progress": "yes"}, {"updates": 2.0}):
        with pytest.raises(TypeError):
            LearnedPartitions(**bad)
    with pytest.raises(ValueError, match="at least 2"):
        CoalitionSampling(budget=1)
    for bad in ({"budget": None}, {"enumerate_contexts": "no"}, {"seed": True}):
        with pytest.raises(TypeError):
            CoalitionSampling(**bad)
    # an object with keywords: the keywords replace its fields
    r = ip.interaction_significance(game, [0, 1, 2], method=LearnedPartitions(updates=3), seed=7)
    assert r.estimator == LearnedPartitions(updates=3, seed=7)
    assert "learned_partitions" in ip.methods.methods_for("interaction_significance")
    assert "coalition_sampling" in ip.methods.methods_for("coalition_shapley")


def test_coalition_sampling_budget_and_defaults():
    n = 40  # 2^n does not fit: budget= alone picks the coalition sampler
    gen = torch.Generator().manual_seed(3)
    w = torch.randn(n, dtype=torch.float64, generator=gen)
    game = ip.Game(lambda c: c.double() @ w + c[:, 0].double() * c[:, 1].double(), n)
    got = ip.coalition_shapley(game, (0, 1, 5), absent=(7,), budget=101, seed=2)
    assert got.method == "coalition_sampling" and got.evaluations == 100 == game.evaluations
    # v(S ∪ C) - v(S) = w_0 + w_1 + w_5 + 1 for every context: the estimate is exact, stderr 0
    assert abs(float(got) - float(w[0] + w[1] + w[5] + 1)) < 1e-9 and float(got.stderr) < 1e-9
    same = ip.coalition_shapley(game, (0, 1, 5), absent=(7,), method=CoalitionSampling(budget=101, seed=2))
    assert float(same) == float(got)
    # blocks of contexts (small batches, a progress bar) give the same numbers
    table = table_game(9, 6)
    own = dict(exact_when_covered=False)  # 2^9 <= 600: the sampled contexts, not the exact value
    a = ip.coalition_shapley(function_game(table), (2, 3), method="coalition_sampling", budget=600, seed=5,
                             enumerate_contexts=False, **own)
    small = ip.Game(lambda c: table[ip.coalitions_to_masks(c)], 9, batch_size=16)
    b = ip.coalition_shapley(small, (2, 3), method="coalition_sampling", budget=600, seed=5, enumerate_contexts=False,
                             progress=False, **own)
    assert float(a) == float(b) and torch.equal(a.stderr, b.stderr) and a.evaluations == b.evaluations == 600
    c = ip.coalition_shapley(function_game(table), (2, 3), method="coalition_sampling", budget=600, seed=6,
                             enumerate_contexts=False, **own)
    assert float(c) != float(a)


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
        got = ip.interaction_significance(model.game, model.A, method="learned_partitions", seed=0)
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
    got = ip.interaction_significance(game, A, method="learned_partitions", seed=0, contexts=16, final_contexts=16)
    table = game.table()
    want = ip.interaction_significance(ip.TableGame(table), A)
    # additive gaps (2|3, 4|5) are ties, so compare the partitions by their exact scores
    best = exact_partition_score(table, A, want.max_partition)
    worst = exact_partition_score(table, A, want.min_partition)
    assert abs(exact_partition_score(table, A, got.max_partition) - best) < 1e-9
    assert abs(exact_partition_score(table, A, got.min_partition) - worst) < 1e-9
    assert (1, 2) == got.max_partition[0][:2] and (5, 6) in got.min_partition  # x joins (max), -x joins (min)
    assert not any({3, 4} <= set(b) for b in got.max_partition)  # | separates in the max partition
    assert abs(float(got) - float(want)) < 1e-9


def test_score_methods_tallies_estimators_and_baselines():
    models = toy.make_dataset("and_or", 4, seed=2)
    scores = toy.score_methods(models, seed=0)
    assert list(scores) == list(toy.METHODS)
    assert scores["exact"].accuracy == 1.0  # exact T recovers the ground truth
    total = sum(1 << m.n for m in models)
    assert scores["exact"].evaluations == scores["shapley_pairs"].evaluations == total
    assert scores["leave_one_out"].evaluations == sum(2 * len(m.A) for m in models)
    assert scores["random"].evaluations == 0 and all(s.models == 4 for s in scores.values())
    assert len({s.scored for s in scores.values()}) == 1
    # an estimator object, keyed by its name; model i gets seed derive_seed(estimator.seed, i)
    from interplay._internal.seeds import derive_seed

    learned = LearnedPartitions(updates=8, seed=5)
    got = toy.score_methods(models, [learned, "leave_one_out"])
    assert list(got) == ["learned_partitions", "leave_one_out"]
    correct = evaluations = 0
    for i, model in enumerate(models):
        fresh = toy.make_dataset("and_or", 4, seed=2)[i]
        r = ip.interaction_significance(fresh.game, fresh.A, method=learned.replace(seed=derive_seed(5, i)))
        correct += model.score(r.max_partition)[0]
        evaluations += r.evaluations
    assert (got["learned_partitions"].correct, got["learned_partitions"].evaluations) == (correct, evaluations)
    assert got["leave_one_out"].to_dict() | {"seconds": 0} == scores["leave_one_out"].to_dict() | {"seconds": 0}
    for bad, message in ((["magic"], "unknown method"), ([], "non-empty"), ("exact", "non-empty"),
                         (["exact", ip.Exact()], "twice"), ([CoalitionSampling()], "does not compute")):
        with pytest.raises(ValueError, match=message):
            toy.score_methods(models, bad)
