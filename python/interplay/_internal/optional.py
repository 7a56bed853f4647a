"""Optional dependencies, imported where they are used, with an ImportError that says how to install them."""
from __future__ import annotations

import importlib
from typing import Any


def import_optional(name: str, purpose: str = "this") -> Any:
    """The module ``name``, or an ImportError naming the pip package that provides it."""
    try:
        return importlib.import_module(name)
    except ImportError:
        raise ImportError(f"{purpose} needs {name}, an optional dependency of interplay: pip install {name}") from None
