"""``interplay.nn``: the interaction loss of the dropout paper (Eq. 7-9, App. G) for PyTorch training.

    from interplay.nn import InteractionLoss
    reg = InteractionLoss(model, layer="4")                  # the layer after which dropout would sit
    loss = F.cross_entropy(model(x), y) + lam * reg(x, y)   # Eq. 7

Keep-rate convention: ``rate=(lo, hi)`` is the interval of the probability that a unit is KEPT
(present) in a context S; (0, 1) gives the Shapley weighting of Eq. 2.
"""
from . import functional
from ._ops import delta, delta_loss, mask_variants, roles_to_masks, sample_roles, set_size
from .functional import interaction_loss
from .loss import InteractionLoss, frozen_norm_stats

__all__ = [
    "InteractionLoss",
    "delta",
    "delta_loss",
    "frozen_norm_stats",
    "functional",
    "interaction_loss",
    "mask_variants",
    "roles_to_masks",
    "sample_roles",
    "set_size",
]
