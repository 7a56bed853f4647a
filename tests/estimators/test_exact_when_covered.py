"""A sampler whose budget covers all 2^n coalitions returns the exact values (``Sampler.exact_when_covered``),
and the estimators' answers scale with the game.

- Full budget: for every registered sampler and every quantity it shares with ``Exact``, called through the
  public functions on random tables of 2..7 players with a budget in [2^n, 4 * 2^n], the values are Exact's bit
  for bit (NaN where Exact's are NaN), the stderr is zero (NaN where the values are NaN; never None: the rule
  always sets one), the other fields are Exact's, the estimator is the sampler object itself and the rows
  evaluated are the 2^n of the table (0 on a TableGame, whose table is cached). With ``exact_when_covered=False``
  the sampler's own design runs instead (finite values where Exact's are, at most its budget), or refuses the
  way it documents (a budget below its minimum, a game too small for it, partitions it does not search).
- Not covered: RII (rate contexts, which Exact does not compute), a budget of 2^n - 1, more players than the
  exact limit.
- Scale: Regression and GaussianProcess (SV, BV, SII and BII matrices) on 8..12 players with a budget below 2^n
  give c * estimate(v) for the game c * v (to 1e-12 of the largest |value|), their stderr |c| * stderr, for c
  from 1e-300 to 1e300 (they scale the rewards by a power of two internally); Permutation, PairSampling and
  SharedPairs are linear in v (values to 1e-12 for every c; stderr |c| * stderr while c^2 stays in the float
  range: their variances are sums of squared rewards).
"""
import dataclasses
import re

import pytest
import torch

import interplay as ip
import interplay.multivariate  # noqa: F401  (registers coalition_sampling, learned_partitions)
from interplay.methods import BudgetTooSmall, exact_fits_budget, registered

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))
SAMPLERS = {name: cls for name, cls in registered().items() if issubclass(cls, ip.Sampler)}


def table_of(n, seed):
    return torch.randn(1 << n, dtype=torch.float64, generator=torch.Generator().manual_seed(seed))


def counting_game(table, n):
    """A fresh function game over the table: it counts the rows it evaluates (a TableGame does not)."""
    return ip.Game(lambda c: table[ip.coalitions_to_masks(c)], n)


def distinct_pairs(data, n):
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1])
    return data.draw(st.lists(pairs, min_size=1, max_size=4, unique_by=lambda p: frozenset(p)), label="pairs")


def subset(data, players, min_size, label):
    return tuple(sorted(data.draw(st.lists(st.sampled_from(players), min_size=min_size, max_size=len(players),
                                           unique=True), label=label)))


# The public calls of each quantity Exact computes too, with their subject drawn for an n-player game:
# draw(data, n) -> call(game, **keywords) -> Result. RII pair interactions are not covered (Exact has no RII).
def _values(fn):
    return lambda data, n: lambda g, **kw: fn(g, **kw)


def _pairs(index):
    def draw(data, n):
        pairs = distinct_pairs(data, n)
        return lambda g, **kw: ip.pair_interactions(g, pairs, index, **kw)
    return draw


def _matrix(fn):
    def draw(data, n):
        pairs = data.draw(st.none() | st.just(distinct_pairs(data, n)), label="matrix pairs")
        return lambda g, **kw: fn(g, pairs=pairs, **kw)
    return draw


def _multi_order(data, n):
    i, j = distinct_pairs(data, n)[0]
    how = data.draw(st.sampled_from(["all", "order", "orders"]), label="orders")
    extra = {"all": {},
             "order": {"order": data.draw(st.integers(0, n - 2), label="order")},
             "orders": {"orders": list(subset(data, list(range(n - 1)), 1, "order list"))}}[how]
    return lambda g, **kw: ip.multi_order_interaction(g, i, j, **extra, **kw)


def _coalition_shapley(data, n):
    coalition = subset(data, list(range(n)), 1, "coalition")
    rest = [p for p in range(n) if p not in coalition]
    absent = subset(data, rest, 0, "absent") if rest else ()
    return lambda g, **kw: ip.coalition_shapley(g, coalition, absent, **kw)


