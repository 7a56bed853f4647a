"""Sampling estimators over the engine (register with ``interplay.methods``).

Every estimator takes ``samples=`` and ``seed=`` (same seed → same coalitions, on CPU and GPU),
returns a :class:`Result` with ``stderr`` (sqrt(var / samples)) and ``evaluations`` (model
evaluations used), and evaluates in batches of ``game.batch_size``.

  shapley_values(method="permutation" | "sampling")       Castro et al. 2009 permutations (Eq. 1)
  shapley_interaction(i, j, method="sampling")            Δf over S ~ P_Shapley(S | N∖{i,j}) (dropout Eq. 2)
  banzhaf_interaction(i, j, method="sampling")            Δf over S ~ Bernoulli(1/2)
  multi_order_interaction(i, j, order | orders | order_ranges, method="sampling")   I^(s) (Eq. 3, Fig. 2)
  coalition_shapley(C, absent, method="sampling")         φ([C] | N_C) (multivariate paper Eq. 7)
  shapley_/banzhaf_interaction_matrix(method="sampling" | "shared", pairs=...)
  pair_interactions(game, pairs, ...)                      a list of pairs, ``[P]``
  instability(runs)                                        E|T(u) − T(v)| / E|T(w)| (both papers)

``method="shared"`` serves every listed pair from one context T per sample: with |T| uniform in
0..n and T uniform given its size, S = T ∖ {i, j} has exactly the law P_Shapley(S | N∖{i,j}) for
every pair (and T ~ Bernoulli(1/2) gives Banzhaf contexts), so each sample costs
1 + (#players in pairs) + P evaluations instead of 4P, with no importance weights; by default
each sample also evaluates the complement N ∖ T (antithetic; see ``pair_interactions``).

Border strata (``border=``, Shapley contexts): the sizes |T| < b and |T| > n − b are enumerated
exactly and only the middle band b..n−b is sampled — the "border trick" of shapiq's kernel
approximators (Fumagalli et al. 2023), see ``pair_interactions``.
"""
from __future__ import annotations

import math
from typing import Any, Iterable, Optional, Sequence, Union

import torch

from . import _checks, methods
from ._ops import ops
from .engine import (COALITIONS, LAW_RATE, LAW_SIZE, PAIRS, PERMUTATION, SHARED_PAIRS, Design, evaluate_packed,
                     order_range, pack, run_design, unpack)
from .games import Game
from .results import Result


def _settings(samples: int, seed: int, **extra: Any) -> dict:
    return {"samples": samples, "seed": seed, **extra}


# -- Shapley values ------------------------------------------------------------------------------
def _shapley_permutation(game: Game, samples: int = 200, seed: int = 0, progress: Optional[bool] = None) -> Result:
    """φ(i) = E_π[v(P_π(i) ∪ {i}) − v(P_π(i))] over uniform permutations π (``samples`` permutations)."""
    est = run_design(game, Design(PERMUTATION, game.n_players), samples, seed, progress=progress)
    return Result(est.mean, quantity="shapley_values", method="permutation", evaluations=est.evaluations,
                  stderr=est.stderr, settings=_settings(samples, seed))


methods.estimator("shapley_values", "permutation")(_shapley_permutation)
methods.estimator("shapley_values", "sampling")(_shapley_permutation)


# -- pairs ---------------------------------------------------------------------------------------
def _pairs_tensor(pairs: Any, n: int) -> torch.Tensor:
    p = torch.as_tensor(pairs, dtype=torch.int64)
    if p.dim() != 2 or p.shape[1] != 2 or p.shape[0] < 1:
        raise ValueError(f"pairs must be a non-empty list of (i, j), shape [P, 2]; got shape {list(p.shape)}")
    if bool(((p < 0) | (p >= n)).any()):
        raise ValueError(f"pairs hold players outside 0..{n - 1}")
    if bool((p[:, 0] == p[:, 1]).any()):
        raise ValueError("a pair needs two different players")
    return p.contiguous()


