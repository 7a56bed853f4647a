"""The learned partition search for T([A]) (multivariate paper Eq. 7-9): :class:`LearnedPartitions`.

T([A]) = max_Ω Σ_{C∈Ω} φ(C|N_C) - min_Ω Σ_{C∈Ω} φ(C|N_C)  (Eq. 4-5) over the partitions Ω of the
ordered players A into runs of neighbours. The exact path scores all 2^(m-1) partitions from the
game's 2^n table; this search estimates T with a polynomial number of game evaluations:

* **Partitions** (Eq. 8): p ∈ [0,1]^(m-1), p_k the probability that the k-th and (k+1)-th player of
  A share a coalition; g ~ Bernoulli(p) is a partition Ω_g. The C sampler
  ``torch.ops.interplay.mv_sample_partitions`` draws g with the shared counter RNG.
* **Coalition values** (Eq. 7): φ(C|N_C) = E_r E_{S ⊆ N∖A, |S|=r} [v(S ∪ C) - v(S)], r uniform in
  {0..|N∖A|}, the contexts S of :mod:`.contexts` (sampled with stratified sizes, or all 2^|N∖A|
  with their Shapley weights when that is no more than asked for: exact).
* **Gradient** (Eq. 9): L(p) = E_g Σ_{C∈Ω_g} φ(C|N_C) = E_g Σ_{i∈A} λ_i(g) φ(C_i|N_{C_i}) with
  λ_i(g) = 1/|C_i|, and ∂L/∂p_k = E[Φ | g_k = 1] - E[Φ | g_k = 0]. Since g_k is independent of
  the other gaps, each sampled g gives an unbiased paired term Φ(g, g_k=1) - Φ(g, g_k=0) =
  φ(L∪R) - φ(L) - φ(R), L and R the runs that meet at gap k.
* **Variance reduction**: one set of K3 contexts per update is shared (common random numbers) by
  all K2 partitions of the update, by both values of every g_k, and by the maximising and the
  minimising search (which also share the uniforms of g); v(S) is shared by all coalitions of a
  context, and a coalition appearing in several partitions is evaluated once per context.
* **Update**: projected Adam-normalised ascent (max) / descent (min) on p, clipped to
  [ε, 1-ε]. The final partitions are read off p (g_k = [p_k > 0.5]); B_max, B_min and T
  are then estimated at those partitions with fresh contexts (``final_contexts``), T by paired
  differences on common contexts (the singles Σ_i φ(i|N_i) cancel in T).

Budgets: K1 = ``updates``, K2 = ``partitions_per_update``, K3 = ``contexts``. One update costs
K3 × (distinct runs needed + 1) evaluations; :func:`~.search_parts.learned_budget` bounds the
whole search, and ``budget=`` caps it by scaling K3 and ``final_contexts`` down.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional, Sequence

import torch

from .._internal.ops import ops
from .._internal.progress import progress_bar
from .._internal.seeds import derive_seed
from ..methods import Sampler, _set_count
from ..games import Game
from ..results import Partitions, PartitionSearch, Result, make_result
from .contexts import Contexts, Deltas, weighted_mean
from .search_parts import Adam, Run, fit_budget, gap_triples, run_coalitions, runs_of

# RNG domains of the search: derive_seed(seed, domain) keys the partitions, the search contexts
# and the final contexts independently.
_PARTITIONS, _SEARCH, _FINAL = 1, 2, 3


@dataclass(frozen=True)
class LearnedPartitions(Sampler):
    """T([A]) by the learned partition search (multivariate paper Eq. 7-9; see the module doc).

    Args:
        budget: a cap on the rows sent to the game. None: ``updates``, ``contexts`` and
            ``final_contexts`` decide (at most :func:`~.search_parts.learned_budget` rows); an int:
            ``contexts`` and ``final_contexts`` are scaled down (in proportion) until that bound
            fits, a ValueError naming the minimum when even 1 context per update does not.
        seed: the RNG key in [0, 2^64); the same seed gives the same result on any machine.
        progress: a tqdm bar over the updates (None: only for long searches).
        updates: K1, the updates of p (each for the max and the min search).
        partitions_per_update: K2, the partitions g ~ Bernoulli(p) per update.
        contexts: K3, the contexts S of Eq. 7 per update (shared by the K2 partitions).
        final_contexts: contexts for B_max, B_min and T at the learned partitions.
        lr: the (Adam-normalised) step on p; eps: p stays in [eps, 1 - eps].
        enumerate_contexts: enumerate all 2^|N∖A| contexts (exact Eq. 1) where that is no more
            than the contexts asked for.

    Only ``partitions="contiguous"`` (runs of neighbours, as in the paper); for ``"all"``, or a
    game whose 2^n table is cached already (exact then costs nothing), use ``method="exact"``.
    ``budget=`` without ``method=`` picks exact when 2^n <= budget, else this search.
    """

    name = "learned_partitions"
    budget: Optional[int] = None
    updates: int = 30
    partitions_per_update: int = 8
    contexts: int = 16
    final_contexts: int = 256
    lr: float = 0.2
    eps: float = 0.01
    enumerate_contexts: bool = True

    budget_optional = True

    def __post_init__(self) -> None:
        super().__post_init__()
        for name in ("updates", "partitions_per_update", "contexts", "final_contexts"):
            _set_count(self, name)  # updates = 0 would learn nothing and report T = 0 with stderr 0
        for name in ("lr", "eps"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"{name} must be a float, got {type(value).__name__}")
        if not (0.0 < self.eps < 0.5):
            raise ValueError(f"eps must be in (0, 0.5), got {self.eps}")
        if not (self.lr > 0 and math.isfinite(self.lr)):
            raise ValueError(f"lr must be positive and finite, got {self.lr}")
        if not isinstance(self.enumerate_contexts, bool):
            raise TypeError(f"enumerate_contexts must be a bool, got {self.enumerate_contexts!r}")

    def interaction_significance(self, game: Game, A: Sequence[int], family: str) -> Result:
        """T([A]) (0-d, index "T", its stderr), ``partitions`` at B_max / B_min, ``search``."""
        if family != "contiguous":
            raise ValueError("the learned search parameterises partitions into runs of neighbours: "
                             f"use partitions='contiguous' (got {family!r}) or method='exact'")
        players = tuple(A)
        n, m = game.n_players, len(players)
        contexts, final_contexts = fit_budget(self.budget, n, m, self.updates, self.partitions_per_update,
                                              self.contexts, self.final_contexts, self.enumerate_contexts)
        inside = set(players)
        rest = [i for i in range(n) if i not in inside]
        deltas = Deltas(game, run_coalitions(n, players))
        start = game.evaluations
        search_contexts = Contexts(n, rest, derive_seed(self.seed, _SEARCH), self.enumerate_contexts)
        p_max, p_min, trajectories = self._search(deltas, search_contexts, m, contexts)
        search_evaluations = game.evaluations - start

        # read the partitions off p, then estimate B_max, B_min, T there with fresh contexts
        runs_max, runs_min = runs_of((p_max > 0.5).tolist()), runs_of((p_min > 0.5).tolist())
        singles = [(k, k) for k in range(m)]
        keys = sorted(set(runs_max) | set(runs_min) | set(singles))
        final = Contexts(n, rest, derive_seed(self.seed, _FINAL), self.enumerate_contexts)
        ctx, weight, exact_final = final.draw(final_contexts, 0)
        d = deltas(ctx, keys)
        col = {key: c for c, key in enumerate(keys)}
        top = d[:, [col[r] for r in runs_max]].sum(1)
        bottom = d[:, [col[r] for r in runs_min]].sum(1)
        single = d[:, [col[r] for r in singles]].sum(1)
        T, T_se = weighted_mean(weight, top - bottom, exact_final)
        b_max, b_max_se = weighted_mean(weight, top - single, exact_final)
        b_min, b_min_se = weighted_mean(weight, bottom - single, exact_final)

        def to_players(runs: list[Run]) -> tuple[tuple[int, ...], ...]:
            return tuple(tuple(players[a : b + 1]) for a, b in runs)

        evaluations = game.evaluations - start
        partitions = Partitions(family=family, b_max=b_max, b_min=b_min, max_partition=to_players(runs_max),
                                min_partition=to_players(runs_min), scored=0, b_max_stderr=b_max_se,
                                b_min_stderr=b_min_se)
        search = PartitionSearch(
            p_max=tuple(p_max.tolist()), p_min=tuple(p_min.tolist()),
            trajectory_max=trajectories[0], trajectory_min=trajectories[1],
            evaluations_search=search_evaluations, evaluations_final=evaluations - search_evaluations,
            search_contexts_exact=search_contexts.exact_for(contexts), final_contexts_exact=exact_final)
        return make_result(game, "T", torch.tensor(T, dtype=torch.float64), self, evaluations, players=players,
                           stderr=torch.tensor(T_se, dtype=torch.float64), partitions=partitions, search=search)

    def _search(self, deltas: Deltas, contexts: Contexts, m: int, k3: int) -> tuple:
        """The K1 updates of the maximising and the minimising search on common random numbers:
        (p_max, p_min, (trajectory_max, trajectory_min))."""
        k2 = self.partitions_per_update
        seed_g = derive_seed(self.seed, _PARTITIONS)
        searches = (Adam(m - 1, self.lr, self.eps, +1.0), Adam(m - 1, self.lr, self.eps, -1.0))
        trajectory: tuple[list, list] = ([searches[0].p().tolist()], [searches[1].p().tolist()])
        show = self.progress if self.progress is not None else self.updates * k3 * m * m > 2_000_000
        for it in progress_bar(range(self.updates), enabled=show, desc="learning partitions", unit="update"):
            triples = []
            needed: set[Run] = set()
            for search in searches:
                # the same uniforms for both searches: common random numbers
                gs = ops.mv_sample_partitions(search.p(), k2, seed_g, it * k2)
                per_search = [gap_triples(g) for g in gs.tolist()]
                triples.append(per_search)
                for per_g in per_search:
                    for trip in per_g:
                        needed.update(trip)
            keys = sorted(needed)
            ctx, weight, _ = contexts.draw(k3, it * k3)
            phi = dict(zip(keys, (weight @ deltas(ctx, keys)).tolist()))
            for search, per_search, path in zip(searches, triples, trajectory):
                grad = torch.zeros(m - 1, dtype=torch.float64)
                for per_g in per_search:
                    grad += torch.tensor([phi[lr_] - phi[l_] - phi[r_] for l_, r_, lr_ in per_g],
                                         dtype=torch.float64)
                search.step(grad / k2)
                path.append(search.p().tolist())
        return searches[0].p(), searches[1].p(), trajectory
