"""The complementary-pair design every estimator of this family draws (Regression, GaussianProcess).

A *law* says how coalitions are drawn and weighted. Shapley family (SV, SII): sizes s in 1..n-1
carry the Shapley kernel mass κ(s) = (n-1) / (s (n-s)) (KernelSHAP, Lundberg & Lee 2017), the
surrogate is pinned to v(∅) and v(N) (efficiency); sizes are drawn with p(s) ∝ κ(s) ("kernel") or
p(s) uniform ("uniform": the leverage scores of Musco & Witter 2025). Banzhaf family (BV, BII):
every coalition has mass 2^-n (ordinary least squares; Hammer & Holzman 1992), drawn uniformly.
Given its size a coalition is uniform. Coalitions come in complementary pairs (S, N ∖ S), whose
sizes have the same law; the extreme sizes (the *border*) are enumerated exactly while a
uniform-over-band draw would be expected to hit each of their coalitions at least once (the
border trick of Covert & Lee 2021 and shapiq); the sizes between them (the *band*) are sampled.

Every index is linear in v, I(v) = Σ_S w(S) v(S) (:mod:`.index_sums`), so for any surrogate g,
I(v) = I(g) + Σ_S w(S) r(S) with r = v - g: the residual sum splits into the enumerated border
(exact) and the sampled band (importance sampling with 1 / q(S), unbiased when g is fitted without
the pairs it corrects: :mod:`.cross_fit`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import torch

from ..._internal.ops import ops
from ..._internal.progress import progress_bar
from ...engine import evaluate_packed, pack, unpack
from ...games import Game
from .index_sums import index_sums, log_comb

SHAPLEY, BANZHAF = "shapley", "banzhaf"
SIZES = ("kernel", "uniform")  # the laws of the sampled sizes in the Shapley family


@dataclass(frozen=True)
class Law:
    """Sampling and regression weights per coalition size (see the module doc)."""

    family: str
    n: int
    kappa: torch.Tensor  # [n+1] regression mass per size (inf at 0 and n for Shapley: constraints)
    p: torch.Tensor  # [n+1] sampling mass per size (0 where never drawn)

    @property
    def constrained(self) -> bool:
        return self.family == SHAPLEY


def law(family: str, n: int, sizes: str) -> Law:
    s = torch.arange(n + 1, dtype=torch.float64)
    if family == SHAPLEY:
        kappa = torch.full((n + 1,), math.inf, dtype=torch.float64)
        kappa[1:n] = (n - 1) / (s[1:n] * (n - s[1:n]))
        p = torch.zeros(n + 1, dtype=torch.float64)
        p[1:n] = kappa[1:n] if sizes == "kernel" else 1.0
    else:
        kappa = torch.exp(log_comb(n, s) - n * math.log(2.0))
        p = kappa.clone()  # uniform coalitions
    return Law(family, n, kappa, p / p.sum())


def law_for(index: str, n: int, sizes: str) -> Law:
    """The law of an index: the Shapley family for SV and SII, the Banzhaf family for BV and BII."""
    return law(SHAPLEY if index in ("SV", "SII") else BANZHAF, n, sizes)


def band_probability(lw: Law, band: tuple[int, ...]) -> torch.Tensor:
    """p_band, ``[n+1]``: the law of a sampled size, the sizes' mass renormalised on the band."""
    return lw.p / lw.p[list(band)].sum()


def inverse_band_probability(lw: Law, band: tuple[int, ...], x: torch.Tensor) -> torch.Tensor:
    """1 / q(S) for the band rows ``x``: q(S) = p_band(|S|) / C(n, |S|), the chance of drawing S."""
    p_band = band_probability(lw, band).to(x.device)
    s = x.sum(1)
    return torch.exp(log_comb(lw.n, s.to(torch.float64))) / p_band[s]


@dataclass(frozen=True)
class Plan:
    """Sizes enumerated exactly (``border``), the sampled band, complementary pairs drawn."""

    border: tuple[int, ...]
    band: tuple[int, ...]
    units: int
    border_rows: int

    @property
    def rows(self) -> int:
        return self.border_rows + 2 * self.units


def design_bytes(pl: Plan, n: int) -> int:
    """Bytes the draw and evaluation of a plan hold at their peak: the band's uniform ranks (float64)
    and their two argsorts (int64), the rows and their complements (bool), the rewards (float64)."""
    rows = pl.border_rows // 2 + pl.units
    return 24 * pl.units * n + 3 * rows * n + 16 * rows


