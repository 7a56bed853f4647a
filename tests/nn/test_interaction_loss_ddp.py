"""InteractionLoss under DistributedDataParallel: torchrun, 2 CPU processes, gloo backend."""
import os
import socket
import subprocess
import sys

import pytest
import torch.distributed as dist

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # tests/, where the worker is


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(not dist.is_available() or not dist.is_gloo_available(), reason="needs torch.distributed + gloo")
def test_ddp_two_processes_gloo():
    env = dict(os.environ, OMP_NUM_THREADS="1")
    cmd = [
        sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2", "--nnodes=1",
        f"--master_addr=127.0.0.1", f"--master_port={free_port()}", os.path.join(TESTS, "ddp_loss_worker.py"),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=240, env=env)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "rank 0: ok" in proc.stdout and "rank 1: ok" in proc.stdout
