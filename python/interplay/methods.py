"""What ``method=`` means. Estimators are values: small immutable objects that hold their parameters and defaults.

Every public function of interplay takes ``method=`` as an :class:`Estimator` or its registered
name, plus the estimator's parameters as keywords::

    ip.shapley_values(game)                                      # exact (2^n evaluations)
    ip.shapley_values(game, method="permutation", budget=2048, seed=0)
    ip.shapley_values(game, method=ip.Permutation(budget=2048, seed=0))
    ip.shapley_values(game, budget=2048, seed=0)                # the best method for that budget

A keyword the chosen method does not take is a ``TypeError`` that lists the ones it takes.
``budget`` caps the model evaluations (rows sent to the game); ``result.evaluations`` counts the
rows really evaluated. An estimator computes the quantities it has a method for (e.g.
``Permutation.shapley_values``); asking it for another one is a ``ValueError`` naming the
estimators that can.
"""
from __future__ import annotations

import dataclasses
import functools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Optional, Union

from ._internal import checks as _checks

if TYPE_CHECKING:  # pragma: no cover
    import torch

QUANTITIES = (
    "shapley_values",
    "banzhaf_values",
    "harsanyi_dividends",
    "pair_interactions",
    "interaction_matrix",
    "multi_order_interaction",
    "marginal_rewards",
    "average_marginal_rewards",
    "coalition_shapley",
    "multivariate_interaction",
    "elementary_interaction",
    "interaction_significance",
    "interaction_values",
)

_REGISTRY: dict[str, type["Estimator"]] = {}

# The sampler that ``budget=`` without ``method=`` picks for a quantity when the 2^n table does not fit
# in the budget (the side-by-side measurements behind each choice: benchmarks/RESULTS.md, "Estimators").
# Quantities not listed are exact only.
DEFAULT_SAMPLERS: dict[str, str] = {
    "shapley_values": "gaussian_process",
    "banzhaf_values": "gaussian_process",
    "pair_interactions": "gaussian_process",
    "interaction_matrix": "gaussian_process",
    "multi_order_interaction": "pair_sampling",
    "coalition_shapley": "coalition_sampling",
    "interaction_significance": "learned_partitions",
}

# A short list of pairs (at most FEW_PAIRS of all C(n, 2)) of a game of at least FEW_PAIRS_MIN_PLAYERS
# players goes to shared contexts instead: one context serves the P listed pairs for 1 + m + P rows,
# where the Gaussian process learns all C(n, 2) pair terms — while the budget is at most twice the
# Gaussian process's default ``fit_rows`` (beyond it, its cross-fitted form wins) and shared_pairs'
# plan fits it. With SII, context sizes are stratified (SHARED_STRATIFIED) where the budget buys a
# sample per replicate. Measured side by side: benchmarks/RESULTS.md, "Estimators" (neighbour pairs).
FEW_PAIRS = 0.15
FEW_PAIRS_MIN_PLAYERS = 32
SHARED_STRATIFIED = {"systematic": True}


class BudgetTooSmall(ValueError):
    """A sampler's budget buys less than its smallest design (the message names the minimum budget)."""


def _check_seed(seed: Any) -> int:
    """One rule for every seed of interplay (estimators, ``pair_contexts``, the interaction loss,
    ``explain_dataset``, the CLI): :func:`interplay._internal.checks.seed`."""
    return _checks.seed(seed)


def _check_count(value: Any, what: str, minimum: int = 1) -> int:
    """A count field of an estimator (:func:`interplay._internal.checks.count`: ints, NumPy ints and 0-d
    integer tensors alike, returned as a Python int; bools and floats refused)."""
    return _checks.count(value, what, minimum)


def _set_count(estimator: "Estimator", name: str, minimum: int = 1) -> None:
    """Checks the count field ``name`` of a frozen estimator and stores it as a Python int."""
    object.__setattr__(estimator, name, _check_count(getattr(estimator, name), name, minimum))


