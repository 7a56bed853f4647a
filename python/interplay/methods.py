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
from dataclasses import dataclass
from typing import Any, ClassVar, Optional, Union

from . import _checks

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

# The sampler picked by ``budget=`` without ``method=`` when 2^n evaluations do not fit in the budget.
_DEFAULT_SAMPLER: dict[str, str] = {}


def _check_seed(seed: Any) -> int:
    """One rule for every seed of interplay (estimators, ``pair_contexts``, the interaction loss,
    ``explain_dataset``, the CLI): :func:`interplay._checks.seed`."""
    return _checks.seed(seed)


def _check_count(value: Any, what: str, minimum: int = 1) -> int:
    """A count field of an estimator (:func:`interplay._checks.count`: ints, NumPy ints and 0-d
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
    """Base of the sampling estimators: ``budget`` (model evaluations), ``seed``, ``progress``.

    The same seed gives the same coalitions (on CPU and GPU); ``progress`` shows a tqdm bar
    (None: only for long runs).
    """

    budget: int = 4096
    seed: int = 0
    progress: Optional[bool] = None
    # a subclass whose budget may be None (its own parameters then decide the evaluations)
    budget_optional: ClassVar[bool] = False

    def __post_init__(self) -> None:
        if self.budget is not None or not self.budget_optional:
            _set_count(self, "budget")
        object.__setattr__(self, "seed", _check_seed(self.seed))  # a Python int (NumPy ints too)
        if self.progress is not None and not isinstance(self.progress, bool):
            raise TypeError(f"progress must be None or a bool, got {self.progress!r}")


def _check_keywords(cls: type[Estimator], options: dict) -> None:
    valid = cls.parameters()
    unknown = sorted(set(options) - set(valid))
    if unknown:
        takes = ", ".join(valid) if valid else "no keywords"
        raise TypeError(
            f"method {cls.name!r} does not take {', '.join(map(repr, unknown))}; it takes: {takes}"
        )


def registered() -> dict[str, type[Estimator]]:
    """The registered estimators by name."""
    return dict(_REGISTRY)


def default_sampler(quantity: str, name: str) -> None:
    """Names the estimator that ``budget=`` without ``method=`` picks for ``quantity``."""
    _DEFAULT_SAMPLER[quantity] = name


def methods_for(quantity: str) -> list[str]:
    """Names of the registered estimators that compute ``quantity``."""
    return sorted(name for name, cls in _REGISTRY.items() if quantity in cls.computes())


def exact_fits_budget(n_players: int, budget: int) -> bool:
    """Whether ``budget=`` without ``method=`` picks exact: the 2^n table fits in the budget."""
    return n_players <= _checks.MAX_EXACT_PLAYERS and (1 << n_players) <= budget


def resolve(quantity: str, method: Union[None, str, Estimator], options: dict, n_players: int) -> Estimator:
    """The estimator that computes ``quantity`` for a public function's ``method=`` and keywords.

    ``method=None`` with ``budget=B``: exact when 2^n <= B (the 2^n table is all it evaluates),
    else the default sampler of the quantity; ``method=None`` without ``budget``: exact.
    """
    if method is None:
        budget = options.get("budget")
        if budget is None:
            method = "exact"  # no budget: exact, whatever n (too large a game is refused there)
        else:
            _check_count(budget, "budget")
            exact_fits = exact_fits_budget(n_players, budget)
            if exact_fits or quantity not in _DEFAULT_SAMPLER:
                if exact_fits:  # the seed was for the sampler a smaller budget picks (checked all the same)
                    if "seed" in options:
                        _check_seed(options["seed"])
                    options = {k: v for k, v in options.items() if k != "seed"}
                method = "exact"
            else:
                method = _DEFAULT_SAMPLER[quantity]
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
