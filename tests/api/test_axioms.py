"""The axioms of the Shapley value and of the interaction indices (dropout paper App. A)."""
from itertools import combinations

import pytest
import torch

import interplay as ip

ATOL = 1e-9


def random_table(n, seed):
    return torch.randint(-20, 21, (1 << n,), generator=torch.Generator().manual_seed(seed)).double()


def close(a, b):
    a, b = (x.values if isinstance(x, ip.Result) else x for x in (a, b))
    torch.testing.assert_close(torch.as_tensor(a).double(), torch.as_tensor(b).double(), rtol=0, atol=ATOL)


def symmetric_in(table, n, i, j):
    """Symmetrise a game in players i and j: v'(S) = v(S) + v(swap_ij(S))."""
    masks = torch.arange(1 << n)
    bi, bj = (masks >> i) & 1, (masks >> j) & 1
    swapped = masks & ~((1 << i) | (1 << j)) | (bi << j) | (bj << i)
    return table + table[swapped]


def with_dummy(table, n, k, weight=3.0):
    """A game on n + 1 players where the new player k only adds `weight` (inserted at position k)."""
    masks = torch.arange(1 << (n + 1))
    low = (1 << k) - 1
    base = ((masks >> (k + 1)) << k) | (masks & low)
    return table[base] + weight * ((masks >> k) & 1).double()


@pytest.mark.parametrize("n", range(1, 9))
def test_efficiency(n):
    table = random_table(n, n)
    phi = ip.shapley_values(ip.TableGame(table))
    close(torch.sum(phi), table[-1] - table[0])


@pytest.mark.parametrize("n", range(2, 8))
def test_symmetry(n):
    table = symmetric_in(random_table(n, 10 + n), n, 0, n - 1)
    game = ip.TableGame(table)
    phi, beta = ip.shapley_values(game), ip.banzhaf_values(game)
    close(phi[0], phi[n - 1])
    close(beta[0], beta[n - 1])
    M = ip.shapley_interaction_matrix(game)
    for k in range(1, n - 1):
        close(M[0, k], M[n - 1, k])


@pytest.mark.parametrize("n", range(1, 7))
@pytest.mark.parametrize("k", [0, 1])
def test_dummy(n, k):
    if k > n:
        pytest.skip("position beyond the game")
    table = with_dummy(random_table(n, 20 + n), n, k)
    game = ip.TableGame(table)
    v_k = table[1 << k] - table[0]
    close(ip.shapley_values(game)[k], v_k)
    close(ip.banzhaf_values(game)[k], v_k)
    close(ip.shapley_interaction_matrix(game)[k], torch.zeros(n + 1))  # no interaction with a dummy
    close(ip.banzhaf_interaction_matrix(game)[k], torch.zeros(n + 1))


@pytest.mark.parametrize("n", range(2, 8))
def test_linearity(n):
    v, w = random_table(n, 30 + n), random_table(n, 40 + n)
    a, b = 2.0, -3.0
    for fn in (ip.shapley_values, ip.banzhaf_values, ip.shapley_interaction_matrix, ip.banzhaf_interaction_matrix,
               ip.harsanyi_dividends):
        close(fn(ip.TableGame(a * v + b * w)), a * fn(ip.TableGame(v)) + b * fn(ip.TableGame(w)))
    A = list(range(min(n, 4)))
    close(ip.multivariate_interaction(ip.TableGame(a * v + b * w), A),
          a * ip.multivariate_interaction(ip.TableGame(v), A) + b * ip.multivariate_interaction(ip.TableGame(w), A))


@pytest.mark.parametrize("n", range(2, 8))
def test_banzhaf_interaction_is_banzhaf_of_derivative(n):
    """IB(i,j) = ψ(i | game with j present) − ψ(i | game with j absent), both on N∖{j}."""
    table = random_table(n, 50 + n)
    game = ip.TableGame(table)
    M = ip.banzhaf_interaction_matrix(game)
    masks = torch.arange(1 << (n - 1))
    for i, j in combinations(range(n), 2):
        low = (1 << j) - 1
        full = ((masks >> j) << (j + 1)) | (masks & low)   # masks over N∖{j} lifted to N
        with_j = ip.banzhaf_values(ip.TableGame(table[full | (1 << j)]))
        without_j = ip.banzhaf_values(ip.TableGame(table[full]))
        ii = i if i < j else i - 1
        close(M[i, j], with_j[ii] - without_j[ii])
