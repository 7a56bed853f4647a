"""The learned partition search for T([A]) (multivariate paper Eq. 7-9).

T([A]) = max_Ω Σ_{C∈Ω} φ(C|N_C) - min_Ω Σ_{C∈Ω} φ(C|N_C)  (Eq. 4-5) over the partitions Ω of the
ordered players A into runs of neighbours. The exact path scores all 2^(m-1) partitions from the
game's 2^n table; this module estimates T with a polynomial number of game evaluations:

* **Partitions** (Eq. 8): p ∈ [0,1]^(m-1), p_k the probability that the k-th and (k+1)-th player of
  A share a coalition; g ~ Bernoulli(p) is a partition Ω_g. The C sampler
  ``torch.ops.interplay.mv_sample_partitions`` draws g with the shared counter RNG.
* **Coalition values** (Eq. 7): φ(C|N_C) = E_r E_{S ⊆ N∖A, |S|=r} [v(S ∪ C) - v(S)], r uniform in
  {0..|N∖A|}. ``torch.ops.interplay.mv_sample_contexts`` draws the contexts S as packed masks
  (sizes stratified: they sweep 0..|N∖A| from a random offset, each still uniform). When
  2^|N∖A| contexts are no more than asked for, all of them are enumerated with their Shapley
  weights instead (exact).
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
K3 × (distinct runs needed + 1) evaluations, at most K3 × (m(m+1)/2 + 1).
"""
from __future__ import annotations

import math
from typing import Any, Optional, Sequence

import torch

from . import _checks, methods
from ._ops import ops
from .engine import unpack
from .games import Game
from .progress import progress_bar
from .results import Result, Significance

Run = tuple[int, int]  # positions a..b (inclusive) of the ordered A

_MAX_ENUMERATED_CONTEXTS = 1 << 20


def _signed64(x: int) -> int:
    x &= (1 << 64) - 1
    return x - (1 << 64) if x >= 1 << 63 else x


def _subseed(seed: int, domain: int) -> int:
    """Independent RNG keys for the partitions, the search contexts and the final contexts."""
    return _signed64(int(seed) * 0x9E3779B97F4A7C15 + domain * 0xD1B54A32D192ED03)


def runs_of(gaps: Sequence[bool]) -> list[Run]:
    """The runs (coalitions) of the partition written as gaps g (g_k: k and k+1 share a run)."""
    runs, start = [], 0
    for k, joined in enumerate(gaps):
        if not joined:
            runs.append((start, k))
            start = k + 1
    runs.append((start, len(gaps)))
    return runs


def _gap_triples(gaps: Sequence[bool]) -> list[tuple[Run, Run, Run]]:
    """For every gap k: the runs L (ending at k) and R (starting at k+1) of g with g_k = 0, and L ∪ R."""
    m = len(gaps) + 1
    start = [0] * m  # first position of the run (of g) holding position i, looking left
    for i in range(1, m):
        start[i] = start[i - 1] if gaps[i - 1] else i
    end = [m - 1] * m
    for i in range(m - 2, -1, -1):
        end[i] = end[i + 1] if gaps[i] else i
    return [((start[k], k), (k + 1, end[k + 1]), (start[k], end[k + 1])) for k in range(m - 1)]


class _Contexts:
    """Eq. 7 contexts S ⊆ rest: sampled (stratified sizes) or all 2^|rest| with Shapley weights."""

    def __init__(self, n: int, rest: Sequence[int], seed: int, enumerate_small: bool = True) -> None:
        self.n, self.rest, self.seed, self.enumerate_small = n, list(rest), seed, enumerate_small
        self._all: Optional[tuple[torch.Tensor, torch.Tensor]] = None

    def exact_for(self, count: int) -> bool:
        r = len(self.rest)
        return self.enumerate_small and (1 << r) <= min(count, _MAX_ENUMERATED_CONTEXTS) if r < 62 else False

    def all(self) -> tuple[torch.Tensor, torch.Tensor]:
        if self._all is None:
            r = len(self.rest)
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
        """(contexts bool [K, n], weights [K] summing to 1, exact?)."""
        if self.exact_for(count):
            ctx, w = self.all()
            return ctx, w, True
        packed = ops.mv_sample_contexts(self.n, self.rest, count, True, self.seed, stream)
        return unpack(packed, self.n), torch.full((count,), 1.0 / count, dtype=torch.float64), False


