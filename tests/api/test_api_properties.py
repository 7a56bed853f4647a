"""Property-based tests over the public API. Whatever the input
(random shapes, dtypes, sizes near overflow, NaN/Inf, empty and strided tensors, bad keyword
values), interplay gives a clean Python exception (ValueError / TypeError / MemoryError with a
one-line message) or a correct result (equal to the brute-force definition where that is cheap).
Deterministic (derandomize=True) and bounded to well under two minutes."""
import math

import pytest
import torch

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import interplay as ip  # noqa: E402
import reference as ref  # noqa: E402

CLEAN = (ValueError, TypeError, MemoryError)
SETTINGS = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))


def clean(e: BaseException) -> None:
    assert isinstance(e, CLEAN), f"{type(e).__name__}: {e}"
    message = str(e)
    assert message and "\n" not in message.strip(), repr(message)
    assert "Traceback" not in message and "NULL pointer" not in message


def attempt(fn):
    """fn() or the clean exception it raised (anything else fails the test)."""
    try:
        return fn()
    except BaseException as e:  # noqa: BLE001 - the point is to classify it
        clean(e)
        return e


# -- values that a careless caller passes ---------------------------------------------------------
near_overflow = st.sampled_from([2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 32 + 1, 2 ** 62, 2 ** 62 + 1, 2 ** 63 - 1,
                                 2 ** 63, 2 ** 64 - 1, 2 ** 64, 10 ** 30, -(2 ** 63), -1])
junk = st.one_of(
    st.integers(-5, 40), near_overflow, st.booleans(), st.none(),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(["", "1", "exact", "all", "auto"]),
    st.complex_numbers(max_magnitude=3), st.lists(st.integers(-2, 8), max_size=3).map(tuple),
    st.just(torch.tensor(1.5)), st.just(torch.tensor(2)), st.just(torch.tensor([0, 1])),
)
index_like = st.one_of(st.integers(-2, 8), near_overflow, st.booleans(), st.floats(-1, 8),
                       st.just(torch.tensor(1)), st.just(torch.tensor(1.0)), st.sampled_from(["0", None]))


def is_index(v) -> bool:
    """An integer index: a Python int, or a 0-d integer tensor (never a bool, float or array)."""
    if isinstance(v, torch.Tensor):
        return v.dim() == 0 and not v.is_floating_point() and not v.is_complex() and v.dtype != torch.bool
    return type(v) is int


def tables():
    n = st.integers(1, 6)
    return n.flatmap(lambda k: st.lists(st.floats(-10, 10), min_size=1 << k, max_size=1 << k)).map(
        lambda xs: torch.tensor(xs, dtype=torch.float64))


@SETTINGS
@given(values=tables())
def test_shapley_and_banzhaf_values_equal_brute_force(values):
    n = values.numel().bit_length() - 1
    game = ip.TableGame(values)
    sv, bv = ip.shapley_values(game).values, ip.banzhaf_values(game).values
    for i in range(n):
        assert sv[i].item() == pytest.approx(ref.shapley_value(values, n, i), abs=1e-9)
        assert bv[i].item() == pytest.approx(ref.banzhaf_value(values, n, i), abs=1e-9)


@SETTINGS
@given(values=tables(), i=index_like, j=index_like)
def test_pair_indices_are_clean_errors_or_brute_force(values, i, j):
    n = values.numel().bit_length() - 1
    game = ip.TableGame(values)
    r = attempt(lambda: ip.shapley_interaction(game, i, j))
    if not isinstance(r, BaseException):  # then i, j were two distinct ints in range, nothing truncated
        assert is_index(i) and is_index(j)
        assert float(r) == pytest.approx(ref.shapley_interaction_eq2(values, n, int(i), int(j)), abs=1e-9)
    r = attempt(lambda: ip.pair_interactions(game, [(i, j)], index="BII"))
    if not isinstance(r, BaseException):
        assert r.values[0].item() == pytest.approx(ref.banzhaf_interaction(values, n, int(i), int(j)), abs=1e-9)


@SETTINGS
@given(values=tables(), A=st.lists(index_like, max_size=4), absent=st.lists(index_like, max_size=2),
       family=st.sampled_from(["contiguous", "all", "some", None]))
def test_multivariate_indices_are_clean_errors_or_brute_force(values, A, absent, family):
    n = values.numel().bit_length() - 1
    game = ip.TableGame(values)
    r = attempt(lambda: ip.coalition_shapley(game, A, absent))
    if not isinstance(r, BaseException):
        assert all(map(is_index, A + absent))
        assert float(r) == pytest.approx(ref.coalition_shapley(values, n, [int(a) for a in A],
                                                               [int(a) for a in absent]), abs=1e-9)
    r = attempt(lambda: ip.multivariate_interaction(game, A))
    if not isinstance(r, BaseException):
        assert float(r) == pytest.approx(ref.multivariate_interaction(values, n, [int(a) for a in A]), abs=1e-9)
    r = attempt(lambda: ip.interaction_significance(game, A, partitions=family))
    if not isinstance(r, BaseException):
        expected = ref.significance(values, n, [int(a) for a in A], family)
        assert float(r) == pytest.approx(expected[0] if isinstance(expected, tuple) else expected, abs=1e-9)


