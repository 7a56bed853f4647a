"""The k-additive surrogate of :class:`~.regression.Regression`: g(S) = Σ_{T ⊆ S, 1 <= |T| <= k} d_T
(+ d_∅), whose indices are exact (SV_i = Σ_{T∋i} d_T / |T|, BV_i = Σ_{T∋i} d_T / 2^{|T|-1},
SII_ij = Σ_{T⊇ij} d_T / (|T|-1), BII_ij = Σ_{T⊇ij} d_T / 2^{|T|-2}).

Values (SV, BV) are odd under S -> N ∖ S (w(N ∖ S) = -w(S)), pairs (SII, BII) even: an index sees
only the part (v(S) ± v(N ∖ S)) / 2 of the game, and with complementary pairs and size-symmetric
weights the least squares fit of the other part decouples. So each pair is one row: its odd (even)
part, against the odd (even) part of the odd (even) order terms (:func:`parity_features`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import torch


def terms(n: int, orders) -> list[torch.Tensor]:
    """The interaction terms of the given orders: ``[count, order]`` index tensors."""
    return [torch.combinations(torch.arange(n), r) if r > 1 else torch.arange(n)[:, None] for r in orders]


def features(x: torch.Tensor, tms: list[torch.Tensor], intercept: bool) -> torch.Tensor:
    """Möbius-basis features Π_{i∈T} x_i of the terms T, float64 ``[rows, P]``."""
    cols = [torch.ones(len(x), 1, dtype=torch.bool)] if intercept else []
    for t in tms:
        f = x[:, t[:, 0]]
        for c in range(1, t.shape[1]):
            f = f & x[:, t[:, c]]
        cols.append(f)
    return torch.cat(cols, 1).to(torch.float64) if cols else torch.zeros(len(x), 0, dtype=torch.float64)


def index_map(n: int, tms: list[torch.Tensor], index: str, pairs: Optional[torch.Tensor], intercept: bool
              ) -> torch.Tensor:
    """The linear map from surrogate coefficients to its exact index values, ``[out, P]``."""
    banzhaf = index in ("BV", "BII")
    out = n if pairs is None else len(pairs)
    cols = [torch.zeros(out, 1 if intercept else 0, dtype=torch.float64)]
    for t in tms:
        r = t.shape[1]
        if pairs is None:  # values: d_T / |T| (SV) or / 2^{|T|-1} (BV) for T ∋ i
            coef = 1.0 / (2 ** (r - 1) if banzhaf else r)
            m = torch.zeros(n, len(t), dtype=torch.float64)
            for c in range(r):
                m[t[:, c], torch.arange(len(t))] = coef
        else:  # pairs: d_T / (|T| - 1) (SII) or / 2^{|T|-2} (BII) for T ⊇ {i, j}
            m = torch.zeros(len(pairs), len(t), dtype=torch.float64)
            if r >= 2:
                coef = 1.0 / (2 ** (r - 2) if banzhaf else r - 1)
                member = torch.zeros(n, len(t), dtype=torch.bool)
                for c in range(r):
                    member[t[:, c], torch.arange(len(t))] = True
                m[member[pairs[:, 0]] & member[pairs[:, 1]]] = coef
        cols.append(m)
    return torch.cat(cols, 1)


def parity_features(x: torch.Tensor, tms: list[torch.Tensor], sigma: int, intercept: bool, shift: float
                    ) -> torch.Tensor:
    """(f(S) + σ f(N ∖ S)) / 2 - shift: the odd (σ = -1) or even (σ = +1) part of the features."""
    f = features(x, tms, intercept)
    return (f + sigma * features(~x, tms, intercept)) * 0.5 - shift



@dataclass(frozen=True)
class Basis:
    """The fitted terms ``tms`` of one parity (``sigma`` = -1 odd, +1 even), with an intercept (the
    even part's free mean where nothing pins it) and a constant ``shift`` of the features."""

    tms: list[torch.Tensor]
    sigma: int
    intercept: bool
    shift: float

    def at(self, x: torch.Tensor) -> torch.Tensor:
        """The basis at the bool rows ``x``: ``[rows, P]``."""
        return parity_features(x, self.tms, self.sigma, self.intercept, self.shift)


@dataclass(frozen=True)
class KAdditive:
    """A fitted k-additive surrogate (a :class:`~.cross_fit.Surrogate`): coefficients ``beta`` of the
    ``basis``, ``index_map`` @ beta its index."""

    basis: Basis
    beta: torch.Tensor
    index_map: torch.Tensor

    def index(self) -> torch.Tensor:
        return self.index_map @ self.beta

    def at(self, x: torch.Tensor) -> torch.Tensor:
        return self.basis.at(x) @ self.beta