def _law(contexts: str, rate: Optional[tuple]) -> tuple[int, tuple]:
    if contexts == "shapley":
        return LAW_SIZE, (0.0, 0.0)
    if contexts == "banzhaf":
        return LAW_RATE, (0.5, 0.5)
    if contexts == "rate":
        if rate is None:
            raise ValueError("contexts='rate' needs rate=(lo, hi), the interval of per-unit keep rates")
        lo, hi = float(rate[0]), float(rate[1])
        if not 0.0 <= lo <= hi <= 1.0:
            raise ValueError(f"rate must satisfy 0 <= lo <= hi <= 1, got {rate}")
        return LAW_RATE, (lo, hi)
    raise ValueError(f"contexts must be 'shapley', 'banzhaf' or 'rate', got {contexts!r}")


# -- border strata of the shared design ----------------------------------------------------------
def _border_context_sizes(n: int, b: int) -> list[int]:
    """Context sizes enumerated exactly by border b: 0..b-1 and n-b+1..n (every size once 2b > n)."""
    return sorted(set(range(0, min(b, n + 1))) | set(range(max(n - b + 1, 0), n + 1)))


def _border_coalition_sizes(n: int, b: int) -> list[int]:
    """Coalition sizes the exact strata need: S = T ∖ {i, j} and S ∪ A (A ⊆ {i, j}) have sizes |T| - 2 .. |T| + 2."""
    return sorted({s for t in _border_context_sizes(n, b) for s in range(t - 2, t + 3) if 0 <= s <= n})


def border_cost(n: int, b: int) -> int:
    """Model evaluations of the exact border strata of border b: every coalition of the needed sizes, once."""
    return sum(math.comb(n, s) for s in _border_coalition_sizes(n, b)) if b > 0 else 0


def _border_exact(game: Game, p: torch.Tensor, b: int) -> torch.Tensor:
    """Σ_{t exact} P(|T| = t) E[Δf(T ∖ {i, j}) | |T| = t] for every pair, P(|T| = t) = 1/(n+1).

    Rewritten over the coalitions U that appear: T ∖ {i,j} = S with |S| = m arises from
    C(2, t - m) contexts of size t, so the exact part is Σ_U v(U) (-1)^k c(|U| - k) with
    k = |U ∩ {i,j}| and c(m) = Σ_{t exact} C(2, t - m) / ((n+1) C(n, t)). Each coalition is
    evaluated once (the enumeration is ip_combinations, in chunks of game.batch_size)."""
    n = game.n_players
    exact = _border_context_sizes(n, b)

    def c(m: int) -> float:
        return sum(math.comb(2, t - m) / ((n + 1) * math.comb(n, t)) for t in exact if 0 <= t - m <= 2)

    out = torch.zeros(p.shape[0], dtype=torch.float64)
    like = torch.zeros(0)
    chunk = max(int(game.batch_size), 1)
    for s in _border_coalition_sizes(n, b):
        c0, c1, c2 = c(s), c(s - 1), c(s - 2)
        total = math.comb(n, s)
        for r0 in range(0, total, chunk):
            masks = ops.combinations(like, n, s, r0, min(chunk, total - r0))
            v = evaluate_packed(game, masks).to(torch.float64)
            x = unpack(masks, n).to(torch.float64)
            xi, xj = x[:, p[:, 0]], x[:, p[:, 1]]
            ui, uj, uij = v @ xi, v @ xj, v @ (xi * xj)
            out += c0 * (v.sum() - ui - uj + uij) - c1 * (ui + uj - 2 * uij) + c2 * uij
    return out


