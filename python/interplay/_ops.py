"""Loads the compiled extension; every ``torch.ops.interplay`` operator is reached through here."""
from __future__ import annotations

import torch

from . import _C  # noqa: F401  (importing registers the operators)

ops = torch.ops.interplay
WITH_CUDA: bool = bool(getattr(_C, "with_cuda", False))

SHAPLEY = 0
BANZHAF = 1
PARTITIONS = {"contiguous": 0, "all": 1}
