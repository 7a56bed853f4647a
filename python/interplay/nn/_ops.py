"""The interaction-loss operators (dropout paper Eq. 9, App. G) with fake kernels and autograd.

The kernels are C++/C (csrc/ops/interaction_loss.cpp, csrc/core/interaction_loss.c) and CUDA
(csrc/cuda/interaction_loss.cu); this module registers their fake (meta) implementations and their
autograd formulas with ``torch.library``, so they work under autograd, ``torch.compile`` and
``torch.library.opcheck``.

Variants, in this order within every sample: 0 ``S∪A∪B``, 1 ``S∪A``, 2 ``S∪B``, 3 ``S``.
Roles (one byte per unit and sample): 0 absent, 1 in the context S, 2 in A, 3 in B.
"""
from __future__ import annotations

import math
from typing import Sequence

import torch

from .._internal import checks as _checks
from .._internal.ops import fake, ops
from .._internal.seeds import signed64

ROLE_OUT, ROLE_S, ROLE_A, ROLE_B = 0, 1, 2, 3
VARIANTS = ("S∪A∪B", "S∪A", "S∪B", "S")
# present[v][role]: variant v holds a unit of that role.
_PRESENT = torch.tensor([[0, 1, 1, 1], [0, 1, 1, 0], [0, 1, 0, 1], [0, 1, 0, 0]], dtype=torch.bool)
_SIGNS = (1.0, -1.0, -1.0, 1.0)


