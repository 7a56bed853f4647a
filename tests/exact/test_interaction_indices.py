"""ip.interaction_values: every index against a brute-force definition from the literature, written
here independently of the Möbius weights of interplay.exact.weights (sums over all coalitions of small
random games), the identities between indices, and shapiq's ExactComputer (skipped without shapiq)."""
import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
import torch

import interplay as ip

INDICES = ["SV", "BV", "SII", "BII", "k-SII", "STII", "FSII", "FBII", "Moebius", "Co-Moebius"]


def game(n, seed, offset=0.0):
    g = torch.Generator().manual_seed(seed)
    return ip.TableGame(torch.randn(1 << n, dtype=torch.float64, generator=g) + offset)


def mask(c):
    return sum(1 << p for p in c)


def subsets(players, lo=0, hi=None):
    players = list(players)
    hi = len(players) if hi is None else hi
    return [c for t in range(lo, hi + 1) for c in itertools.combinations(players, t)]


def delta(v, T, S):
    """Discrete derivative Δ_T v(S) = Σ_{L ⊆ T} (-1)^{|T|-|L|} v(S ∪ L)."""
    return sum((-1) ** (len(T) - len(L)) * v[mask(S) | mask(L)] for L in subsets(T))


def bernoulli(m):
    b = [Fraction(1)]
    for j in range(1, m + 1):
        b.append(-sum(math.comb(j + 1, i) * b[i] for i in range(j)) / (j + 1))
    return [float(x) for x in b]


# -- brute force, from the definitions ----------------------------------------------------------------

def sii(v, n, T):  # Grabisch & Roubens (1999)
    rest = [p for p in range(n) if p not in T]
    t = len(T)
    return sum(math.factorial(n - len(S) - t) * math.factorial(len(S)) / math.factorial(n - t + 1) * delta(v, T, S)
               for S in subsets(rest))


def bii(v, n, T):
    rest = [p for p in range(n) if p not in T]
    return sum(delta(v, T, S) for S in subsets(rest)) / 2 ** (n - len(T))


def stii_top(v, n, T):  # Sundararajan et al. (2020), Eq. for |T| = k
    rest = [p for p in range(n) if p not in T]
    k = len(T)
    return k / n * sum(delta(v, T, S) / math.comb(n - 1, len(S)) for S in subsets(rest))


def least_squares(v, n, k, weights, constrained):
    """argmin Σ_S μ(S) (v(S) - Σ_{T ⊆ S, |T|<=k} β_T)^2 over the coalitions with weight, subject to
    exact fits at ∅ and N when constrained (Tsai et al. 2023, FSII); KKT system solved directly."""
    basis = subsets(range(n), 0, k)
    rows = subsets(range(n))
    X = np.array([[1.0 if set(T) <= set(S) else 0.0 for T in basis] for S in rows])
    y = np.array([v[mask(S)] for S in rows])
    keep = [i for i, S in enumerate(rows) if weights[len(S)] > 0]
    W = np.diag([weights[len(rows[i])] for i in keep])
    A, b = X[keep].T @ W @ X[keep], X[keep].T @ W @ y[keep]
    if not constrained:
        return dict(zip(basis, np.linalg.solve(A, b)))
    C = X[[0, len(rows) - 1]]
    K = np.block([[2 * A, C.T], [C, np.zeros((2, 2))]])
    sol = np.linalg.solve(K, np.concatenate([2 * b, y[[0, len(rows) - 1]]]))
    return dict(zip(basis, sol[:len(basis)]))


def brute(index, v, n, k):
    coalitions = subsets(range(n), 0, k)
    if index in ("SV", "SII") and k == 1 or index == "SV":
        return [v[0] if not T else sii(v, n, T) for T in coalitions]
    if index in ("BV", "BII") and k == 1 or index == "BV":
        return [bii(v, n, T) for T in coalitions]
    if index == "SII":
        return [sii(v, n, T) for T in coalitions]
    if index == "BII":
        return [bii(v, n, T) for T in coalitions]
    if index == "Moebius":
        return [delta(v, T, ()) for T in coalitions]
    if index == "Co-Moebius":
        return [v[0] if not T else delta(v, T, [p for p in range(n) if p not in T]) for T in coalitions]
    if index == "k-SII":  # Bordt & von Luxburg (2023): Bernoulli aggregation of SII up to order k
        B = bernoulli(k)
        return [v[0] if not T else sum(B[len(S) - len(T)] * sii(v, n, S) for S in coalitions if set(T) <= set(S))
                for T in coalitions]
    if index == "STII":
        return [delta(v, T, ()) if len(T) < k else stii_top(v, n, T) for T in coalitions]
    if index == "FSII":
        mu = [0.0] + [(n - 1) / (math.comb(n, s) * s * (n - s)) for s in range(1, n)] + [0.0]
        beta = least_squares(v, n, k, mu, constrained=True)
        return [beta[T] for T in coalitions]
    if index == "FBII":
        beta = least_squares(v, n, k, [1.0] * (n + 1), constrained=False)
        return [beta[T] for T in coalitions]
    raise AssertionError(index)