@SETTINGS
@given(values=tables(), i=index_like, j=index_like, order=st.one_of(index_like, st.lists(index_like, max_size=3)),
       ranges=st.lists(st.tuples(st.floats(allow_nan=True), st.floats(allow_nan=True)), max_size=2))
def test_orders_are_clean_errors_or_brute_force(values, i, j, order, ranges):
    n = values.numel().bit_length() - 1
    game = ip.TableGame(values)
    kw = {"orders": order} if isinstance(order, list) else {"order": order}
    r = attempt(lambda: ip.multi_order_interaction(game, i, j, **kw))
    if not isinstance(r, BaseException):
        orders = [int(o) for o in order] if isinstance(order, list) else [int(order)]
        assert is_index(i) and is_index(j) and all(map(is_index, order if isinstance(order, list) else [order]))
        got = r.values.reshape(-1)
        for k, s in enumerate(orders):
            assert got[k].item() == pytest.approx(ref.multi_order(values, n, int(i), int(j), s), abs=1e-9)
    attempt(lambda: ip.multi_order_interaction(game, 0, n - 1, order_ranges=ranges))


dtypes = st.sampled_from([torch.float16, torch.bfloat16, torch.float32, torch.float64, torch.int8, torch.uint8,
                          torch.int32, torch.int64, torch.bool, torch.complex64])


@SETTINGS
@given(size=st.integers(0, 70), dtype=dtypes, special=st.sampled_from([None, math.nan, math.inf, -math.inf]),
       stride=st.integers(1, 3), dims=st.integers(0, 2))
def test_table_game_constructor(size, dtype, special, stride, dims):
    raw = torch.arange(size * stride, dtype=torch.float64) % 5 - 2
    applied = special is not None and size > 0 and (dtype.is_floating_point or dtype.is_complex)
    if applied:
        raw[0] = special
    values = raw.to(dtype)[::stride]  # strided when stride > 1
    if dims == 0 and values.numel() == 1:
        values = values[0]
    elif dims == 2:
        values = values.reshape(1, -1)
    game = attempt(lambda: ip.TableGame(values))
    if not isinstance(game, BaseException):
        assert values.dim() == 1 and values.numel() >= 2 and values.numel() & (values.numel() - 1) == 0
        assert dtype not in (torch.bool, torch.complex64) and not applied
        assert torch.equal(game.table(), values.to(torch.float64))


@SETTINGS
@given(n=st.one_of(st.integers(-2, 70), near_overflow, st.booleans(), st.floats()), batch=junk, progress=junk)
def test_game_constructor(n, batch, progress):
    game = attempt(lambda: ip.Game(lambda c: c.sum(1).double(), n, batch_size=batch, progress=progress))
    if not isinstance(game, BaseException):
        assert type(n) is int and n >= 1 and is_index(batch) and 1 <= int(batch) < 2 ** 62
        assert progress is None or type(progress) is bool
        if n <= 8:
            assert ip.shapley_values(game).values.sum().item() == pytest.approx(n)
        else:  # refused or within budget; never a crash
            attempt(lambda: ip.shapley_values(game, method="permutation", budget=4 * n + 2))


ESTIMATORS = [ip.Exact, ip.Permutation, ip.PairSampling, ip.SharedPairs, ip.CoalitionSampling, ip.LearnedPartitions]


@SETTINGS
@given(cls=st.sampled_from(ESTIMATORS), data=st.data())
def test_estimator_constructors_and_runs(cls, data):
    options = {name: data.draw(junk, label=name) for name in data.draw(
        st.lists(st.sampled_from(cls.parameters() + ("nonsense",)), max_size=3, unique=True))}
    est = attempt(lambda: cls.create(**options))
    if isinstance(est, BaseException):
        return
    assert "nonsense" not in options
    for name, value in options.items():  # a value taken is one of its type: nothing truncated
        assert not isinstance(value, complex) and not (isinstance(value, float) and not math.isfinite(value))
    game = ip.TableGame(torch.arange(16, dtype=torch.float64) % 7)
    for quantity in cls.computes()[:2]:
        fn = getattr(ip, quantity, None)
        if quantity == "shapley_values":
            attempt(lambda: fn(game, method=est))
        elif quantity == "pair_interactions":
            attempt(lambda: fn(game, [(0, 1)], method=est))


@SETTINGS
@given(key=st.sampled_from(["index", "values", "n_players", "evaluations", "stderr", "players", "pairs", "absent",
                            "sizes", "labels", "grid", "estimator", "partitions", "search", "dtype", "format",
                            "extra"]), value=st.one_of(junk, st.lists(junk, max_size=3), st.dictionaries(
                                st.sampled_from(["name", "budget", "x"]), junk, max_size=2)))
def test_tampered_result_dicts_are_refused_or_round_trip(key, value):
    good = ip.pair_interactions(ip.TableGame(torch.arange(16, dtype=torch.float64) % 7), [(0, 1), (2, 3)]).to_dict()
    tampered = dict(good, **{key: value})
    r = attempt(lambda: ip.Result.from_dict(tampered))
    if not isinstance(r, BaseException):
        assert ip.Result.from_dict(r.to_dict()).to_dict() == r.to_dict()
