"""Parts of the learned partition search (multivariate paper Eq. 8-9): partitions written as gaps,
the runs a gradient needs, the projected Adam step on p, and the cost bound of a search.

A partition of the ordered A into runs of neighbours is written as gaps g ∈ {0,1}^(m-1), g_k
saying that the k-th and (k+1)-th player of A share a coalition; a run is (a, b), the positions
a..b (inclusive) of A.
"""
from __future__ import annotations

from typing import Optional, Sequence

import torch

from .contexts import context_count

Run = tuple[int, int]  # positions a..b (inclusive) of the ordered A


def runs_of(gaps: Sequence[bool]) -> list[Run]:
    """The runs (coalitions) of the partition written as gaps g (g_k: k and k+1 share a run)."""
    runs, start = [], 0
    for k, joined in enumerate(gaps):
        if not joined:
            runs.append((start, k))
            start = k + 1
    runs.append((start, len(gaps)))
    return runs


def gap_triples(gaps: Sequence[bool]) -> list[tuple[Run, Run, Run]]:
    """For every gap k: the runs L (ending at k) and R (starting at k+1) of g with g_k = 0, and L ∪ R."""
    m = len(gaps) + 1
    start = [0] * m  # first position of the run (of g) holding position i, looking left
    for i in range(1, m):
        start[i] = start[i - 1] if gaps[i - 1] else i
    end = [m - 1] * m
    for i in range(m - 2, -1, -1):
        end[i] = end[i + 1] if gaps[i] else i
    return [((start[k], k), (k + 1, end[k + 1]), (start[k], end[k + 1])) for k in range(m - 1)]


def run_coalitions(n: int, players: Sequence[int]) -> dict:
    """{(a, b): bool [n] mask of players[a..b]} for every run of the ordered players."""
    m = len(players)
    out = {}
    for a in range(m):
        mask = torch.zeros(n, dtype=torch.bool)
        for b in range(a, m):
            mask = mask.clone()
            mask[players[b]] = True
            out[(a, b)] = mask
    return out


class Adam:
    """Projected Adam on p: ascends ``sign`` * gradient, then clips p to [ε, 1 - ε].

    L(p) is multilinear, so ∂L/∂p_k does not depend on p_k: steps in p (not in logits) reverse
    as fast as they advance, and Adam's normalisation makes the step size independent of the
    scale of the rewards.
    """

    def __init__(self, size: int, lr: float, eps: float, sign: float) -> None:
        self.theta = torch.full((size,), 0.5, dtype=torch.float64)
        self.m = torch.zeros(size, dtype=torch.float64)
        self.v = torch.zeros(size, dtype=torch.float64)
        self.t = 0
        self.lr, self.sign, self.eps = lr, sign, eps

    def p(self) -> torch.Tensor:
        return self.theta.clone()

    def step(self, grad: torch.Tensor, beta1: float = 0.5, beta2: float = 0.9) -> None:
        self.t += 1
        self.m = beta1 * self.m + (1 - beta1) * grad
        self.v = beta2 * self.v + (1 - beta2) * grad * grad
        m_hat = self.m / (1 - beta1**self.t)
        v_hat = self.v / (1 - beta2**self.t)
        scale = v_hat.sqrt() + 1e-12 * (1.0 + v_hat.max().sqrt())
        self.theta = (self.theta + self.sign * self.lr * m_hat / scale).clamp(self.eps, 1 - self.eps)


def learned_budget(n: int, m: int, updates: int, partitions_per_update: int, contexts: int,
                   final_contexts: int, enumerate_contexts: bool = True) -> int:
    """An upper bound on the rows the learned search sends to the game (n players, |A| = m).

    One update evaluates K3 contexts × (the distinct runs its 2 K2 partitions need + 1): each
    partition needs at most 3 (m - 1) runs (L, R, L ∪ R at each gap) and there are m (m + 1) / 2
    runs in all. The final estimate evaluates its contexts × (at most 3 m runs + 1).
    """
    r = n - m
    k3 = context_count(r, contexts, enumerate_contexts)
    kf = context_count(r, final_contexts, enumerate_contexts)
    runs = min(m * (m + 1) // 2, 2 * partitions_per_update * 3 * (m - 1))
    return updates * k3 * (runs + 1) + kf * (3 * m + 1)


def fit_budget(budget: Optional[int], n: int, m: int, updates: int, partitions_per_update: int, contexts: int,
               final_contexts: int, enumerate_contexts: bool) -> tuple[int, int]:
    """(contexts, final_contexts) scaled down, in proportion, until :func:`learned_budget` fits in
    ``budget`` (unchanged when it already fits or ``budget`` is None); then final_contexts alone
    down to 1. A ValueError naming the minimum when even 1 and 1 do not fit."""
    if budget is None:
        return contexts, final_contexts

    def cost(k3: int, kf: int) -> int:
        return learned_budget(n, m, updates, partitions_per_update, k3, kf, enumerate_contexts)

    if cost(contexts, final_contexts) <= budget:
        return contexts, final_contexts
    minimum = cost(1, 1)
    if minimum > budget:
        raise ValueError(
            f"budget = {budget} evaluations is too small for the learned search of |A| = {m} in {n} players "
            f"with updates = {updates}, partitions_per_update = {partitions_per_update}: it needs at least "
            f"{minimum} (1 context per update and 1 final context); raise budget or lower updates")

    def final_for(k3: int) -> int:
        return max(1, final_contexts * k3 // contexts)

    def largest(lo: int, hi: int, fits) -> int:  # the largest x in [lo, hi] with fits(x), fits(lo) true
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if fits(mid) else (lo, mid - 1)
        return lo

    if cost(1, final_for(1)) <= budget:
        k3 = largest(1, contexts, lambda k: cost(k, final_for(k)) <= budget)
        return k3, final_for(k3)
    return 1, largest(1, final_for(1), lambda kf: cost(1, kf) <= budget)