class _Blocks:
    """d[t, c] = v(S_t ∪ C_c) - v(S_t) for contexts S_t and coalitions C_c (v(S_t) shared)."""

    def __init__(self, game: Game, coalitions: dict) -> None:
        self.game = game
        self.coalitions = coalitions  # key -> bool [n]

    def deltas(self, contexts: torch.Tensor, keys: Sequence[Any]) -> torch.Tensor:
        k, n = contexts.shape
        coal = torch.stack([self.coalitions[key] for key in keys])
        batch = torch.cat([contexts, (contexts.unsqueeze(1) | coal.unsqueeze(0)).reshape(-1, n)])
        values = self.game(batch).to(torch.float64).cpu()
        return values[k:].reshape(k, len(keys)) - values[:k].unsqueeze(1)


def _run_coalitions(n: int, players: Sequence[int]) -> dict:
    m = len(players)
    out = {}
    for a in range(m):
        mask = torch.zeros(n, dtype=torch.bool)
        for b in range(a, m):
            mask = mask.clone()
            mask[players[b]] = True
            out[(a, b)] = mask
    return out


class _Adam:
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


def _check_budget(name: str, value: int, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return value


def learned_budget(n: int, m: int, updates: int, partitions_per_update: int, contexts: int,
                   final_contexts: int, enumerate_contexts: bool = True) -> int:
    """An upper bound on the game evaluations of the learned search (used by ``method="auto"``)."""
    r = n - m
    full = 1 << r if r < 62 else None
    k3 = min(contexts, full) if enumerate_contexts and full is not None and full <= contexts else contexts
    kf = full if enumerate_contexts and full is not None and full <= final_contexts else final_contexts
    runs = min(m * (m + 1) // 2, 2 * partitions_per_update * (2 * (m - 1)))
    return updates * k3 * (runs + 1) + kf * (3 * m + 1)


@methods.estimator("interaction_significance", "learned")
def learned_significance(
    game: Game,
    players: Sequence[int],
    partitions: str = "contiguous",
    *,
    updates: int = 30,
    partitions_per_update: int = 8,
    contexts: int = 16,
    final_contexts: int = 256,
    lr: float = 0.2,
    eps: float = 0.01,
    enumerate_contexts: bool = True,
    seed: int = 0,
    progress: Optional[bool] = None,
) -> Significance:
    """T([A]) by the learned partition search (multivariate paper Eq. 7-9).

    Args:
        game: any :class:`~interplay.Game` (evaluated on batches of coalitions, never tabulated).
        players: the ordered players of A (m >= 2); neighbours k, k+1 may share a coalition.
        partitions: only ``"contiguous"`` (runs of neighbours, as in the paper).
        updates: K1, the updates of p (each for the max and the min search).
        partitions_per_update: K2, the partitions g ~ Bernoulli(p) per update.
        contexts: K3, the contexts S of Eq. 7 per update (shared by the K2 partitions).
        final_contexts: contexts for B_max, B_min and T at the learned partitions.
        lr: the (Adam-normalised) step on p; eps: p stays in [eps, 1 - eps].
        enumerate_contexts: enumerate all 2^|N∖A| contexts (exact Eq. 1) where that is no more
            than the contexts asked for.
        seed: the RNG key; the same seed gives the same result on any machine.
        progress: a tqdm bar over the updates (None: only for long searches).

    Returns a :class:`Significance` with ``method="learned"``; ``extra`` holds the learned
    ``p_max`` / ``p_min``, their trajectories (K1 + 1 rows), standard errors of T, B_max, B_min
    (0 when the final contexts were enumerated) and the evaluations of the search and of the
    final estimate.
    """
    if partitions != "contiguous":
        raise ValueError("the learned search parameterises partitions into runs of neighbours: "
                         f"use partitions='contiguous' (got {partitions!r}) or method='exact'")
    updates = _check_budget("updates", updates, 0)
    partitions_per_update = _check_budget("partitions_per_update", partitions_per_update)
    contexts = _check_budget("contexts", contexts)
    final_contexts = _check_budget("final_contexts", final_contexts)
    if not (0.0 < eps < 0.5):
        raise ValueError(f"eps must be in (0, 0.5), got {eps}")
    if not (lr > 0 and math.isfinite(lr)):
        raise ValueError(f"lr must be positive, got {lr}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be an integer, got {type(seed).__name__}")
    n, m = game.n_players, len(players)
    A = set(players)
    rest = [i for i in range(n) if i not in A]
    coalitions = _run_coalitions(n, players)
    blocks = _Blocks(game, coalitions)
    start_evaluations = game.evaluations

    seed_g, seed_s, seed_f = _subseed(seed, 1), _subseed(seed, 2), _subseed(seed, 3)
    search_contexts = _Contexts(n, rest, seed_s, enumerate_contexts)
    searches = {"max": _Adam(m - 1, lr, eps, +1.0), "min": _Adam(m - 1, lr, eps, -1.0)}
    trajectory = {name: [s.p().tolist()] for name, s in searches.items()}
    show = progress if progress is not None else updates * contexts * m * m > 2_000_000
    for it in progress_bar(range(updates), enabled=show, desc="learning partitions", unit="update"):
        triples = {}
        needed: set[Run] = set()
        for name, search in searches.items():
            # the same uniforms for both searches: common random numbers
            gs = ops.mv_sample_partitions(search.p(), partitions_per_update, seed_g, it * partitions_per_update)
            triples[name] = [_gap_triples(g) for g in gs.tolist()]
            for per_g in triples[name]:
                for trip in per_g:
                    needed.update(trip)
        keys = sorted(needed)
        ctx, weight, _ = search_contexts.draw(contexts, it * contexts)
        phi = dict(zip(keys, (weight @ blocks.deltas(ctx, keys)).tolist()))
        for name, search in searches.items():
            grad = torch.zeros(m - 1, dtype=torch.float64)
            for per_g in triples[name]:
                grad += torch.tensor([phi[lr_] - phi[l_] - phi[r_] for l_, r_, lr_ in per_g], dtype=torch.float64)
            search.step(grad / partitions_per_update)
            trajectory[name].append(search.p().tolist())
    search_evaluations = game.evaluations - start_evaluations

    # read the partitions off p, then estimate B_max, B_min, T there with fresh contexts
    p_max, p_min = searches["max"].p(), searches["min"].p()
    runs_max, runs_min = runs_of((p_max > 0.5).tolist()), runs_of((p_min > 0.5).tolist())
    singles = [(k, k) for k in range(m)]
    keys = sorted(set(runs_max) | set(runs_min) | set(singles))
    final = _Contexts(n, rest, seed_f, enumerate_contexts)
    ctx, weight, exact_final = final.draw(final_contexts, 0)
    d = blocks.deltas(ctx, keys)
    col = {key: c for c, key in enumerate(keys)}
    top = d[:, [col[r] for r in runs_max]].sum(1)
    bottom = d[:, [col[r] for r in runs_min]].sum(1)
    single = d[:, [col[r] for r in singles]].sum(1)

    def estimate(x: torch.Tensor) -> tuple[float, float]:
        value = float(weight @ x)
        if exact_final or x.numel() < 2:
            return value, 0.0
        return value, float(x.std() / math.sqrt(x.numel()))

    T, T_se = estimate(top - bottom)
    b_max, b_max_se = estimate(top - single)
    b_min, b_min_se = estimate(bottom - single)

    def to_players(runs: list[Run]) -> list[tuple[int, ...]]:
        return [tuple(players[a : b + 1]) for a, b in runs]

    evaluations = game.evaluations - start_evaluations
    return Significance(
        players=tuple(players),
        T=T,
        b_max=b_max,
        b_min=b_min,
        max_partition=to_players(runs_max),
        min_partition=to_players(runs_min),
        method="learned",
        evaluations=evaluations,
        settings={
            "partitions": partitions,
            "updates": updates,
            "partitions_per_update": partitions_per_update,
            "contexts": contexts,
            "final_contexts": final_contexts,
            "lr": lr,
            "eps": eps,
            "enumerate_contexts": enumerate_contexts,
            "seed": seed,
        },
        extra={
            "p_max": p_max.tolist(),
            "p_min": p_min.tolist(),
            "trajectory_max": trajectory["max"],
            "trajectory_min": trajectory["min"],
            "stderr": {"T": T_se, "b_max": b_max_se, "b_min": b_min_se},
            "evaluations_search": search_evaluations,
            "evaluations_final": evaluations - search_evaluations,
            "final_contexts_exact": exact_final,
            "search_contexts_exact": search_contexts.exact_for(contexts),
        },
    )


@methods.estimator("interaction_significance", "auto")
def auto_significance(game: Game, players: Sequence[int], partitions: str = "contiguous", **kwargs: Any) -> Significance:
    """The exact path when its cost (2^n evaluations, 0 once the table is cached) is no more than the
    learned search's budget (:func:`learned_budget`), else ``method="learned"``. The result's
    ``settings["auto"]`` says which ran."""
    from .multivariate import interaction_significance

    n, m = game.n_players, len(players)
    keys = ("updates", "partitions_per_update", "contexts", "final_contexts", "enumerate_contexts")
    defaults = {"updates": 30, "partitions_per_update": 8, "contexts": 16, "final_contexts": 256,
                "enumerate_contexts": True}
    budget = learned_budget(n, m, **{k: kwargs.get(k, defaults[k]) for k in keys})
    exact_cost = 0 if game._table is not None else (1 << n if n <= _checks.MAX_EXACT_PLAYERS else None)
    limit = 24 if partitions == "contiguous" else 13
    feasible = exact_cost is not None and m <= limit
    if feasible:
        try:
            _checks.exact_size(n)
        except ValueError:
            feasible = False
    if feasible and (exact_cost <= budget or partitions != "contiguous"):
        result = interaction_significance(game, players, method="exact", partitions=partitions)
        choice = "exact"
    else:
        result = learned_significance(game, players, partitions, **kwargs)
        choice = "learned"
    result.settings["auto"] = choice
    result.settings["learned_budget"] = budget
    result.settings["exact_cost"] = exact_cost
    return result


def coalition_shapley_sampled(game: Game, coalition: Sequence[int], absent: Sequence[int] = (), *,
                              samples: int = 1000, seed: int = 0, enumerate_contexts: bool = True) -> Result:
    """φ([C] | N_C) by Eq. 7: E_r E_{|S|=r} [v(S ∪ C) - v(S)] over S ⊆ N ∖ C ∖ absent, r uniform
    (stratified), ``samples`` contexts (2 evaluations each, or all 2^|N∖C∖absent| contexts with
    their Shapley weights when that is no more). A 0-d :class:`Result` with its standard error.

    Not registered as ``coalition_shapley`` ``method="sampling"`` (that belongs to the engine);
    the learned search uses the same sampler.
    """
    n = game.n_players
    c = _checks.players(coalition, n, "coalition")
    a = _checks.players(absent, n, "absent", min_size=0)
    if set(c) & set(a):
        raise ValueError(f"coalition and absent share players {sorted(set(c) & set(a))}")
    samples = _check_budget("samples", samples)
    rest = [i for i in range(n) if i not in set(c) | set(a)]
    mask = torch.zeros(n, dtype=torch.bool)
    mask[list(c)] = True
    start = game.evaluations
    ctx, weight, exact = _Contexts(n, rest, _subseed(seed, 4), enumerate_contexts).draw(samples, 0)
    d = _Blocks(game, {"C": mask}).deltas(ctx, ["C"])[:, 0]
    value = weight @ d
    stderr = 0.0 if exact or d.numel() < 2 else float(d.std() / math.sqrt(d.numel()))
    return Result(value, quantity="coalition_shapley", method="sampling", evaluations=game.evaluations - start,
                  stderr=torch.tensor(stderr, dtype=torch.float64),
                  settings={"coalition": c, "absent": a, "samples": samples, "seed": seed, "exact": exact})
