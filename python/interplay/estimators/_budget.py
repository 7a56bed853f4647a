"""Budgets to samples: a sampler's ``budget`` (model evaluations) buys as many whole samples of its
design as fit, after any rows it spends otherwise (the exact border strata); too few is an error
that names the smallest budget that works."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..engine import Design, design_cost, min_samples
from ..methods import BudgetTooSmall

if TYPE_CHECKING:  # pragma: no cover
    from ..methods import Sampler


def too_small(estimator: "Sampler", minimum_budget: int, why: str) -> BudgetTooSmall:
    """The error of a budget below the estimator's smallest design, naming the minimum budget."""
    return BudgetTooSmall(f"budget={estimator.budget} is too small for {type(estimator).name!r}: {why}; "
                      f"the minimum budget is {minimum_budget}")


def affordable_samples(estimator: "Sampler", design: Design, reserved: int = 0) -> int:
    """The samples of ``design`` that fit in the estimator's budget after ``reserved`` rows."""
    fixed, per_sample = design_cost(design)
    minimum = min_samples(design)
    samples = (estimator.budget - reserved - fixed) // per_sample
    if samples < minimum:
        need = reserved + fixed + minimum * per_sample
        extra = f" + {fixed} shared" if fixed else ""
        extra += f" + {reserved} exact" if reserved else ""
        raise too_small(estimator, need, f"{minimum} samples of {per_sample} evaluations{extra} are needed")
    return samples
