"""The ``method=`` section of every public function's docstring, written from the live registry (so
``help(ip.shapley_values)`` names exactly the estimators that compute it and the default)."""
from __future__ import annotations

import textwrap
from typing import Callable

from ..methods import DEFAULT_SAMPLERS, methods_for

# the quantity each public function computes (the estimator method it calls)
QUANTITY_OF = {
    "shapley_values": "shapley_values", "banzhaf_values": "banzhaf_values", "harsanyi_dividends": "harsanyi_dividends",
    "pair_interactions": "pair_interactions", "shapley_interaction": "pair_interactions",
    "banzhaf_interaction": "pair_interactions", "shapley_interaction_matrix": "interaction_matrix",
    "banzhaf_interaction_matrix": "interaction_matrix", "multi_order_interaction": "multi_order_interaction",
    "marginal_rewards": "marginal_rewards", "average_marginal_rewards": "average_marginal_rewards",
    "coalition_shapley": "coalition_shapley", "multivariate_interaction": "multivariate_interaction",
    "elementary_interaction": "elementary_interaction", "interaction_significance": "interaction_significance",
    "interaction_values": "interaction_values",
}

MARKER = "\n\n    Methods ("

KEYWORDS = """
    Keywords of every method:
        method    an estimator object (``ip.Permutation(budget=2048)``) or its registered name; None:
                  exact, or with ``budget=`` the default sampler where the 2^n rows do not fit in it
        budget    the most rows sent to the game (model evaluations); ``result.evaluations`` counts
                  the rows really evaluated
        seed      the sampler's seed, any int in [0, 2^64): the same seed draws the same coalitions
        progress  progress bars (None: for long runs only)
        exact_when_covered  a sampler whose budget covers all 2^n coalitions returns the exact values
                  (default True)
    and the chosen estimator's own parameters (``ip.GaussianProcess.parameters()``, its docstring);
    a keyword it does not take is a TypeError listing those it takes. How each estimator works:
    docs/ESTIMATORS.md; their accuracy and cost: benchmarks/RESULTS.md."""


def method_section(quantity: str) -> str:
    """The docstring section of a function computing ``quantity``."""
    names = methods_for(quantity)
    default = DEFAULT_SAMPLERS.get(quantity)
    exact = "``exact`` (the default without ``budget=``)" if default else "``exact`` only"
    listed = ", ".join([exact] + [f"``{n}``" + (" (the default with ``budget=``)" if n == default else "")
                                  for n in names if n != "exact"])
    text = textwrap.fill(f"{MARKER.strip()}``method=``): {listed}.", width=100, initial_indent="    ",
                         subsequent_indent="    ")
    return f"\n\n{text}\n{KEYWORDS}\n"


def document_methods(functions: dict[str, Callable]) -> None:
    """Appends (or refreshes) the method section of each public function's docstring."""
    for name, quantity in QUANTITY_OF.items():
        fn = functions[name]
        doc = (fn.__doc__ or "").split(MARKER)[0].rstrip()
        fn.__doc__ = doc + method_section(quantity)