def orders(index, n):
    return [1] if index in ("SV", "BV") else range(1, n + 1)


@pytest.mark.parametrize("n", [3, 4, 5, 6, 7])
@pytest.mark.parametrize("index", INDICES)
def test_against_brute_force(index, n):
    g = game(n, seed=10 * n + INDICES.index(index))
    v = g.table().tolist()
    for k in orders(index, n):
        if n == 7 and index in ("FSII", "FBII", "k-SII") and k not in (1, 2, 3, 7):
            continue  # the brute-force least squares and aggregation are slow; keep a few orders
        r = ip.interaction_values(g, index=index, order=k)
        assert r.interactions == tuple(subsets(range(n), 0, k))
        assert r.orders == (0, k) and r.baseline_value == (float(r.values[0]) if index == "FBII" else v[0])
        tol = 1e-9 if index in ("FSII", "FBII") else 1e-11  # the brute force solves an ill-conditioned KKT system
        np.testing.assert_allclose(r.values.numpy(), brute(index, v, n, k), rtol=0, atol=tol,
                                   err_msg=f"{index} order {k}")


@pytest.mark.parametrize("n", [3, 5, 8, 11])
def test_identities(n):
    g = game(n, seed=n)
    v = g.table()
    total = float(v[-1] - v[0])
    for k in range(1, n + 1):
        for index in ("k-SII", "STII", "FSII"):  # efficiency: the non-empty values sum to v(N) - v(∅)
            r = ip.interaction_values(g, index=index, order=k)
            assert float(r.values[1:].sum()) == pytest.approx(total, abs=1e-10)
    sv = ip.interaction_values(g, index="SV")
    assert float(sv.values[1:].sum()) == pytest.approx(total, abs=1e-10)
    moebius = ip.interaction_values(g, index="Moebius", order=n)
    for index in ("k-SII", "STII", "FSII", "FBII"):  # order n: the Möbius transform itself
        np.testing.assert_allclose(ip.interaction_values(g, index=index, order=n).values.numpy()[1:],
                                   moebius.values.numpy()[1:], atol=1e-10)
    dividends = ip.harsanyi_dividends(g).values
    order = [mask(c) for c in moebius.interactions]
    np.testing.assert_allclose(moebius.values.numpy(), dividends[order].numpy(), atol=1e-12)
    # STII and k-SII top order = SII top order; SII order 2 = the matrix, order 1 = Shapley values
    sii2 = ip.interaction_values(g, index="SII", order=2)
    matrix = ip.shapley_interaction_matrix(g).values
    for i, j in itertools.combinations(range(n), 2):
        assert sii2.get((j, i)) == pytest.approx(float(matrix[i, j]), abs=1e-12)
        assert ip.interaction_values(g, index="k-SII", order=2).get((i, j)) == pytest.approx(sii2.get((i, j)), abs=1e-12)
    bii2 = ip.interaction_values(g, index="BII", order=2)
    np.testing.assert_allclose([bii2.get(p) for p in itertools.combinations(range(n), 2)],
                               [float(ip.banzhaf_interaction_matrix(g).values[p]) for p in itertools.combinations(range(n), 2)],
                               atol=1e-12)
    np.testing.assert_allclose(sv.values[1:].numpy(), ip.shapley_values(g).values.numpy(), atol=1e-12)
    np.testing.assert_allclose(ip.interaction_values(g, index="BV").values[1:].numpy(),
                               ip.banzhaf_values(g).values.numpy(), atol=1e-12)


def test_fsii_is_least_squares_optimal():
    """Faithfulness: no perturbation of the FSII values that keeps the two constraints lowers the loss."""
    n, k = 6, 2
    g = game(n, seed=3)
    r = ip.interaction_values(g, index="FSII", order=k)
    basis = r.interactions
    rows = subsets(range(n))
    v = g.table().numpy()[[mask(S) for S in rows]]
    X = np.array([[1.0 if set(T) <= set(S) else 0.0 for T in basis] for S in rows])
    mu = np.array([0.0] + [(n - 1) / (math.comb(n, s) * s * (n - s)) for s in range(1, n)] + [0.0])
    w = mu[[len(S) for S in rows]]
    residual = v - X @ r.values.numpy()
    gradient = X.T @ (w * residual)
    C = X[[0, -1]]  # the gradient lies in the span of the constraints' rows (KKT)
    lam, *_ = np.linalg.lstsq(C.T, gradient, rcond=None)
    np.testing.assert_allclose(C.T @ lam, gradient, atol=1e-10)
    np.testing.assert_allclose(C @ r.values.numpy(), v[[0, -1]], atol=1e-12)


