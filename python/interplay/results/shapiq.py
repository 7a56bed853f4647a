"""Interaction values to and from shapiq (an optional dependency, imported only here, lazily)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._internal.optional import import_optional

if TYPE_CHECKING:  # pragma: no cover
    from .result import Result


def to_shapiq(result: "Result") -> Any:
    """A ``shapiq.InteractionValues`` with the values, index, orders, players and baseline of ``result``
    (``estimated=False`` for the exact estimator)."""
    if result.orders is None:
        raise ValueError(f"to_shapiq needs interaction values over coalitions (interplay.interaction_values), "
                         f"not a {result.index!r} result of shape {list(result.values.shape)}")
    shapiq = import_optional("shapiq", "to_shapiq")
    values = result.values.detach().cpu().double().numpy().copy()
    lookup = {c: i for i, c in enumerate(result.interactions)}
    baseline = result.baseline_value if result.baseline_value is not None else 0.0
    return shapiq.InteractionValues(values=values, index=result.index, max_order=result.max_order,
                                    min_order=result.min_order, n_players=result.n_players,
                                    interaction_lookup=lookup, estimated=result.method != "exact",
                                    estimation_budget=result.evaluations or None, baseline_value=float(baseline))
