"""Every exact method against a brute-force reference of the papers' definitions (n = 2..8)."""
from itertools import combinations
from math import comb

import pytest
import torch

import interplay as ip
import reference as ref

ATOL = 1e-9


def random_table(n: int, seed: int) -> torch.Tensor:
    """An integer-valued game (exact in float64) with v(∅) arbitrary."""
    return torch.randint(-20, 21, (1 << n,), generator=torch.Generator().manual_seed(seed)).double()


def values(x):
    """A result's values (results are not tensors; torch functions take them, as_tensor does not)."""
    return x.values if isinstance(x, ip.Result) else x


def close(got, want):
    got, want = values(got), values(want)
    torch.testing.assert_close(torch.as_tensor(got, dtype=torch.float64),
                               torch.as_tensor(want, dtype=torch.float64), rtol=0, atol=ATOL)


@pytest.mark.parametrize("n", range(2, 9))
def test_player_values(n):
    table = random_table(n, n)
    game = ip.TableGame(table)
    close(ip.shapley_values(game), [ref.shapley_value(table, n, i) for i in range(n)])
    close(ip.banzhaf_values(game), [ref.banzhaf_value(table, n, i) for i in range(n)])


@pytest.mark.parametrize("n", range(2, 9))
def test_pair_interactions_and_matrices(n):
    table = random_table(n, 100 + n)
    game = ip.TableGame(table)
    shapley, banzhaf = ip.shapley_interaction_matrix(game), ip.banzhaf_interaction_matrix(game)
    for i, j in combinations(range(n), 2):
        want = ref.shapley_interaction_eq2(table, n, i, j)
        close(ip.shapley_interaction(game, i, j), want)
        close(shapley[i, j], want)
        close(shapley[j, i], want)
        want_b = ref.banzhaf_interaction(table, n, i, j)
        close(ip.banzhaf_interaction(game, i, j), want_b)
        close(banzhaf[i, j], want_b)
    close(shapley.values.diagonal(), torch.zeros(n))
    assert shapley.index == "SII" and banzhaf.index == "BII" and shapley.stderr is None and shapley.pairs is None


@pytest.mark.parametrize("n", range(2, 8))
def test_eq2_two_forms_agree(n):
    """Dropout paper Eq. 2: φ(S_ij|N') − [φ(i|N∖{j}) + φ(j|N∖{i})] = Σ_S P_Shapley(S) Δf(S,i,j)."""
    table = random_table(n, 200 + n)
    for i, j in combinations(range(n), 2):
        close(ref.shapley_interaction_coalition_form(table, n, i, j), ref.shapley_interaction_eq2(table, n, i, j))
        close(ip.shapley_interaction(ip.TableGame(table), i, j), ref.shapley_interaction_coalition_form(table, n, i, j))


