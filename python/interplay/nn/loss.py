"""``InteractionLoss``: the interaction loss as a drop-in regulariser (dropout paper Eq. 7-9, App. G).

    reg = InteractionLoss(model, layer="features.4")          # where dropout would sit
    loss = F.cross_entropy(model(x), y) + lam * reg(x, y)   # Eq. 7

``reg(x, y)`` reuses the layer's activation from the ``model(x)`` call just before (a forward hook
captured it), masks it into the four variants S∪A∪B, S∪A, S∪B, S of ``contexts`` contexts per input,
and runs the rest of the network once on that batch. Batch-norm layers never update their running
statistics on this "different track" (App. G); by default they normalise the masked batch with the
statistics of the ordinary pass (so the loss acts on the very function being trained).
"""
from __future__ import annotations

import contextlib
import functools
import warnings
import weakref
from typing import Callable, Dict, Iterator, Sequence, Tuple, Union

import torch
from torch import nn

from .._internal import checks as _checks
from .._internal.modules import resolve_module, sequential_suffix
from .._internal.seeds import derive_seed
from . import _ops
from .functional import (Reward, check_alpha, check_contexts, check_reward, draw_seed, interaction_loss,
                         subsample_count, subsample_index)

Suffix = Union[str, Callable[[torch.Tensor], torch.Tensor]]
BATCHNORM_MODES = ("ordinary", "eval", "batch")
MASKED_TRACK = "_interplay_masked_track"  # set on every module of a model while a masked pass runs on it
NormStats = Dict[nn.Module, Tuple[torch.Tensor, torch.Tensor]]
_MISSING = object()


