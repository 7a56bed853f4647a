"""Progress bars for long computations (tqdm), easy to turn off."""
from __future__ import annotations

from typing import Iterable, TypeVar

T = TypeVar("T")


def progress_bar(items: Iterable[T], *, enabled: bool, **kwargs) -> Iterable[T]:
    """Wraps ``items`` in a tqdm bar when ``enabled`` (and tqdm is installed)."""
    if not enabled:
        return items
    try:
        from tqdm.auto import tqdm
    except ImportError:  # pragma: no cover
        return items
    return tqdm(items, leave=False, **kwargs)
