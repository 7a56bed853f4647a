"""Packed coalitions: bit p of word p // 64 is player p (int64 storage of uint64 words)."""
from __future__ import annotations

import torch


def mask_words(n: int) -> int:
    """uint64 words per packed coalition of n players."""
    return (n + 63) // 64


def pack(coalitions: torch.Tensor) -> torch.Tensor:
    """Bool coalitions ``[B, n]`` to packed words ``[B, ceil(n/64)]`` (int64 storage, bit p = player p)."""
    coalitions = torch.as_tensor(coalitions).to(torch.bool)
    b, n = coalitions.shape
    w = mask_words(n)
    padded = torch.zeros(b, w * 64, dtype=torch.int64, device=coalitions.device)
    padded[:, :n] = coalitions.to(torch.int64)
    shifts = torch.arange(64, dtype=torch.int64, device=coalitions.device)
    return (padded.view(b, w, 64) << shifts).sum(-1)  # disjoint bits: the sum is the OR (wraps at bit 63)


def unpack(masks: torch.Tensor, n: int) -> torch.Tensor:
    """Packed words ``[B, W]`` to bool coalitions ``[B, n]``."""
    shifts = torch.arange(64, dtype=torch.int64, device=masks.device)
    bits = (masks.unsqueeze(-1) >> shifts) & 1
    return bits.reshape(masks.shape[0], -1)[:, :n].bool()