def _significance(data, n):
    A = subset(data, list(range(n)), 2, "A")
    family = data.draw(st.sampled_from(["contiguous", "all"]), label="partitions")
    return lambda g, **kw: ip.interaction_significance(g, A, family, **kw)


CALLS = {
    "shapley_values": {"shapley_values": _values(ip.shapley_values)},
    "banzhaf_values": {"banzhaf_values": _values(ip.banzhaf_values)},
    "pair_interactions": {"pair_interactions SII": _pairs("SII"), "pair_interactions BII": _pairs("BII")},
    "interaction_matrix": {"shapley_interaction_matrix": _matrix(ip.shapley_interaction_matrix),
                           "banzhaf_interaction_matrix": _matrix(ip.banzhaf_interaction_matrix)},
    "multi_order_interaction": {"multi_order_interaction": _multi_order},
    "coalition_shapley": {"coalition_shapley": _coalition_shapley},
    "interaction_significance": {"interaction_significance": _significance},
}
CASES = [(name, label) for name, cls in sorted(SAMPLERS.items()) for quantity in cls.computes()
         if quantity in ip.Exact.computes() for label in CALLS.get(quantity, {"(no public call listed)": None})]


def test_every_sampler_and_quantity_shared_with_exact_is_covered_here():
    assert set(SAMPLERS) >= {"permutation", "pair_sampling", "shared_pairs", "regression", "gaussian_process",
                             "coalition_sampling", "learned_partitions"}
    assert all(label != "(no public call listed)" for _, label in CASES), CASES
    for cls in SAMPLERS.values():
        assert set(cls.computes()) <= set(ip.Exact.computes())  # nothing a sampler computes lacks the exact rule


def test_the_field_and_its_checks():
    """exact_when_covered: True by default, after budget, seed, progress in every sampler; bools only."""
    for cls in SAMPLERS.values():
        assert cls.parameters()[:4] == ("budget", "seed", "progress", "exact_when_covered"), cls
        assert cls().exact_when_covered is True and cls(exact_when_covered=False).exact_when_covered is False
        for bad in (1, 0, None, "no", 1.0):
            with pytest.raises(TypeError, match="exact_when_covered must be a bool"):
                cls(exact_when_covered=bad)
    assert exact_fits_budget(7, 128) and not exact_fits_budget(7, 127) and not exact_fits_budget(31, 1 << 62)


def refusal_is_documented(error, n, budget):
    """The sampler's own path may refuse a small game the ways it documents (and nothing else)."""
    message = str(error)
    minimum = re.search(r"minimum budget is (\d+)|it needs at least (\d+)", message)
    if minimum:  # a budget below its smallest design, naming that design's budget
        assert isinstance(error, BudgetTooSmall) or "too small" in message
        assert int(minimum.group(1) or minimum.group(2)) > budget, message
        return True
    if "at least 3 players" in message:  # sampled pair interactions
        assert n < 3, message
        return True
    return "partitions='contiguous'" in message  # the learned search parameterises runs of neighbours only


