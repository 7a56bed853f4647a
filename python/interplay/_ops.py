"""Loads the compiled extension; every ``torch.ops.interplay`` operator is reached through here.

The op surface (csrc/ops, in the style of pytorch/extension-cpp): enums cross the schemas as ``str``
(``index`` "shapley" | "banzhaf", ``family`` "contiguous" | "all", design ``kind`` "permutation" |
"pairs" | "shared_pairs", ``law`` "size" | "rate"), validated once in C++; player sets
are int64 tensors of packed words ``[B, ceil(n/64)]`` (one set: ``[ceil(n/64)]``), bit p = player p;
seeds are any int in [0, 2^64), passed through :func:`interplay._seeds.signed64`. Every op has a fake (meta) kernel,
registered here (the interaction-loss ops in ``interplay.nn._ops``).
"""
from __future__ import annotations

import math
from typing import Iterable

import torch

from . import _C  # noqa: F401  (importing registers the operators)
from ._seeds import signed64

ops = torch.ops.interplay
WITH_CUDA: bool = bool(getattr(_C, "with_cuda", False))


def player_set(players: Iterable[int], n: int) -> torch.Tensor:
    """One packed player set ``[ceil(n/64)]`` (int64 words, bit p = player p) from a list of players."""
    words = [0] * ((n + 63) // 64)
    for p in players:
        words[int(p) // 64] |= 1 << (int(p) % 64)
    return torch.tensor([signed64(w) for w in words], dtype=torch.int64)


# ---------------------------------------------------------------- fake (meta) implementations


def _players(values: torch.Tensor) -> int:
    """n of a game table of 2^n values."""
    return max(int(values.shape[0]).bit_length() - 1, 0)


@torch.library.register_fake("interplay::harsanyi_dividends")
def _harsanyi_fake(values):
    return torch.empty_like(values)


@torch.library.register_fake("interplay::player_values")
def _player_values_fake(values, index):
    return values.new_empty((_players(values),))


@torch.library.register_fake("interplay::pair_interaction_matrix")
def _pair_matrix_fake(values, index):
    n = _players(values)
    return values.new_empty((n, n))


@torch.library.register_fake("interplay::pair_interaction")
def _pair_fake(values, i, j, index):
    return values.new_empty(())


@torch.library.register_fake("interplay::multi_order_interaction")
def _multi_order_fake(values, i, j):
    n = _players(values)
    return values.new_empty((n - 1,)), values.new_empty((n - 1,)), values.new_empty((2 ** max(n - 2, 0),))


@torch.library.register_fake("interplay::coalition_shapley")
def _coalition_shapley_fake(values, coalitions, absent):
    return values.new_empty((coalitions.shape[0],))


@torch.library.register_fake("interplay::multivariate_interaction")
def _multivariate_fake(values, players):
    return values.new_empty((players.shape[0],))


@torch.library.register_fake("interplay::elementary_interaction")
def _elementary_fake(values, players, subsets):
    return values.new_empty((players.shape[0],))


@torch.library.register_fake("interplay::interaction_values")
def _interaction_values_fake(values, weights):
    if values.device != weights.device:
        raise ValueError(f"interplay.interaction_values: values on {values.device}, weights on {weights.device}")
    n, order = _players(values), weights.shape[1] - 1
    return values.new_empty((sum(math.comb(n, t) for t in range(order + 1)),))


@torch.library.register_fake("interplay::low_order_values")
def _low_order_values_fake(values, weights):
    return _interaction_values_fake(values, weights)


@torch.library.register_fake("interplay::block_values")
def _block_values_fake(values, players):
    return values.new_empty((2 ** len(players),))


@torch.library.register_fake("interplay::significance_from_blocks")
def _significance_fake(block_values, family):
    m = _players(block_values)
    return (block_values.new_empty((5,)), block_values.new_empty((m,), dtype=torch.int64),
            block_values.new_empty((m,), dtype=torch.int64))


@torch.library.register_fake("interplay::masked_inputs")
def _masked_inputs_fake(x, baseline, player_map, masks):
    return x.new_empty((masks.shape[0], x.numel()))


@torch.library.register_fake("interplay::design_sizes")
def _design_sizes_fake(kind, n, seed, sample0, count, **kwargs):
    return torch.empty((count, 3), dtype=torch.int64)


@torch.library.register_fake("interplay::design_plan")
def _design_plan_fake(kind, n, seed, sample0, count, **kwargs):
    # rows per sample depend on the players in the pairs (shared_pairs): sizes unknown until run
    ctx = torch.library.get_ctx()
    rows, entries, runs = ctx.new_dynamic_size(), ctx.new_dynamic_size(), ctx.new_dynamic_size()
    long = dict(dtype=torch.int64)
    return (torch.empty((rows, (n + 63) // 64), **long), torch.empty((entries,), **long),
            torch.empty((entries,), dtype=torch.float64), torch.empty((runs,), **long), torch.empty((runs,), **long))


@torch.library.register_fake("interplay::delta_reduce")
def _delta_reduce_fake(values, entry_output, entry_weight, run_estimate, run_end, sums, sumsq):
    return None


@torch.library.register_fake("interplay::combinations")
def _combinations_fake(like, n, t, rank0, count):
    return like.new_empty((count, (n + 63) // 64), dtype=torch.int64)


@torch.library.register_fake("interplay::mv_sample_partitions")
def _mv_partitions_fake(p, count, seed, stream):
    return p.new_empty((count, p.shape[0]), dtype=torch.bool)


@torch.library.register_fake("interplay::mv_sample_contexts")
def _mv_contexts_fake(rest, n, count, stratified, seed, stream):
    return rest.new_empty((count, math.ceil(n / 64)), dtype=torch.int64)
