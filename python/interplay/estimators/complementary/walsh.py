"""A Gaussian prior on a game's Walsh (Fourier) coefficients and the posterior mean of its indices
(the machinery of :class:`.gaussian_process.GaussianProcess`).

With x_i = +1 for a present player and -1 for an absent one, every game is v(x) = Σ_U f(U) χ_U(x),
χ_U(x) = Π_{i∈U} x_i. The indices are linear in f: for |U| = r and i ∈ U (0 otherwise)
SV_i(χ_U) = 2/r for odd r (0 for even: the Shapley value sees only the odd part of the game),
SII_ij(χ_U) = 4/(r-1) for even r (0 for odd), BV_i(χ_U) = 2 [r = 1], BII_ij(χ_U) = 4 [r = 2].

Prior: the f(U) are independent, N(0, w_r / C(n, r)) for |U| = r, so w_r is the prior variance of
the whole order r. Then the covariance of v(x) and v(x') depends only on the number d of players
on which x and x' disagree, k(d) = Σ_r w_r K_r(d) / C(n, r) with the Krawtchouk polynomials
K_r(d) = Σ_j (-1)^j C(d, j) C(n-d, r-j) = Σ_{|U| = r} χ_U(x ⊙ x'), and the covariance of an index
with v(x) has the same closed form one or two players down (Σ_{U ∋ i, |U| = r} χ_U(x) =
x_i K_{r-1}(d_i; n-1), d_i the absent players other than i). The rewards are exact (no noise), so
the posterior mean interpolates them: I = c(x)ᵀ K⁻¹ y (a tiny jitter keeps K positive definite).
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Iterator, Optional

import torch

from ..._internal.ops import ops
from ..._internal.progress import progress_bar
from ...engine import pack
from .index_sums import pair_sums, pair_table, signed_by_others
from .solvers import solve_factored

_F64 = torch.float64
# The jitter only has to make K factor (`benchmarks/estimator_constants.py`; RESULTS.md, "The estimators'
# constants").
JITTER = 1e-9  # relative to the mean diagonal of K
PAIR_BLOCK = 1024  # pairs per block of pair features (their memory: [rows, PAIR_BLOCK] float64)
GRAM_ROWS = 512  # rows per block of the pair terms' lower triangle in Prior.gram
# As good as running every EM step, and done sooner (`benchmarks/estimator_constants.py`; RESULTS.md, "The
# estimators' constants").
RELEVANCE_TOL = 0.02  # EM steps of the pair variances go on while the leave-one-out error falls by 2 %
# pairs: the prior variance of the even part's constant (order 0), relative to order 2's 1 — large, so
# the free mean is barely shrunk (the pair indices do not see it; below ~100 a game's offset leaks into them:
# `benchmarks/estimator_constants.py`, RESULTS.md, "The estimators' constants")
EVEN_MEAN_VARIANCE = 100.0


@functools.lru_cache(maxsize=None)
def krawtchouk(n: int) -> torch.Tensor:
    """``[n+1, n+1]``: K_r(d; n) / C(n, r) at [r, d], from exact integers: the coefficients of
    (1 - z)^d (1 + z)^(n-d), each column from the last by × (1 - z) / (1 + z) (O(n²) integer steps),
    for d <= n / 2, and K_r(n - d) = (-1)^r K_r(d) for the rest; every entry lies in [-1, 1]."""
    out = torch.empty(n + 1, n + 1, dtype=_F64)
    norm = [math.comb(n, r) for r in range(n + 1)]
    poly = list(norm)  # d = 0: (1 + z)^n
    for d in range(n // 2 + 1):
        out[:, d] = torch.tensor([p / c for p, c in zip(poly, norm)], dtype=_F64)
        last_p = last_c = 0  # poly × (1 - z) ÷ (1 + z): c_r = q_r - c_(r-1) with q_r = p_r - p_(r-1)
        for r in range(n + 1):
            c = poly[r] - last_p - last_c
            last_p, last_c, poly[r] = poly[r], c, c
    sign = torch.tensor([(-1.0) ** r for r in range(n + 1)], dtype=_F64)
    for d in range(n // 2 + 1, n + 1):
        out[:, d] = sign * out[:, n - d]
    return out


def order_variances(n: int, odd: bool, ratio: float, decay: float) -> torch.Tensor:
    """w_r, ``[n+1]``: 1 for the lowest order the index sees (1 for values, 2 for pairs), ``ratio``
    for the next of the same parity, then × ``decay`` per further one; 0 for the other parity. Pairs
    also get a constant (order 0) with a large variance: the even part has a free mean."""
    w = torch.zeros(n + 1, dtype=_F64)
    low = 1 if odd else 2
    for k, r in enumerate(range(low, n + 1, 2)):
        w[r] = 1.0 if k == 0 else ratio * decay ** (k - 1)
    if not odd:
        w[0] = EVEN_MEAN_VARIANCE
    return w


def pair_features(x: torch.Tensor, pairs: torch.Tensor) -> torch.Tensor:
    """χ_ij(x) = x_i x_j of the ``pairs`` [P, 2] at the bool rows ``x`` [m, n]: ``[m, P]`` float64."""
    s = x.to(_F64) * 2 - 1
    return s[:, pairs[:, 0]] * s[:, pairs[:, 1]]


def pair_feature_sums(x: torch.Tensor, pairs: torch.Tensor, beta: torch.Tensor) -> torch.Tensor:
    """Σ_m β_m χ_ij(x_m) for the ``pairs`` [P, 2] (= ``pair_features(x, pairs).t() @ beta``): ``[P]``,
    by :func:`.index_sums.pair_sums` (no [m, P] features)."""
    return pair_sums(x, pairs, pair_table(torch.ones(x.shape[1] - 1, dtype=_F64, device=x.device)), beta)


@dataclass(frozen=True)
class Prior:
    """The prior: ``w`` [n+1] the variance of each order, spread evenly over its terms; or, with
    ``pair_variances`` (a variance per pair, all C(n, 2) of them in ``torch.triu_indices`` order), order 2
    term by term (automatic relevance determination: Tipping 2001) and the other orders by ``w``
    (w_2 unused)."""

    w: torch.Tensor
    pair_variances: Optional[torch.Tensor] = None

    @property
    def pairs(self) -> torch.Tensor:
        """Every pair, ``[C(n, 2), 2]`` in ``torch.triu_indices`` order (the order of ``pair_variances``)."""
        n = len(self.w) - 1
        return torch.triu_indices(n, n, 1, device=self.w.device).t()

    def pair_blocks(self) -> Iterator[tuple[slice, torch.Tensor]]:
        """(the block's slice of ``pair_variances``, its pairs ``[≤ PAIR_BLOCK, 2]``), block by block:
        pair features are formed a block at a time, ``[rows, PAIR_BLOCK]`` at the most."""
        pairs = self.pairs
        for c in range(0, len(pairs), PAIR_BLOCK):
            yield slice(c, c + PAIR_BLOCK), pairs[c:c + PAIR_BLOCK]

    def _even(self) -> torch.Tensor:
        if self.pair_variances is None:
            return self.w
        w = self.w.clone()
        w[2] = 0.0
        return w

    def distance_table(self) -> torch.Tensor:
        """The covariance of every order but the per-pair terms, by the distance 0..n: ``[n+1]``."""
        return krawtchouk(len(self.w) - 1).to(self.w.device).t() @ self._even()

    def covariance(self, xa: torch.Tensor, xb: torch.Tensor) -> torch.Tensor:
        """Prior covariance of v at the bool coalitions ``xa`` [a, n] and ``xb`` [b, n]: ``[a, b]``."""
        k = distance_covariance(xa, xb, self.distance_table())
        if self.pair_variances is not None:
            for at, pairs in self.pair_blocks():
                k += (pair_features(xa, pairs) * self.pair_variances[at]) @ pair_features(xb, pairs).t()
        return k

    def gram(self, x: torch.Tensor) -> torch.Tensor:
        """``covariance(x, x)`` where the Cholesky factor reads it: ``[m, m]``, exact on and below the
        diagonal; above it only the orders the distance covariance holds (the per-pair terms are
        formed on the lower block triangle, ``GRAM_ROWS`` rows a block: ~half the product)."""
        k = distance_covariance(x, x, self.distance_table())
        if self.pair_variances is not None:
            for at, pairs in self.pair_blocks():
                add_lower(k, pair_features(x, pairs), self.pair_variances[at])
        return k

    def index_covariance(self, x: torch.Tensor, index: str, pairs: Optional[torch.Tensor]) -> torch.Tensor:
        """Prior covariance of v at the rows ``x`` [m, n] with the index: ``[m, n]`` (values) or
        ``[m, P]`` (``pairs``)."""
        out = index_covariance(x, self._even(), index, pairs)
        if self.pair_variances is not None and index in ("SII", "BII"):  # I(χ_ij) = 4 for both
            out = out + 4.0 * pair_features(x, pairs) * self.pair_variances[self._triu_row(x.shape[1], pairs)]
        return out

    def index_mean(self, x: torch.Tensor, alpha: torch.Tensor, index: str, pairs: Optional[torch.Tensor]
                   ) -> torch.Tensor:
        """The index of the posterior mean c(x)ᵀ α at the rows ``x`` [m, n] (α = K⁻¹y): ``[out]``,
        ``index_covariance(x, ...).t() @ alpha`` without the [m, P] matrix for pairs."""
        if index in ("SV", "BV"):
            return self.index_covariance(x, index, pairs).t() @ alpha
        n = x.shape[1]
        out = pair_sums(x, pairs, pair_table(_pair_index_by_others(n, self._even(), index)), alpha)
        if self.pair_variances is not None:
            out = out + 4.0 * self.pair_variances[self._triu_row(n, pairs)] * pair_feature_sums(x, pairs, alpha)
        return out

    @staticmethod
    def _triu_row(n: int, pairs: torch.Tensor) -> torch.Tensor:
        """The pairs' rows in ``torch.triu_indices`` order (of ``pair_variances``)."""
        i, j = pairs.min(1).values, pairs.max(1).values
        return i * (2 * n - i - 1) // 2 + (j - i - 1)


@dataclass(frozen=True)
class Posterior:
    """The posterior mean g(x) = k(x, a)ᵀ α of ``prior`` conditioned at the rows ``a`` (α = K⁻¹y)."""

    prior: Prior
    a: torch.Tensor
    alpha: torch.Tensor

    @functools.cached_property
    def _pair_form(self) -> Optional[torch.Tensor]:
        """With per-pair variances τ: the symmetric [n, n] Γ, Γ_ij = τ_ij Σ_a α_a s_ai s_aj, of the
        pair terms of g, Σ_{i<j} Γ_ij s_i s_j = ½ sᵀΓs (no [rows, C(n, 2)] features)."""
        pr = self.prior
        if pr.pair_variances is None:
            return None
        n = self.a.shape[1]
        gamma = pr.pair_variances * pair_feature_sums(self.a, pr.pairs, self.alpha)
        form = torch.zeros(n, n, dtype=_F64, device=self.a.device)
        form[pr.pairs[:, 0], pr.pairs[:, 1]] = gamma
        return form + form.t()

    @functools.cached_property
    def _by_distance(self) -> tuple[torch.Tensor, torch.Tensor]:
        """(the rows ``a`` packed, the covariance of the orders but the per-pair ones by distance)."""
        return pack(self.a), self.prior.distance_table()

    def at(self, x: torch.Tensor) -> torch.Tensor:
        """g at the bool rows ``x`` [rows, n]: ``[rows]``, = ``prior.covariance(x, a) @ alpha`` without
        the [rows, a] matrix."""
        g = distance_covariance_product(x, *self._by_distance, self.alpha)
        if self._pair_form is not None:
            s = x.to(_F64) * 2 - 1
            g = g + 0.5 * ((s @ self._pair_form) * s).sum(1)
        return g


def add_lower(k: torch.Tensor, phi: torch.Tensor, tau: torch.Tensor) -> None:
    """k += (φ diag(τ)) φᵀ on and below the diagonal of ``k`` [m, m] (and on the upper parts of the
    diagonal blocks), ``GRAM_ROWS`` rows of φ [m, P] a block."""
    weighted = phi * tau
    for r0 in range(0, len(k), GRAM_ROWS):
        r1 = min(r0 + GRAM_ROWS, len(k))
        k[r0:r1, :r1] += weighted[r0:r1] @ phi[:r1].t()


def distance_covariance(xa: torch.Tensor, xb: torch.Tensor, kd: torch.Tensor) -> torch.Tensor:
    """``kd[d]`` at the Hamming distance d of each row of ``xa`` to each row of ``xb`` (bool [rows, n];
    int64 rows are taken as packed by :func:`interplay.engine.pack`): ``[a, b]`` float64 (``kd`` [n+1]: a covariance that
    depends on the distance only). One C (or CUDA) kernel, ``torch.ops.interplay.walsh_kernel``: a
    popcount per word of the packed rows."""
    pa, pb = (t if t.dtype == torch.int64 else pack(t) for t in (xa, xb))
    return ops.walsh_kernel(pa, pb, kd.to(torch.float64).contiguous())


def distance_covariance_product(xa: torch.Tensor, xb: torch.Tensor, kd: torch.Tensor, weights: torch.Tensor
                                ) -> torch.Tensor:
    """``distance_covariance(xa, xb, kd) @ weights`` (``weights`` [b]) without the [a, b] matrix: ``[a]``
    float64, by ``torch.ops.interplay.walsh_kernel_product`` (rows as for :func:`distance_covariance`)."""
    pa, pb = (t if t.dtype == torch.int64 else pack(t) for t in (xa, xb))
    return ops.walsh_kernel_product(pa, pb, kd.to(torch.float64).contiguous(), weights.to(torch.float64).contiguous())


def index_covariance(x: torch.Tensor, w: torch.Tensor, index: str, pairs: Optional[torch.Tensor]) -> torch.Tensor:
    """Prior covariance of v at the rows ``x`` [m, n] with the index under the order variances ``w``:
    ``[m, n]`` (values) or ``[m, P]`` (``pairs``)."""
    n = x.shape[1]
    if index == "BV":
        return (2.0 * float(w[1]) / n) * (x.to(_F64) * 2 - 1)
    r = torch.arange(n + 1, device=w.device)
    if index == "SV":  # Σ_{r odd} w_r (2/r) (C(n-1, r-1) / C(n, r)) x_i K_{r-1}(d_i; n-1) / C(n-1, r-1)
        g = krawtchouk(n - 1).to(w.device).t() @ (w * (r % 2 == 1))[1:]
        absent_others = (~x).sum(1, keepdim=True) - (~x).long()  # d_i: the absent players other than i
        return (2.0 / n) * (x.to(_F64) * 2 - 1) * g[absent_others]
    return signed_by_others(x, pairs, _pair_index_by_others(n, w, index))  # SII, BII


def _pair_index_by_others(n: int, w: torch.Tensor, index: str) -> torch.Tensor:
    """The pair index's prior covariance with v(x) over (2 x_i - 1)(2 x_j - 1), by the number of
    others present |S ∖ {i, j}|: ``[n-1]``. SII: Σ_{r even} w_r (4/(r-1)) (C(n-2, r-2) / C(n, r))
    K_{r-2}(d_ij; n-2) / C(n-2, r-2) with d_ij = n - 2 - |S ∖ {i, j}| the others absent; BII:
    4 w_2 / C(n, 2), whatever the others."""
    if index == "BII":
        return torch.full((n - 1,), 4.0 * float(w[2]) / math.comb(n, 2), dtype=_F64, device=w.device)
    r = torch.arange(n + 1, device=w.device)
    g = krawtchouk(n - 2).to(w.device).t() @ (w * r * (r % 2 == 0))[2:]
    return (4.0 / (n * (n - 1))) * g.flip(0)


def factor(k: torch.Tensor) -> torch.Tensor:
    """Cholesky factor of K + jitter (the jitter grows until it factors; K's diagonal is changed). Reads
    K on and below the diagonal only (all that :meth:`Prior.gram` forms exactly)."""
    jitter = JITTER * float(k.diagonal().mean().clamp_min(1e-300))
    added = 0.0
    for _ in range(6):
        k.diagonal().add_(jitter - added)
        added = jitter
        chol, info = torch.linalg.cholesky_ex(k)
        if int(info) == 0:
            return chol
        jitter *= 100.0
    raise RuntimeError("the Walsh covariance of the sampled coalitions is not positive definite")


def loo_error(chol: torch.Tensor, alpha: torch.Tensor) -> float:
    """Mean squared leave-one-out error of the interpolation: mean (α_m / (K⁻¹)_mm)², with
    diag K⁻¹ = the column sums of (L⁻¹)² (α = K⁻¹ y, ``chol`` = L)."""
    eye = torch.eye(len(chol), dtype=chol.dtype, device=chol.device)
    return float((alpha / torch.linalg.solve_triangular(chol, eye, upper=False).square_().sum(0)).square().mean())


def learn_pair_variances(a: torch.Tensor, y: torch.Tensor, w: torch.Tensor, steps: int, tol: Optional[float] = None,
                         progress: bool = False
              ) -> Optional[torch.Tensor]:
    """Per-pair prior variances of the order-2 terms, by at most ``steps`` EM steps on the marginal
    likelihood of the rewards ``y`` at the rows ``a`` (τ ← μ² / s² + σ², the posterior mean and
    variance of each pair's coefficient, in units of the prior's overall scale s² = yᵀK⁻¹y / m at its
    maximum likelihood, so that the variances do not depend on the game's units: automatic relevance
    determination, Tipping 2001), from w_2 spread evenly, while each step lowers the leave-one-out
    error by more than ``tol`` (relative): the variances with the smallest leave-one-out error, or
    None where that is the even spread.

    ``tol`` None: ``RELEVANCE_TOL``. ``progress``: a bar over the steps. Each step forms the pair
    features of a block once (``[rows, PAIR_BLOCK]``): for the block's posterior spread under this
    step's K and for its term of the next step's K."""
    tol = RELEVANCE_TOL if tol is None else tol
    n = a.shape[1]
    prior = Prior(w, torch.full((math.comb(n, 2),), float(w[2]) / math.comb(n, 2), dtype=_F64, device=a.device))
    others = distance_covariance(a, a, prior.distance_table())  # the orders other than 2: the same every step
    k = prior.gram(a)
    best = (math.inf, None)
    for step in progress_bar(range(steps + 1), enabled=progress, desc="pair variances", unit="step"):
        tau = prior.pair_variances
        chol = factor(k)
        del k  # three [rows, rows] at most: others, chol and the next K (loo_error: two more for a moment)
        alpha = solve_factored(chol, y)
        err = loo_error(chol, alpha)
        if err >= best[0] * (1.0 - tol):
            break
        best = (err, tau if step else None)
        if step == steps:
            break
        scale = float(y @ alpha) / len(y)  # the prior's overall scale s² at its maximum likelihood, yᵀK⁻¹y / m
        fit = pair_feature_sums(a, prior.pairs, alpha)  # Φᵀα
        new, k = torch.empty_like(tau), others.clone()
        for at, pairs in prior.pair_blocks():  # diag(ΦᵀK⁻¹Φ) = Σ (L⁻¹Φ)² and the next K (lower), block by block
            phi = pair_features(a, pairs)
            spread = torch.linalg.solve_triangular(chol, phi, upper=False).square().sum(0)
            new[at] = (tau[at] * fit[at]).square() / scale + (tau[at] - tau[at].square() * spread).clamp_min(0.0)
            add_lower(k, phi, new[at])
        prior = Prior(w, new)
    return best[1]
