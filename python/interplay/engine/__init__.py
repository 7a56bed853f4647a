"""The batched masked-evaluation engine (csrc/core/engine): designs of coalitions drawn in C, their
evaluation on the game in batches, and the Δf reduction into estimates (the estimators of
:mod:`interplay.estimators` turn them into :class:`interplay.Result`)."""
from .designs import Design, design_cost, evaluate_packed, min_samples, order_range, power_of_two_scale, run_design
from .packing import mask_words, pack, unpack

__all__ = ["Design", "design_cost", "evaluate_packed", "mask_words", "min_samples", "order_range", "pack",
           "power_of_two_scale", "run_design", "unpack"]