@pytest.mark.parametrize("method, label", CASES)
@SETTINGS
@given(data=st.data())
def test_a_covering_budget_gives_exact_bit_for_bit(method, label, data):
    cls = SAMPLERS[method]
    quantity = next(q for q, calls in CALLS.items() if label in calls)
    n = data.draw(st.integers(2, 7), label="n")
    table = table_of(n, data.draw(st.integers(0, 2 ** 32 - 1), label="table seed"))
    call = CALLS[quantity][label](data, n)
    budget = data.draw(st.integers(1 << n, 4 << n), label="budget")
    seed = data.draw(st.integers(0, 2 ** 64 - 1), label="seed")
    want = call(ip.TableGame(table))  # Exact
    assert type(want.estimator) is ip.Exact

    sampler = cls(budget=budget, seed=seed)
    r = call(ip.TableGame(table), method=sampler)
    torch.testing.assert_close(r.values, want.values, rtol=0, atol=0, equal_nan=True)
    zero = torch.where(torch.isnan(want.values), want.values, torch.zeros_like(want.values))
    assert r.stderr is not None  # Exact's is None; the rule always gives the zero stderr
    torch.testing.assert_close(r.stderr, zero, rtol=0, atol=0, equal_nan=True)
    assert r.estimator is sampler and r.method == method and r.evaluations == 0  # a TableGame's table is cached
    for field in dataclasses.fields(ip.Result):
        if field.name not in ("values", "stderr", "estimator", "evaluations"):
            assert getattr(r, field.name) == getattr(want, field.name), field.name
    game = counting_game(table, n)
    by_name = call(game, method=method, budget=budget, seed=seed)
    torch.testing.assert_close(by_name.values, want.values, rtol=0, atol=0, equal_nan=True)
    assert by_name.evaluations == game.evaluations == 1 << n and by_name.estimator == sampler

    # exact_when_covered=False: the sampler's own design (or the refusal it documents)
    own = cls(budget=budget, seed=seed, exact_when_covered=False)
    game = counting_game(table, n)
    try:
        s = call(game, method=own)
    except ValueError as e:
        assert refusal_is_documented(e, n, budget), e
        assert game.evaluations == 0  # refused before evaluating
        return
    assert s.estimator is own and s.method == method and 0 < s.evaluations == game.evaluations <= budget
    assert torch.equal(torch.isnan(s.values), torch.isnan(want.values))  # the same entries estimated
    assert bool(torch.isfinite(s.values[~torch.isnan(want.values)]).all())
    if s.stderr is not None:
        estimated = ~torch.isnan(want.values)
        assert bool((torch.isfinite(s.stderr[estimated]) & (s.stderr[estimated] >= 0)).all())


def test_the_own_path_is_the_sampler_not_exact():
    """At 2 * 2^6 rows permutation sampling is not exact; by default the same sampler returns exact."""
    table = table_of(6, 11)
    want = ip.shapley_values(ip.TableGame(table)).values
    own = ip.shapley_values(counting_game(table, 6), method="permutation", budget=128, seed=3, exact_when_covered=False)
    assert not torch.equal(own.values, want) and bool((own.stderr > 0).all())
    assert own.evaluations == 25 * 5 + 2  # the whole permutations (5 rows each) that fit, v(∅) and v(N)
    covered = ip.shapley_values(ip.TableGame(table), method="permutation", budget=128, seed=3)
    assert torch.equal(covered.values, want)
    # one row short of the table (2^6 - 1): the sampler's own estimate, whatever the flag
    short = ip.shapley_values(ip.TableGame(table), method="permutation", budget=63, seed=3)
    same = ip.shapley_values(ip.TableGame(table), method="permutation", budget=63, seed=3, exact_when_covered=False)
    assert torch.equal(short.values, same.values) and not torch.equal(short.values, want)
    assert bool((short.stderr > 0).all())


@pytest.mark.parametrize("method", ["pair_sampling", "shared_pairs"])
def test_rate_contexts_are_never_covered(method):
    """RII (keep rates): Exact has no RII, so a covering budget still samples."""
    table = table_of(6, 5)
    game = counting_game(table, 6)
    r = ip.pair_interactions(game, [(0, 1), (2, 4)], "RII", rate=(0.5, 0.5), method=method, budget=4 << 6, seed=1)
    assert r.index == "RII" and 0 < r.evaluations == game.evaluations <= 4 << 6
    assert bool((r.stderr > 0).all())
    same = ip.pair_interactions(counting_game(table, 6), [(0, 1), (2, 4)], "RII", rate=(0.5, 0.5), method=method,
                                budget=4 << 6, seed=1, exact_when_covered=False)
    assert torch.equal(r.values, same.values) and torch.equal(r.stderr, same.stderr)


# -- scale ---------------------------------------------------------------------------------------------------
POWERS = st.integers(-300, 300).map(lambda k: 10.0 ** k)
SCALES = st.tuples(st.sampled_from([1.0, -1.0]), POWERS | st.sampled_from([3.7, 1e-7 * 5, 1.0 / 3.0, 2.5e299]))


