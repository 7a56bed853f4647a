"""Estimators as values (:class:`Estimator`): the sampling estimators over the engine, their
registry and the rule that resolves a public function's ``method=`` and keywords."""
from .base import Estimator, Sampler, methods_for, registered, resolve

__all__ = ["Estimator", "Sampler", "methods_for", "registered", "resolve"]
