"""Worker for tests/app/test_distributed.py: run under torchrun; explains a small dataset on every rank.

Usage: python -m torch.distributed.run --nproc_per_node=2 tests/dist_worker.py OUT_DIR
Each rank writes OUT_DIR/rank<r>.pkl with what explain_dataset returned (to rank 0 / to all ranks).
"""
import dataclasses
import os
import pickle
import sys

import torch
import torch.distributed as dist

import interplay as ip

N_PLAYERS = 6
BUDGET = 100


def dataset():
    """Nine inputs (an odd count, so the two ranks get unequal shares): weights of a small game."""
    return torch.randn(9, N_PLAYERS, generator=torch.Generator().manual_seed(123), dtype=torch.float64)


def explain(x, seed):
    """Permutation-sampled Shapley values of v(S) = (sum_{k in S} x_k)^2 (an interplay.Result), plus
    global-RNG noise (so the test sees explain_dataset seed torch's global RNG per input)."""
    def fn(S):
        return (S.double() @ x) ** 2

    # 2^6 <= BUDGET: exact_when_covered=False, so that the seed drives the permutations on every rank
    result = ip.shapley_values(ip.Game(fn, N_PLAYERS), method="permutation", budget=BUDGET, seed=seed,
                               exact_when_covered=False)
    noise = 1e-3 * torch.randn(N_PLAYERS, dtype=torch.float64)  # global RNG on purpose
    return dataclasses.replace(result, values=result.values + noise)


def failing(x, seed):
    if seed == ip.app.distributed.derive_seed(5, 3):
        raise KeyError("input three is broken")
    return seed


def main(out):
    dist.init_process_group("gloo")
    rank = dist.get_rank()
    to_rank0 = ip.explain_dataset(explain, dataset(), seed=5)
    to_all = ip.explain_dataset(explain, dataset(), seed=5, all_ranks=True)
    try:  # input 3 (on rank 1) fails: every rank must hear of it instead of waiting
        ip.explain_dataset(failing, dataset(), seed=5)
        failure = None
    except RuntimeError as e:
        failure = str(e)
    with open(os.path.join(out, f"rank{rank}.pkl"), "wb") as f:
        pickle.dump({"world": dist.get_world_size(), "to_rank0": to_rank0, "to_all": to_all,
                     "failure": failure}, f)
    dist.destroy_process_group()


if __name__ == "__main__":
    main(sys.argv[1])