def _auto_border(n: int, budget: int, per_sample: int, fraction: float, minimum: int) -> tuple[int, int]:
    """The largest border b whose exact strata cost <= fraction * budget and leave >= minimum samples
    for the middle band (none needed once 2b > n); returns (b, samples of the middle band)."""
    best = (0, budget // per_sample)
    for b in range(1, n // 2 + 2):
        cost = border_cost(n, b)
        if cost > fraction * budget:
            break
        left = (budget - cost) // per_sample
        if 2 * b > n:
            return b, 0
        if left >= minimum:
            best = (b, left)
    return best


def pair_interactions(
    game: Game,
    pairs: Any,
    kind: str = "shapley",
    method: str = "sampling",
    samples: int = 200,
    seed: int = 0,
    rate: Optional[tuple] = None,
    systematic: bool = False,
    antithetic: Optional[bool] = None,
    replicates: int = 8,
    border: Union[int, str] = "auto",
    border_fraction: float = 0.5,
    progress: Optional[bool] = None,
) -> Result:
    """Pairwise interactions of a list of pairs ``[P, 2]`` by sampling, a ``[P]`` result.

    kind: ``"shapley"`` (dropout paper Eq. 2), ``"banzhaf"``, or ``"rate"`` (contexts with each
    unit kept at a rate drawn from ``rate = (lo, hi)``; (0, 1) gives Shapley contexts again).
    method: ``"sampling"`` draws contexts independently per pair (the papers' method, 4
    evaluations per pair and sample); ``"shared"`` serves all pairs from one context per sample
    (unbiased, see the module doc).

    Variance reduction of ``"shared"`` (both keep every sample unbiased; csrc/core/designs.h):
    ``antithetic`` (default on where the law allows: Shapley, Banzhaf, rates symmetric about 1/2)
    evaluates each context T and its complement N ∖ T and averages the two Δf — a sample then
    costs 2 (1 + #players in pairs + P) evaluations, and terms of order <= 3 cancel exactly.
    ``systematic=True`` (Shapley only) stratifies |T| over 0..n with ``replicates`` independent
    randomly shifted golden-ratio sequences (sample k in replicate k mod R); the estimate is the
    mean of the replicate means and the stderr sqrt(var(replicate means) / R), unbiased for the
    stratified design (it needs samples >= replicates >= 2).

    Border strata (``"shared"`` with ``kind="shapley"``; the border trick of shapiq's kernel
    approximators): |T| is uniform on 0..n, so the estimate splits into strata of weight 1/(n+1)
    per size. With border b the sizes 0..b-1 and n-b+1..n are enumerated exactly (every
    coalition they touch — the sizes 0..b+1 and n-b-1..n — is evaluated once, see
    ``border_cost``) and only the middle band b..n-b is sampled (|T| uniform on the band, T
    uniform given its size; antithetic and systematic apply within the band, which is closed
    under complements). Estimate = exact part + ((n+1-2b)/(n+1)) × band mean; the stderr comes
    from the band alone. ``border="auto"`` (default) treats ``samples`` × (evaluations per
    sample) as the budget, gives the exact strata the largest b whose cost is at most
    ``border_fraction`` of it, and spends the rest on band samples (all of it on samples when
    even b = 1 does not fit; once 2b > n everything is exact and the stderr is 0).
    ``border=b`` (an int) enumerates that border and draws ``samples`` band samples;
    ``border=0`` turns it off.
    """
    n = game.n_players
    if n < 3:
        raise ValueError("sampled pair interactions need a game with at least 3 players")
    p = _pairs_tensor(pairs, n)
    law, rates = _law(kind, rate)
    if method == "sampling":
        design = Design(PAIRS, n, law=law, size_lo=[0], size_hi=[n - 2], rate=rates, pairs=p)
    elif method == "shared":
        if systematic and law != LAW_SIZE:
            raise ValueError("systematic=True stratifies context sizes and needs kind='shapley'")
        symmetric = law == LAW_SIZE or rates[0] + rates[1] == 1.0
        if antithetic is None:
            antithetic = symmetric
        if antithetic and not symmetric:
            raise ValueError(f"antithetic contexts need keep rates symmetric about 1/2 (the complement of a "
                             f"rate-r set has rate 1 - r), got rate={rates}")
        if systematic and (isinstance(replicates, bool) or not isinstance(replicates, int) or replicates < 2):
            raise ValueError(f"systematic=True needs replicates >= 2 (for a standard error), got {replicates!r}")
        b, band_samples = _border_choice(border, border_fraction, law, n, p, samples, bool(antithetic),
                                         replicates if systematic else 2)
        design = Design(SHARED_PAIRS, n, law=law, systematic=systematic, antithetic=bool(antithetic),
                        replicates=replicates if systematic else 1, rate=rates, pairs=p,
                        size_lo=[b] if b > 0 else (), size_hi=[n - b] if b > 0 else ())
    else:
        raise ValueError(f"method must be 'sampling' or 'shared', got {method!r}")
    if method == "sampling" and (systematic or antithetic):
        raise ValueError("systematic= and antithetic= apply to method='shared' only")
    if method == "sampling" and border not in ("auto", 0):
        raise ValueError("border= applies to method='shared' only")
    if method == "shared" and b > 0:
        before = game.evaluations
        exact = _border_exact(game, p, b)
        exact_evaluations = game.evaluations - before
        band = max(n + 1 - 2 * b, 0) / (n + 1)  # P(|T| in the middle band)
        if band > 0:
            est = run_design(game, design, band_samples, seed, progress=progress)
            mean, stderr, evaluations = exact + band * est.mean, band * est.stderr, exact_evaluations + est.evaluations
        else:
            mean, stderr, evaluations = exact, torch.zeros_like(exact), exact_evaluations
    else:
        b, band_samples, exact_evaluations = 0, samples, 0
        est = run_design(game, design, samples, seed, progress=progress)
        mean, stderr, evaluations = est.mean, est.stderr, est.evaluations
    return Result(mean, quantity=f"{kind}_pair_interactions", method=method, evaluations=evaluations,
                  stderr=stderr, settings=_settings(samples, seed, pairs=p.tolist(), systematic=systematic,
                                                    antithetic=bool(design.antithetic),
                                                    replicates=design.replicates,
                                                    rate=rates if kind == "rate" else None,
                                                    border=b, band_samples=band_samples if b < n + 1 - b else 0,
                                                    border_evaluations=exact_evaluations))


def _border_choice(border: Union[int, str], fraction: float, law: int, n: int, p: torch.Tensor, samples: int,
                   antithetic: bool, minimum: int) -> tuple[int, int]:
    """(border b, samples of the middle band) of the shared design's arguments."""
    if not (isinstance(fraction, (int, float)) and not isinstance(fraction, bool) and 0.0 < fraction <= 1.0):
        raise ValueError(f"border_fraction must be in (0, 1], got {fraction!r}")
    if border == "auto":
        if law != LAW_SIZE:
            return 0, samples
        if isinstance(samples, bool) or not isinstance(samples, int) or samples < minimum:
            return 0, samples  # run_design names the problem
        players = len(set(p.flatten().tolist()))
        per_sample = (2 if antithetic else 1) * (1 + players + p.shape[0])
        return _auto_border(n, samples * per_sample, per_sample, float(fraction), minimum)
    if isinstance(border, bool) or not isinstance(border, int) or border < 0:
        raise ValueError(f"border must be 'auto' or an integer >= 0 (0 turns it off), got {border!r}")
    if border > 0 and law != LAW_SIZE:
        raise ValueError("border strata split the uniform context sizes and need kind='shapley'")
    return min(border, n // 2 + 1), samples


def _one_pair(kind: str, quantity: str):
    def estimate(game: Game, i: int, j: int, samples: int = 500, seed: int = 0, contexts: Optional[str] = None,
                 rate: Optional[tuple] = None, progress: Optional[bool] = None) -> Result:
        r = pair_interactions(game, [(i, j)], kind=contexts or kind, samples=samples, seed=seed, rate=rate,
                              progress=progress)
        return Result(r.tensor()[0], quantity=quantity, method="sampling", evaluations=r.evaluations,
                      stderr=r.stderr[0], settings=_settings(samples, seed, pair=(i, j), contexts=contexts or kind))

    return estimate


methods.estimator("shapley_interaction", "sampling")(_one_pair("shapley", "shapley_interaction"))
methods.estimator("banzhaf_interaction", "sampling")(_one_pair("banzhaf", "banzhaf_interaction"))


def _matrix(kind: str, quantity: str, method: str):
    def estimate(game: Game, pairs: Any = None, samples: int = 200, seed: int = 0, systematic: bool = False,
                 antithetic: Optional[bool] = None, replicates: int = 8, border: Union[int, str] = "auto",
                 border_fraction: float = 0.5, progress: Optional[bool] = None) -> Result:
        n = game.n_players
        if pairs is None:
            pairs = torch.triu_indices(n, n, 1).t()
        r = pair_interactions(game, pairs, kind=kind, method=method, samples=samples, seed=seed,
                              systematic=systematic, antithetic=antithetic, replicates=replicates, border=border,
                              border_fraction=border_fraction, progress=progress)
        p = torch.as_tensor(r.settings["pairs"])
        values = torch.full((n, n), float("nan"), dtype=torch.float64)
        stderr = torch.full((n, n), float("nan"), dtype=torch.float64)
        values.diagonal().zero_(), stderr.diagonal().zero_()
        for a, b in ((0, 1), (1, 0)):
            values[p[:, a], p[:, b]] = r.tensor()
            stderr[p[:, a], p[:, b]] = r.stderr
        return Result(values, quantity=quantity, method=method, evaluations=r.evaluations, stderr=stderr,
                      settings=_settings(samples, seed, pairs=p.tolist(), unestimated="nan"))

    estimate.__doc__ = (f"The {kind} interaction of the listed pairs (default all) in an [n, n] matrix; "
                        "pairs not estimated are NaN.")
    return estimate


for _m in ("sampling", "shared"):
    methods.estimator("shapley_interaction_matrix", _m)(_matrix("shapley", "shapley_interaction_matrix", _m))
    methods.estimator("banzhaf_interaction_matrix", _m)(_matrix("banzhaf", "banzhaf_interaction_matrix", _m))


# -- multi-order ---------------------------------------------------------------------------------
def _multi_order(game: Game, i: int, j: int, order: Optional[int] = None, orders: Optional[Iterable[int]] = None,
                 order_ranges: Optional[Sequence[tuple]] = None, samples: int = 200, seed: int = 0,
                 progress: Optional[bool] = None) -> Result:
    """I^(s)(i, j) = E_{|S| = s} Δf(S, i, j) (dropout paper Eq. 3) for ``order``, a list of
    ``orders``, or ``order_ranges`` [(a, b), ...]: |S| drawn uniformly from [a·n, b·n] per context,
    as in the paper's Fig. 2 (e.g. (0.0, 0.2) approximates s = 0.1n). Default: every order 0..n-2.
    """
    n = game.n_players
    if n < 3:
        raise ValueError("sampled multi-order interactions need a game with at least 3 players")
    given = sum(a is not None for a in (order, orders, order_ranges))
    if given > 1:
        raise ValueError("give at most one of order=, orders= and order_ranges=")
    if order_ranges is not None:
        ranges = [order_range(n, float(a), float(b)) for a, b in order_ranges]
    else:
        chosen = [order] if order is not None else (list(orders) if orders is not None else list(range(n - 1)))
        ranges = [(_checks.player(s, n - 1, "order"), _checks.player(s, n - 1, "order")) for s in chosen]
    design = Design(PAIRS, n, law=LAW_SIZE, size_lo=[a for a, _ in ranges], size_hi=[b for _, b in ranges],
                    pairs=torch.tensor([[i, j]]))
    est = run_design(game, design, samples, seed, progress=progress)
    mean, stderr = est.mean, est.stderr
    if order is not None:
        mean, stderr = mean[0], stderr[0]
    return Result(mean, quantity="multi_order_interaction", method="sampling", evaluations=est.evaluations,
                  stderr=stderr, settings=_settings(samples, seed, pair=(i, j), sizes=ranges))


methods.estimator("multi_order_interaction", "sampling")(_multi_order)


# -- coalitions (multivariate paper Eq. 7) --------------------------------------------------------
def _packed_sets(sets: Sequence[Sequence[int]], n: int) -> torch.Tensor:
    rows = torch.zeros(len(sets), n, dtype=torch.bool)
    for k, s in enumerate(sets):
        rows[k, list(s)] = True
    return pack(rows)


def coalition_shapley_many(game: Game, coalitions: Sequence[Sequence[int]],
                           absent: Optional[Sequence[Sequence[int]]] = None, samples: int = 500, seed: int = 0,
                           progress: Optional[bool] = None) -> Result:
    """φ([C_q] | N_{C_q}) for several coalitions at once by Eq. 7: r uniform in 0..m, S a uniform
    r-subset of N ∖ C ∖ A (m = |N ∖ C ∖ A|), X = v(S ∪ C) − v(S). A ``[Q]`` result."""
    n = game.n_players
    cs = [_checks.players(c, n, "coalition") for c in coalitions]
    ab = [_checks.players(a, n, "absent", min_size=0) for a in (absent or [()] * len(cs))]
    if len(ab) != len(cs):
        raise ValueError("absent must list one set per coalition")
    for c, a in zip(cs, ab):
        if set(c) & set(a):
            raise ValueError(f"coalition and absent share players {sorted(set(c) & set(a))}")
    design = Design(COALITIONS, n, coalitions=_packed_sets(cs, n), absent=_packed_sets(ab, n))
    est = run_design(game, design, samples, seed, progress=progress)
    return Result(est.mean, quantity="coalition_shapley", method="sampling", evaluations=est.evaluations,
                  stderr=est.stderr, settings=_settings(samples, seed, coalitions=cs, absent=ab))


def _coalition(game: Game, c: tuple, a: tuple, samples: int = 500, seed: int = 0,
               progress: Optional[bool] = None) -> Result:
    r = coalition_shapley_many(game, [c], [a], samples=samples, seed=seed, progress=progress)
    return Result(r.tensor()[0], quantity="coalition_shapley", method="sampling", evaluations=r.evaluations,
                  stderr=r.stderr[0], settings=_settings(samples, seed, coalition=c, absent=a))


methods.estimator("coalition_shapley", "sampling")(_coalition)


# -- instability ---------------------------------------------------------------------------------
def instability(runs: Union[torch.Tensor, Sequence[Any]], reduce: str = "mean") -> torch.Tensor:
    """The instability of repeated estimates (dropout paper App. K; multivariate paper Sec. 5):

        instability = E_I [ E_{u≠v} |T^(u) − T^(v)| / E_w |T^(w)| ]

    ``runs``: ``[R, ...]`` (R >= 2 repetitions with different seeds; or a list of R results).
    Each trailing element is one quantity I; ``reduce="mean"`` averages over them (E_I),
    ``"none"`` returns one value per element. Pass the per-run average strengths
    (e.g. ``E_(i,j)|I(i,j)|``) to get the dropout paper's image-level version.
    """
    t = torch.stack([torch.as_tensor(r).detach().double().reshape(torch.as_tensor(r).shape)
                     for r in runs]) if not isinstance(runs, torch.Tensor) else runs.detach().double()
    if t.dim() < 1 or t.shape[0] < 2:
        raise ValueError("instability needs at least 2 runs along the first dimension")
    R = t.shape[0]
    flat = t.reshape(R, -1)
    diffs = (flat.unsqueeze(0) - flat.unsqueeze(1)).abs().sum((0, 1)) / (R * (R - 1))
    scale = flat.abs().mean(0)
    if bool((scale == 0).any()):
        raise ValueError("instability is undefined where every run is exactly 0 (E|T| = 0)")
    value = diffs / scale
    if reduce == "none":
        return value.reshape(t.shape[1:])
    if reduce != "mean":
        raise ValueError(f"reduce must be 'mean' or 'none', got {reduce!r}")
    return value.mean()
