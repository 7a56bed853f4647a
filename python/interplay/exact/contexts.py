"""The contexts S of a pair and their Δv(i, j, S) (multivariate paper Fig. 2), for context maps."""
from __future__ import annotations

from typing import Optional

import torch

from .._internal import checks as _checks
from .._internal.seeds import signed64
from ..games import Game, masks_to_coalitions
from ..games.base import check_game


def pair_contexts(game: Game, i: int, j: int, *, samples: Optional[int] = None,
                  seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """The contexts S ⊆ N ∖ {i, j} of a pair and their Δv(i, j, S).

    Δv(i, j, S) = v(S∪{i,j}) - v(S∪{i}) - v(S∪{j}) + v(S) (multivariate paper, Fig. 2).

    ``samples=None`` enumerates all 2^(n-2) contexts from the game's table (n <= 24);
    ``samples=K`` draws K contexts uniformly from the 2^(n-2) (each other player present with
    probability 1/2, seeded by ``seed``) and evaluates the game on 4K coalitions — for grids too
    large to enumerate; sums over them estimate 2^(n-2) / K times the full sums.

    Returns:
        ``contexts`` bool ``[K, n]`` (i and j never present) and ``deltas`` float64 ``[K]``.
    """
    n = check_game(game).n_players
    i, j = _checks.pair(i, j, n)
    others = torch.tensor([k for k in range(n) if k not in (i, j)], dtype=torch.int64)
    if samples is None:
        if n - 2 > 22:
            raise ValueError(f"enumerating the 2^{n - 2} contexts of a {n}-player game is too large; "
                             "pass samples= to draw contexts at random")
        _checks.seed(seed)
        k = 1 << (n - 2)
        _checks.memory(k * (10 * n + 64) + (0 if game.has_table() else 16 * (1 << n) + game.table_memory()),
                       f"the 2^{n - 2} contexts of a {n}-player game", "pass samples= to draw contexts at random")
        table = game.table()
        compressed = torch.arange(1 << (n - 2), dtype=torch.int64)
        bits = masks_to_coalitions(compressed, n - 2)                    # [K, n-2]
        full = (bits.to(torch.int64) * (torch.ones_like(others) << others)).sum(1)
        bi, bj = 1 << i, 1 << j
        deltas = table[full | bi | bj] - table[full | bi] - table[full | bj] + table[full]
        return masks_to_coalitions(full, n), deltas
    samples = _checks.count(samples, "samples")
    seed = _checks.seed(seed)
    _checks.memory(samples * (4 * n + 4 * 8 + 16), f"{samples} sampled contexts of {n} players",
                   "lower samples")
    gen = torch.Generator().manual_seed(signed64(seed))
    contexts = torch.zeros(samples, n, dtype=torch.bool)
    contexts[:, others] = torch.rand(samples, n - 2, generator=gen, dtype=torch.float64) < 0.5
    with_i, with_j = contexts.clone(), contexts.clone()
    with_i[:, i] = True
    with_j[:, j] = True
    both = with_i.clone()
    both[:, j] = True
    values = game(torch.cat([both, with_i, with_j, contexts])).view(4, samples)
    return contexts, values[0] - values[1] - values[2] + values[3]
