"""CUDA == CPU for the engine kernels with the same seed (run on a GPU machine).

    python tests/gpu_check.py          # or: python -m pytest tests/gpu_check.py

Not collected by the default test run (the file name does not start with test_); every check
skips where CUDA is unavailable or the extension was built without its CUDA kernels.
"""
import os
import sys

import pytest
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "python"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import interplay as ip  # noqa: E402
from interplay.engine import pack  # noqa: E402

ops = torch.ops.interplay
pytestmark = pytest.mark.skipif(not (torch.cuda.is_available() and ip.WITH_CUDA),
                                reason="needs CUDA and an extension built with its CUDA kernels")
CUDA = "cuda"


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.int64])
@pytest.mark.parametrize("shape,n,b", [((3, 32, 32), 256, 64), ((17,), 5, 3), ((4, 9), 130, 40)])
def test_masked_inputs(dtype, shape, n, b):
    g = torch.Generator().manual_seed(n)
    x = (torch.randn(shape, generator=g) * 50).to(dtype).flatten()
    base = (torch.randn(shape, generator=g) * 50).to(dtype).flatten()
    pmap = torch.randint(-1, n, shape, generator=g).flatten()
    masks = pack(torch.rand(b, n, generator=g) < 0.5)
    cpu = ops.masked_inputs(x, base, pmap, masks)
    gpu = ops.masked_inputs(x.to(CUDA), base.to(CUDA), pmap.to(CUDA), masks.to(CUDA))
    assert torch.equal(cpu, gpu.cpu())


@pytest.mark.parametrize("law,lo,hi,rlo,rhi", [(0, 0, 999, 0.0, 0.0), (0, 3, 9, 0.0, 0.0), (1, 0, 0, 0.5, 0.5),
                                               (1, 0, 0, 0.0, 1.0), (1, 0, 0, 0.13, 0.77)])
@pytest.mark.parametrize("n", [7, 64, 300])
def test_contexts(law, lo, hi, rlo, rhi, n):
    count = 500
    g = torch.Generator().manual_seed(n + law)
    pairs = torch.stack([torch.randperm(n, generator=g)[:2] for _ in range(count)])
    excl = torch.rand(count, n, generator=g) < 0.1
    excl.scatter_(1, pairs, False)
    ex = pack(excl)
    if law == 0:
        lo = min(lo, int((n - 2 - excl.sum(1)).min()))
    for stream0 in (0, 12345):
        cm, cs = ops.sample_contexts(pairs, ex, law, 99, stream0, n, lo, hi, rlo, rhi)
        gm, gs = ops.sample_contexts(pairs.to(CUDA), ex.to(CUDA), law, 99, stream0, n, lo, hi, rlo, rhi)
        assert torch.equal(cm, gm.cpu()) and torch.equal(cs, gs.cpu())


@pytest.mark.parametrize("n", [1, 2, 13, 256])
def test_permutations(n):
    cpu = ops.sample_permutations(torch.empty(0), 7, 3, 400, n)
    gpu = ops.sample_permutations(torch.empty(0, device=CUDA), 7, 3, 400, n)
    assert torch.equal(cpu, gpu.cpu())


def test_delta_reduce_on_real_plans():
    for kind in (0, 1, 2, 3):
        n = 40
        pairs = torch.tensor([[0, 1], [5, 9], [3, 39]])
        coal = pack(torch.eye(n, dtype=torch.bool)[:2] | torch.eye(n, dtype=torch.bool)[[7, 8]])
        absent = pack(torch.eye(n, dtype=torch.bool)[[20, 21]])
        hi = n if kind == 2 else n - 2  # SHARED_PAIRS: a size band closed under complements (lo + hi = n)
        args = (kind, n, 4, 0, False, False, 1, torch.tensor([0]), torch.tensor([hi]), 0.0, 0.0, pairs, coal, absent)
        masks, out, weight, est, end = ops.design_plan(*args, 0, 50)
        values = torch.randn(masks.shape[0] + 2, dtype=torch.float64)
        k = int(est.max()) + 1
        s1, q1 = torch.zeros(k, dtype=torch.float64), torch.zeros(k, dtype=torch.float64)
        ops.delta_reduce(values, out, weight, est, end, s1, q1)
        s2, q2 = torch.zeros(k, dtype=torch.float64, device=CUDA), torch.zeros(k, dtype=torch.float64, device=CUDA)
        ops.delta_reduce(values.to(CUDA), out.to(CUDA), weight.to(CUDA), est.to(CUDA), end.to(CUDA), s2, q2)
        assert torch.equal(s1, s2.cpu()) and torch.equal(q1, q2.cpu())


def test_model_game_on_gpu_matches_cpu():
    from engine_models import digits, digits_cnn

    x, _ = digits()
    model = digits_cnn()
    pmap = ip.players.grid((1, 8, 8), (2, 4))
    cpu = ip.ModelGame(model, x[5], pmap, baseline="mean", reference=x[:100])
    cpu_values = ip.shapley_values(cpu, method="permutation", budget=512, seed=3)
    gpu = ip.ModelGame(model.to(CUDA), x[5], pmap, baseline="mean", reference=x[:100])
    assert gpu.device.type == "cuda"
    gpu_values = ip.shapley_values(gpu, method="permutation", budget=512, seed=3)
    assert cpu_values.evaluations == gpu_values.evaluations <= 512
    torch.testing.assert_close(cpu_values.values, gpu_values.values, rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(cpu.table(), gpu.table(), rtol=1e-4, atol=1e-4)
    model.cpu()


def test_model_game_layer_players_on_gpu_match_cpu():
    """layer= (activation units as players) on CUDA: the Sequential suffix and the hook strategy."""
    from engine_models import Residual, digits, digits_cnn

    x, _ = digits()
    units = torch.tensor([0, 1, 2, 3, 4, -1] + [-1] * 26)
    model = digits_cnn()
    cpu = ip.ModelGame(model, x[5], units, layer="7", reward="probability").table()
    gpu = ip.ModelGame(model.to(CUDA), x[5], units, layer="7", reward="probability")
    assert gpu._suffix is not None
    torch.testing.assert_close(cpu, gpu.table(), rtol=1e-4, atol=1e-5)
    model.cpu()
    res = Residual().eval()
    v = torch.randn(5)
    cpu = ip.ModelGame(res, v, None, layer="hidden", target=1).table()
    gpu = ip.ModelGame(res.to(CUDA), v, None, layer="hidden", target=1)
    assert gpu._suffix is None
    torch.testing.assert_close(cpu, gpu.table(), rtol=1e-4, atol=1e-5)


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q", "-p", "no:cacheprovider"]))
