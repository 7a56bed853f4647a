"""The contexts of multivariate paper Eq. 7, shared by the coalition sampler and the learned search.

φ(C | N_C) = E_r E_{S ⊆ R, |S| = r} [v(S ∪ C) - v(S)], r uniform in {0..|R|}, R = N ∖ C ∖ absent
(for the learned search R = N ∖ A). :class:`Contexts` draws the S as packed masks in C
(``torch.ops.interplay.mv_sample_contexts``: sizes stratified — they sweep 0..|R| from a random
offset, each still uniform) or, when all 2^|R| contexts are no more than asked for, enumerates
them with their Shapley weights (exact Eq. 1). :class:`Deltas` evaluates v(S ∪ C) - v(S) for many
coalitions C on the same contexts, v(S) evaluated once per context.
"""
from __future__ import annotations

import math
from typing import Any, Optional, Sequence

import torch

from .._internal.checks import memory
from .._internal.ops import ops, player_set
from ..engine import unpack
from ..games import Game

MAX_ENUMERATED_CONTEXTS = 1 << 20


def enumerates(rest_size: int, count: int, enumerate_contexts: bool) -> bool:
    """Whether asking for ``count`` contexts over a rest of ``rest_size`` players enumerates all of
    them (exactly, with Shapley weights) instead of sampling ``count``."""
    return (enumerate_contexts and rest_size < 62
            and (1 << rest_size) <= min(count, MAX_ENUMERATED_CONTEXTS))


def context_count(rest_size: int, count: int, enumerate_contexts: bool) -> int:
    """The contexts a draw of ``count`` really yields (2^|R| when enumerated, else ``count``)."""
    return 1 << rest_size if enumerates(rest_size, count, enumerate_contexts) else count


class Contexts:
    """Eq. 7 contexts S ⊆ rest: sampled (stratified sizes) or all 2^|rest| with Shapley weights."""

    def __init__(self, n: int, rest: Sequence[int], seed: int, enumerate_contexts: bool = True) -> None:
        self.n, self.rest, self.seed, self.enumerate_contexts = n, list(rest), seed, enumerate_contexts
        self._all: Optional[tuple[torch.Tensor, torch.Tensor]] = None

    def exact_for(self, count: int) -> bool:
        return enumerates(len(self.rest), count, self.enumerate_contexts)

    def all(self) -> tuple[torch.Tensor, torch.Tensor]:
        if self._all is None:
            r = len(self.rest)
            memory((1 << r) * (self.n + r + 24), f"the 2^{r} contexts of Eq. 7 over {self.n} players",
                   "enumerate_contexts=False samples them")
            masks = torch.arange(1 << r, dtype=torch.int64)
            inside = ((masks.unsqueeze(1) >> torch.arange(r)) & 1).bool()
            ctx = torch.zeros(1 << r, self.n, dtype=torch.bool)
            if r:
                ctx[:, self.rest] = inside
            sizes = inside.sum(1)
            weight = torch.tensor([math.factorial(s) * math.factorial(r - s) / math.factorial(r + 1)
                                   for s in range(r + 1)], dtype=torch.float64)
            self._all = (ctx, weight[sizes])
        return self._all

    def draw(self, count: int, stream: int) -> tuple[torch.Tensor, torch.Tensor, bool]:
        """(contexts bool [K, n], weights [K] summing to 1, exact?); ``stream`` offsets the RNG
        counter, so draws at different streams are independent."""
        if self.exact_for(count):
            ctx, w = self.all()
            return ctx, w, True
        memory(count * (8 * ((self.n + 63) // 64) + self.n + 8), f"{count} contexts of Eq. 7 over {self.n} players",
               "ask for fewer contexts (a smaller budget)")
        packed = ops.mv_sample_contexts(player_set(self.rest, self.n), self.n, count, True, self.seed, stream)
        return unpack(packed, self.n), torch.full((count,), 1.0 / count, dtype=torch.float64), False


class Deltas:
    """d[t, c] = v(S_t ∪ C_c) - v(S_t) for contexts S_t and coalitions C_c (v(S_t) shared):
    K contexts and Q coalitions cost K (Q + 1) rows."""

    def __init__(self, game: Game, coalitions: dict) -> None:
        self.game = game
        self.coalitions = coalitions  # key -> bool [n]

    def __call__(self, contexts: torch.Tensor, keys: Sequence[Any]) -> torch.Tensor:
        k, n = contexts.shape
        memory(k * (len(keys) + 1) * (n + 16), f"the {k} x {len(keys) + 1} coalitions of Eq. 7 over {n} players",
               "ask for fewer contexts")
        coal = torch.stack([self.coalitions[key] for key in keys])
        batch = torch.cat([contexts, (contexts.unsqueeze(1) | coal.unsqueeze(0)).reshape(-1, n)])
        values = self.game(batch).to(torch.float64).cpu()
        return values[k:].reshape(k, len(keys)) - values[:k].unsqueeze(1)


def weighted_mean(weight: torch.Tensor, x: torch.Tensor, exact: bool) -> tuple[float, float]:
    """(Σ_t w_t x_t, its standard error): 0 for enumerated contexts or a single sample; the
    independent-sample formula otherwise (conservative under the stratified sizes)."""
    value = float(weight @ x)
    if exact or x.numel() < 2:
        return value, 0.0
    return value, float(x.std() / math.sqrt(x.numel()))