@dataclass(frozen=True)
class Estimator:
    """Base of every estimator. Subclasses are frozen dataclasses with a class-level ``name``."""

    name: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("name"):
            _REGISTRY[cls.name] = cls

    @classmethod
    def parameters(cls) -> tuple[str, ...]:
        """The keywords this estimator takes."""
        return tuple(f.name for f in dataclasses.fields(cls))

    @classmethod
    def create(cls, **options: Any) -> "Estimator":
        """``cls(**options)``, with unknown keywords a TypeError that lists the valid ones."""
        _check_keywords(cls, options)
        return cls(**options)

    def replace(self, **options: Any) -> "Estimator":
        """A copy with some parameters changed (unknown keywords are a TypeError)."""
        _check_keywords(type(self), options)
        return dataclasses.replace(self, **options)

    @classmethod
    def computes(cls) -> tuple[str, ...]:
        """The quantities this estimator has a method for."""
        return tuple(q for q in QUANTITIES if callable(getattr(cls, q, None)))


@dataclass(frozen=True)
class Sampler(Estimator):
    """Base of the sampling estimators: ``budget`` (model evaluations), ``seed``, ``progress``,
    ``exact_when_covered``.

    The same seed gives the same coalitions (on CPU and GPU); ``progress`` shows a tqdm bar
    (None: only for long runs). Where the budget covers all 2^n coalitions the exact values cost no
    more than the samples: a sampler returns them, with a zero stderr, unless
    ``exact_when_covered=False`` (to study the sampler itself on a small game).
    """

    budget: int = 4096
    seed: int = 0
    progress: Optional[bool] = None
    exact_when_covered: bool = True
    # a subclass whose budget may be None (its own parameters then decide the evaluations)
    budget_optional: ClassVar[bool] = False

    def __post_init__(self) -> None:
        if self.budget is not None or not self.budget_optional:
            _set_count(self, "budget")
        object.__setattr__(self, "seed", _check_seed(self.seed))  # a Python int (NumPy ints too)
        if self.progress is not None and not isinstance(self.progress, bool):
            raise TypeError(f"progress must be None or a bool, got {self.progress!r}")
        if not isinstance(self.exact_when_covered, bool):
            raise TypeError(f"exact_when_covered must be a bool, got {self.exact_when_covered!r}")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for quantity in cls.computes():
            method = getattr(cls, quantity)
            if not getattr(method, "wraps_exact", False):
                setattr(cls, quantity, _exact_when_covered(quantity, method))


def _exact_when_covered(quantity: str, method: Any) -> Any:
    """``method`` of a sampler, except where its budget covers all 2^n coalitions (and
    ``exact_when_covered``): then the exact values (the table is no dearer than the samples), with a
    zero stderr (NaN where the values are NaN: entries not estimated), ``evaluations`` the rows of the
    table, the sampler as estimator."""

    @functools.wraps(method)
    def run(self: "Sampler", game: Any, *args: Any) -> Any:
        rii = quantity == "pair_interactions" and len(args) > 1 and args[1] == "RII"  # no exact RII
        covered = self.budget is not None and exact_fits_budget(game.n_players, self.budget)
        if rii or not covered or not self.exact_when_covered:
            return method(self, game, *args)
        import torch

        exact = getattr(_REGISTRY["exact"](budget=self.budget), quantity)(game, *args)
        values = exact.values
        stderr = torch.where(torch.isnan(values), values, torch.zeros_like(values))
        return dataclasses.replace(exact, estimator=self, stderr=stderr)

    run.wraps_exact = True  # type: ignore[attr-defined]
    return run


# keywords users bring from other libraries, and what interplay does instead
KEYWORD_HINTS = {
    "device": "the device is the game's: a ModelGame evaluates where its model's parameters are (move the model)",
    "n_samples": "budget= counts the rows sent to the game", "nsamples": "budget= counts the rows sent to the game",
    "samples": "budget= counts the rows sent to the game", "random_state": "seed= seeds the sampler",
    "max_order": "interaction_values takes order=", "batch_size": "the game's batch_size decides its batches",
}


def _check_keywords(cls: type[Estimator], options: dict) -> None:
    valid = cls.parameters()
    unknown = sorted(set(options) - set(valid))
    if unknown:
        takes = ", ".join(valid) if valid else "no keywords"
        hints = "".join(f" ({k}: {KEYWORD_HINTS[k]})" for k in unknown if k in KEYWORD_HINTS)
        raise TypeError(
            f"method {cls.name!r} does not take {', '.join(map(repr, unknown))}; it takes: {takes}{hints}"
        )


def registered() -> dict[str, type[Estimator]]:
    """The registered estimators by name."""
    return dict(_REGISTRY)


def methods_for(quantity: str) -> list[str]:
    """Names of the registered estimators that compute ``quantity``."""
    return sorted(name for name, cls in _REGISTRY.items() if quantity in cls.computes())


