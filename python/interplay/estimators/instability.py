"""The instability of repeated estimates (dropout paper App. K; multivariate paper Sec. 5)."""
from __future__ import annotations

from typing import Any, Sequence, Union

import torch

from ..results import Result


def _tensor(run: Any) -> torch.Tensor:
    if isinstance(run, Result):
        return run.values.detach().double()
    return torch.as_tensor(run).detach().double()


def instability(runs: Union[torch.Tensor, Sequence[Any]], reduce: str = "mean") -> torch.Tensor:
    """instability = E_I [ E_{u≠v} |T^(u) − T^(v)| / E_w |T^(w)| ].

    ``runs``: a tensor ``[R, ...]`` with R >= 2 repetitions (different seeds) along dim 0, or a
    list of R tensors or R :class:`~interplay.Result` of the same shape (results of different
    indices, players, pairs or sizes are a ValueError). Each trailing element is one
    quantity I; ``reduce="mean"`` averages over them (E_I), ``"none"`` returns one value per
    element. Pass the per-run average strengths (e.g. ``E_(i,j)|I(i,j)|``) to get the dropout
    paper's image-level version.
    """
    if reduce not in ("mean", "none"):
        raise ValueError(f"reduce must be 'mean' or 'none', got {reduce!r}")
    if isinstance(runs, torch.Tensor):
        t = runs.detach().double()
    elif isinstance(runs, Result):
        t = _tensor(runs)
    else:
        runs = list(runs)
        results = [r for r in runs if isinstance(r, Result)]
        for other in results[1:]:
            results[0]._check_matches(other)  # one index, the same players, pairs, sizes and shape
        items = [_tensor(r) for r in runs]
        if len({tuple(r.shape) for r in items}) > 1:
            raise ValueError(f"the runs have different shapes: {sorted({tuple(r.shape) for r in items})}")
        t = torch.stack(items) if items else torch.zeros(0)
    if t.dim() < 1 or t.shape[0] < 2:
        raise ValueError("instability needs at least 2 runs along the first dimension")
    R = t.shape[0]
    flat = t.reshape(R, -1)
    diffs = (flat.unsqueeze(0) - flat.unsqueeze(1)).abs().sum((0, 1)) / (R * (R - 1))
    scale = flat.abs().mean(0)
    if bool((scale == 0).any()):
        raise ValueError("instability is undefined where every run is exactly 0 (E|T| = 0)")
    value = diffs / scale
    return value.reshape(t.shape[1:]) if reduce == "none" else value.mean()