def plan(lw: Law, budget: int, min_units: int) -> Optional[Plan]:
    """The border grows (symmetrically) while the remaining budget would be expected to draw each of
    its coalitions at least once and leaves ``min_units`` pairs; None when the budget is too small."""
    n = lw.n
    lo, hi = (1, n - 1) if lw.constrained else (0, n)
    border = [0, n] if lw.constrained else []
    cost = 2 if lw.constrained else 0
    if cost > budget:
        return None
    while lo <= hi:
        band_p = float(lw.p[lo:hi + 1].sum())
        left = budget - cost
        extra = math.comb(n, lo) + (math.comb(n, hi) if hi != lo else 0)
        expected = left * float(lw.p[lo]) / band_p
        everything = lo + 1 > hi - 1 and extra <= left
        if not everything and (expected < math.comb(n, lo) or (left - extra) // 2 < min_units):
            break
        border += [lo] if hi == lo else [lo, hi]
        cost += extra
        lo, hi = lo + 1, hi - 1
    band = tuple(range(lo, hi + 1))
    units = (budget - cost) // 2 if band else 0
    if band and units < min_units:
        return None
    return Plan(tuple(sorted(border)), band, units, cost)


def enumerate_sizes(n: int, sizes: tuple[int, ...]) -> torch.Tensor:
    """Every coalition of the given sizes, bool ``[rows, n]`` (ip_combinations)."""
    like = torch.zeros(0)
    out = [unpack(ops.combinations(like, n, s, 0, math.comb(n, s)), n) for s in sizes]
    return torch.cat(out) if out else torch.zeros(0, n, dtype=torch.bool)


def draw_pairs(lw: Law, band: tuple[int, ...], units: int, gen: torch.Generator) -> torch.Tensor:
    """``units`` coalitions S (size ~ p on the band, uniform given the size) followed by their
    complements: bool ``[2 units, n]``."""
    n = lw.n
    if units == 0:
        return torch.zeros(0, n, dtype=torch.bool)
    idx = torch.tensor(band, dtype=torch.int64)
    sizes = idx[torch.multinomial(lw.p[idx], units, replacement=True, generator=gen)]
    ranks = torch.rand(units, n, generator=gen, dtype=torch.float64).argsort(1).argsort(1)
    x = ranks < sizes[:, None]
    return torch.cat([x, ~x])


def evaluate(game: Game, x: torch.Tensor, progress: Optional[bool]) -> torch.Tensor:
    """Rewards (float64, CPU) of the bool coalitions ``x``, in blocks of 8 model batches."""
    chunk = max(8 * int(game.batch_size), 1)
    starts = range(0, len(x), chunk)
    show = progress if progress is not None else (len(starts) > 8 and getattr(game, "progress", None) is not False)
    out = [evaluate_packed(game, pack(x[r:r + chunk])).to(torch.float64).cpu()
           for r in progress_bar(starts, enabled=bool(show), desc="evaluating", unit="block")]
    return torch.cat(out) if out else torch.zeros(0, dtype=torch.float64)


def exact_index(game: Game, pl: Plan, index: str, pairs: Optional[torch.Tensor], progress: Optional[bool]
                ) -> torch.Tensor:
    """The exact index from every coalition (a plan whose border is everything)."""
    xb = enumerate_sizes(game.n_players, pl.border)
    return index_sums(xb, index, pairs, evaluate(game, xb, progress))


@dataclass(frozen=True)
class Sample:
    """The evaluated pairs of a call: ``x`` [border + units, n] bool, the border's smaller half first
    (``border`` rows, starting with ∅ in the Shapley family), then the band's draws S; ``v`` = v(x),
    ``vc`` = v(N ∖ x) (float64)."""

    law: Law
    plan: Plan
    x: torch.Tensor
    v: torch.Tensor
    vc: torch.Tensor
    border: int

    def part(self, odd: bool) -> torch.Tensor:
        """The part of the game an index sees at the rows: (v(S) - v(N ∖ S)) / 2 for values (odd
        under S -> N ∖ S), (v(S) + v(N ∖ S)) / 2 for pair indices (even)."""
        return 0.5 * (self.v - self.vc) if odd else 0.5 * (self.v + self.vc)

    def to(self, device: torch.device) -> "Sample":
        return Sample(self.law, self.plan, self.x.to(device), self.v.to(device), self.vc.to(device), self.border)

    def scaled(self, factor: float) -> "Sample":
        """The same pairs with the rewards times ``factor``."""
        return Sample(self.law, self.plan, self.x, self.v * factor, self.vc * factor, self.border)



def sample_pairs(game: Game, lw: Law, pl: Plan, gen: torch.Generator, progress: Optional[bool]) -> Sample:
    """Draws the plan's band pairs and evaluates them with the border's (every row and its complement)."""
    n = game.n_players
    xl = enumerate_sizes(n, tuple(s for s in pl.border if 2 * s < n))
    x = torch.cat([xl, draw_pairs(lw, pl.band, pl.units, gen)[:pl.units]])
    v = evaluate(game, torch.cat([x, ~x]), progress)
    return Sample(lw, pl, x, v[:len(x)], v[len(x):], len(xl))
