"""The public API's contract: strict keywords on every public function, ``method=`` as
an object or a name, ``budget=`` honoured and counted by every sampler, exact picked by the budget
when 2^n evaluations fit, an estimator asked for a quantity it does not compute names the ones
that do, and every result carries the estimator object that produced it."""
import re

import pytest
import torch

import interplay as ip
import interplay.multivariate  # noqa: F401  (registers coalition_sampling, learned_partitions)
from interplay.methods import methods_for, registered

N = 6

# every public function of interplay.indices: (positional arguments after the game, its quantity)
CALLS = {
    "shapley_values": ((), "shapley_values"),
    "banzhaf_values": ((), "banzhaf_values"),
    "harsanyi_dividends": ((), "harsanyi_dividends"),
    "shapley_interaction": ((0, 1), "pair_interactions"),
    "banzhaf_interaction": ((0, 1), "pair_interactions"),
    "pair_interactions": (([(0, 1), (2, 3)],), "pair_interactions"),
    "shapley_interaction_matrix": ((), "interaction_matrix"),
    "banzhaf_interaction_matrix": ((), "interaction_matrix"),
    "multi_order_interaction": ((0, 1), "multi_order_interaction"),
    "marginal_rewards": ((0, 1), "marginal_rewards"),
    "average_marginal_rewards": ((0, 1), "average_marginal_rewards"),
    "coalition_shapley": (((0, 1),), "coalition_shapley"),
    "multivariate_interaction": (((0, 1, 2),), "multivariate_interaction"),
    "elementary_interaction": (((0, 1, 2), (0, 1)), "elementary_interaction"),
    "interaction_significance": (((0, 1, 2),), "interaction_significance"),
    "interaction_values": (("k-SII", 2), "interaction_values"),
}
DEFAULT_SAMPLER = {"shapley_values": ip.GaussianProcess, "banzhaf_values": ip.GaussianProcess,
                   "pair_interactions": ip.GaussianProcess, "interaction_matrix": ip.GaussianProcess,
                   "multi_order_interaction": ip.PairSampling,
                   "coalition_shapley": interplay.multivariate.CoalitionSampling,
                   "interaction_significance": interplay.multivariate.LearnedPartitions}
MINE = (ip.Permutation, ip.PairSampling, ip.SharedPairs)