def set_size(units: int, alpha: float) -> int:
    """|A| = |B| = max(1, round(alpha * n)) (Eq. 9 with alpha = 0.05 in the paper)."""
    if not 0.0 < alpha <= 0.5:
        raise ValueError(f"alpha must be in (0, 0.5] so that A and B fit disjointly, got {alpha}")
    if units < 2:
        raise ValueError(f"the layer needs at least 2 units for an interaction, got {units}")
    m = max(1, round(alpha * units))
    return min(m, units // 2)


def sample_roles(
    h: torch.Tensor,
    contexts: int = 10,
    *,
    alpha: float = 0.05,
    set_size_: int | None = None,
    rate: Sequence[float] = (0.0, 1.0),
    seed: int = 0,
) -> torch.Tensor:
    """Samples A, B (per input) and the contexts S (per input and context) for an activation h.

    Returns uint8 roles ``[batch * contexts, n]`` on h's device, n = units per input (all dims after
    the first). ``rate = (lo, hi)``: each context draws a keep-rate r ~ U[lo, hi] and KEEPS each unit
    of N∖A∖B in S (present) with probability r. With rate (0, 1), S follows the Shapley weighting
    P_Shapley(S | N∖A∖B) of Eq. 2 exactly. The same seed gives the same roles on CPU and CUDA.
    """
    if h.dim() < 2:
        raise ValueError(f"the activation must be [batch, *units], got shape {tuple(h.shape)}")
    lo, hi = _checks.keep_rates(rate)
    units = math.prod(h.shape[1:])
    m = set_size(units, alpha) if set_size_ is None else int(set_size_)
    return ops.interaction_sample(h.detach(), int(contexts), m, lo, hi, signed64(seed))


def roles_to_masks(roles: torch.Tensor) -> torch.Tensor:
    """bool ``[samples, 4, n]``: unit present in variant v (S∪A∪B, S∪A, S∪B, S) of each sample."""
    return _PRESENT.to(roles.device)[:, roles.long()].permute(1, 0, 2)


def mask_variants(h: torch.Tensor, roles: torch.Tensor, contexts: int) -> torch.Tensor:
    """The four masked variants of every sample in one tensor ``[batch * contexts * 4, *units]``.

    Row ``(b * contexts + k) * 4 + v`` is ``h[b]`` with the units absent from variant v set to 0.
    Differentiable in h (gradients reach h through the present units only).
    """
    return ops.interaction_mask(h, roles, int(contexts))


def delta(rewards: torch.Tensor) -> torch.Tensor:
    """Δf(S, A, B) = f(S∪A∪B) - f(S∪A) - f(S∪B) + f(S) per sample, from rewards ``[samples, 4]`` or ``[4 samples]``."""
    return ops.interaction_delta(rewards)


def delta_loss(rewards: torch.Tensor) -> torch.Tensor:
    """mean over samples of Δf(S, A, B)^2 (Eq. 9), a scalar; differentiable in the rewards."""
    return ops.interaction_delta_loss(rewards)


# ---------------------------------------------------------------- fake (meta) implementations


@fake("interaction_sample")
def _sample_fake(h, contexts, set_size, rate_lo, rate_hi, seed):
    return h.new_empty((h.shape[0] * contexts, math.prod(h.shape[1:])), dtype=torch.uint8)


@fake("interaction_mask")
def _mask_fake(h, roles, contexts):
    return h.new_empty((h.shape[0] * contexts * 4, *h.shape[1:]))


@fake("interaction_mask_backward")
def _mask_backward_fake(grad, roles, contexts):
    return grad.new_empty((grad.shape[0] // (4 * contexts), *grad.shape[1:]))


@fake("interaction_delta")
def _delta_fake(rewards):
    return rewards.new_empty((rewards.numel() // 4,))


@fake("interaction_delta_loss")
def _delta_loss_fake(rewards):
    return rewards.new_empty(())


@fake("interaction_delta_loss_backward")
def _delta_loss_backward_fake(grad, rewards):
    return torch.empty_like(rewards)


# ---------------------------------------------------------------- autograd


def _setup_roles(ctx, inputs, output):
    _, roles, contexts = inputs
    ctx.save_for_backward(roles)
    ctx.contexts = contexts


def _mask_backward(ctx, grad):
    (roles,) = ctx.saved_tensors
    return ops.interaction_mask_backward(grad, roles, ctx.contexts), None, None


def _mask_backward_backward(ctx, grad):
    # interaction_mask_backward is linear in its gradient input; its adjoint is the mask itself.
    (roles,) = ctx.saved_tensors
    return ops.interaction_mask(grad, roles, ctx.contexts), None, None


def _setup_rewards(ctx, inputs, output):
    ctx.save_for_backward(inputs[0])


def _delta_backward(ctx, grad):
    (rewards,) = ctx.saved_tensors
    signs = torch.tensor(_SIGNS, dtype=grad.dtype, device=grad.device)
    return (grad.unsqueeze(-1) * signs).reshape(rewards.shape)


def _delta_loss_backward(ctx, grad):
    (rewards,) = ctx.saved_tensors
    return ops.interaction_delta_loss_backward(grad, rewards)


def _setup_loss_backward(ctx, inputs, output):
    ctx.save_for_backward(*inputs)


def _delta_loss_backward_backward(ctx, gg):
    # interaction_delta_loss_backward(g, f) = g * 2 Δ_s / S * (+1, -1, -1, +1) per sample s (bilinear in g and f):
    # with t_s = Σ_v sign_v gg[s, v], d/dg = 2/S Σ_s t_s Δ_s and d/df[s, v] = g * 2/S * t_s * sign_v. Written with
    # differentiable ops (interaction_delta has autograd), so higher derivatives exist too.
    grad, rewards = ctx.saved_tensors
    signs = torch.tensor(_SIGNS, dtype=gg.dtype, device=gg.device)
    t = (gg.reshape(-1, 4) * signs).sum(-1)
    scale = 2.0 / t.shape[0]
    d_grad = d_rewards = None
    if ctx.needs_input_grad[0]:
        d_grad = (scale * (t * ops.interaction_delta(rewards).to(t.dtype)).sum()).reshape(grad.shape).to(grad.dtype)
    if ctx.needs_input_grad[1]:
        d_rewards = (grad.reshape(()).to(t.dtype) * scale * t.unsqueeze(-1) * signs).reshape(rewards.shape)
        d_rewards = d_rewards.to(rewards.dtype)
    return d_grad, d_rewards


torch.library.register_autograd("interplay::interaction_mask", _mask_backward, setup_context=_setup_roles)
torch.library.register_autograd(
    "interplay::interaction_mask_backward", _mask_backward_backward, setup_context=_setup_roles
)
torch.library.register_autograd("interplay::interaction_delta", _delta_backward, setup_context=_setup_rewards)
torch.library.register_autograd(
    "interplay::interaction_delta_loss", _delta_loss_backward, setup_context=_setup_rewards
)
torch.library.register_autograd(
    "interplay::interaction_delta_loss_backward", _delta_loss_backward_backward, setup_context=_setup_loss_backward
)
