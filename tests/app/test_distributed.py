"""Sharded explanation: two local CPU processes (torchrun, gloo) give exactly the single-process results."""
import os
import pickle
import socket
import subprocess
import sys

import pytest
import torch

import dist_worker
import interplay as ip
from interplay.app.distributed import derive_seed, shard

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # tests/, where the worker is
ROOT = os.path.dirname(HERE)
# derive_seed(5, k), k = 0, 1, 2, as the pre-redesign distributed.derive_seed gave them
PINNED = [9037441473335959834, 8123850007721853293, 1305884440517037315]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assert_same_results(got, want):
    assert len(got) == len(want)
    for a, b in zip(got, want):
        assert type(a) is ip.Result and a.index == "SV"
        assert torch.equal(a.values, b.values) and torch.equal(a.stderr, b.stderr)
        assert (a.method, a.evaluations, a.estimator) == (b.method, b.evaluations, b.estimator)


def test_seeds_depend_only_on_run_seed_and_index():
    seeds = [derive_seed(5, k) for k in range(100)]
    assert len(set(seeds)) == 100 and all(0 <= s < 2**63 for s in seeds)
    assert seeds == [derive_seed(5, k) for k in range(100)]
    assert seeds != [derive_seed(6, k) for k in range(100)]
    with pytest.raises(ValueError):
        derive_seed(0, -1)
    with pytest.raises(TypeError):
        derive_seed(0, 1.0)


def test_one_derive_seed_with_pinned_values():
    """explain_dataset's seeds come from the one SplitMix64 (interplay._internal.seeds); its values are pinned."""
    from interplay._internal import seeds as _seeds

    assert derive_seed is _seeds.derive_seed
    assert [derive_seed(5, k) for k in range(3)] == PINNED
    assert derive_seed(-1, 7) == derive_seed(2**64 - 1, 7)  # the run seed's low 64 bits
    assert _seeds.splitmix64(0) == 0xE220A8397B1DCDAF  # the reference SplitMix64 output for state 0
    assert _seeds.signed64(2**63) == -2**63 and _seeds.signed64(-1) == -1 and _seeds.signed64(2**64 + 5) == 5


def test_explain_dataset_takes_no_unknown_keywords():
    with pytest.raises(TypeError, match="samples"):
        ip.explain_dataset(dist_worker.explain, dist_worker.dataset(), seed=5, samples=3)


def test_shards_cover_every_input_once():
    for world in (1, 2, 3, 8):
        covered = sorted(k for r in range(world) for k in shard(10, r, world))
        assert covered == list(range(10))


def test_single_process_is_a_seeded_loop():
    data = dist_worker.dataset()
    results = ip.explain_dataset(dist_worker.explain, data, seed=5)
    assert [r.estimator.seed for r in results] == [derive_seed(5, k) for k in range(len(data))]
    assert all(r.method == "permutation" and 0 < r.evaluations <= dist_worker.BUDGET for r in results)
    assert_same_results(ip.explain_dataset(dist_worker.explain, data, seed=5), results)
    # the seed matters, and torch's global RNG is left as it was
    state = torch.get_rng_state()
    other = ip.explain_dataset(dist_worker.explain, data, seed=6)
    assert torch.equal(torch.get_rng_state(), state)
    assert not torch.equal(other[0].values, results[0].values)
    with pytest.raises(ZeroDivisionError):
        ip.explain_dataset(lambda x, seed: 1 / 0, [1, 2])


@pytest.mark.skipif(not torch.distributed.is_available(), reason="torch.distributed is not available")
def test_two_cpu_ranks_match_one_process(tmp_path):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.path.join(ROOT, "python"), HERE]),
               OMP_NUM_THREADS="1", GLOO_SOCKET_IFNAME="lo")
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nnodes=1", "--nproc_per_node=2",
           "--master_addr=127.0.0.1", f"--master_port={free_port()}",
           os.path.join(HERE, "dist_worker.py"), str(tmp_path)]
    run = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    outputs = []
    for r in range(2):
        with open(tmp_path / f"rank{r}.pkl", "rb") as f:
            outputs.append(pickle.load(f))
    assert [o["world"] for o in outputs] == [2, 2]
    want = ip.explain_dataset(dist_worker.explain, dist_worker.dataset(), seed=5)
    assert_same_results(outputs[0]["to_rank0"], want)
    assert outputs[1]["to_rank0"] is None
    assert_same_results(outputs[0]["to_all"], want)
    assert_same_results(outputs[1]["to_all"], want)
    for o in outputs:
        assert "explaining input 3 failed on rank 1" in o["failure"]
        assert "input three is broken" in o["failure"]
