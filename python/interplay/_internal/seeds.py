"""The one SplitMix64 of the Python side: seed mixing shared by every subsystem.

* :func:`splitmix64` — one step of Steele, Lea & Flood's SplitMix64 (the golden-ratio increment,
  then the variant-13 finaliser), on the low 64 bits of any Python int; returns [0, 2^64).
* :func:`derive_seed` — an independent seed for item ``index`` of a run seeded ``seed``, in
  [0, 2^63) (so it fits a signed 64-bit slot and ``torch.manual_seed``). ``explain_dataset``
  seeds input k with ``derive_seed(seed, k)``; ``InteractionLoss`` seeds call t with
  ``derive_seed(seed, t)``. Its values are pinned by tests: do not change the formula.
* :func:`signed64` — a Python int as the signed 64-bit value an op schema's ``int`` carries (the
  C side reads the same bits as uint64).
"""
from __future__ import annotations

MASK64 = (1 << 64) - 1


def splitmix64(x: int) -> int:
    """One SplitMix64 step on the low 64 bits of ``x``: a uint64 in [0, 2^64)."""
    x = (int(x) + 0x9E3779B97F4A7C15) & MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK64
    return x ^ (x >> 31)


def derive_seed(seed: int, index: int) -> int:
    """The seed of item ``index`` (>= 0) under the run seed ``seed``: a SplitMix64 hash in [0, 2^63)."""
    if any(isinstance(x, bool) or not isinstance(x, int) for x in (seed, index)):
        raise TypeError(f"seed and index must be integers, got {type(seed).__name__}, {type(index).__name__}")
    if index < 0:
        raise ValueError(f"index must be non-negative, got {index}")
    return splitmix64(splitmix64(seed & MASK64) ^ index) >> 1


def signed64(x: int) -> int:
    """The low 64 bits of ``x`` read as a signed 64-bit integer, in [-2^63, 2^63)."""
    x = int(x) & MASK64
    return x - (1 << 64) if x >= 1 << 63 else x