def scale_case(data):
    n = data.draw(st.integers(8, 12), label="n")
    table = table_of(n, data.draw(st.integers(0, 2 ** 32 - 1), label="table seed"))
    budget = data.draw(st.integers(min(150, (1 << n) - 1), min(1200, (1 << n) - 1)), label="budget")
    sign, magnitude = data.draw(SCALES, label="c")
    assert not exact_fits_budget(n, budget)
    return n, table, budget, sign * magnitude


def assert_scaled(r, base, c, stderr=True):
    want = c * base.values
    largest = float(want.nan_to_num(0).abs().max())
    torch.testing.assert_close(r.values, want, rtol=0, atol=1e-12 * largest, equal_nan=True)
    assert bool(torch.isfinite(r.values[~torch.isnan(want)]).all())
    if not stderr:
        return
    assert (r.stderr is None) == (base.stderr is None)
    if base.stderr is not None:
        want = abs(c) * base.stderr
        largest = float(want.nan_to_num(0).abs().max())
        torch.testing.assert_close(r.stderr, want, rtol=0, atol=1e-12 * largest, equal_nan=True)


COMPLEMENTARY_CALLS = {
    "SV": ip.shapley_values, "BV": ip.banzhaf_values,
    "SII matrix": ip.shapley_interaction_matrix, "BII matrix": ip.banzhaf_interaction_matrix,
}


@pytest.mark.parametrize("quantity", list(COMPLEMENTARY_CALLS))
@pytest.mark.parametrize("method", ["regression", "gaussian_process"])
@SETTINGS
@given(data=st.data())
def test_complementary_estimates_are_scale_equivariant(method, quantity, data):
    n, table, budget, c = scale_case(data)
    seed = data.draw(st.integers(0, 2 ** 64 - 1), label="seed")
    # the GP reports a stderr where it corrects a fit on fewer pairs (fit_rows): both forms
    extra = {"fit_rows": data.draw(st.sampled_from([40, 4096]), label="fit_rows")} if method == "gaussian_process" \
        else {}
    est = SAMPLERS[method](budget=budget, seed=seed, **extra)
    fn = COMPLEMENTARY_CALLS[quantity]
    base = fn(ip.TableGame(table), method=est)
    assert_scaled(fn(ip.TableGame(c * table), method=est), base, c)


def linear_call(method, data, n):
    if method == "permutation":
        return ip.shapley_values
    pairs = distinct_pairs(data, n)
    index = data.draw(st.sampled_from(["SII", "BII"]), label="index")
    if method == "pair_sampling" and data.draw(st.booleans(), label="matrix"):
        fn = ip.shapley_interaction_matrix if index == "SII" else ip.banzhaf_interaction_matrix
        return lambda g, **kw: fn(g, pairs=pairs, **kw)
    return lambda g, **kw: ip.pair_interactions(g, pairs, index, **kw)


@pytest.mark.parametrize("method", ["permutation", "pair_sampling", "shared_pairs"])
@SETTINGS
@given(data=st.data())
def test_sampling_estimates_are_linear_in_the_game(method, data):
    n, table, budget, c = scale_case(data)
    seed = data.draw(st.integers(0, 2 ** 64 - 1), label="seed")
    fn = linear_call(method, data, n)
    est = SAMPLERS[method](budget=budget, seed=seed)
    base = fn(ip.TableGame(table), method=est)
    assert base.stderr is not None
    # the stderr from the spread of the samples: |c| * stderr at every scale (the rewards are reduced divided
    # by a power of two)
    assert_scaled(fn(ip.TableGame(c * table), method=est), base, c, stderr=True)


@pytest.mark.parametrize("c", [1e-300, 1e300])
def test_sampling_stderr_at_extreme_scales(c):
    table = table_of(10, 4)
    base = ip.shapley_values(ip.TableGame(table), method="permutation", budget=700, seed=1)
    r = ip.shapley_values(ip.TableGame(c * table), method="permutation", budget=700, seed=1)
    assert_scaled(r, base, c)
