"""Explaining a dataset over several processes (torch.distributed), deterministic for a seed.

Run the same script on every rank, e.g. two CPU processes::

    python -m torch.distributed.run --nproc_per_node=2 explain.py     # torchrun

    # explain.py
    import torch.distributed as dist, interplay as ip
    dist.init_process_group("gloo")            # "nccl" on GPUs (after torch.cuda.set_device(local_rank))
    results = ip.explain_dataset(explain, dataset, seed=0)
    if dist.get_rank() == 0:
        ...                                    # results[k] explains dataset[k]

with, e.g., ``explain(x, seed) = ip.shapley_values(ip.ModelGame(model, x, pmap),
method="permutation", budget=4096, seed=seed)`` (a :class:`interplay.Result` per input).

Input k is explained with the seed ``derive_seed(seed, k)`` (:func:`interplay._internal.seeds.derive_seed`)
and, by default, with torch's global RNG seeded from it, so every result depends only on
(seed, k): the same on one process, on two ranks or on eight, whatever the sharding.
"""
from __future__ import annotations

import traceback
from typing import Any, Callable, Optional, Sequence

import torch

from .._internal import checks as _checks
from .._internal.progress import progress_bar
from .._internal.seeds import derive_seed

__all__ = ["derive_seed", "explain_dataset", "shard"]


def _world(group: Any) -> tuple[int, int]:
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(group), dist.get_world_size(group)
    if group is not None:
        raise ValueError("a process group was given but torch.distributed is not initialised")
    return 0, 1


def shard(n_inputs: int, rank: int, world_size: int) -> range:
    """The inputs a rank explains: k = rank, rank + world_size, ... (round robin, so slow and
    fast inputs that sit together in a dataset spread over the ranks)."""
    if not 0 <= rank < world_size:
        raise ValueError(f"rank {rank} is outside a world of {world_size} processes")
    return range(rank, n_inputs, world_size)


def explain_dataset(
    explain_fn: Callable[..., Any],
    inputs: Sequence[Any],
    *,
    seed: int = 0,
    all_ranks: bool = False,
    seed_torch: bool = True,
    group: Any = None,
    progress: Optional[bool] = None,
) -> Optional[list]:
    """Explains every input, sharded over the torch.distributed ranks when a process group is up.

    Args:
        explain_fn: called as ``explain_fn(inputs[k], seed=derive_seed(seed, k))``; returns any
            picklable object (typically an :class:`interplay.Result`).
        inputs: anything with ``len`` and indexing (a list, a tensor, a torch Dataset); each rank
            reads only its own share.
        seed: the run seed.
        all_ranks: False: rank 0 returns the results and the other ranks return None
            (``gather_object``); True: every rank returns them (``all_gather_object``).
        seed_torch: also seed torch's global CPU RNG with the input's seed while explaining it
            (restored afterwards), for explain functions that draw from it.
        group: the process group (default: the whole world). Results travel as pickled objects
            over gloo; for an NCCL group a gloo twin is made, so no GPU memory is used for them.
        progress: a tqdm bar on rank 0 (None: when there are more than 16 inputs on a rank).

    Returns:
        ``[result_0, ..., result_{N-1}]`` in input order (on rank 0, or on every rank with
        ``all_ranks``), None on the other ranks. Without torch.distributed initialised it is a
        plain loop on this process with the same results.

    Raises:
        RuntimeError on every rank when ``explain_fn`` failed on any rank (naming the input and
        rank, with its traceback), so no rank is left waiting.
    """
    if not callable(explain_fn):
        raise TypeError(f"explain_fn must be callable, got {type(explain_fn).__name__}")
    seed = _checks.seed(seed)
    try:
        n = len(inputs)
    except TypeError as e:
        raise TypeError(f"inputs must support len() and indexing, got {type(inputs).__name__}") from e
    rank, world = _world(group)
    mine = shard(n, rank, world)
    show = (progress if progress is not None else len(mine) > 16) and rank == 0
    done: list[tuple[int, Any]] = []
    error: Optional[str] = None
    for k in progress_bar(mine, enabled=show, desc="explaining inputs", unit="input"):
        item_seed = derive_seed(seed, k)
        try:
            if seed_torch:
                with torch.random.fork_rng(devices=[]):
                    torch.manual_seed(item_seed)
                    done.append((k, explain_fn(inputs[k], seed=item_seed)))
            else:
                done.append((k, explain_fn(inputs[k], seed=item_seed)))
        except Exception:
            if world == 1:
                raise
            error = f"explaining input {k} failed on rank {rank}:\n{traceback.format_exc()}"
            break
    if world == 1:
        return [r for _, r in done]

    import torch.distributed as dist

    objects = group
    if dist.get_backend(group) != dist.Backend.GLOO:
        ranks = dist.get_process_group_ranks(group or dist.group.WORLD)
        objects = dist.new_group(ranks=ranks, backend="gloo")
    errors: list[Optional[str]] = [None] * world
    dist.all_gather_object(errors, error, group=objects)
    failed = [e for e in errors if e is not None]
    if failed:
        raise RuntimeError(failed[0])
    if all_ranks:
        parts: Optional[list] = [None] * world
        dist.all_gather_object(parts, done, group=objects)
    else:
        parts = [None] * world if rank == 0 else None
        dst = dist.get_global_rank(objects, 0) if objects is not None else 0
        dist.gather_object(done, parts, dst=dst, group=objects)
        if rank != 0:
            return None
    results: list = [None] * n
    for part in parts:
        for k, r in part:
            results[k] = r
    return results
