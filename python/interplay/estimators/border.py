"""Border strata of the shared pair design (the "border trick" of shapiq's kernel approximators,
Fumagalli et al. 2023).

With Shapley contexts |T| is uniform on 0..n, so the shared estimate splits into strata of weight
1/(n+1) per size. With border b the sizes 0..b-1 and n-b+1..n are enumerated exactly (every
coalition they touch — the sizes 0..b+1 and n-b-1..n — is evaluated once, :func:`border_cost`)
and only the middle band b..n-b is sampled (|T| uniform on the band, T uniform given its size;
antithetic and systematic apply within the band, which is closed under complements).
Estimate = exact part + ((n+1-2b)/(n+1)) × band mean; the stderr comes from the band alone.
"""
from __future__ import annotations

import math

import torch

from .._internal.ops import ops
from ..engine import evaluate_packed, unpack
from .._internal.checks import max_memory, memory
from ..games import Game


BORDER_ROWS_BYTES = 1 << 27  # the border's pair sums over at most this many bytes of rows at a time


def context_sizes(n: int, b: int) -> list[int]:
    """Context sizes enumerated exactly by border b: 0..b-1 and n-b+1..n (every size once 2b > n)."""
    return sorted(set(range(0, min(b, n + 1))) | set(range(max(n - b + 1, 0), n + 1)))


def coalition_sizes(n: int, b: int) -> list[int]:
    """Coalition sizes the exact strata need: S = T ∖ {i, j} and S ∪ A (A ⊆ {i, j}) have sizes |T| - 2 .. |T| + 2."""
    return sorted({s for t in context_sizes(n, b) for s in range(t - 2, t + 3) if 0 <= s <= n})


def border_cost(n: int, b: int) -> int:
    """Model evaluations of the exact border strata of border b: every coalition of the needed sizes, once."""
    return sum(math.comb(n, s) for s in coalition_sizes(n, b)) if b > 0 else 0


def band_weight(n: int, b: int) -> float:
    """P(|T| in the sampled band b..n-b) = (n+1-2b)/(n+1) (0 once 2b > n: every size is exact)."""
    return max(n + 1 - 2 * b, 0) / (n + 1)


def border_exact(game: Game, pairs: torch.Tensor, b: int) -> torch.Tensor:
    """Σ_{t exact} P(|T| = t) E[Δf(T ∖ {i, j}) | |T| = t] for every pair, P(|T| = t) = 1/(n+1).

    Rewritten over the coalitions U that appear: T ∖ {i,j} = S with |S| = m arises from
    C(2, t - m) contexts of size t, so the exact part is Σ_U v(U) (-1)^k c(|U| - k) with
    k = |U ∩ {i,j}| and c(m) = Σ_{t exact} C(2, t - m) / ((n+1) C(n, t)). Each coalition is
    evaluated once (the enumeration is ip_combinations, in chunks of game.batch_size)."""
    n = game.n_players
    exact = context_sizes(n, b)

    def c(m: int) -> float:
        return sum(math.comb(2, t - m) / ((n + 1) * math.comb(n, t)) for t in exact if 0 <= t - m <= 2)

    out = torch.zeros(pairs.shape[0], dtype=torch.float64)
    like = torch.zeros(0)
    chunk = max(int(game.batch_size), 1)
    # the pair sums of a chunk of rows, at most BORDER_ROWS_BYTES (and the memory budget) of membership
    # columns at a time ([rows, n] bool, [rows, P] float64 three times)
    per_row = n + 24 * len(pairs)
    rows = max(1, min(chunk, min(BORDER_ROWS_BYTES, max_memory()) // per_row))
    memory(rows * per_row, f"the border strata of {len(pairs)} pairs", "list fewer pairs or use border=0")
    for s in coalition_sizes(n, b):
        c0, c1, c2 = c(s), c(s - 1), c(s - 2)
        total = math.comb(n, s)
        for r0 in range(0, total, chunk):
            masks = ops.combinations(like, n, s, r0, min(chunk, total - r0))
            v_all = evaluate_packed(game, masks).to(torch.float64)
            for q0 in range(0, len(masks), rows):
                v = v_all[q0:q0 + rows]
                x = unpack(masks[q0:q0 + rows], n)
                xi, xj = x[:, pairs[:, 0]].to(torch.float64), x[:, pairs[:, 1]].to(torch.float64)
                ui, uj, uij = v @ xi, v @ xj, v @ (xi * xj)
                out += c0 * (v.sum() - ui - uj + uij) - c1 * (ui + uj - 2 * uij) + c2 * uij
    return out


def auto_border(n: int, budget: int, per_sample: int, fraction: float, minimum: int) -> tuple[int, int]:
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
