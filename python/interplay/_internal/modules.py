"""Model helpers shared by :class:`interplay.ModelGame` and :class:`interplay.nn.InteractionLoss`.

* :func:`resolve_module` — ``layer=`` (a submodule or its dotted name) to (module, name);
* :func:`sequential_suffix` — the rest of the network after a layer, where it is a plain chain
  of nested ``nn.Sequential`` containers;
* :data:`CLASS_REWARDS` / :func:`class_rewards` — the class-score rewards both of them offer,
  one spelling each: ``"logit"``, ``"probability"``, ``"log_probability"``, ``"loss"``.

Depends on torch only (no cycles: ``games`` and ``nn`` both import it).
"""
from __future__ import annotations

from typing import Optional, Union

import torch
import torch.nn.functional as F
from torch import nn

CLASS_REWARDS = ("logit", "probability", "log_probability", "loss")


def _unwrapped(model: nn.Module) -> tuple[nn.Module, str]:
    """The module whose forward is the chain, and the prefix of its names inside ``model`` (DDP)."""
    if isinstance(model, nn.parallel.DistributedDataParallel):
        return model.module, "module."
    return model, ""


def resolve_module(model: nn.Module, layer: Union[nn.Module, str], what: str = "layer") -> tuple[nn.Module, str]:
    """The submodule ``layer`` of ``model`` (a module of it, or its dotted name) and its dotted name.

    ``what`` names the argument in errors. The model itself is not a layer of itself.
    """
    if isinstance(layer, str):
        modules = dict(model.named_modules())
        if layer not in modules or layer == "":
            some = [n for n in modules if n][:12]
            raise ValueError(f"{what}: the model has no submodule named {layer!r}; some names: {some}")
        return modules[layer], layer
    if isinstance(layer, nn.Module):
        names = {id(m): name for name, m in model.named_modules()}
        if id(layer) not in names or layer is model:
            raise ValueError(f"{what} must be a submodule of the model (not the model itself)")
        return layer, names[id(layer)]
    raise TypeError(f"{what} must be an nn.Module or a dotted module name, got {type(layer).__name__}")


def sequential_suffix(model: nn.Module, name: str) -> Optional[nn.Sequential]:
    """The rest of the network after the submodule ``name`` when every container on its path is an
    ``nn.Sequential`` (a ``DistributedDataParallel`` wrapper is looked through), as one
    ``nn.Sequential`` (empty, i.e. the identity, when the layer is the last one).

    None where the forward is not such a plain chain (callers then substitute the layer's output
    with a forward hook and run the whole model).
    """
    root, prefix = _unwrapped(model)
    if prefix:
        if not name.startswith(prefix):
            return None
        name = name[len(prefix):]
    container: nn.Module = root
    tails: list[list[nn.Module]] = []
    for part in name.split("."):
        # a plain chain only: a Sequential subclass with its own forward may skip or reorder children
        if not isinstance(container, nn.Sequential) or type(container).forward is not nn.Sequential.forward:
            return None
        keys = list(container._modules.keys())
        if part not in keys:
            return None
        tails.append([container._modules[k] for k in keys[keys.index(part) + 1:]])
        container = container._modules[part]
    chain: list[nn.Module] = []
    for tail in reversed(tails):
        chain.extend(tail)
    return nn.Sequential(*chain)


def check_labels(labels: torch.Tensor, rows: int, classes: int) -> None:
    """Class labels of a batch: an integer tensor ``[rows]`` with values in 0..classes-1."""
    if not isinstance(labels, torch.Tensor):
        raise TypeError(f"labels must be a tensor of class indices, got {type(labels).__name__}")
    if labels.is_floating_point() or labels.is_complex() or labels.dtype == torch.bool:
        raise TypeError(f"labels must be integer class indices (e.g. int64), got dtype {labels.dtype}")
    if tuple(labels.shape) != (rows,):
        raise ValueError(f"labels must have shape [{rows}] (one class per row), got {list(labels.shape)}")
    if labels.is_meta or not rows:
        return
    bad = (labels < 0) | (labels >= classes)
    if bool(bad.any()):
        raise ValueError(f"label {int(labels[bad][0])} is out of range for {classes} classes (valid: 0..{classes - 1})")


def class_rewards(output: torch.Tensor, labels: torch.Tensor, reward: str) -> torch.Tensor:
    """The reward of each row of class scores ``output [B, C]`` for its class ``labels [B]``.

    ``"logit"``: the class's score before softmax; ``"probability"``: its softmax probability;
    ``"log_probability"``: its log-softmax; ``"loss"``: the cross-entropy loss of the row.
    Differentiable; computed in ``output``'s dtype.
    """
    if reward not in CLASS_REWARDS:
        raise ValueError(f"reward must be one of {CLASS_REWARDS}, got {reward!r}")
    if output.dim() != 2:
        raise ValueError(f"reward={reward!r} needs class scores [B, C], got shape {list(output.shape)}")
    check_labels(labels, output.shape[0], output.shape[1])
    if reward == "loss":
        return F.cross_entropy(output, labels, reduction="none")
    index = labels.view(-1, 1)
    if reward == "logit":
        scores = output
    elif reward == "probability":
        scores = torch.softmax(output, dim=1)
    else:
        scores = torch.log_softmax(output, dim=1)
    return scores.gather(1, index).squeeze(1)
