"""Loads the compiled extension; every ``torch.ops.interplay`` operator is reached through here.

The op surface (csrc/ops, in the style of pytorch/extension-cpp): enums cross the schemas as ``str``
(``index`` "shapley" | "banzhaf", ``family`` "contiguous" | "all", design ``kind`` "permutation" |
"pairs" | "shared_pairs", ``law`` "size" | "rate"), validated once in C++; player sets
are int64 tensors of packed words ``[B, ceil(n/64)]`` (one set: ``[ceil(n/64)]``), bit p = player p;
seeds are any int in [0, 2^64), passed through :func:`interplay._internal.seeds.signed64`. Every op has a fake (meta) kernel,
registered here (the interaction-loss ops in ``interplay.nn._ops``).
"""
from __future__ import annotations

import functools
import math
from typing import Any, Callable, Iterable

import torch

from .. import _C  # noqa: F401  (importing registers the operators)
from .seeds import signed64

ops = torch.ops.interplay
WITH_CUDA: bool = bool(getattr(_C, "with_cuda", False))


def player_set(players: Iterable[int], n: int) -> torch.Tensor:
    """One packed player set ``[ceil(n/64)]`` (int64 words, bit p = player p) from a list of players."""
    words = [0] * ((n + 63) // 64)
    for p in players:
        words[int(p) // 64] |= 1 << (int(p) % 64)
    return torch.tensor([signed64(w) for w in words], dtype=torch.int64)


# ---------------------------------------------------------------- fake (meta) implementations


def _is_fake(t: torch.Tensor) -> bool:
    return type(t).__name__ == "FakeTensor"


def fake(name: str, *, reads_data: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Registers the fake (meta) kernel of ``interplay::name``, refusing tensors on different devices.

    A meta tensor among CPU ones sends a call to the fake kernel (the Meta dispatch key): unchecked, it
    would return an uninitialised CPU tensor (silently wrong), so mixed devices are refused as the real
    kernels refuse them. ``reads_data``: the op's output shape or device depends on its tensors' data
    (the design plans, always built on the CPU), so real meta tensors, which hold none, are refused.
    """

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def checked(*args: Any, **kwargs: Any) -> Any:
            tensors = [a for a in (*args, *kwargs.values()) if isinstance(a, torch.Tensor)]
            devices = {t.device for t in tensors}
            if len(devices) > 1:
                raise ValueError(f"interplay.{name}: all tensors must be on one device, "
                                 f"got {sorted(map(str, devices))}")
            if reads_data and any(t.device.type == "meta" and not _is_fake(t) for t in tensors):
                raise ValueError(f"interplay.{name}: builds its plan from the data of its tensors; "
                                 "a meta tensor has none")
            return fn(*args, **kwargs)

        torch.library.register_fake(f"interplay::{name}")(checked)
        return fn

    return register


def _players(values: torch.Tensor) -> int:
    """n of a game table of 2^n values."""
    return max(int(values.shape[0]).bit_length() - 1, 0)


@fake("harsanyi_dividends")
def _harsanyi_fake(values):
    return torch.empty_like(values)


@fake("player_values")
def _player_values_fake(values, index):
    return values.new_empty((_players(values),))


@fake("pair_interaction_matrix")
def _pair_matrix_fake(values, index):
    n = _players(values)
    return values.new_empty((n, n))


@fake("pair_interaction")
def _pair_fake(values, i, j, index):
    return values.new_empty(())


@fake("multi_order_interaction")
def _multi_order_fake(values, i, j):
    n = _players(values)
    return values.new_empty((n - 1,)), values.new_empty((n - 1,)), values.new_empty((2 ** max(n - 2, 0),))


@fake("coalition_shapley")
def _coalition_shapley_fake(values, coalitions, absent):
    return values.new_empty((coalitions.shape[0],))


@fake("multivariate_interaction")
def _multivariate_fake(values, players):
    return values.new_empty((players.shape[0],))


@fake("elementary_interaction")
def _elementary_fake(values, players, subsets):
    return values.new_empty((players.shape[0],))


@fake("interaction_values")
def _interaction_values_fake(values, weights):
    n, order = _players(values), weights.shape[1] - 1
    return values.new_empty((sum(math.comb(n, t) for t in range(order + 1)),))


@fake("low_order_values")
def _low_order_values_fake(values, weights):
    return _interaction_values_fake(values, weights)


@fake("block_values")
def _block_values_fake(values, players):
    return values.new_empty((2 ** len(players),))


@fake("significance_from_blocks")
def _significance_fake(block_values, family):
    m = _players(block_values)
    return (block_values.new_empty((5,)), block_values.new_empty((m,), dtype=torch.int64),
            block_values.new_empty((m,), dtype=torch.int64))


@fake("masked_inputs")
def _masked_inputs_fake(x, baseline, player_map, masks):
    return x.new_empty((masks.shape[0], x.numel()))


@fake("design_sizes", reads_data=True)
def _design_sizes_fake(kind, n, seed, sample0, count, **kwargs):
    return torch.empty((count, 3), dtype=torch.int64)


@fake("design_plan", reads_data=True)
def _design_plan_fake(kind, n, seed, sample0, count, **kwargs):
    # rows per sample depend on the players in the pairs (shared_pairs): sizes unknown until run
    ctx = torch.library.get_ctx()
    rows, entries, runs = ctx.new_dynamic_size(), ctx.new_dynamic_size(), ctx.new_dynamic_size()
    long = dict(dtype=torch.int64)
    return (torch.empty((rows, (n + 63) // 64), **long), torch.empty((entries,), **long),
            torch.empty((entries,), dtype=torch.float64), torch.empty((runs,), **long), torch.empty((runs,), **long))


@fake("delta_reduce")
def _delta_reduce_fake(values, entry_output, entry_weight, run_estimate, run_end, sums, sumsq):
    return None


@fake("combinations")
def _combinations_fake(like, n, t, rank0, count):
    return like.new_empty((count, (n + 63) // 64), dtype=torch.int64)


@fake("walsh_kernel")
def _walsh_kernel_fake(a, b, table):
    return table.new_empty((a.shape[0], b.shape[0]))


@fake("walsh_kernel_product")
def _walsh_kernel_product_fake(a, b, table, weights):
    return table.new_empty((a.shape[0],))


@fake("mv_sample_partitions")
def _mv_partitions_fake(p, count, seed, stream):
    return p.new_empty((count, p.shape[0]), dtype=torch.bool)


@fake("mv_sample_contexts")
def _mv_contexts_fake(rest, n, count, stratified, seed, stream):
    return rest.new_empty((count, (n + 63) // 64), dtype=torch.int64)
