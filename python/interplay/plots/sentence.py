"""A sentence with its coalitions, once per partition (multivariate paper Figs. 5-6, as a picture;
the terminal / HTML display lives in :mod:`interplay.results.display`)."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Mapping, Optional, Sequence, Union

from ._common import BLOCK_COLOURS, _finish, _new_figure

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def coalition_sentence(
    words: Sequence[str],
    partitions: Mapping[str, Sequence[Sequence[int]]],
    *,
    title: Optional[str] = None,
    ax: Optional["Axes"] = None,
    save: Optional[Union[str, os.PathLike]] = None,
) -> "Figure":
    """The sentence once per partition (e.g. ``{"max": ..., "min": ...}``), each coalition of A in its
    own colour and the words outside A in grey (multivariate paper Figs. 5-6, as a picture).

    ``partitions``: name -> list of blocks, each block a sequence of word indices.
    """
    words = [str(w) for w in words]
    if not partitions:
        raise ValueError("coalition_sentence needs at least one partition")
    colour_of: list[dict[int, str]] = []
    for name, partition in partitions.items():
        colours: dict[int, str] = {}
        for b, block in enumerate(partition):
            for k in block:
                k = int(k)
                if not 0 <= k < len(words):
                    raise ValueError(f"partition {name!r} has word index {k} outside the {len(words)} words")
                if k in colours:
                    raise ValueError(f"partition {name!r} has word {k} in two blocks")
                colours[k] = BLOCK_COLOURS[b % len(BLOCK_COLOURS)]
        colour_of.append(colours)
    rows = len(partitions)
    label_width = max(len(str(name)) for name in partitions) + 2
    chars = sum(len(w) + 2 for w in words) + label_width
    fig, ax = _new_figure(ax, (max(3.0, 0.085 * chars + 0.4), 0.45 * rows + 0.5))
    for r, (name, colours) in enumerate(zip(partitions, colour_of)):
        y = 1 - (r + 0.5) / rows
        previous = ax.text(0.0, y, f"{name}:".ljust(label_width), family="monospace", fontsize=10,
                           va="center", ha="left",
                           weight="bold", transform=ax.transAxes)
        for k, word in enumerate(words):
            colour = colours.get(k)
            box = dict(boxstyle="round,pad=0.2", facecolor=colour, edgecolor="none") if colour else None
            # each word starts a few points right of the previous one's right edge
            previous = ax.annotate(word, xy=(1, 0.5), xycoords=previous, xytext=(8 if k == 0 else 5, 0),
                                   textcoords="offset points", family="monospace", fontsize=10, va="center",
                                   ha="left", color="white" if colour else "#777777", bbox=box)
    ax.axis("off")
    if title:
        ax.set_title(title)
    return _finish(fig, save, {"colours": colour_of})
