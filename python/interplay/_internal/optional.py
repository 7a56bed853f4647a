"""Optional dependencies, imported where they are used, with an ImportError that says how to install them."""
from __future__ import annotations

import importlib
from typing import Any, Optional


def import_optional(name: str, purpose: str = "this", package: Optional[str] = None) -> Any:
    """The module ``name``, or an ImportError naming the pip ``package`` that provides it (default:
    the module's top-level name)."""
    package = package or name.split(".")[0]
    try:
        return importlib.import_module(name)
    except ImportError as e:
        raise ImportError(f"{purpose} needs {package}, an optional dependency of interplay: pip install {package} "
                          f"({e})") from None
