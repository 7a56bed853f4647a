"""Pictures of interactions (matplotlib), the way the papers show them.

Every plot function draws on a ``matplotlib.figure.Figure`` made without pyplot, so it works
under any backend (Agg on a server, inline in a notebook) and leaves no global figure state.
Each returns the figure (the one of ``ax=`` when given), writes a PNG when ``save=path``, and
attaches the numbers it drew as ``fig.interplay_data`` (a dict of tensors / lists) so that
callers and tests can check them. The arithmetic behind the pictures lives in pure
functions (:func:`grid_strength`, :func:`context_weights`, :func:`order_strength`) that need no
matplotlib. Nothing here evaluates a game: the numbers come from :mod:`interplay.indices`,
:func:`interplay.exact.pair_contexts` (the contexts of a pair, for :func:`context_map`) and
:func:`interplay.estimators.instability` (for :func:`instability_curve`).

matplotlib is imported only inside the functions that draw: ``import interplay`` stays light.

Grid cells are players in row-major order: cell (r, c) of an h x w grid is player r * w + c.

Colours: every heatmap is opaque (a picture of the input goes into its own panel, never under the
values), so each cell shows a colour of its colour bar. One map per quantity, everywhere (the demo,
``python -m interplay image``, ``Result.plot()``): signed values (φ, I) on :data:`DIVERGING`
with limits symmetric about 0, magnitudes |I| on :data:`MAGNITUDE` from 0, shares of contexts on
:data:`SHARE`; NaN (not estimated) in :data:`MISSING_COLOUR`, hatched, with a note under the bar.
Edges are red (> 0) or blue (< 0), their widths given by a legend of three reference |I|.

What lives where (every name is importable from ``interplay.plots``):

  :mod:`._common`   argument handling, figures, drawing helpers, edge colours and widths (POSITIVE, ...)
  :mod:`._scales`   one colour map per quantity, opaque heatmaps, colour bars, NaN cells (hatched grey)
  :mod:`.grid`      :func:`grid_strength`, :func:`grid_interaction_strength`   dropout paper Fig. 1
  :mod:`.contexts`  :func:`context_weights`, :func:`context_map`              multivariate paper Fig. 2
  :mod:`.matrices`  :func:`player_values`, :func:`interaction_matrix`, :func:`interaction_network`
  :mod:`.image`     :func:`image_values`, :func:`image_interactions`,
                    :func:`is_picture`                     dropout paper Eqs. 1-2 (python -m interplay image)
  :mod:`.curves`    :func:`grouped_bars` (multivariate Table 1), :func:`order_curve` (dropout Fig. 2),
                    :func:`partition_trajectory` (multivariate Fig. 3),
                    :func:`instability_curve` (multivariate Fig. 4b)
  :mod:`.sentence`  :func:`coalition_sentence`                                 multivariate paper Figs. 5-6
  :mod:`.results`   :func:`plot_result` (``Result.plot()``), thumbnails for HTML
"""
from __future__ import annotations

from ._common import BLOCK_COLOURS, NEGATIVE, POSITIVE
from ._scales import DIVERGING, MAGNITUDE, MISSING_COLOUR, SHARE
from .contexts import context_map, context_weights
from .curves import grouped_bars, instability_curve, order_curve, order_strength, partition_trajectory
from .grid import grid_interaction_strength, grid_strength
from .image import image_interactions, image_values, is_picture
from .matrices import interaction_matrix, interaction_network, player_values
from .results import plot_result, thumbnail_html, thumbnail_png
from .sentence import coalition_sentence

__all__ = [
    "BLOCK_COLOURS", "DIVERGING", "MAGNITUDE", "MISSING_COLOUR", "NEGATIVE", "POSITIVE", "SHARE",
    "grid_strength", "grid_interaction_strength",
    "context_weights", "context_map",
    "player_values", "interaction_matrix", "interaction_network",
    "is_picture", "image_values", "image_interactions",
    "grouped_bars",
    "order_strength", "order_curve", "partition_trajectory", "instability_curve",
    "coalition_sentence",
    "plot_result", "thumbnail_png", "thumbnail_html",
]
