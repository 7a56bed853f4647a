"""Loading what a job explains: a saved model, a tensor file, one example of a batch, the device."""

from __future__ import annotations

import importlib
import os
import sys
import warnings
from typing import Optional

import torch

from .common import CliError


def _existing(path: str, what: str) -> str:
    if not os.path.exists(path):
        raise CliError(f"{what} not found: {path}")
    if os.path.isdir(path):
        raise CliError(f"{what} is a directory, not a file: {path}")
    return path


def _why_unreadable(path: str, e: BaseException) -> str:
    """Why torch.load failed, in a few words (the first sentence of its message)."""
    if os.path.getsize(path) == 0:
        return "the file is empty"
    full = str(e).strip()
    if "Weights only load failed" in full or "WeightsUnpickler" in full:
        # torch's long explanation aside: the unpickler's own reason (e.g. "Unsupported operand 0")
        reason = full.split("WeightsUnpickler error:")[-1].strip().split("\n\n")[0].strip() \
            if "WeightsUnpickler error:" in full else ""
        return ("not a tensor file torch.load can read safely (weights_only)"
                + (f": {reason.splitlines()[0][:80]}" if reason else ""))
    text = full.splitlines()[0] if full else ""
    if not isinstance(e, RuntimeError) or not text:
        return f"not a file written by torch.save ({type(e).__name__}{': ' + text[:80] if text else ''})"
    return text.split(". ")[0]


def _import_class(spec: str) -> type:
    if spec.count(":") != 1 or not all(spec.split(":")):
        raise CliError(f"--arch must look like module:Class (e.g. mypackage.nets:SmallCNN), got {spec!r}")
    module_name, class_name = spec.split(":")
    if os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.insert(0, os.getcwd())  # python -m puts the working directory first; be as kind here
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise CliError(f"--arch {spec}: cannot import module {module_name!r}: {e}") from e
    cls = getattr(module, class_name, None)
    if not isinstance(cls, type):
        raise CliError(f"--arch {spec}: module {module_name!r} has no class {class_name!r}")
    return cls


def load_model(path: str, arch: Optional[str] = None, device: str = "cpu") -> torch.nn.Module:
    """A model in eval mode: a TorchScript file (``torch.jit.load``), or with ``arch="module:Class"``
    a state dict (``torch.load``) loaded into ``Class()`` (an importable class with a no-argument
    constructor)."""
    _existing(path, "model file")
    if arch is None:
        try:
            with warnings.catch_warnings():  # torch 2.13 marks TorchScript deprecated; it still loads
                warnings.filterwarnings(
                    "ignore", message=".*torch.jit.load.*deprecated", category=DeprecationWarning
                )
                model = torch.jit.load(path, map_location=device)
        except (RuntimeError, ValueError) as e:
            raise CliError(
                f"{path} is not a TorchScript file (torch.jit.load cannot read it); "
                "for a state dict pass --arch module:Class"
            ) from e
        return model.eval()
    cls = _import_class(arch)
    try:
        with warnings.catch_warnings():  # torch.load warns before it refuses a TorchScript archive
            warnings.simplefilter("ignore")
            state = torch.load(path, map_location=device, weights_only=True)
    except RuntimeError as e:
        if "TorchScript" in str(e):
            raise CliError(
                f"--arch needs a state dict file, but {path} is a TorchScript archive: "
                "leave out --arch to load it with torch.jit.load"
            ) from e
        raise CliError(f"cannot read a state dict from {path}: {_why_unreadable(path, e)}") from e
    except Exception as e:  # corrupt, empty, truncated or not a torch.save file at all
        raise CliError(f"cannot read a state dict from {path}: {_why_unreadable(path, e)}") from None
    if isinstance(state, dict) and isinstance(state.get("state_dict"), dict):
        state = state["state_dict"]  # a training checkpoint {"state_dict": ..., ...}
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise CliError(
            f"--arch needs a state dict (a dict of tensors, torch.save(model.state_dict())) "
            f"but {path} holds a {type(state).__name__}"
        )
    try:
        model = cls()
    except TypeError as e:
        raise CliError(f"--arch {arch}: {cls.__name__}() needs a constructor without arguments: {e}") from e
    if not isinstance(model, torch.nn.Module):
        raise CliError(f"--arch {arch}: {cls.__name__}() is not a torch.nn.Module")
    try:
        model.load_state_dict(state)
    except RuntimeError as e:
        raise CliError(f"the state dict in {path} does not fit {arch}: {e}") from e
    return model.to(device).eval()


def load_tensor(path: str, what: str = "input") -> torch.Tensor:
    """A tensor from a ``.pt`` / ``.pth`` file (``torch.save(tensor)``) or a ``.npy`` file."""
    _existing(path, f"{what} file")
    ext = os.path.splitext(path)[1].lower()
    if ext == ".npy":
        import numpy as np

        try:
            array = np.load(path, allow_pickle=False)
        except ValueError as e:
            raise CliError(f"cannot read {what} {path} as a numeric .npy array: {e}") from e
        return torch.from_numpy(np.ascontiguousarray(array))
    if ext in (".pt", ".pth"):
        try:
            t = torch.load(path, map_location="cpu", weights_only=True)
        except Exception as e:  # corrupt, empty, truncated or not a torch.save file at all
            raise CliError(f"cannot read {what} {path}: {_why_unreadable(path, e)}") from None
        if not isinstance(t, torch.Tensor):
            raise CliError(
                f"{what} {path} must hold one tensor (torch.save(tensor)), got a {type(t).__name__}"
            )
        return t
    raise CliError(f"{what} {path}: unknown file type {ext!r}; use .pt / .pth (torch.save) or .npy")


def select_example(batch: torch.Tensor, index: Optional[int]) -> torch.Tensor:
    """``batch[index]`` (a batch file) or the tensor itself (one example, no batch dimension)."""
    if index is None:
        return batch
    if index < 0:
        raise CliError(f"--index must be >= 0 (an example of the batch, not counted from the end), got {index}")
    if batch.dim() < 1 or not index < batch.shape[0]:
        raise CliError(f"--index {index} is outside the batch of shape {list(batch.shape)}")
    return batch[index]


def check_device(device: str) -> None:
    """Raises :class:`CliError` unless ``device`` names a torch device that is available here."""
    try:
        kind = torch.device(device).type
    except RuntimeError as e:
        raise CliError(f"--device {device!r} is not a torch device (e.g. cpu, cuda, cuda:1)") from e
    if kind == "cuda" and not torch.cuda.is_available():
        raise CliError(f"--device {device}: CUDA is not available here; use --device cpu")