def test_names_orders_and_errors():
    g = game(4, seed=0)
    assert ip.interaction_values(g, index="SII", order=1).index == "SV"  # shapiq's naming
    assert ip.interaction_values(g, index="CoMoebius", order=2).index == "Co-Moebius"
    assert ip.interaction_values(g).index == "k-SII" and ip.interaction_values(g).max_order == 2
    with pytest.raises(ValueError, match="unknown index 'Owen'"):
        ip.interaction_values(g, index="Owen")
    with pytest.raises(ValueError, match="order = 5 is out of range for n = 4"):
        ip.interaction_values(g, index="SII", order=5)
    with pytest.raises(ValueError, match="SV has order 1"):
        ip.interaction_values(g, index="SV", order=2)
    with pytest.raises(TypeError, match="does not take 'seed'"):
        ip.interaction_values(g, index="SII", seed=1)
    with pytest.raises(ValueError, match="does not compute interaction_values"):
        ip.interaction_values(g, method="permutation")
    r = ip.interaction_values(g, index="STII", order=3)
    with pytest.raises(KeyError, match="has 4 players"):
        r.get((0, 1, 2, 3))
    assert r.position((2, 0)) == r.interactions.index((0, 2))
    assert r.to_dict_of_interactions()[(1, 3)] == r.get((3, 1))


def test_result_files_roundtrip(tmp_path):
    import pickle

    r = ip.interaction_values(game(5, seed=1), index="FBII", order=3)
    for back in (pickle.loads(pickle.dumps(r)), ip.Result.from_dict(r.to_dict())):
        assert back.orders == r.orders and back.baseline_value == r.baseline_value and back.index == "FBII"
        assert torch.equal(back.values, r.values) and back.interactions == r.interactions
    r.save(str(tmp_path / "r.json"))
    assert torch.equal(ip.Result.load(str(tmp_path / "r.json")).values, r.values)
    with pytest.raises(ValueError, match="do not fit"):
        ip.Result(index="FBII", values=torch.zeros(3, dtype=torch.float64), n_players=5, estimator=ip.Exact(),
                  orders=(0, 3))
    with pytest.raises(ValueError, match="do not fit"):  # the new indices exist only as interaction values
        ip.Result(index="STII", values=torch.zeros(5, dtype=torch.float64), n_players=5, estimator=ip.Exact())


def test_memory_refusal(monkeypatch):
    from interplay._internal import checks as _checks

    monkeypatch.setattr(_checks, "available_memory", lambda: 1 << 20)
    g = ip.Game(lambda c: c.sum(1).double(), 20)
    with pytest.raises(MemoryError, match=r"n = 20: .* need .*, more than max_memory"):
        ip.interaction_values(g, index="SII", order=2)
    assert g.evaluations == 0


# -- shapiq's ExactComputer -----------------------------------------------------------------------------

def _shapiq_values(iv, coalitions):
    return np.array([iv[c] for c in coalitions])


def _shapiq_tolerance(index, n, interactions, values, big_m):
    """How far shapiq's ExactComputer may be from the exact values, relative to their scale.

    shapiq has no closed form for FSII and FBII: it solves the weighted least squares problem with
    ``np.linalg.lstsq`` on the sqrt-weighted coalition matrix sqrt(W) A (A[S, T] = [T ⊆ S]), FSII's
    two constraints (v(∅) and v(N) fitted exactly) as rows of weight ``big_m``. Its error is the
    penalty's, at most |values| / big_m (the constraints hold to 1/big_m, relative), plus the
    rounding of a least squares solve, a small multiple of ε κ(sqrt(W) A) |values| (Higham,
    Accuracy and Stability, ch. 20; the condition number is computed here from shapiq's weights).
    Every other index is a weighted sum of rewards in shapiq: 1e-10 absolute."""
    if index not in ("FSII", "FBII"):
        return 1e-10
    masks = np.arange(1 << n)
    sizes = np.array([bin(m).count("1") for m in masks])
    if index == "FSII":
        inner = 1.0 / ((n - 1) * np.array([math.comb(n - 2, max(s - 1, 0)) for s in sizes], dtype=float))
        w = np.where((sizes == 0) | (sizes == n), big_m, inner)
    else:
        w = np.full(1 << n, 2.0 ** -n)
    t = np.array([mask(c) for c in interactions])
    design = np.sqrt(w)[:, None] * ((masks[:, None] & t[None, :]) == t[None, :])
    kappa = np.linalg.cond(design)
    penalty = 1.0 / big_m if index == "FSII" else 0.0
    return float(np.abs(values).max()) * (penalty + 16 * np.finfo(np.float64).eps * kappa)


