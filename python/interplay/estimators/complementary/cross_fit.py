"""The estimate of a surrogate g of the game, corrected by the pairs it was not fitted on.

For any g, I(v) = I(g) + Σ_border w r + Σ_band w r with r = v - g (:mod:`.design`). The border is
enumerated, so its sum is exact. The band's sum is estimated by importance sampling over the pairs
that did not fit g: mean_S w(S) r(S) / q(S) — unbiased, since g does not depend on them. With
several *splits* f (a surrogate g_f each, corrected by its own rows C_f), the estimate is the mean of
the splits' estimates weighted by |C_f|:

    I = Σ_f (|C_f| / T) (I(g_f) + Σ_border w r_f) + (1 / T) Σ_f Σ_{S ∈ C_f} w(S) r_f(S) / q(S),

T = Σ_f |C_f|. Regression corrects each fold by its own pairs (a fit on the other folds); the
Gaussian process fits few pairs and corrects with all the others. The stderr is that of a mean over
the corrected pairs: the per-pair corrections c(S) = w(S) r̄(S) / q(S), r̄ the residual averaged
over the splits that corrected S, spread as sd(c) / sqrt(pairs corrected) (it leaves out the fits'
own randomness: calibrated once there are several pairs per fitted coefficient).
"""
from __future__ import annotations

import math
from typing import Callable, Optional, Protocol, Sequence

import torch

from ..._internal.progress import progress_bar
from .design import Sample, inverse_band_probability
from .index_sums import index_sums

RESIDUAL_ROWS = 2048  # correcting rows per evaluation of a surrogate (its memory: [rows, fitted] at most)


class Surrogate(Protocol):
    """A fitted surrogate of the part of the game an index sees."""

    def index(self) -> torch.Tensor:
        """The index of the surrogate (exact, closed form): ``[out]``."""

    def at(self, x: torch.Tensor) -> torch.Tensor:
        """The surrogate at the bool rows ``x`` [rows, n]: ``[rows]``."""


def border_corrected(g: Surrogate, sample: Sample, y: torch.Tensor, index: str, pairs: Optional[torch.Tensor]
                     ) -> torch.Tensor:
    """I(g) + Σ_border w (y - g): the surrogate's index with the enumerated border's residual (both
    halves of each border pair: twice the sum over the rows kept)."""
    xb = sample.x[:sample.border]
    return g.index() + 2.0 * index_sums(xb, index, pairs, y[:sample.border] - g.at(xb))


def cross_fit(sample: Sample, y: torch.Tensor, index: str, pairs: Optional[torch.Tensor],
              corrections: Sequence[torch.Tensor], fit: Callable[[int], Surrogate], progress: bool = False
              ) -> tuple[torch.Tensor, torch.Tensor]:
    """(estimate, stderr) from the splits of the band pairs (module doc): ``corrections[f]`` the band
    rows (indices into the band) that correct ``fit(f)``, the surrogate of split f, fitted on none
    of them. ``y`` [rows]: the part of the game the index sees at the sample's rows (border first);
    ``progress``: a bar over the splits (where there are several)."""
    nb = sample.border
    xs, ys = sample.x[nb:], y[nb:]
    u = len(xs)
    inv_q = inverse_band_probability(sample.law, sample.plan.band, xs)
    total = sum(len(c) for c in corrections)
    if total == 0:
        raise ValueError("cross-fitting needs at least one correcting pair")
    fitted = torch.zeros((), dtype=torch.float64, device=xs.device)  # Σ_f |C_f| (I(g_f) + border)
    r_sum = torch.zeros(u, dtype=torch.float64, device=xs.device)  # Σ_f r_f(S) over the splits correcting S
    r_count = torch.zeros(u, dtype=torch.float64, device=xs.device)
    for f in progress_bar(range(len(corrections)), enabled=progress and len(corrections) > 1, desc="fitting",
                          unit="fit"):
        rows = corrections[f]
        if len(rows) == 0:
            continue
        g = fit(f)
        fitted = fitted + len(rows) * border_corrected(g, sample, y, index, pairs)
        r_sum[rows] += torch.cat([ys[rows[i:i + RESIDUAL_ROWS]] - g.at(xs[rows[i:i + RESIDUAL_ROWS]])
                                  for i in range(0, len(rows), RESIDUAL_ROWS)])
        r_count[rows] += 1
    estimate = (fitted + index_sums(xs, index, pairs, inv_q * r_sum)) / total
    # Σ_used (c - c̄)² = Σ c² - N c̄² (c = 0 off the used pairs), as sums over the pairs without a
    # [pairs, out] matrix. Its rounding error, ~1e-16 Σ c², is negligible beside the spread unless an
    # output's corrections agree to 7 digits or more.
    used = r_count > 0
    count = int(used.sum())
    c = inv_q * r_sum / r_count.clamp_min(1.0)
    mean = index_sums(xs, index, pairs, c) / max(count, 1)
    if count < 2:
        return estimate, torch.full_like(mean, float("nan"))
    squares = (index_sums(xs, index, pairs, c.square(), squared=True) - count * mean.square()).clamp_min(0.0)
    return estimate, (squares / (count - 1)).sqrt() / math.sqrt(count)