@pytest.mark.parametrize("n", range(2, 9))
def test_multi_order_interaction(n):
    table = random_table(n, 300 + n)
    game = ip.TableGame(table)
    for i, j in [(0, n - 1), (n // 2, 0)] if n > 2 else [(0, 1)]:
        orders = ip.multi_order_interaction(game, i, j)
        close(orders, [ref.multi_order(table, n, i, j, s) for s in range(n - 1)])
        for s in range(n - 1):
            close(ip.multi_order_interaction(game, i, j, order=s), ref.multi_order(table, n, i, j, s))
        # Eq. 3: I(i, j) = (1 / (n - 1)) Σ_s I^(s)(i, j)
        close(torch.sum(orders) / (n - 1), ip.shapley_interaction(game, i, j))


@pytest.mark.parametrize("n", range(2, 7))
def test_marginal_rewards_eq4_and_appendix_d(n):
    table = random_table(n, 400 + n)
    game = ip.TableGame(table)
    i, j = (1, 0) if n == 2 else (1, n - 1)
    R = ip.marginal_rewards(game, i, j)
    J = ip.average_marginal_rewards(game, i, j)
    assert R.index == "R" and R.players == (i, j) and R.shape == (1 << (n - 2),)
    assert J.index == "J" and J.players == (i, j) and J.shape == (n - 1,)
    others = tuple(k for k in range(n) if k not in (i, j))  # bit r of the compressed mask: the r-th smallest
    memo = {}
    for c in range(1 << (n - 2)):
        T = tuple(p for r, p in enumerate(others) if c >> r & 1)
        close(R[c], ref.marginal_reward(table, n, i, j, T, memo))   # App. D recursion
        close(R[c], ref.harsanyi(table, n, T + (i, j)))             # = d(T ∪ {i, j})
    close(J, [ref.J(table, n, i, j, q) for q in range(n - 1)])
    orders = ip.multi_order_interaction(game, i, j)
    for s in range(n - 1):  # Eq. 4: I^(s) = Σ_q C(s, q) J^(q)
        close(orders[s], sum(comb(s, q) * J[q] for q in range(s + 1)))


@pytest.mark.parametrize("n", range(1, 8))
def test_harsanyi_dividends(n):
    table = random_table(n, 500 + n)
    d = ip.harsanyi_dividends(ip.TableGame(table))
    for m in range(1 << n):
        close(d[m], ref.harsanyi(table, n, tuple(k for k in range(n) if m >> k & 1)))


@pytest.mark.parametrize("n", range(2, 9))
def test_coalition_shapley(n):
    table = random_table(n, 600 + n)
    game = ip.TableGame(table)
    g = torch.Generator().manual_seed(n)
    for _ in range(6):
        perm = torch.randperm(n, generator=g).tolist()
        c_size = int(torch.randint(1, n + 1, (1,), generator=g))
        a_size = int(torch.randint(0, n - c_size + 1, (1,), generator=g))
        C, absent = perm[:c_size], perm[c_size:c_size + a_size]
        close(ip.coalition_shapley(game, C, absent), ref.coalition_shapley(table, n, C, absent))
    for i in range(n):  # a single player with nobody absent is its Shapley value
        close(ip.coalition_shapley(game, [i]), ref.shapley_value(table, n, i))


@pytest.mark.parametrize("n", range(2, 9))
def test_multivariate_interaction_and_elementary_components(n):
    table = random_table(n, 700 + n)
    game = ip.TableGame(table)
    for m in range(2, min(n, 5) + 1):
        A = list(range(n - m, n))[::-1]  # any order, any position
        B = ip.multivariate_interaction(game, A)
        close(B, ref.multivariate_interaction(table, n, A))
        components = 0.0
        for size in range(1, m + 1):
            for K in combinations(A, size):
                I_K = ip.elementary_interaction(game, A, K)
                close(I_K, ref.elementary_interaction(table, n, A, K))
                if size > 1:
                    components += float(I_K)
        close(B, components)  # Eq. 6: B([A]) = Σ_{A' ⊆ A, |A'| > 1} I(A')
    for i, j in combinations(range(n), 2):  # B([{i, j}]) = I(i, j)
        close(ip.multivariate_interaction(game, [i, j]), ip.shapley_interaction(game, i, j))


@pytest.mark.parametrize("n", range(3, 9))
@pytest.mark.parametrize("family", ["contiguous", "all"])
def test_interaction_significance(n, family):
    table = random_table(n, 800 + n)
    game = ip.TableGame(table)
    for m in range(2, min(n, 5) + 1):
        A = list(range(1, 1 + m)) if n > m else list(range(m))
        res = ip.interaction_significance(game, A, partitions=family)
        T, b_max, b_min, scores = ref.significance(table, n, A, family)
        assert res.index == "T" and res.players == tuple(A) and res.partitions.family == family
        close(res, T)
        close(res.b_max, b_max)
        close(res.b_min, b_min)
        assert float(res) >= 0
        assert res.partitions.scored == len(scores)

        def score(partition):
            return scores[tuple(sorted(tuple(sorted(b)) for b in partition))]

        singles = sum(ref.coalition_shapley(table, n, (i,), [a for a in A if a != i]) for i in A)
        close(score(res.max_partition), max(scores.values()))  # the reported partitions reach the extremes
        close(score(res.min_partition), min(scores.values()))
        close(score(res.max_partition) - singles, b_max)
        assert sorted(p for b in res.max_partition for p in b) == sorted(A)
        if family == "contiguous":
            for block in tuple(res.max_partition) + tuple(res.min_partition):  # runs of neighbours in A's order
                pos = sorted(A.index(p) for p in block)
                assert pos == list(range(pos[0], pos[0] + len(pos)))


@pytest.mark.parametrize("n", range(3, 8))
def test_all_partitions_dominate_contiguous(n):
    table = random_table(n, 900 + n)
    game = ip.TableGame(table)
    A = list(range(n))
    every = ip.interaction_significance(game, A, partitions="all")
    runs = ip.interaction_significance(game, A, partitions="contiguous")
    assert float(every) >= float(runs) - ATOL
    assert every.b_max >= runs.b_max - ATOL and every.b_min <= runs.b_min + ATOL


def test_significance_of_pair_is_abs_interaction():
    """For A = {i, j}: the partitions are {ij} and {i}{j}, so T = |B([A])| = |I(i, j)|."""
    table = random_table(6, 17)
    game = ip.TableGame(table)
    res = ip.interaction_significance(game, [2, 4])
    close(res, abs(float(ip.shapley_interaction(game, 2, 4))))