def batch_statistics(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-channel mean and biased variance of a batch-norm input [N, C, *] (what training mode divides by)."""
    dims = [0] + list(range(2, x.dim()))
    return x.mean(dims), x.var(dims, unbiased=False)


def normalises_by_batch(module: nn.Module) -> bool:
    """A batch-norm layer that divides by the statistics of its batch (training mode, or no running ones)."""
    return isinstance(module, nn.modules.batchnorm._BatchNorm) and (module.training or not module.track_running_stats)


def on_masked_track(module: nn.Module) -> bool:
    """Whether a masked pass (``frozen_norm_stats``) runs over this module now: hooks stay out of it."""
    return bool(getattr(module, MASKED_TRACK, False))


@contextlib.contextmanager
def frozen_norm_stats(model: nn.Module, mode: str = "eval", stats: NormStats | None = None) -> Iterator[None]:
    """Within the block, normalisation layers never update their running statistics, and every module
    of ``model`` is marked as being on the masked track (``on_masked_track``).

    Batch norm: ``mode="ordinary"``: each layer that divides by batch statistics normalises with
    ``stats[layer]``, recorded on the ordinary forward pass, differentiably (layers without an entry
    behave as in ``"batch"``); ``mode="eval"``: layers in training mode normalise with their running
    statistics (as at inference); ``mode="batch"``: with the statistics of the batch at hand, without
    recording them (instance norm: its running statistics in "eval", its per-instance ones otherwise).
    Every attribute touched is restored exactly on exit (nesting is fine).
    """
    if mode not in BATCHNORM_MODES:
        raise ValueError(f"batchnorm must be one of {BATCHNORM_MODES}, got {mode!r}")
    stats = stats or {}
    saved: list[tuple[nn.Module, str, object]] = []

    def swap(module: nn.Module, attr: str, value: object) -> None:
        old = module._buffers[attr] if attr in module._buffers else module.__dict__.get(attr, _MISSING)
        saved.append((module, attr, old))
        setattr(module, attr, value)

    try:
        for module in model.modules():
            swap(module, MASKED_TRACK, True)
            if mode == "ordinary" and module in stats and normalises_by_batch(module):
                # an instance attribute over the class's forward: an eval-style pass over the recorded statistics
                swap(module, "forward", functools.partial(normalise_with, module, *stats[module]))
            elif isinstance(module, nn.modules.batchnorm._NormBase) and module.training and module.track_running_stats:
                if mode == "eval":
                    swap(module, "training", False)
                elif isinstance(module, nn.modules.instancenorm._InstanceNorm):  # it updates any buffers it is given
                    swap(module, "running_mean", None)
                    swap(module, "running_var", None)
                else:
                    swap(module, "track_running_stats", False)
        yield
    finally:
        for module, attr, value in reversed(saved):
            if value is _MISSING:
                delattr(module, attr)
            else:
                setattr(module, attr, value)


def normalise_with(module: nn.Module, mean: torch.Tensor, var: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """Batch norm of x with given statistics (differentiable in them) and the module's affine parameters."""
    shape = [1, -1] + [1] * (x.dim() - 2)
    y = (x - mean.view(shape)) * torch.rsqrt(var.view(shape) + module.eps)
    if module.affine:
        y = y * module.weight.view(shape) + module.bias.view(shape)
    return y


def _compiling() -> bool:
    """Inside a region torch.compile traces: the hooks stay out (the loss recomputes the activation
    on the uncompiled module instead of capturing it from a compiled forward)."""
    check = getattr(getattr(torch, "compiler", None), "is_compiling", None)
    return bool(check and check())


def _uncompiled(model: nn.Module) -> nn.Module:
    """The module a ``torch.compile`` wrapper holds (``_orig_mod``), or the model itself."""
    inner = getattr(model, "_orig_mod", None)
    return inner if isinstance(inner, nn.Module) else model


class InteractionLoss:
    """The interaction loss between the units of one layer's output (Eq. 9), for Eq. 7's ``lam * reg(x, y)``.

    Args:
        model: the network (may be wrapped in DistributedDataParallel).
        layer: the module, or its dotted name, after which the loss acts (where dropout would sit);
            its output's elements (per input) are the units, baseline 0.
        alpha: |A| = |B| = max(1, round(alpha * n)), disjoint (0.05 in the paper).
        rate: (lo, hi) interval of the keep-rate r; each unit of N∖A∖B is KEPT in the context S with
            probability r ~ U[lo, hi]. (0, 1) (default) weights contexts exactly as the Shapley
            interaction (Eq. 2); the paper kept over 80% of units for ResNets, i.e. (0.8, 1.0).
        reward: "logit" (true-class logit, default), "probability" (true-class softmax probability),
            "log_probability", "loss" (cross entropy), or a callable ``(output, y) -> [rows]`` (the
            class-score reward names of :class:`interplay.ModelGame`).
        contexts: contexts per input (the authors' code uses 10: the upper network runs on 1 + 4·10
            copies of the batch per step).
        subsample: the loss uses only this fraction (float) / count (int) of each batch's inputs.
        seed: None draws every call's masks from torch's default generator (``torch.manual_seed``
            reproduces them); an int makes the sequence of calls reproducible on its own (call t
            uses ``interplay._internal.seeds.derive_seed(seed, t)``).
        suffix: how the rest of the network runs on the masked batch: "auto" (the remaining modules
            when the layer sits in nested nn.Sequential containers, else "repeat"), "repeat" (call the
            model on the inputs repeated 4·contexts times, substituting the layer's output by a
            forward hook: works for any architecture, the layers below run on the copies too), or a
            callable mapping the masked activation to the output.
        batchnorm: how batch-norm layers in training mode normalise the masked pass; they never update
            their running statistics there (App. G's "different track"). "ordinary" (default): with the
            batch statistics of the ordinary forward pass of the same x (recorded by a hook, with their
            graph), so the loss penalises the function being trained (SyncBatchNorm: this process's
            statistics, not the synchronised ones); "eval": with the running statistics (the function
            at inference: early in training these lag the weights, and the penalty can then be met by
            moving the eval-mode outputs alone; in the digits study it cost 5-85 pp of accuracy);
            "batch": with the masked batch's own statistics.

    A model in eval mode is allowed: the loss is then that of the eval-mode network (dropout off,
    batch norm normalising with its running statistics, which are never updated), e.g. to monitor
    the penalty on validation data under ``torch.no_grad()``. Called with gradients enabled on an
    eval-mode model, it warns once (a ``UserWarning``: training usually wants ``model.train()``).
    The loss works on a model wrapped by ``torch.compile`` and under ``torch.autocast`` (bf16).
    """

    def __init__(
        self,
        model: nn.Module,
        layer: nn.Module | str,
        *,
        alpha: float = 0.05,
        rate: Sequence[float] = (0.0, 1.0),
        reward: Reward = "logit",
        contexts: int = 10,
        subsample: float | int | None = None,
        seed: int | None = None,
        suffix: Suffix = "auto",
        batchnorm: str = "ordinary",
    ) -> None:
        if not isinstance(model, nn.Module):
            raise TypeError(f"model must be an nn.Module, got {type(model).__name__}")
        if batchnorm not in BATCHNORM_MODES:
            raise ValueError(f"batchnorm must be one of {BATCHNORM_MODES}, got {batchnorm!r}")
        contexts = check_contexts(contexts)
        if seed is not None:
            seed = _checks.seed(seed)
        subsample_count(1, subsample)  # checks its type and range
        alpha = check_alpha(alpha)
        check_reward(reward)
        _checks.keep_rates(rate)
        self.model = model
        # Extra passes bypass a DistributedDataParallel wrapper: its forward would broadcast buffers and
        # re-arm the reducer; gradients of the inner module still reach DDP's hooks on backward.
        self._net = model.module if isinstance(model, nn.parallel.DistributedDataParallel) else model
        self._net = _uncompiled(self._net)  # the loss's own passes run it uncompiled (same parameters)
        # layer names are the model's as the user holds it ("module.4" under DDP), those of the model
        # a torch.compile wrapper holds (no "_orig_mod.")
        root = _uncompiled(model)
        self.layer, self.layer_name = resolve_module(root, layer, "layer")
        self.alpha, self.rate, self.reward, self.contexts = alpha, tuple(rate), reward, int(contexts)
        self.subsample, self.seed, self.batchnorm = subsample, seed, batchnorm
        if callable(suffix):
            self._suffix: Callable[[torch.Tensor], torch.Tensor] | None = suffix
        elif suffix == "auto":
            self._suffix = sequential_suffix(root, self.layer_name)
        elif suffix == "repeat":
            self._suffix = None
        else:
            raise ValueError(f"suffix must be 'auto', 'repeat' or a callable, got {suffix!r}")
        self.calls = 0
        self._warned_eval = False
        self._mode = "idle"  # "idle": capture on ordinary forwards; "capture": a forced capture; "masked": substitute
        self._input: weakref.ref | None = None
        self._input_version = -1
        self._captured: torch.Tensor | None = None
        self._captured_for: weakref.ref | None = None
        self._captured_version = -1
        self._substitute: torch.Tensor | None = None
        self._handles = [
            model.register_forward_pre_hook(self._on_model_input),
            self.layer.register_forward_hook(self._on_layer_output),
        ]
        self._norm_stats: NormStats = {}  # batch statistics of the last ordinary pass, per batch-norm layer
        if batchnorm == "ordinary":
            self._handles += [m.register_forward_pre_hook(self._on_norm_input) for m in model.modules()
                              if isinstance(m, nn.modules.batchnorm._BatchNorm)]

    # ------------------------------------------------------------------ hooks
    # Ordinary forwards ("idle") and this loss's own forced capture record; masked passes, this loss's or
    # another's on the same model, are ignored.
    def _records(self, module: nn.Module) -> bool:
        return self._mode == "capture" or (self._mode == "idle" and not on_masked_track(module))

    def _on_model_input(self, module, args):
        if _compiling():
            return
        if self._mode == "idle" and not on_masked_track(module) and args and isinstance(args[0], torch.Tensor):
            self._input, self._input_version = weakref.ref(args[0]), args[0]._version

    def _on_layer_output(self, module, args, output):
        if _compiling():
            return None
        if self._mode == "masked":
            return self._substitute  # None in the suffix strategies: the layer's output is kept
        if not self._records(module):
            return None
        if not isinstance(output, torch.Tensor):
            raise TypeError(f"layer {self.layer_name!r} must output a tensor, got {type(output).__name__}")
        self._captured, self._captured_for, self._captured_version = output, self._input, self._input_version
        return None

    def _on_norm_input(self, module, args):
        if _compiling():
            return
        if normalises_by_batch(module) and self._records(module) and args and isinstance(args[0], torch.Tensor):
            self._norm_stats[module] = batch_statistics(args[0])  # with its graph: the penalty sees the scale

    def remove(self) -> None:
        """Removes the hooks from the model (the object cannot be used afterwards)."""
        for handle in self._handles:
            handle.remove()
        self._handles = []
        self._captured, self._norm_stats = None, {}

    # ------------------------------------------------------------------ the loss
    def activation(self, x: torch.Tensor) -> torch.Tensor:
        """The layer's activation for x: the one captured by the last ``model(x)`` if it was this very x
        (same tensor, unmodified, with a graph when grad is on), else a forward pass of the model that
        normalises as the ordinary pass does (batch statistics in training mode) and updates no running
        statistics; it records x's batch statistics for this loss alone."""
        h = self._captured
        if (
            h is not None
            and self._captured_for is not None
            and self._captured_for() is x
            and x._version == self._captured_version
            and (h.requires_grad or not torch.is_grad_enabled())
        ):
            return h
        self._mode, self._captured, self._norm_stats = "capture", None, {}
        self._input, self._input_version = weakref.ref(x), x._version
        try:
            with frozen_norm_stats(self.model, "batch"):
                self._net(x)
        finally:
            self._mode = "idle"
        if self._captured is None:
            raise ValueError(f"layer {self.layer_name!r} is not on the model's forward path (the forward never ran it); "
                             "place the loss at a layer the forward uses")
        return self._captured

    def __call__(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """The scalar interaction loss (Eq. 9) for inputs x and labels y."""
        if not self._handles:
            raise RuntimeError("this InteractionLoss was removed (remove() was called)")
        if not isinstance(x, torch.Tensor) or not isinstance(y, torch.Tensor):
            raise TypeError("x and y must be tensors")
        _checks.dense_data(x, "x")
        _checks.dense_data(y, "y")
        if not self._net.training and torch.is_grad_enabled() and not self._warned_eval:
            self._warned_eval = True
            warnings.warn("InteractionLoss: the model is in eval mode, so the loss is that of the eval-mode "
                          "network (dropout off, batch norm with its running statistics); call model.train() "
                          "to penalise the training-mode network", UserWarning, stacklevel=2)
        h = self.activation(x)
        stats, self._norm_stats = self._norm_stats, {}  # both used once; the graph keeps what backward needs
        self._captured = None
        seed = draw_seed(None) if self.seed is None else derive_seed(self.seed, self.calls)
        self.calls += 1
        index = subsample_index(h.shape[0], self.subsample, seed, h.device)
        if index is not None:
            h, x, y = h.index_select(0, index), x.index_select(0, index), y.index_select(0, index)
        rest = self._suffix if self._suffix is not None else self._repeat_suffix(x)
        self._mode = "masked"
        try:
            with frozen_norm_stats(self.model, self.batchnorm, stats):
                return interaction_loss(
                    h, rest, y, alpha=self.alpha, rate=self.rate, reward=self.reward, contexts=self.contexts,
                    seed=seed,
                )
        finally:
            self._mode, self._substitute = "idle", None

    def _repeat_suffix(self, x: torch.Tensor) -> Callable[[torch.Tensor], torch.Tensor]:
        """The whole model on the inputs repeated 4·contexts times, the layer's output replaced by the masked batch."""

        def rest(masked: torch.Tensor) -> torch.Tensor:
            self._substitute = masked
            try:
                return self._net(x.repeat_interleave(4 * self.contexts, dim=0))
            finally:
                self._substitute = None

        return rest

    def __repr__(self) -> str:
        return (
            f"InteractionLoss(layer={self.layer_name!r}, alpha={self.alpha}, rate={self.rate}, reward={self.reward!r}, "
            f"contexts={self.contexts}, subsample={self.subsample}, batchnorm={self.batchnorm!r})"
        )

