"""The batched masked-evaluation engine (csrc/core/engine): designs of coalitions drawn in C, their
evaluation on the game in batches, and the Δf reduction into estimates."""
from .designs import (COALITIONS, LAW_RATE, LAW_SIZE, PAIRS, PERMUTATION, SHARED_PAIRS, Design, Estimate,
                      evaluate_packed, order_range, run_design)
from .packing import mask_words, pack, unpack

__all__ = ["COALITIONS", "Design", "Estimate", "LAW_RATE", "LAW_SIZE", "PAIRS", "PERMUTATION", "SHARED_PAIRS",
           "evaluate_packed", "mask_words", "order_range", "pack", "run_design", "unpack"]
