"""The toy benchmark job: the multivariate paper's Table 1 (correctly allocated operations in the max
partition of T([A])) on toy models with known ground truth, as JSON and a bar chart."""

from __future__ import annotations

import dataclasses
from typing import Optional, Sequence, Union

from ...multivariate import toy
from ...methods import Estimator, registered
from .common import CliError, check_out, staged, write_json

LEGEND = {
    "learned_partitions": "interplay learned",
    "exact": "interplay exact",
    "random": "Baseline 1: random",
    "shapley_pairs": "Baseline 2: Shapley pairs",
    "leave_one_out": "Baseline 3: leave-one-out",
}


def _chosen(methods: Sequence[Union[str, Estimator]], seed: int, learned: dict) -> list:
    """The methods for :func:`toy.score_methods`: estimator names made objects with ``learned``'s
    options and ``seed`` where the estimator takes them; baselines and objects as given."""
    out, used = [], set()
    for m in methods:
        cls = registered().get(m) if isinstance(m, str) and m not in toy.BASELINES else None
        if cls is not None:
            takes = cls.parameters()
            options = {k: v for k, v in learned.items() if k in takes}
            used |= set(options)
            if "seed" in takes:
                options["seed"] = seed
            try:
                m = cls.create(**options)
            except (TypeError, ValueError) as e:
                raise CliError(str(e)) from e
        out.append(m)
    unused = sorted(set(learned) - used)
    if unused:
        raise CliError(f"options {unused} are taken by none of the methods {[_key(m) for m in methods]}")
    return out


def _key(m: Union[str, Estimator]) -> str:
    return m if isinstance(m, str) else type(m).name


def toy_benchmark(
    kinds: Sequence[str],
    models: int,
    *,
    methods: Optional[Sequence[Union[str, Estimator]]] = None,
    seed: int = 0,
    learned: Optional[dict] = None,
    out: str = "out",
    progress: bool = True,
) -> dict:
    """The multivariate paper's Table 1 on ``models`` toy models of each data set in ``kinds``
    (:func:`interplay.multivariate.toy.score_methods`); writes ``toy.json`` and ``toy.png`` (accuracy
    per method and data set) into ``out``.

    ``methods``: baselines, estimator names or objects (default: all of :data:`toy.METHODS`);
    ``seed`` seeds the data sets and the sampling estimators named by name, which also take the
    options in ``learned`` (e.g. ``{"updates": 8}`` for ``"learned_partitions"``).
    """
    check_out(out)
    if isinstance(models, bool) or not isinstance(models, int) or models < 1:
        raise CliError(f"--models must be a positive int, got {models!r}")
    chosen = _chosen(list(methods or toy.METHODS), seed, dict(learned or {}))
    scores = {}
    for kind in kinds:
        dataset = toy.make_dataset(kind, models, seed=seed)
        try:
            scores[kind] = toy.score_methods(dataset, chosen, seed=seed, progress=progress, desc=kind)
        except ValueError as e:
            raise CliError(str(e)) from e
    keys = [_key(m) for m in chosen]
    with staged(out, json="toy.json", png="toy.png") as files:  # both or none
        write_json(
            files["json"],
            {
                "models": models,
                "seed": seed,
                "methods": {_key(m): m if isinstance(m, str) else {"name": type(m).name, **dataclasses.asdict(m)}
                            for m in chosen},
                "scores": {k: {m: s.to_dict() for m, s in v.items()} for k, v in scores.items()},
            },
        )
        from ... import plots  # matplotlib only when drawing

        plots.grouped_bars(
            {kind: {m: scores[kind][m].accuracy for m in keys} for kind in scores},
            legend=LEGEND,
            ylabel="correctly allocated operations",
            ylim=(0, 1.1),
            title=f"toy models (multivariate paper Table 1), {models} per data set",
            save=files["png"],
        )
    return {"scores": scores, "files": files}
