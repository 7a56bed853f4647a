"""The image job: Shapley values of the grid cells of one input and the interactions of neighbouring
cells (dropout paper Eq. 1-2, Fig. 1), written as Result JSON and two pictures."""

from __future__ import annotations

from typing import Optional, Sequence, Union

import torch

from ...methods import Estimator
from ...games import ModelGame, players
from ...indices import pair_interactions, shapley_values
from .common import CliError, check_out, estimator, last_line, staged, write_json

EXACT_LIMIT = 24  # players: 2^24 forward passes is already a long run

Method = Union[None, str, Estimator]


def _check_reference(x: torch.Tensor, baseline: str, reference: Optional[torch.Tensor]) -> Optional[torch.Tensor]:
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
    return reference


def explain_image(
    model: torch.nn.Module,
    x: torch.Tensor,
    *,
    cells: Sequence[int] = (4, 4),
    baseline: str = "zero",
    reference: Optional[torch.Tensor] = None,
    reward: str = "logit",
    target: Optional[int] = None,
    method: Method = None,
    pair_method: Method = None,
    budget: Optional[int] = None,
    seed: Optional[int] = None,
    batch_size: int = 1024,
    out: str = "out",
    prefix: str = "",
    label: Optional[str] = None,
    image: Optional[torch.Tensor] = None,
    ink: bool = False,
    progress: bool = True,
) -> dict:
    """Shapley values of the grid cells of ``x`` and the Shapley interactions of neighbouring cells.

    v(S) = reward(model(x with the cells outside S set to the baseline)) (:class:`interplay.ModelGame`).
    φ(i | N) by ``method`` and I(g, g') (dropout paper Eq. 2) of the horizontal and vertical
    neighbours by ``pair_method``: estimator objects or names, chosen by the library's rule
    (:func:`interplay.shapley_values`): no method and no ``budget`` is exact (2^n forward passes,
    one table for both), ``budget=B`` (model evaluations, each estimate) without a method is exact
    when 2^n <= B, else the default sampler (permutation / shared_pairs); ``seed`` seeds the
    samplers. ``pair_method=None`` follows ``method`` when that is exact, else the library's rule
    with the values' budget.

    Writes ``{prefix}values.json``, ``{prefix}interactions.json`` (:meth:`interplay.Result.save`),
    ``{prefix}summary.json`` (``evaluations``: the total; ``evaluations_values`` and
    ``evaluations_pairs``: each estimate's, each at most ``budget``), and the PNGs ``{prefix}values.png`` (the image beside an opaque
    heatmap of the player values, diverging map symmetric about 0) and ``{prefix}interactions.png``
    (the neighbour edges over the image, and the neighbour interaction strength, dropout paper
    Fig. 1) into ``out``; ``image`` replaces ``x`` as the picture beside them (e.g. ``1 - x`` for
    dark ink on white); ``ink=True`` adds the outline of a single-channel ``x`` to the heatmaps
    (line drawings such as digits) as a thin line. Returns the results (``values``,
    ``interactions``: :class:`interplay.Result`), the game, the summary and the paths.
    """
    x = torch.as_tensor(x)
    if x.dim() < 2:
        raise CliError(
            f"an image input needs at least 2 dimensions (H, W), got shape {list(x.shape)}; "
            "if the file holds a batch of vectors this is not an image"
        )
    check_out(out)
    rows, cols = (int(c) for c in cells)
    if rows < 1 or cols < 1:
        raise CliError(f"--cells must be two positive numbers, got {rows} {cols}")
    reference = _check_reference(x, baseline, reference)
    try:
        pmap = players.grid(x.shape, (rows, cols))
    except ValueError as e:
        raise CliError(str(e)) from e
    n = rows * cols
    values_by = estimator("shapley_values", method, n, budget=budget, seed=seed, progress=progress)
    pair_budget = budget
    if pair_method is None and values_by.name == "exact":
        pair_method = values_by
    elif pair_method is None and budget is None:
        pair_budget = getattr(values_by, "budget", None)  # the sampler's budget, the default one too
    pairs_by = estimator("pair_interactions", pair_method, n, budget=pair_budget, seed=seed, progress=progress)
    if "exact" in (values_by.name, pairs_by.name) and n > EXACT_LIMIT:
        raise CliError(
            f"exact needs 2^{n} forward passes for {rows}x{cols} cells; use at most {EXACT_LIMIT} cells, "
            f"or a sampling --method with --budget"
        )
    if reward == "loss" and target is None:
        raise CliError("--reward loss needs the label: pass --target")
    try:
        game = ModelGame(model, x, pmap, baseline=0.0 if baseline == "zero" else "mean", reference=reference,
                         reward=reward, target=target, batch_size=batch_size, progress=progress,
                         grid=(rows, cols))
    except RuntimeError as e:  # the model itself failed on the input
        raise CliError(
            f"the model failed on the input of shape {list(x.shape)} (run with a batch dimension "
            f"added: {[1] + list(x.shape)}); if the file holds a batch, pick one example with "
            f"--index. The model said: {last_line(e)}"
        ) from e
    except ValueError as e:
        raise CliError(str(e)) from e
    pairs = players.neighbours((rows, cols))
    try:
        values = shapley_values(game, method=values_by)
        inter = pair_interactions(game, pairs, method=pairs_by)
    except ValueError as e:  # e.g. a budget too small for one sample
        raise CliError(str(e)) from e
    evaluations = game.evaluations  # by the explanation (the two values below are for the summary)

    game.progress = False
    full = torch.ones(1, n, dtype=torch.bool)
    v_full, v_empty = (float(t) for t in game(torch.cat([full, ~full])))
    pair_list = [[a, b, float(v)] for (a, b), v in zip(inter.pairs, inter.values)]
    names = dict(values_json=f"{prefix}values.json", interactions_json=f"{prefix}interactions.json",
                 summary_json=f"{prefix}summary.json", values_png=f"{prefix}values.png",
                 interactions_png=f"{prefix}interactions.png")
    summary = {
        "input_shape": list(x.shape),
        "players": n,
        "grid": [rows, cols],
        "baseline": baseline,
        "reward": reward,
        "target": game.target,
        "method": values.method,
        "pair_method": inter.method,
        "budget": budget,
        "seed": seed,
        "v_full": v_full,
        "v_empty": v_empty,
        "sum_of_values": float(values.values.sum()),
        "evaluations": evaluations,  # the total of the two estimates below
        "evaluations_values": values.evaluations,
        "evaluations_pairs": inter.evaluations,
        "budget_applies_to": "each",  # the values and the pairs each had up to `budget` evaluations
        "strongest_pairs": sorted(pair_list, key=lambda e: -abs(e[2]))[:5],
        "files": dict(names),
    }
    with staged(out, **names) as files:  # all five files appear, or none
        values.save(files["values_json"])
        inter.save(files["interactions_json"])
        _draw(values, inter, x, image, ink,
              label or (f"class {game.target}" if game.target is not None else reward), reward, files)
        write_json(files["summary_json"], summary)
    return {"values": values, "interactions": inter, "game": game, "summary": summary, "files": files}


def _draw(values, inter, x, image, ink: bool, what: str, reward: str, files: dict) -> None:
    """The two PNGs of :func:`explain_image`."""
    from ... import plots  # matplotlib only when drawing

    picture = (x if image is None else torch.as_tensor(image)).detach().float().cpu()
    shown = picture if plots.is_picture(picture) else None  # else only the heatmaps, without the input
    strokes = x if ink and shown is not None else None
    grid = values.grid
    pair_list = [(a, b, float(v)) for (a, b), v in zip(inter.pairs, inter.values)]
    try:
        plots.image_values(
            values.values,
            grid,
            shown,
            ink=strokes,
            title=f"Shapley values of the {reward} ({what})\n{values.method}; red +, blue -",
            save=files["values_png"],
        )
        plots.image_interactions(
            pair_list,
            grid,
            shown,
            ink=strokes,
            title=f"interaction strength with neighbours\nmean |I(g, g')| per cell, {inter.method}",
            save=files["interactions_png"],
        )
    except ValueError as e:  # e.g. ink=True on an input with several channels
        raise CliError(str(e)) from e