def exact_fits_budget(n_players: int, budget: int) -> bool:
    """Whether ``budget=`` without ``method=`` picks exact: the 2^n table fits in the budget."""
    return n_players <= _checks.MAX_EXACT_PLAYERS and (1 << n_players) <= budget


def resolve(quantity: str, method: Union[None, str, Estimator], options: dict, n_players: int, *,
            pairs: Optional["torch.Tensor"] = None, index: Optional[str] = None,
            rate: Optional[tuple[float, float]] = None) -> Estimator:
    """The estimator that computes ``quantity`` for a public function's ``method=`` and keywords: the
    library's one rule for ``method=`` and ``budget=``.

    ``method=None`` without ``budget``: exact. ``method=None`` with ``budget=B``: exact when 2^n <= B
    (the 2^n table is all it evaluates; the keywords are checked as the sampler a smaller budget picks
    checks them, and those Exact does not take are dropped), else shared contexts for a short list of
    ``pairs`` of a large game (``FEW_PAIRS``), else ``DEFAULT_SAMPLERS[quantity]``. ``pairs``,
    ``index`` and ``rate`` are the subject of a pair quantity (the pairs listed, the pair index, RII's
    keep rates).
    """
    if method is None:
        method, options = _default_method(quantity, options, n_players, pairs, index, rate)
    if isinstance(method, str):
        cls = _REGISTRY.get(method)
        if cls is None:
            raise ValueError(f"unknown method {method!r}; methods that compute {quantity}: {methods_for(quantity)}")
        estimator = cls.create(**options)
    elif isinstance(method, Estimator):
        estimator = method.replace(**options) if options else method
    else:
        raise TypeError(f"method must be an Estimator or a method name (str), got {type(method).__name__}")
    if quantity not in type(estimator).computes():
        raise ValueError(
            f"method {type(estimator).name!r} does not compute {quantity}; methods that do: {methods_for(quantity)}"
        )
    return estimator


def _default_method(quantity: str, options: dict, n: int, pairs: Optional["torch.Tensor"], index: Optional[str],
                    rate: Optional[tuple[float, float]]) -> tuple[Union[str, Estimator], dict]:
    """(method, keywords) for ``method=None`` (:func:`resolve`)."""
    budget = options.get("budget")
    if budget is None:
        return "exact", options  # no budget: exact, whatever n (too large a game is refused there)
    budget = _check_count(budget, "budget")
    sampler = DEFAULT_SAMPLERS.get(quantity)
    if sampler is None or exact_fits_budget(n, budget):
        if sampler is None:  # exact only: a sampler's seed and progress are checked and dropped
            checked = {k: v for k, v in options.items() if k in ("budget", "seed", "progress")}
            Sampler(**checked)
            dropped = ("seed", "progress")
        else:  # the keywords were for the sampler a smaller budget picks: checked as it checks them
            _REGISTRY[sampler].create(**options)
            dropped = tuple(k for k in options if k not in _REGISTRY["exact"].parameters())
        return "exact", {k: v for k, v in options.items() if k not in dropped}
    shared = _shared_for_few_pairs(quantity, options, n, pairs, index, rate)
    return (shared, {}) if shared is not None else (sampler, options)


def _shared_for_few_pairs(quantity: str, options: dict, n: int, pairs: Optional["torch.Tensor"],
                          index: Optional[str], rate: Optional[tuple[float, float]]) -> Optional[Estimator]:
    """shared_pairs for a short list of pairs of a large game (``FEW_PAIRS``), or None (the default).

    A keyword shared_pairs does not take (e.g. ``fit_rows``) means the caller set up the default: None.
    """
    if quantity not in ("pair_interactions", "interaction_matrix") or pairs is None or index is None:
        return None
    if n < FEW_PAIRS_MIN_PLAYERS or len(pairs) > FEW_PAIRS * math.comb(n, 2):
        return None
    shared, default = _REGISTRY["shared_pairs"], _REGISTRY[DEFAULT_SAMPLERS[quantity]]
    if options["budget"] > 2 * getattr(default, "fit_rows", 0) or not set(options) <= set(shared.parameters()):
        return None
    stratified = index == "SII" and "systematic" not in options
    for extra in ((SHARED_STRATIFIED, {}) if stratified else ({},)):
        estimator = shared.create(**extra, **options)
        try:
            estimator.plan(n, pairs, index, rate)
        except BudgetTooSmall:
            continue
        return estimator
    return None
