"""Games played by a network on one input: v(S) = reward(model(x with the players outside S masked)).

Masked inputs are built by one C kernel per batch (``torch.ops.interplay.masked_inputs``: element
d of row b is x[d] if its player is in coalition b, else baseline[d]); the model runs on whole
batches of ``batch_size`` coalitions. Players can also be the units of an intermediate layer
(``layer=``, dropout paper Sec. 3: activations before dropout, baseline 0): the prefix of the
network runs once, and only the rest of it runs per batch where the layer sits in nested
``nn.Sequential`` containers (otherwise a forward hook replaces the layer's output by the masked
batch). ``layer=`` means the same as in :class:`interplay.nn.InteractionLoss`; the class-score
rewards are the same names too (:data:`interplay._internal.modules.CLASS_REWARDS`).
"""
from __future__ import annotations

from typing import Any, Callable, Optional, Sequence, Union

import torch
from torch import nn

from .._internal import checks as _checks
from .._internal.modules import CLASS_REWARDS, class_rewards, resolve_module, sequential_suffix
from .._internal.ops import ops
from .._internal.progress import progress_bar
from ..engine import mask_words, pack, unpack
from . import players as _players
from .base import Game, _real_rewards
from .safety import batch_dependent_modules, evaluation_mode, finite as _finite

RewardSpec = Union[str, Callable[[torch.Tensor], torch.Tensor]]
REWARDS = CLASS_REWARDS + ("output", "feature")
MEMORY_FORMATS = ("auto", "contiguous", "channels_last")


def _logits(out: Any) -> torch.Tensor:
    if isinstance(out, torch.Tensor):
        return out
    if hasattr(out, "logits"):
        return out.logits
    if isinstance(out, (tuple, list)) and out and isinstance(out[0], torch.Tensor):
        return out[0]
    raise ValueError(f"cannot read a tensor from the model output of type {type(out).__name__}")


def _masked_rows(src: torch.Tensor, base: torch.Tensor, pmap: torch.Tensor, masks: torch.Tensor) -> torch.Tensor:
    """[B, D] rows: element d of row b is src[d] if player pmap[d] is in coalition b, else base[d]."""
    kernel_dtype = src.dtype if src.dtype in (torch.float32, torch.float64, torch.int64) else torch.float32
    return ops.masked_inputs(src.to(kernel_dtype), base.to(kernel_dtype), pmap, masks).to(src.dtype)


