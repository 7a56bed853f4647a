"""Functional form of the interaction loss (dropout paper Eq. 7-9, App. G).

    Loss' = E_{A,B,r,S}[ Δf(S, A, B)^2 ],  Δf = f(S∪A∪B) - f(S∪A) - f(S∪B) + f(S)          (Eq. 9)

f is the rest of the network applied to the layer's activation h with the absent units set to 0.
"""
from __future__ import annotations

from typing import Callable, Sequence, Union

import torch

from .._internal import checks as _checks
from .._internal.modules import CLASS_REWARDS, class_rewards
from . import _ops

Reward = Union[str, Callable[[torch.Tensor, torch.Tensor], torch.Tensor]]
REWARDS = CLASS_REWARDS


def rewards_of(output: torch.Tensor, y: torch.Tensor, reward: Reward) -> torch.Tensor:
    """The scalar reward per row of the network output (App. G "the selection of the output score").

    ``"logit"``: the true-class score before softmax (default); ``"probability"``: the true-class
    softmax probability (the paper's choice with batch norm); ``"log_probability"``: its log;
    ``"loss"``: the cross-entropy loss of the row (Fig. 5; Δf² does not depend on the sign); or a
    callable ``(output, y) -> [rows]``. The names are those of :class:`interplay.ModelGame`'s
    class-score rewards (:func:`interplay._internal.modules.class_rewards`).
    """
    if callable(reward):
        out = reward(output, y)
    elif isinstance(reward, str) and reward in CLASS_REWARDS:
        out = class_rewards(output, y, reward)
    else:
        raise ValueError(f"reward must be one of {REWARDS} or a callable (output, y) -> rewards, got {reward!r}")
    if out.shape != (output.shape[0],):
        raise ValueError(f"the reward must be one scalar per row, got shape {tuple(out.shape)}")
    return out


def check_reward(reward: Reward) -> Reward:
    """A reward name of :data:`REWARDS` or a callable (checked before anything runs)."""
    if not callable(reward) and not (isinstance(reward, str) and reward in CLASS_REWARDS):
        raise ValueError(f"reward must be one of {REWARDS} or a callable (output, y) -> rewards, got {reward!r}")
    return reward


def check_alpha(alpha) -> float:
    """|A| = |B| = max(1, round(alpha * n)): alpha a real number in (0, 0.5]."""
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)):
        raise TypeError(f"alpha must be a number in (0, 0.5], got {type(alpha).__name__} {alpha!r}")
    if not 0.0 < float(alpha) <= 0.5:  # NaN fails too
        raise ValueError(f"alpha must be in (0, 0.5] so that A and B fit disjointly, got {alpha}")
    return float(alpha)


def draw_seed(seed: int | None = None) -> int:
    """``seed`` itself (checked: an int in [0, 2^64), :func:`interplay._internal.checks.seed`), or a fresh
    63-bit seed from torch's default generator (so torch.manual_seed rules)."""
    if seed is not None:
        return _checks.seed(seed)
    return int(torch.randint(0, 2**62, (1,)).item())


def check_contexts(contexts) -> int:
    """``contexts`` as a positive int (no bool, no float: nothing is truncated)."""
    contexts = _checks.integer(contexts, "contexts")
    if not 1 <= contexts < 1 << 40:
        raise ValueError(f"contexts must be a positive int (below 2^40), got {contexts}")
    return contexts


def check_memory(h: torch.Tensor, contexts: int) -> None:
    """Refuses, before anything is allocated, a masked batch (4 variants of ``contexts`` contexts per
    input, and its roles) beyond the memory budget (:func:`interplay.set_max_memory`)."""
    rows = h.shape[0] * contexts
    units = max(1, h[0].numel()) if h.shape[0] else 1
    need = rows * units * (4 * h.element_size() + 1)
    _checks.memory(need, f"the masked batch of {h.shape[0]} inputs x {contexts} contexts x 4 variants of "
                   f"{units} units", "lower contexts or subsample", device=h.device)