@pytest.mark.parametrize("n", [3, 5, 8, 10])
def test_against_shapiq_exact_computer(n):
    shapiq = pytest.importorskip("shapiq")
    g = game(n, seed=100 + n)
    table = g.table().numpy()
    weights = 1 << np.arange(n)
    fn = lambda c: table[(c.astype(np.int64) * weights).sum(1)]  # noqa: E731
    computer = shapiq.ExactComputer(fn, n_players=n, evaluate_game=True)
    for index in INDICES:
        for k in orders(index, n):
            if n == 10 and k not in (1, 2, 3, n):
                continue  # shapiq's loops are O(2^n x #interactions)
            ours = ip.interaction_values(g, index=index, order=k)
            theirs = shapiq.ExactComputer(fn, n_players=n, evaluate_game=True)(index, k) if n <= 8 else computer(index, k)
            tol = _shapiq_tolerance(index, n, ours.interactions, ours.values.numpy(), computer._big_M)
            np.testing.assert_allclose(ours.values.numpy(), _shapiq_values(theirs, ours.interactions), rtol=0,
                                       atol=tol, err_msg=f"{index} order {k}")
            top = n if index == "Moebius" else k  # shapiq's Moebius is always of order n
            assert (theirs.index, theirs.max_order, theirs.min_order) == (ours.index, top, 0)
            assert ours.to_shapiq().index == theirs.index
            assert theirs.baseline_value == pytest.approx(ours.to_shapiq().baseline_value, abs=tol)


# -- the cache-blocked transforms against the plain butterflies of the old path -------------------------

def plain_butterflies(table, n, moebius):
    t = table.copy()
    for k in range(n):
        view = t.reshape(-1, 2, 1 << k)
        if moebius:
            view[:, 1] -= view[:, 0]
        else:
            view[:, 0] += view[:, 1]
    return t


@pytest.mark.parametrize("n", [3, 12, 17, 19])
def test_blocked_transforms_match_the_plain_butterflies(n):
    g = game(n, seed=7)
    v = g.table().numpy()
    # the Möbius transform does the same operations in the same order per entry: bit for bit
    d = plain_butterflies(v, n, moebius=True)
    assert np.array_equal(ip.harsanyi_dividends(g).values.numpy(), d)
    # the fused weighted superset sums reorder the additions: equal to 1e-12 x max|v|
    size = np.array([bin(m).count("1") for m in range(1 << n)])
    for index, weight in (("SII", lambda s: np.where(s >= 2, 1.0 / np.maximum(s - 1, 1), 0.0)),
                          ("BII", lambda s: np.where(s >= 2, 2.0 ** -(s - 2.0), 0.0))):
        z = plain_butterflies(d * weight(size), n, moebius=False)
        old = np.array([[0.0 if i == j else z[(1 << i) | (1 << j)] for j in range(n)] for i in range(n)])
        new = (ip.shapley_interaction_matrix if index == "SII" else ip.banzhaf_interaction_matrix)(g).values.numpy()
        np.testing.assert_allclose(new, old, rtol=0, atol=1e-12 * np.abs(v).max())
    # the player values now come straight from v: equal to the old dividend route to 1e-12 x max|v| up to
    # n = 17; beyond, the old route's own rounding (it grows ~2x per player) dominates the difference
    for fn, weight in ((ip.shapley_values, lambda s: 1.0 / np.maximum(s, 1)), (ip.banzhaf_values, lambda s: 2.0 ** (1.0 - s))):
        z = plain_butterflies(d * np.where(size >= 1, weight(size), 0.0), n, moebius=False)
        tol = (1e-12 if n <= 17 else 1e-10) * np.abs(v).max()
        np.testing.assert_allclose(fn(g).values.numpy(), z[[1 << i for i in range(n)]], rtol=0, atol=tol)


def test_efficiency_residual_stays_small():
    n = 20
    g = game(n, seed=5, offset=1e3)
    v = g.table()
    sv = ip.shapley_values(g).values
    assert abs(float(sv.sum()) - float(v[-1] - v[0])) <= 1e-12 * float(v.abs().max())
    for index in ("k-SII", "STII", "FSII"):  # sizes <= 2 straight from v, not from the dividends
        r = ip.interaction_values(g, index=index, order=2)
        assert abs(float(r.values[1:].sum()) - float(v[-1] - v[0])) <= 1e-12 * float(v.abs().max()), index
