"""The registry that maps (quantity, method) to an estimator.

Public functions compute ``method="exact"`` themselves from the game's table and hand
every other method to the estimator registered here, so sampling and learned
estimators live in their own modules and register with ``@estimator(quantity, method)``.
"""
from __future__ import annotations

from typing import Any, Callable

_REGISTRY: dict[tuple[str, str], Callable[..., Any]] = {}


def estimator(quantity: str, method: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Registers ``fn`` as the ``method`` estimator of ``quantity``."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        _REGISTRY[(quantity, method)] = fn
        return fn

    return register


def available(quantity: str) -> list[str]:
    """The methods that can compute ``quantity``."""
    return ["exact"] + sorted(m for q, m in _REGISTRY if q == quantity)


def run(quantity: str, method: str, *args: Any, **kwargs: Any) -> Any:
    """Calls the estimator registered for (quantity, method), or explains what exists."""
    fn = _REGISTRY.get((quantity, method))
    if fn is None:
        raise ValueError(f"unknown method {method!r} for {quantity}; available: {available(quantity)}")
    return fn(*args, **kwargs)
