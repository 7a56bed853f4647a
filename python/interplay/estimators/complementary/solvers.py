"""Dense symmetric positive definite solves of the family (the normal equations of Regression, the
Gram matrices of the Gaussian process), on the device of their operands."""
from __future__ import annotations

from typing import Optional

import torch


def solve(a: torch.Tensor, b: torch.Tensor, ridge: float, total: Optional[float], keep: Optional[list] = None
          ) -> torch.Tensor:
    """argmin Σ w (y - fβ)² + λ|β|² (λ = ridge × mean diagonal), subject to Σβ = ``total`` if given
    (``keep``: a list the Cholesky factor of the regularised normal matrix is appended to)."""
    p = a.shape[0]
    if p == 0:
        return torch.zeros(0, dtype=a.dtype)
    lam = ridge * float(a.diagonal().mean().clamp_min(1e-300))
    chol, info = torch.linalg.cholesky_ex(a + lam * torch.eye(p, dtype=a.dtype))
    if int(info) != 0:  # numerically singular: a larger ridge
        chol = torch.linalg.cholesky(a + (lam + 1e-6 * float(a.diagonal().mean())) * torch.eye(p, dtype=a.dtype))
    if keep is not None:
        keep.append(chol)
    beta = solve_factored(chol, b)
    if total is None:
        return beta
    u = solve_factored(chol, torch.ones(p, dtype=a.dtype))
    return beta - u * (beta.sum() - total) / u.sum()


def solve_factored(chol: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """A⁻¹ b from the lower Cholesky factor L of A (``b`` [m]): two triangular solves (an order of
    magnitude faster than ``torch.cholesky_solve`` with MKL for one right-hand side)."""
    z = torch.linalg.solve_triangular(chol, b[:, None], upper=False)
    return torch.linalg.solve_triangular(chol.mT, z, upper=True)[:, 0]
