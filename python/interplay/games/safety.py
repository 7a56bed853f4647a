"""What keeps an explained model unchanged and its inputs sane: eval mode restored afterwards, no
batch-dependent layers, finite tensors."""
from __future__ import annotations

import contextlib
from typing import Iterator

import torch
from torch import nn


@contextlib.contextmanager
def evaluation_mode(model: nn.Module) -> Iterator[None]:
    """``model.eval()`` within the block; on exit (an error included) every submodule gets back its
    own ``training`` flag. An explained model is never changed: no batch-norm statistics are
    updated, dropout is off, and a coalition's reward does not depend on the batch it is in."""
    flags = [(m, m.training) for m in model.modules()]
    if not any(flag for _, flag in flags):
        yield
        return
    model.eval()
    try:
        yield
    finally:
        for m, flag in flags:
            m.training = flag


def batch_dependent_modules(model: nn.Module) -> list:
    """Names of the normalisation layers that use their batch's statistics even in eval mode
    (``track_running_stats=False``): their output for one input depends on the other inputs."""
    return [name or type(m).__name__ for name, m in model.named_modules()
            if isinstance(m, nn.modules.batchnorm._BatchNorm) and not m.track_running_stats]


def finite(t: torch.Tensor, what: str) -> None:
    """A ValueError naming ``what`` and the first element that is NaN or infinite."""
    if t.is_floating_point() and t.numel() and not bool(torch.isfinite(t).all()):
        flat = t.reshape(-1)
        bad = int((~torch.isfinite(flat)).nonzero()[0, 0])
        index = list(torch.unravel_index(torch.tensor(bad), t.shape)) if t.dim() else []
        raise ValueError(f"{what} has a non-finite value ({flat[bad].item()}) at index {[int(i) for i in index]}")