class ModelGame(Game):
    """The game of a model on one input ``x`` (no batch dimension).

    Args:
        model: a ``torch.nn.Module``. It is evaluated in eval mode whatever its mode (no dropout,
            batch norm with its running statistics) and left as it was: each submodule's
            ``training`` flag is restored after every evaluation, even one that raises, and no
            buffer is updated, so values never depend on ``batch_size``. A model with batch-norm
            layers that have no running statistics (``track_running_stats=False``) is refused
            (their output for one input depends on the rest of the batch).
        x: one input example without the batch dimension (float, or int64 token ids).
        players: an int map from input elements (or, with ``layer``, activation units) to
            players, -1 = always present (see :mod:`interplay.players`); with ``layer`` and no
            map, every unit is a player.
        baseline: the value of absent elements: a scalar, a tensor broadcastable to the masked
            tensor, or ``"mean"`` with ``reference=`` a batch (the papers' average pixel value).
            Default 0 (zero embeddings / activations).
        reference: a reference batch ``[N, ...]`` for ``baseline="mean"``.
        reward: ``"logit"`` (default: the logit of ``target`` before softmax, or of the class the
            model predicts on the full input), ``"probability"``, ``"log_probability"``, ``"loss"``
            (cross-entropy for label ``target``), ``"output"`` (a scalar model output),
            ``"feature"`` (⟨f_N, f_S⟩ / ‖f_N‖², f the output of ``feature_at`` or of the model;
            multivariate paper), or a callable ``outputs [B, ...] -> [B]``.
        target: the class for logit / probability / loss rewards: an int in [0, classes) (a
            negative target is an error, not "counted from the end").
        batch_size: coalitions per forward pass.
        layer: a submodule (or its dotted name) whose output units are the players (None: the
            input's elements are).
        feature_at: the submodule (or its dotted name) whose output is f for ``reward="feature"``.
        n_players: the number of players (default: the largest index in the map + 1).
        progress: a tqdm bar for long evaluations (None: only when there are many batches).
        labels: a name per player, carried into results (e.g. for pictures).
        grid: ``(rows, cols)`` when the players are the cells of a grid in row-major order, e.g.
            with ``players=interplay.players.grid(x.shape, cells=(rows, cols))``; carried into
            results, so pictures draw them as a grid.
        memory_format: the layout of the masked image batches [B, C, H, W] handed to the network:
            ``"channels_last"``, ``"contiguous"``, or ``"auto"`` (default): channels-last for a
            network with ``nn.Conv2d`` layers on the CPU, where oneDNN's convolutions run about twice
            as fast on it (same values up to float rounding), falling back to contiguous for good if
            the first channels-last call raises (e.g. a ``view`` of the input). ``self.channels_last``
            tells which was taken (None until "auto" has seen its first batch). A network that reads
            its input's raw memory (``as_strided``, ``data_ptr``) needs ``"contiguous"``.
    """

    def __init__(
        self,
        model: nn.Module,
        x: torch.Tensor,
        players: Optional[torch.Tensor] = None,
        *,
        baseline: Union[float, int, str, torch.Tensor] = 0.0,
        reference: Optional[torch.Tensor] = None,
        reward: RewardSpec = "logit",
        target: Optional[int] = None,
        batch_size: int = 256,
        layer: Union[None, str, nn.Module] = None,
        feature_at: Union[None, str, nn.Module] = None,
        n_players: Optional[int] = None,
        progress: Optional[bool] = None,
        memory_format: str = "auto",
        labels: Optional[Sequence[str]] = None,
        grid: Optional[Sequence[int]] = None,
    ) -> None:
        if not isinstance(model, nn.Module):
            raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
        if not (callable(reward) or reward in REWARDS):
            raise ValueError(f"reward must be one of {REWARDS} or a callable, got {reward!r}")
        if reward == "loss" and target is None:
            raise ValueError("reward='loss' needs the label: pass target=")
        if memory_format not in MEMORY_FORMATS:
            raise ValueError(f"memory_format must be one of {MEMORY_FORMATS}, got {memory_format!r}")
        if target is not None:
            target = _checks.integer(target, "target")
            if target < 0:
                raise ValueError(f"target must be a class index >= 0, got {target}")
        if n_players is not None:
            n_players = _checks.integer(n_players, "n_players")
        batch_size = _checks.integer(batch_size, "batch_size")
        unusable = batch_dependent_modules(model)
        if unusable:
            raise ValueError(f"the model normalises by the statistics of each batch (track_running_stats=False "
                             f"in {unusable}): a coalition's reward would depend on the batch it is in")
        self.model = model
        param = next(iter(model.parameters()), None)
        x = torch.as_tensor(x)
        _checks.dense_data(x, "x")
        if x.is_complex() or x.dtype == torch.bool:
            raise TypeError(f"x must hold real numbers (float, or int token ids), got dtype {x.dtype}")
        _finite(x, "x")
        self.device = param.device if param is not None else x.device
        self.x = x.detach().to(self.device)
        self.reward = reward
        self.layer, self.layer_name = (None, None) if layer is None else resolve_module(model, layer, "layer")
        self.feature_at = None if feature_at is None else resolve_module(model, feature_at, "feature_at")[0]
        self._suffix: Optional[nn.Module] = None

        # one forward pass on the full input: the predicted class, f_N, the activation to mask
        full, captured = self._forward_full()
        logits = _logits(full)
        if logits.is_complex():
            raise TypeError(f"the model's output is complex ({logits.dtype}); rewards must be real")
        _finite(logits.detach().float() if logits.is_floating_point() else logits, "the model's output on the full x")
        if isinstance(reward, str) and reward in CLASS_REWARDS:
            if logits.dim() != 2 or logits.shape[1] < 2:
                raise ValueError(f"reward={reward!r} needs class scores [1, C]; got output shape {list(logits.shape)}")
            if target is None:
                target = int(logits[0].argmax())
            elif target >= logits.shape[1]:
                raise ValueError(f"target {target} is out of range for a model with {logits.shape[1]} classes "
                                 f"(valid: 0..{logits.shape[1] - 1})")
        self.target = target
        self._f_full: Optional[torch.Tensor] = None
        if reward == "feature":
            f = captured.get("feature", logits)
            self._f_full = f.reshape(1, -1).to(torch.float64)
            norm = float((self._f_full ** 2).sum())
            if not norm > 0:
                raise ValueError("reward='feature' needs a non-zero feature f_N on the full input")
            self._f_norm2 = norm

        masked = captured["activation"][0] if self.layer is not None else self.x
        self._masked_shape = masked.shape
        if players is None:
            if self.layer is None:
                raise ValueError("players= is required for input players (e.g. interplay.players.grid(x.shape))")
            players = torch.arange(masked.numel()).view(masked.shape)
        pmap = _players.expand_map(players, masked.shape)
        top = int(pmap.max()) + 1 if pmap.numel() else 0
        if n_players is None:
            n_players = top
        if n_players < 1 or top > n_players:
            raise ValueError(f"the player map uses players up to {top - 1} but n_players = {n_players}")
        self._map = pmap.reshape(-1).to(self.device)
        self._source = masked.reshape(-1).contiguous()
        self._baseline = self._make_baseline(baseline, reference, masked).reshape(-1).contiguous()
        _finite(self._baseline, "the baseline")
        self._words = mask_words(n_players)
        self.channels_last = self._channels_last_choice(memory_format, masked)
        self._hwc: Optional[tuple] = None  # x, baseline and map in (H, W, C) order, for channels-last rows
        super().__init__(self._evaluate, n_players, batch_size=batch_size, progress=progress, labels=labels,
                         grid=grid)

    # -- set-up ---------------------------------------------------------------------------------
    def _forward_full(self) -> tuple[Any, dict]:
        captured: dict = {}
        hooks = []
        if self.layer is not None:
            hooks.append(self.layer.register_forward_hook(lambda m, i, o: captured.__setitem__("activation", o)))
        if self.feature_at is not None:
            hooks.append(self.feature_at.register_forward_hook(lambda m, i, o: captured.__setitem__("feature", o)))
        try:
            with torch.no_grad(), evaluation_mode(self.model):
                out = self.model(self.x.unsqueeze(0))
        finally:
            for h in hooks:
                h.remove()
        if self.layer is not None:
            act = captured.get("activation")
            if not isinstance(act, torch.Tensor):
                raise ValueError("layer: the module did not produce a tensor on the forward pass")
            captured["activation"] = act.detach()
            suffix = sequential_suffix(self.model, self.layer_name)
            if suffix is not None and (self.feature_at is None or any(m is self.feature_at for m in suffix.modules())):
                self._suffix = suffix  # else f is computed before the layer: run the whole model
        return out, captured

    def _channels_last_choice(self, memory_format: str, masked: torch.Tensor) -> Optional[bool]:
        """True / False, or None: "auto" decides on the first batch (channels-last unless it raises)."""
        if memory_format == "contiguous" or masked.dim() != 3 or not masked.is_floating_point():
            return False
        if self.layer is not None and self._suffix is None:  # a hook substitutes the layer's output
            if memory_format == "channels_last":
                raise ValueError("memory_format='channels_last' needs the network after layer= as a plain "
                                 "nn.Sequential suffix; this model substitutes the layer's output by a hook")
            return False
        if memory_format == "channels_last":
            return True
        convolutional = any(isinstance(m, nn.Conv2d) for m in self.model.modules())
        return None if convolutional and self.device.type == "cpu" else False

    def _run(self, net: Callable[[torch.Tensor], Any], batch: torch.Tensor) -> Any:
        """net(batch) for a batch from ``_masked_batch``; "auto" settles the layout on its first call."""
        if self.channels_last is not None:
            return net(batch)
        try:
            out = net(batch)
        except RuntimeError:  # the network needs contiguous inputs; a real error raises again below
            self.channels_last = False
            return net(batch.contiguous())
        self.channels_last = True
        return out

    def _make_baseline(self, baseline, reference, masked: torch.Tensor) -> torch.Tensor:
        if isinstance(baseline, str):
            if baseline != "mean":
                raise ValueError(f"baseline must be a number, a tensor or 'mean', got {baseline!r}")
            if reference is None:
                raise ValueError("baseline='mean' needs reference= (a batch of examples)")
            reference = torch.as_tensor(reference)
            _checks.dense_data(reference, "the reference batch")
            _finite(reference, "the reference batch")
            baseline = _players.reference_mean(reference)
        _checks.dense_data(baseline, "the baseline")
        b = torch.as_tensor(baseline, device=self.device)
        if b.is_complex() or b.dtype == torch.bool:
            raise TypeError(f"the baseline must hold real numbers, got dtype {b.dtype}")
        if b.dim() > masked.dim():
            raise ValueError(f"the baseline of shape {list(b.shape)} has more dimensions than the masked tensor "
                             f"{list(masked.shape)}")
        try:
            b = b.expand(masked.shape)
        except RuntimeError:
            raise ValueError(f"the baseline of shape {list(b.shape)} does not broadcast to {list(masked.shape)}") from None
        if masked.is_floating_point():
            return b.to(masked.dtype)
        if b.is_floating_point() and bool((b != b.round()).any()):
            raise ValueError("an integer input (e.g. token ids) needs an integer baseline (e.g. a mask/pad token id)")
        return b.to(masked.dtype)

    # -- evaluation -----------------------------------------------------------------------------
    def masked_inputs(self, masks: torch.Tensor) -> torch.Tensor:
        """The masked tensors ``[B, *shape]`` of packed coalitions ``[B, W]`` (one C/CUDA kernel)."""
        out = _masked_rows(self._source, self._baseline, self._map, masks.to(self.device))
        return out.view((masks.shape[0],) + tuple(self._masked_shape))

    def _masked_batch(self, masks: torch.Tensor) -> torch.Tensor:
        """The masked batch in the layout handed to the network: channels-last rows come straight from
        the kernel run over x, the baseline and the player map in (H, W, C) order."""
        if self.channels_last is False:
            return self.masked_inputs(masks)
        if self._hwc is None:
            self._hwc = tuple(t.view(self._masked_shape).permute(1, 2, 0).reshape(-1)
                              for t in (self._source, self._baseline, self._map))
        c, h, w = self._masked_shape
        out = _masked_rows(*self._hwc, masks.to(self.device))
        return out.view(masks.shape[0], h, w, c).permute(0, 3, 1, 2)

    def batch_memory(self, rows: int) -> int:
        """Bytes of the masked batch of ``rows`` coalitions (the kernel's rows and their copy in the
        input's dtype); the model's own activations come on top."""
        itemsize = max(self._source.element_size(), 4)
        return rows * self._source.numel() * 2 * itemsize

    def _outputs(self, masks: torch.Tensor) -> tuple[torch.Tensor, Optional[torch.Tensor]]:
        rows = masks.shape[0]
        _checks.memory(self.batch_memory(rows), f"a batch of {rows} masked inputs of {self._source.numel()} "
                       "elements", "lower batch_size", device=self.device)
        with torch.inference_mode(), evaluation_mode(self.model):
            batch = self._masked_batch(masks)
            if self.layer is None and self.feature_at is None:  # the common case: one call, no hooks
                return _logits(self._run(self.model, batch)), None
            captured: dict = {}
            hooks = []
            if self.feature_at is not None:
                hooks.append(self.feature_at.register_forward_hook(lambda m, i, o: captured.__setitem__("feature", o)))
            try:
                if self.layer is None:
                    out = self._run(self.model, batch)
                elif self._suffix is not None:
                    out = self._run(self._suffix, batch)
                else:
                    hooks.append(self.layer.register_forward_hook(lambda m, i, o: batch.contiguous()))
                    inputs = self.x.unsqueeze(0).expand((batch.shape[0],) + tuple(self.x.shape))
                    out = self.model(inputs)
            finally:
                for h in hooks:
                    h.remove()
            return _logits(out), captured.get("feature")

    def _rewards(self, masks: torch.Tensor) -> torch.Tensor:
        out, feature = self._outputs(masks)
        with torch.inference_mode():
            return self._reward_of(out, feature)

    def _reward_of(self, out: torch.Tensor, feature: Optional[torch.Tensor]) -> torch.Tensor:
        r = self.reward
        if callable(r):
            return torch.as_tensor(r(out))
        if r == "output":
            if out.dim() == 2 and out.shape[1] == 1:
                out = out[:, 0]
            if out.dim() != 1:
                raise ValueError(f"reward='output' needs a scalar output per example, got shape {list(out.shape)[1:]}")
            return out
        if r == "feature":
            f = (feature if feature is not None else out).reshape(out.shape[0] if feature is None else feature.shape[0], -1)
            return (f.to(torch.float64) @ self._f_full[0]) / self._f_norm2
        labels = torch.full((out.shape[0],), int(self.target), dtype=torch.int64, device=out.device)
        return class_rewards(out if r == "logit" else out.double(), labels, r)

    def evaluate_packed(self, masks: torch.Tensor) -> torch.Tensor:
        """Rewards ``[B]`` (float64, CPU) of packed coalitions ``[B, W]``, in batches of ``batch_size``."""
        masks = torch.as_tensor(masks, dtype=torch.int64)
        if masks.dim() != 2 or masks.shape[1] != self._words:
            raise ValueError(f"packed coalitions must have shape [B, {self._words}], got {list(masks.shape)}")
        total = masks.shape[0]
        starts = range(0, total, self.batch_size)
        show = self.progress if self.progress is not None else len(starts) > 64
        parts = []
        for s in progress_bar(starts, enabled=bool(show), desc="evaluating coalitions", unit="batch"):
            chunk = masks[s:s + self.batch_size]
            rewards = self._rewards(chunk)
            parts.append(self._checked_packed(rewards, chunk))
        self.evaluations += total
        return torch.cat(parts) if parts else torch.zeros(0, dtype=torch.float64)

    def _checked_packed(self, rewards: torch.Tensor, chunk: torch.Tensor) -> torch.Tensor:
        rewards = _real_rewards(rewards).detach()
        if rewards.dim() != 1 or rewards.shape[0] != chunk.shape[0]:
            raise ValueError(f"the reward must be one scalar per coalition: expected shape [{chunk.shape[0]}], "
                             f"got {list(rewards.shape)}")
        rewards = rewards.to(torch.float64).cpu()
        if not bool(torch.isfinite(rewards).all()):
            return self._checked(rewards, unpack(chunk.cpu(), self.n_players))  # raises, naming the coalition
        return rewards

    def _evaluate(self, coalitions: torch.Tensor) -> torch.Tensor:
        return self._rewards(pack(coalitions.cpu()))
