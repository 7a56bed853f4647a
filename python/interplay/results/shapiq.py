"""Interaction values to and from shapiq (an optional dependency, imported only here, lazily)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import torch

from .._internal.optional import import_optional

if TYPE_CHECKING:  # pragma: no cover
    from .result import Result


def to_shapiq(result: "Result") -> Any:
    """A ``shapiq.InteractionValues`` of ``result`` (``estimated=False`` for the exact estimator):

    * interaction values over coalitions (:func:`interplay.interaction_values`): their index, orders,
      coalitions and baseline;
    * player values (SV, BV ``[n]``): order 1, one value per player;
    * pair interactions (SII, BII: a ``[n, n]`` matrix or the ``[P]`` values of listed pairs): order 2,
      one value per pair estimated (a matrix's NaN entries, pairs not estimated, are left out).

    The baseline is the result's ``baseline_value`` where it has one (interaction values), else 0."""
    shapiq = import_optional("shapiq", "to_shapiq")
    values, lookup, orders = _coalition_values(result)
    baseline = result.baseline_value if result.baseline_value is not None else 0.0
    return shapiq.InteractionValues(values=values, index=result.index, max_order=orders[1], min_order=orders[0],
                                    n_players=result.n_players, interaction_lookup=lookup,
                                    estimated=result.method != "exact", estimation_budget=result.evaluations or None,
                                    baseline_value=float(baseline))


def _coalition_values(result: "Result") -> tuple[np.ndarray, dict, tuple[int, int]]:
    """(values, {coalition: position}, (min_order, max_order)) of a result, as shapiq keeps them."""
    v = result.values.detach().cpu().double()
    if result.orders is not None:
        return v.numpy().copy(), {c: i for i, c in enumerate(result.interactions)}, result.orders
    if result.index in ("SV", "BV") and v.dim() == 1:
        return v.numpy().copy(), {(i,): i for i in range(result.n_players)}, (1, 1)
    if result.index in ("SII", "BII") and v.dim() == 2:
        pairs = [(i, j) for i in range(result.n_players) for j in range(i + 1, result.n_players)
                 if not bool(torch.isnan(v[i, j]))]
        return np.array([float(v[i, j]) for i, j in pairs]), {p: k for k, p in enumerate(pairs)}, (2, 2)
    if result.index in ("SII", "BII") and v.dim() == 1 and result.pairs is not None:
        pairs = [tuple(sorted(p)) for p in result.pairs]
        return v.numpy().copy(), {p: k for k, p in enumerate(pairs)}, (2, 2)
    if result.index in ("SII", "BII") and v.dim() == 0 and len(result.players) == 2:
        return v.reshape(1).numpy().copy(), {tuple(sorted(result.players)): 0}, (2, 2)
    raise ValueError(f"to_shapiq takes interaction values over coalitions (interplay.interaction_values), player "
                     f"values (SV, BV) or pair interactions (SII, BII), not a {result.index!r} result of shape "
                     f"{list(result.values.shape)}")
