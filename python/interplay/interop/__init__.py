"""Interoperability with other libraries (each optional, imported lazily)."""
from .shapiq import callable_game, from_shapiq_game, to_shapiq

__all__ = ["callable_game", "from_shapiq_game", "to_shapiq"]
