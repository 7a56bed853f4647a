"""Player maps: which player each input element (or activation unit) belongs to.

A player map is an int64 tensor with one entry per element: the player index, or -1 for an
element that is always present. ``interplay.ModelGame`` broadcasts a map to the input's shape
(right-aligned like torch broadcasting, e.g. an ``[H, W]`` grid over ``[C, H, W]`` images, or
left-aligned, e.g. a ``[T]`` token map over ``[T, E]`` embeddings).
"""
from __future__ import annotations

from typing import Iterable, Optional, Sequence

import torch

from .._internal import checks as _checks


def _cells(cells: Sequence[int]) -> tuple[int, int]:
    """(rows, cols) of a grid: two positive integers."""
    if isinstance(cells, (str, bytes)) or not isinstance(cells, Iterable):
        raise ValueError(f"cells must be (rows, cols), two positive integers, got {cells!r}")
    items = list(cells)  # once: a generator is consumed by reading it
    if len(items) != 2:
        raise ValueError(f"cells must be (rows, cols), two positive integers, got {tuple(items)!r}")
    rows, cols = (_checks.count(c, "cells (rows, cols): each") for c in items)
    return rows, cols


def grid(x_shape: Sequence[int], cells: Sequence[int] = (16, 16)) -> torch.Tensor:
    """Image cells as players (the papers' 16×16 grids), a map of shape ``x_shape``.

    The last two dimensions (H, W) are cut into ``cells = (rows, cols)`` near-equal blocks; cell
    (r, c) is player ``r * cols + c`` for every leading (channel) index.
    """
    shape = tuple(int(s) for s in x_shape)
    if len(shape) < 2:
        raise ValueError(f"a grid needs an input with at least 2 dimensions (H, W), got shape {list(shape)}")
    rows, cols = _cells(cells)
    h, w = shape[-2:]
    if not (1 <= rows <= h and 1 <= cols <= w):
        raise ValueError(f"cells {tuple(cells)} must lie in 1..{h} x 1..{w} for an input of height {h}, width {w}")
    r = torch.arange(h) * rows // h
    c = torch.arange(w) * cols // w
    cell = r[:, None] * cols + c[None, :]
    return cell.expand(shape).contiguous()


def neighbours(cells: Sequence[int], diagonal: bool = False) -> torch.Tensor:
    """All pairs of adjacent cells of a ``rows x cols`` grid (players numbered row-major), ``[P, 2]``.

    Horizontal and vertical neighbours (and diagonal ones when ``diagonal``); each pair once, i < j.
    """
    rows, cols = _cells(cells)
    idx = torch.arange(rows * cols).view(rows, cols)
    parts = [torch.stack([idx[:, :-1].flatten(), idx[:, 1:].flatten()], 1),
             torch.stack([idx[:-1, :].flatten(), idx[1:, :].flatten()], 1)]
    if diagonal:
        parts += [torch.stack([idx[:-1, :-1].flatten(), idx[1:, 1:].flatten()], 1),
                  torch.stack([idx[:-1, 1:].flatten(), idx[1:, :-1].flatten()], 1)]
    pairs = torch.cat(parts)
    pairs = torch.stack([pairs.min(1).values, pairs.max(1).values], 1)
    return pairs[torch.argsort(pairs[:, 0] * rows * cols + pairs[:, 1])]


def tokens(n_tokens: int, always_present: Iterable[int] = ()) -> torch.Tensor:
    """Each token position its own player; positions in ``always_present`` (e.g. [CLS]) map to -1.

    Players are numbered 0.. over the remaining positions in order.
    """
    keep = torch.ones(n_tokens, dtype=torch.bool)
    for p in always_present:
        keep[int(p)] = False
    out = torch.full((n_tokens,), -1, dtype=torch.int64)
    out[keep] = torch.arange(int(keep.sum()))
    return out


def words(word_ids: Sequence[Optional[int]]) -> torch.Tensor:
    """Several sub-word tokens form one word-player: ``word_ids[t]`` is the word of token t.

    ``None`` or a negative id (special tokens) means always present. Words are renumbered
    0..W-1 in order of first appearance (e.g. ``encoding.word_ids()`` of a HF tokenizer).
    """
    ids = [-1 if w is None or int(w) < 0 else int(w) for w in word_ids]
    order: dict[int, int] = {}
    for w in ids:
        if w >= 0 and w not in order:
            order[w] = len(order)
    return torch.tensor([order[w] if w >= 0 else -1 for w in ids], dtype=torch.int64)


def columns(n_features: int) -> torch.Tensor:
    """Tabular inputs: feature column f is player f (a ``[n_features]`` map over the last dimension)."""
    if n_features < 1:
        raise ValueError(f"n_features must be positive, got {n_features}")
    return torch.arange(int(n_features))


def from_map(player_map) -> torch.Tensor:
    """Any integer map (elements → players, -1 = always present) as a checked int64 tensor."""
    m = torch.as_tensor(player_map)
    if m.is_floating_point() or m.dtype == torch.bool:
        raise ValueError(f"a player map must hold integers, got dtype {m.dtype}")
    m = m.to(torch.int64)
    if m.numel() and int(m.min()) < -1:
        raise ValueError(f"player indices must be >= -1 (-1 = always present), got {int(m.min())}")
    return m


def reference_mean(batch: torch.Tensor) -> torch.Tensor:
    """The baseline of the papers: the mean over a reference batch ``[N, ...]`` (e.g. the average pixel)."""
    batch = torch.as_tensor(batch)
    if batch.dim() < 1 or batch.shape[0] < 1:
        raise ValueError("a reference batch needs a leading batch dimension with at least one example")
    return batch.float().mean(0) if not batch.is_floating_point() else batch.mean(0)


def expand_map(player_map: torch.Tensor, shape: Sequence[int]) -> torch.Tensor:
    """Broadcasts a player map to ``shape``: equal, right-aligned (torch rules) or left-aligned."""
    shape = torch.Size(shape)
    m = from_map(player_map)
    if m.shape == shape:
        return m.contiguous()
    k = m.dim()
    if k <= len(shape) and all(a in (1, b) for a, b in zip(m.shape, shape[len(shape) - k:])):
        return m.expand(shape).contiguous()
    if k <= len(shape) and tuple(m.shape) == tuple(shape[:k]):
        return m.reshape(tuple(m.shape) + (1,) * (len(shape) - k)).expand(shape).contiguous()
    raise ValueError(f"the player map of shape {list(m.shape)} does not fit the input of shape {list(shape)} "
                     "(it must be equal, right-aligned broadcastable, or a leading prefix)")