def game(n=N, seed=0):
    """A fresh function game (nothing cached) that counts its rows."""
    table = torch.randn(1 << n, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    return ip.Game(lambda c: table[ip.coalitions_to_masks(c)], n)


def call(name, g, **kw):
    return getattr(ip, name)(g, *CALLS[name][0], **kw)


def computing(sampling_only=False):
    """(function, method name) for every method that computes the function's quantity."""
    out = []
    for name, (_, quantity) in CALLS.items():
        for method in methods_for(quantity):
            if not sampling_only or issubclass(registered()[method], ip.Sampler):
                out.append((name, method))
    return out


def same(a, b):
    torch.testing.assert_close(a.values, b.values, rtol=0, atol=0, equal_nan=True)
    if a.stderr is None:
        assert b.stderr is None
    else:
        torch.testing.assert_close(a.stderr, b.stderr, rtol=0, atol=0, equal_nan=True)
    assert a.evaluations == b.evaluations and a.estimator == b.estimator and a.index == b.index


def test_every_public_function_is_covered():
    assert set(CALLS) == set(ip.indices.__all__)
    assert {q for _, q in CALLS.values()} == set(ip.methods.QUANTITIES)


@pytest.mark.parametrize("name", list(CALLS))
def test_exact_keywords_are_strict(name):
    g = game()
    for bad in ("sampels", "seed", "antithetic"):
        with pytest.raises(TypeError, match=f"method 'exact' does not take '{bad}'; it takes: budget$"):
            call(name, g, **{bad: 3})
    # keywords of other libraries name what interplay does instead
    for bad, hint in (("samples", r"budget= counts the rows sent to the game"),
                      ("device", r"the device is the game's: a ModelGame evaluates where its model's parameters "
                                 r"are \(move the model\)")):
        with pytest.raises(TypeError, match=f"method 'exact' does not take '{bad}'; it takes: budget \\({bad}: {hint}\\)$"):
            call(name, g, **{bad: 3})
    assert g.evaluations == 0  # refused before evaluating anything


@pytest.mark.parametrize("name,method", computing())
def test_misspelt_keywords_list_the_valid_ones(name, method):
    g = game()
    with pytest.raises(TypeError) as info:
        call(name, g, method=method, budget=500, sampels=3)
    message = str(info.value)
    assert f"method {method!r} does not take 'sampels'; it takes: " in message
    for parameter in registered()[method].parameters():
        assert parameter in message.split("it takes: ")[1]
    with pytest.raises(TypeError, match="does not take 'sampels'"):  # an object with keywords: the same rule
        call(name, g, method=registered()[method](), sampels=3)
    with pytest.raises(TypeError, match="does not take 'sampels'"):
        registered()[method].create(sampels=3)
    assert g.evaluations == 0


@pytest.mark.parametrize("name", list(CALLS))
def test_a_method_that_does_not_compute_the_quantity_names_those_that_do(name):
    quantity = CALLS[name][1]
    others = [m for m in registered() if m not in methods_for(quantity)]
    assert others  # every quantity has a method that does not compute it
    for method in others:
        want = f"method {method!r} does not compute {quantity}; methods that do: {methods_for(quantity)}"
        with pytest.raises(ValueError, match=re.escape(want)):
            call(name, game(), method=method)
        with pytest.raises(ValueError, match=re.escape(want)):
            call(name, game(), method=registered()[method]())


def test_unknown_method_names_those_that_compute():
    with pytest.raises(ValueError, match=re.escape("unknown method 'nope'; methods that compute "
                                                   "shapley_values: ['exact', 'gaussian_process', 'permutation', 'regression']")):
        ip.shapley_values(game(), method="nope")
    with pytest.raises(TypeError, match="method must be an Estimator or a method name"):
        ip.shapley_values(game(), method=ip.Permutation)  # the class, not a value


@pytest.mark.parametrize("name,method", computing())
def test_method_as_object_or_name_gives_identical_results(name, method):
    cls = registered()[method]
    # a sampler: its own path (exact_when_covered=False: 2^6 <= 700) and the exact values it returns
    for kw in [{}] if cls is ip.Exact else [dict(budget=700, seed=7, exact_when_covered=False),
                                             dict(budget=700, seed=7)]:
        by_name = call(name, game(), method=method, **kw)
        obj = cls(**kw)
        by_object = call(name, game(), method=obj)
        with_keywords = call(name, game(), method=cls(), **kw)  # the object's parameters replaced by keywords
        same(by_name, by_object)
        same(by_name, with_keywords)
        assert by_object.estimator is obj and by_name.estimator == obj and with_keywords.estimator == obj
        assert by_name.method == method and type(by_name.estimator) is cls


@pytest.mark.parametrize("name,method", computing(sampling_only=True))
def test_budget_is_honoured_and_counted(name, method):
    cls = registered()[method]
    own = dict(exact_when_covered=False)  # 2^6 <= every budget here: the sampler's own path
    for budget in (300, 701, 2000):
        g = game(seed=budget)
        r = call(name, g, method=method, budget=budget, seed=1, **own)
        assert r.evaluations == g.evaluations, "evaluations are the rows the game really evaluated"
        assert 0 < r.evaluations <= budget
        assert r.estimator == cls(budget=budget, seed=1, **own)
    if cls not in MINE:
        return
    # too small a budget names the smallest one that works (2 samples; replicates when systematic)
    with pytest.raises(ValueError, match="minimum budget is") as info:
        call(name, game(), method=method, budget=1)
    minimum = int(re.search(r"minimum budget is (\d+)", str(info.value)).group(1))
    g = game()
    r = call(name, g, method=method, budget=minimum, **own)
    assert r.evaluations == g.evaluations <= minimum
    with pytest.raises(ValueError, match=f"minimum budget is {minimum}"):
        call(name, game(), method=method, budget=minimum - 1, **own)
    if minimum - 1 >= 1 << N:  # below the design's minimum but covering all 2^n coalitions: exact
        g = game()
        r = call(name, g, method=method, budget=minimum - 1)
        exact = call(name, game())
        torch.testing.assert_close(r.values, exact.values, rtol=0, atol=0, equal_nan=True)
        zero = torch.where(torch.isnan(exact.values), exact.values, torch.zeros_like(exact.values))
        torch.testing.assert_close(r.stderr, zero, rtol=0, atol=0, equal_nan=True)
        assert r.estimator == cls(budget=minimum - 1) and r.evaluations == g.evaluations == 1 << N


def test_minimum_budgets_of_the_designs():
    # permutation: 2 permutations of n - 1 rows plus v(∅), v(N)
    with pytest.raises(ValueError, match=f"minimum budget is {2 * (N - 1) + 2}$"):
        ip.shapley_values(game(), method="permutation", budget=2 * (N - 1) + 1)
    # per-pair sampling: 2 samples of 4 rows per pair (and per size range)
    with pytest.raises(ValueError, match=f"minimum budget is {2 * 4 * 2}$"):
        ip.pair_interactions(game(), [(0, 1), (2, 3)], method="pair_sampling", budget=15)
    with pytest.raises(ValueError, match=f"minimum budget is {2 * 4 * 3}$"):
        ip.multi_order_interaction(game(), 0, 1, orders=[0, 1, 2], method="pair_sampling", budget=23)
    # shared pairs: 2 samples of 2 (1 + 4 players + 2 pairs) rows (antithetic); systematic: R samples
    with pytest.raises(ValueError, match=f"minimum budget is {2 * 2 * 7}$"):
        ip.pair_interactions(game(), [(0, 1), (2, 3)], method="shared_pairs", budget=27, border=0)
    with pytest.raises(ValueError, match=f"minimum budget is {5 * 7}$"):
        ip.pair_interactions(game(), [(0, 1), (2, 3)], method="shared_pairs", budget=34, border=0,
                             antithetic=False, systematic=True, replicates=5)


@pytest.mark.parametrize("name", list(CALLS))
def test_budget_without_method_picks_exact_iff_it_fits(name):
    quantity, n = CALLS[name][1], 10  # 10 players: every default sampler fits in 2^10 - 1 evaluations
    g = game(n)
    r = call(name, g, budget=1 << n, seed=3)  # the seed was for a sampler: exact takes none
    assert r.estimator == ip.Exact(budget=1 << n) and r.evaluations == g.evaluations == 1 << n
    assert call(name, g, budget=1 << n).evaluations == 0  # the table is cached
    g = game(n)
    if quantity in DEFAULT_SAMPLER:
        r = call(name, g, budget=(1 << n) - 1, seed=3)
        assert type(r.estimator) is DEFAULT_SAMPLER[quantity]  # 10 players: no shared contexts for few pairs
        assert r.estimator.budget == (1 << n) - 1 and r.estimator.seed == 3
        assert r.evaluations == g.evaluations <= (1 << n) - 1
    else:
        with pytest.raises(ValueError, match=f"exact needs 2\\^{n} = {1 << n} evaluations, more than budget"):
            call(name, g, budget=(1 << n) - 1)
        assert g.evaluations == 0
    # no budget, no method: exact
    assert call(name, game()).estimator == ip.Exact()


def test_a_default_sampler_that_does_not_fit_names_its_minimum():
    g = game()  # 6 players: v(∅), v(N) and 1 complementary pair
    with pytest.raises(ValueError, match="too small for 'gaussian_process'.*minimum budget is 4"):
        ip.shapley_interaction_matrix(g, budget=3)
    with pytest.raises(ValueError, match="too small for 'regression'.*minimum budget is 18"):  # 2 pairs x 4 folds
        ip.shapley_interaction_matrix(g, method="regression", budget=17, correction=True)
    assert g.evaluations == 0


@pytest.mark.parametrize("name", ["shapley_interaction_matrix", "banzhaf_interaction_matrix"])
@pytest.mark.parametrize("method", methods_for("interaction_matrix"))
def test_pairs_are_honoured_by_every_method(name, method):
    pairs = [(0, 1), (4, 2)]
    exact = getattr(ip, name)(game())
    kw = {} if method == "exact" else dict(budget=2000, exact_when_covered=False)  # 2^6 <= 2000: its own path
    r = getattr(ip, name)(game(), pairs=pairs, method=method, **kw)
    assert r.pairs == tuple(pairs) and r.shape == (N, N)
    estimated = torch.zeros(N, N, dtype=torch.bool)
    for i, j in pairs:
        estimated[i, j] = estimated[j, i] = True
    assert bool(torch.isnan(r.values[~estimated & ~torch.eye(N, dtype=torch.bool)]).all())
    assert bool(torch.isfinite(r.values[estimated]).all()) and bool((r.values.diagonal() == 0).all())
    if r.stderr is not None:
        assert bool(torch.isnan(r.stderr[~estimated & ~torch.eye(N, dtype=torch.bool)]).all())
        assert bool((r.stderr.diagonal() == 0).all())
        err = (r.values - exact.values)[estimated].abs()
        assert bool((err <= 4 * r.stderr[estimated] + 1e-9).all())
    else:
        torch.testing.assert_close(r.values[estimated], exact.values[estimated], rtol=0, atol=1e-12)


def test_sampler_values_and_defaults():
    for cls in MINE:
        e = cls()
        assert e.budget == 4096 and e.seed == 0 and e.progress is None and e.exact_when_covered is True
        assert issubclass(cls, ip.Sampler) and registered()[cls.name] is cls
        with pytest.raises(dataclass_error()):
            e.budget = 5  # frozen: a value
        assert e.replace(budget=10) == cls(budget=10) and e == cls()
    assert ip.Permutation.computes() == ("shapley_values",)
    assert ip.PairSampling.computes() == ("pair_interactions", "interaction_matrix", "multi_order_interaction")
    assert ip.SharedPairs.computes() == ("pair_interactions", "interaction_matrix")
    assert ip.SharedPairs.parameters() == ("budget", "seed", "progress", "exact_when_covered", "antithetic",
                                           "systematic", "replicates", "border", "border_fraction")
    s = ip.SharedPairs()
    assert (s.antithetic, s.systematic, s.replicates, s.border, s.border_fraction) == (None, False, 8, "auto", 0.5)
    for bad in (dict(budget=0), dict(budget=1.5), dict(seed=-1), dict(seed=1 << 64), dict(progress=1)):
        with pytest.raises((TypeError, ValueError)):
            ip.Permutation(**bad)


def dataclass_error():
    import dataclasses

    return dataclasses.FrozenInstanceError


def test_budget_without_method_serves_few_pairs_from_shared_contexts():
    """A short list of pairs (<= FEW_PAIRS of all pairs) of a game of >= FEW_PAIRS_MIN_PLAYERS
    players goes to shared_pairs when its plan fits the budget; more pairs, fewer players, a budget
    below its minimum or a keyword only the default takes keep the default."""
    from interplay.methods import FEW_PAIRS, FEW_PAIRS_MIN_PLAYERS

    n = FEW_PAIRS_MIN_PLAYERS
    g = ip.Game(lambda c: c.double() @ torch.arange(1.0, n + 1.0, dtype=torch.float64)
                + 3.0 * (c[:, 0] & c[:, 1]).double(), n)
    few = [(i, i + 1) for i in range(n - 1)]
    assert len(few) <= FEW_PAIRS * n * (n - 1) / 2
    for call in (lambda **kw: ip.shapley_interaction_matrix(g, pairs=few, **kw),
                 lambda **kw: ip.pair_interactions(g, few, **kw)):
        r = call(budget=4000, seed=3)
        same = call(method=ip.SharedPairs(systematic=True), budget=4000, seed=3)
        assert r.method == "shared_pairs" and r.estimator == same.estimator
        torch.testing.assert_close(r.values, same.values, rtol=0, atol=0, equal_nan=True)
        assert r.evaluations == same.evaluations <= 4000
        assert call(budget=60, seed=3).method == "gaussian_process"               # below shared_pairs' minimum
        assert call(budget=4000, seed=3, fit_rows=100).method == "gaussian_process"  # a keyword shared_pairs lacks
    many = [(i, j) for i in range(n) for j in range(i + 1, n)][:100]  # > FEW_PAIRS of all
    assert ip.shapley_interaction_matrix(g, pairs=many, budget=4000, seed=3).method == "gaussian_process"
    assert ip.shapley_interaction_matrix(g, budget=2000, seed=3).method == "gaussian_process"
    fewer = ip.Game(lambda c: c.double().sum(1), n - 1)  # fewer players: the Gaussian process
    assert ip.shapley_interaction_matrix(fewer, pairs=[(0, 1)], budget=4000, seed=3).method == "gaussian_process"
    large = 2 * ip.GaussianProcess.fit_rows + 1  # its cross-fitted form: the Gaussian process
    from interplay.methods import resolve

    def chosen(options, index="SII"):
        return resolve("pair_interactions", None, options, n, pairs=torch.tensor(few), index=index)

    assert chosen({"budget": large}).name == "gaussian_process"
    assert chosen({"budget": large - 1}).name == "shared_pairs"
    # sizes stratified where the budget buys a sample per replicate (SII), else plain shared contexts
    stratified = chosen({"budget": 4000})
    assert stratified.systematic and stratified == ip.SharedPairs(budget=4000, systematic=True)
    assert not chosen({"budget": 4000}, "BII").systematic
    assert not chosen({"budget": 300}).systematic
    user = chosen({"budget": 4000, "systematic": False})
    assert not user.systematic  # the caller's keyword wins
    # one policy for every pair function: one pair, a list of pairs and a matrix of listed pairs alike
    assert ip.shapley_interaction(g, 0, 1, budget=2000).method == "shared_pairs"
    assert ip.pair_interactions(g, [(0, 1)], budget=2000).method == "shared_pairs"
    assert ip.banzhaf_interaction(g, 0, 1, budget=2000).method == "shared_pairs"
    assert ip.shapley_interaction(g, 0, 1, budget=2000, fit_rows=100).method == "gaussian_process"
    small = ip.Game(lambda c: c.double().sum(1), 8)
    assert ip.shapley_interaction_matrix(small, pairs=[(0, 1)], budget=256).method == "exact"


def test_budget_switching_to_exact_drops_every_keyword_exact_does_not_take():
    """budget= without method= checks the keywords as the default sampler does at every budget; where
    the 2^n table fits, the ones Exact does not take are dropped (not only ``seed``)."""
    g = ip.Game(lambda c: c.double() @ torch.arange(1.0, 9.0, dtype=torch.float64), 8)
    exact = ip.shapley_values(g)
    for budget in (100, 2000):  # the sampler, then exact
        r = ip.shapley_values(g, budget=budget, progress=False, seed=4, folds=2)
        assert r.method == ("exact" if budget >= 256 else "gaussian_process")
        with pytest.raises(TypeError, match="does not take 'nope'"):
            ip.shapley_values(g, budget=budget, nope=1)
        with pytest.raises(ValueError, match="folds"):
            ip.shapley_values(g, budget=budget, folds=0)
    r = ip.shapley_values(g, budget=2000, progress=False)
    assert r.estimator == ip.Exact(budget=2000)
    torch.testing.assert_close(r.values, exact.values, rtol=0, atol=0)


def test_the_default_samplers_are_one_table():
    """methods.DEFAULT_SAMPLERS alone names the default samplers: each a registered estimator that
    computes its quantity (no module sets defaults when imported)."""
    from interplay import methods

    assert not hasattr(methods, "default_sampler") and not hasattr(methods, "_DEFAULT_SAMPLER")
    for quantity, name in methods.DEFAULT_SAMPLERS.items():
        assert quantity in methods.QUANTITIES
        assert quantity in registered()[name].computes(), (quantity, name)
