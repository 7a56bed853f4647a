"""Brute-force references straight from the papers' definitions, in plain Python over a table.

Nothing here shares code with interplay: each function enumerates the sums literally.
"""
from __future__ import annotations

from itertools import combinations
from math import comb, factorial


def subsets(players):
    players = list(players)
    for r in range(len(players) + 1):
        yield from combinations(players, r)


def mask(players) -> int:
    return sum(1 << p for p in players)


def v(table, players) -> float:
    return float(table[mask(players)])


def shapley_weight(s: int, m: int) -> float:
    """P_Shapley(S | M) with |S| = s, |M| = m: s!(m-s)!/(m+1)!."""
    return factorial(s) * factorial(m - s) / factorial(m + 1)


def shapley_value(table, n, i, players=None):
    """Eq. 1 over the player set `players` (default N)."""
    players = list(range(n)) if players is None else list(players)
    others = [p for p in players if p != i]
    m = len(others)
    return sum(shapley_weight(len(S), m) * (v(table, S + (i,)) - v(table, S)) for S in subsets(others))


def banzhaf_value(table, n, i):
    others = [p for p in range(n) if p != i]
    return sum((v(table, S + (i,)) - v(table, S)) for S in subsets(others)) / 2 ** (n - 1)


def delta_f(table, S, i, j):
    return v(table, S + (i, j)) - v(table, S + (i,)) - v(table, S + (j,)) + v(table, S)


def shapley_interaction_eq2(table, n, i, j):
    """Dropout paper Eq. 2, right form: sum_S P_Shapley(S | N∖{i,j}) Δf(S,i,j)."""
    others = [p for p in range(n) if p not in (i, j)]
    return sum(shapley_weight(len(S), n - 2) * delta_f(table, S, i, j) for S in subsets(others))


def shapley_interaction_coalition_form(table, n, i, j):
    """Dropout paper Eq. 2, left form: phi(S_ij | N') - [phi(i | N∖{j}) + phi(j | N∖{i})]."""
    return (coalition_shapley(table, n, (i, j), ())
            - shapley_value(table, n, i, [p for p in range(n) if p != j])
            - shapley_value(table, n, j, [p for p in range(n) if p != i]))


def banzhaf_interaction(table, n, i, j):
    others = [p for p in range(n) if p not in (i, j)]
    return sum(delta_f(table, S, i, j) for S in subsets(others)) / 2 ** (n - 2)


def multi_order(table, n, i, j, s):
    """Eq. 3: I^(s)(i,j) = E_{|S| = s} Δf(S,i,j)."""
    others = [p for p in range(n) if p not in (i, j)]
    contexts = list(combinations(others, s))
    return sum(delta_f(table, S, i, j) for S in contexts) / len(contexts)


def marginal_reward(table, n, i, j, T, memo=None):
    """App. D Eq. 26: R^T = Δf(T,i,j) - sum_{T' ⊊ T} R^{T'} (recursive, memoised)."""
    memo = {} if memo is None else memo
    key = tuple(sorted(T))
    if key not in memo:
        memo[key] = delta_f(table, key, i, j) - sum(
            marginal_reward(table, n, i, j, Tp, memo) for Tp in subsets(key) if len(Tp) < len(key)
        )
    return memo[key]


def J(table, n, i, j, q):
    """Eq. 4: J^(q)(i,j) = E_{|T| = q} R^T(i,j)."""
    others = [p for p in range(n) if p not in (i, j)]
    memo = {}
    patterns = list(combinations(others, q))
    return sum(marginal_reward(table, n, i, j, T, memo) for T in patterns) / len(patterns)


def harsanyi(table, n, T):
    return sum((-1) ** (len(T) - len(L)) * v(table, L) for L in subsets(T))


def coalition_shapley(table, n, C, absent):
    """phi([C] | N_C): Eq. 1 on the players N ∖ absent ∖ C plus the coalition [C]."""
    others = [p for p in range(n) if p not in C and p not in absent]
    m = len(others)
    return sum(shapley_weight(len(S), m) * (v(table, S + tuple(C)) - v(table, S)) for S in subsets(others))


def multivariate_interaction(table, n, A):
    """Multivariate paper Eq. 3."""
    return coalition_shapley(table, n, A, ()) - sum(
        coalition_shapley(table, n, (i,), [a for a in A if a != i]) for i in A
    )


def elementary_interaction(table, n, A, K):
    """Grabisch-Roubens Shapley interaction index of K in the game on N ∖ (A ∖ K)."""
    players = [p for p in range(n) if p not in A or p in K]
    others = [p for p in players if p not in K]
    m, k = len(players), len(K)
    total = 0.0
    for S in subsets(others):
        w = factorial(m - len(S) - k) * factorial(len(S)) / factorial(m - k + 1)
        total += w * sum((-1) ** (k - len(L)) * v(table, S + L) for L in subsets(K))
    return total


def set_partitions(items):
    items = list(items)
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in set_partitions(rest):
        yield [(first,)] + part
        for b in range(len(part)):
            yield part[:b] + [(first,) + part[b]] + part[b + 1:]


def contiguous_partitions(items):
    items = list(items)
    m = len(items)
    for cuts in range(1 << (m - 1)):
        blocks, current = [], [items[0]]
        for k in range(1, m):
            if cuts >> (k - 1) & 1:
                blocks.append(tuple(current))
                current = []
            current.append(items[k])
        blocks.append(tuple(current))
        yield blocks


def significance(table, n, A, family="contiguous"):
    """Eq. 4-5 by enumeration: (T, B_max, B_min, scores by partition)."""
    parts = list(contiguous_partitions(A) if family == "contiguous" else set_partitions(A))
    singles = sum(coalition_shapley(table, n, (i,), [a for a in A if a != i]) for i in A)
    scores = {}
    for part in parts:
        key = tuple(sorted(tuple(sorted(b)) for b in part))
        scores[key] = sum(coalition_shapley(table, n, C, [a for a in A if a not in C]) for C in part)
    best, worst = max(scores.values()), min(scores.values())
    return best - worst, best - singles, worst - singles, scores