def subsample_count(batch: int, subsample: float | int | None) -> int:
    """How many inputs of a batch of ``batch`` the loss uses: all (None), a fraction (float) or a count (int)."""
    if subsample is None:
        return batch
    if isinstance(subsample, bool) or not isinstance(subsample, (int, float)):
        raise TypeError(f"subsample must be a fraction (float) or a count (int), got {type(subsample).__name__}")
    if isinstance(subsample, float):
        if not 0.0 < subsample <= 1.0:
            raise ValueError(f"a subsample fraction must be in (0, 1], got {subsample}")
        return max(1, round(subsample * batch))
    if int(subsample) < 1:
        raise ValueError(f"a subsample count must be >= 1, got {subsample}")
    return min(batch, int(subsample))


def subsample_index(batch: int, subsample: float | int | None, seed: int, device) -> torch.Tensor | None:
    """The indices of the inputs the loss uses (a random subset drawn from ``seed``), or None for all."""
    keep = subsample_count(batch, subsample)
    if keep >= batch:
        return None
    g = torch.Generator().manual_seed(int(seed) & (2**63 - 1))
    return torch.randperm(batch, generator=g)[:keep].sort().values.to(device)


def interaction_loss(
    h: torch.Tensor,
    rest_fn: Callable[[torch.Tensor], torch.Tensor],
    y: torch.Tensor,
    *,
    alpha: float = 0.05,
    rate: Sequence[float] = (0.0, 1.0),
    reward: Reward = "logit",
    contexts: int = 10,
    subsample: float | int | None = None,
    seed: int | None = None,
) -> torch.Tensor:
    """The interaction loss (Eq. 9) of the units of an activation ``h`` [batch, *units].

    Args:
        h: the layer's activation (units = every element of one input's activation; baseline 0).
        rest_fn: the rest of the network, mapping a masked batch ``[rows, *units]`` to outputs
            ``[rows, classes]``; it is called once, on all ``4 * contexts`` variants of each input.
        y: labels ``[batch]`` (int64), repeated for the variants.
        alpha: |A| = |B| = max(1, round(alpha * n)), A and B disjoint, drawn per input.
        rate: (lo, hi): each context draws a keep-rate r ~ U[lo, hi]; every unit of N∖A∖B is KEPT
            in S (present, not masked) with probability r. (0, 1) gives Shapley-weighted contexts
            (Eq. 2); the paper used a narrower interval (over 80% kept) for ResNets.
        reward: "logit" (default), "probability", "log_probability", "loss" or a callable, see
            :func:`rewards_of`.
        contexts: contexts S per input (the authors' code uses 10).
        subsample: use only a random part of the batch for the loss (a fraction or a count);
            None uses every input. A cheaper estimate of the same expectation.
        seed: seed of the counter RNG (same masks on CPU and CUDA); None draws one from torch's
            default generator.

    Returns the scalar mean of Δf² over the sampled (input, A, B, S).
    """
    if h.dim() < 2:
        raise ValueError(f"h must be [batch, *units], got shape {tuple(h.shape)}")
    if y.dim() != 1 or y.shape[0] != h.shape[0]:
        raise ValueError(f"y must be [batch] = [{h.shape[0]}] labels, got shape {tuple(y.shape)}")
    contexts = check_contexts(contexts)
    check_reward(reward)
    alpha = check_alpha(alpha)
    _checks.dense_data(h, "the activation h")
    if h.is_complex() or not h.is_floating_point():
        raise TypeError(f"h must be a float activation, got dtype {h.dtype}")
    seed = draw_seed(seed)
    index = subsample_index(h.shape[0], subsample, seed, h.device)
    if index is not None:
        h, y = h.index_select(0, index), y.index_select(0, index)
    check_memory(h, contexts)
    roles = _ops.sample_roles(h, contexts, alpha=alpha, rate=rate, seed=seed)
    masked = _ops.mask_variants(h, roles, contexts)
    output = rest_fn(masked)
    if not isinstance(output, torch.Tensor) or output.dim() != 2 or output.shape[0] != masked.shape[0]:
        shape = tuple(output.shape) if isinstance(output, torch.Tensor) else type(output).__name__
        raise ValueError(f"rest_fn must map [{masked.shape[0]}, *units] to [{masked.shape[0]}, classes], got {shape}")
    _checks.dense_data(output, "the network's output")
    labels = y.repeat_interleave(4 * int(contexts))
    return _ops.delta_loss(rewards_of(output, labels, reward))
