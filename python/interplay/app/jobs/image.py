"""The image job: Shapley values of the grid cells of one input and the interactions of neighbouring
cells (dropout paper Eq. 1-2, Fig. 1), written as Result JSON and two pictures."""

from __future__ import annotations

import functools
import os
from typing import Optional, Sequence

import torch

from .. import methods, players, plots
from ..model_game import ModelGame
from ..pairs import shapley_interaction_matrix
from ..results import Result
from ..sampling import pair_interactions
from ..values import shapley_values
from .common import CliError, last_line, write_json

EXACT_LIMIT = 24  # players: 2^24 forward passes is already a long run


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
            f"--index. The model said: {last_line(e)}"
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
    picture = (x if image is None else torch.as_tensor(image)).detach().float().cpu()
    shown = picture if plots.is_picture(picture) else None  # else only the heatmaps, without the input
    what = label or (f"class {game.target}" if game.target is not None else reward)
    pair_list = [(int(a), int(b), float(v)) for (a, b), v in zip(pairs.tolist(), inter.tensor())]
    strokes = x if ink and shown is not None else None
    try:
        plots.image_values(
            values.tensor(),
            (rows, cols),
            shown,
            ink=strokes,
            title=f"Shapley values of the {reward} ({what})\n{method}; red +, blue -",
            save=files["values_png"],
        )
        plots.image_interactions(
            pair_list,
            (rows, cols),
            shown,
            ink=strokes,
            title=f"interaction strength with neighbours\nmean |I(g, g')| per cell, {method}",
            save=files["interactions_png"],
        )
    except ValueError as e:  # e.g. ink=True on an input with several channels
        raise CliError(str(e)) from e
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
    write_json(files["summary_json"], summary)
    return {"values": values, "interactions": inter, "game": game, "summary": summary, "files": files}
