"""The toy benchmark job: the multivariate paper's Table 1 (correctly allocated operations in the max
partition of T([A])) on toy models with known ground truth, as JSON and a bar chart."""

from __future__ import annotations

from typing import Optional, Sequence

from ...datasets import toy
from .common import CliError, out_files, write_json

LEGEND = {
    "learned": "interplay learned",
    "exact": "interplay exact",
    "random": "Baseline 1: random",
    "shapley_pairs": "Baseline 2: Shapley pairs",
    "leave_one_out": "Baseline 3: leave-one-out",
}


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
    methods = list(methods or toy.METHODS)
    if models < 1:
        raise CliError(f"--models must be positive, got {models}")
    scores = {}
    for kind in kinds:
        dataset = toy.make_dataset(kind, models, seed=seed)
        scores[kind] = toy.score_methods(
            dataset, methods, seed=seed, learned=learned, progress=progress, desc=kind
        )
    files = out_files(out, json="toy.json", png="toy.png")
    write_json(
        files["json"],
        {
            "models": models,
            "seed": seed,
            "learned": learned or {},
            "scores": {k: {m: s.to_dict() for m, s in v.items()} for k, v in scores.items()},
        },
    )
    from ... import plots  # matplotlib only when drawing

    plots.grouped_bars(
        {kind: {m: scores[kind][m].accuracy for m in methods} for kind in scores},
        legend=LEGEND,
        ylabel="correctly allocated operations",
        ylim=(0, 1.1),
        title=f"toy models (multivariate paper Table 1), {models} per data set",
        save=files["png"],
    )
    return {"scores": scores, "files": files}
