"""CUDA == CPU for the engine kernels with the same seed (run on a GPU machine).

    python tests/gpu/gpu_check.py          # or: python -m pytest tests/gpu/gpu_check.py

Not collected by the default test run (the file name does not start with test_); every check
skips where CUDA is unavailable or the extension was built without its CUDA kernels.
"""
import os
import sys

import pytest
import torch

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # tests/: engine_models
sys.path.insert(0, os.path.join(os.path.dirname(TESTS), "python"))
sys.path.insert(0, TESTS)

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


def test_delta_reduce_on_real_plans():
    for kind in ("permutation", "pairs", "shared_pairs"):
        n = 40
        pairs = torch.tensor([[0, 1], [5, 9], [3, 39]])
        hi = n if kind == "shared_pairs" else n - 2  # shared_pairs: a size band closed under complements (lo + hi = n)
        args = dict(size_lo=[0], size_hi=[hi], pairs=pairs) if "pairs" in kind else {}
        masks, out, weight, est, end = ops.design_plan(kind, n, 4, 0, 50, **args)
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


def test_gaussian_process_solves_on_the_model_device():
    """The Gaussian process conditions and solves on the model's device; the same seed draws the
    same coalitions, so CUDA and CPU agree to the model's rounding (SV and SII, in-sample and with
    the Monte Carlo correction of fit_rows=100)."""
    from engine_models import digits, digits_cnn

    x, _ = digits()
    model = digits_cnn()
    pmap = ip.players.grid((1, 8, 8), (2, 4))
    cpu = ip.ModelGame(model, x[5], pmap, baseline="mean", reference=x[:100])
    gpu = ip.ModelGame(digits_cnn().to(CUDA), x[5], pmap, baseline="mean", reference=x[:100])
    gpu.model.load_state_dict(model.state_dict())
    for m in (ip.GaussianProcess(budget=200, seed=3), ip.GaussianProcess(budget=200, seed=3, fit_rows=40)):
        for quantity in (ip.shapley_values, ip.shapley_interaction_matrix):
            a, b = quantity(cpu, method=m), quantity(gpu, method=m)
            assert a.evaluations == b.evaluations <= 200 and b.values.device.type == "cpu"
            torch.testing.assert_close(a.values, b.values, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("n", [5, 64, 130])
def test_walsh_kernel(n):
    """The Walsh covariance (a popcount per packed word): CUDA == CPU, and a set outside the table
    needs its n + 1 entries on the GPU too (the players are checked in the kernel)."""
    g = torch.Generator().manual_seed(n)
    a, b = pack(torch.rand(300, n, generator=g) < 0.5), pack(torch.rand(70, n, generator=g) < 0.3)
    table = torch.randn(n + 1, dtype=torch.float64, generator=g)
    cpu = ops.walsh_kernel(a, b, table)
    gpu = ops.walsh_kernel(a.to(CUDA), b.to(CUDA), table.to(CUDA))
    assert gpu.device.type == "cuda" and torch.equal(cpu, gpu.cpu())
    with pytest.raises(ValueError, match="table has"):
        ops.walsh_kernel(a.to(CUDA), b.to(CUDA), torch.zeros(64 * a.shape[1] + 2, dtype=torch.float64, device=CUDA))
    weights = torch.randn(70, dtype=torch.float64, generator=g)  # the product without K: one block a row
    product = ops.walsh_kernel_product(a.to(CUDA), b.to(CUDA), table.to(CUDA), weights.to(CUDA))
    torch.testing.assert_close(product.cpu(), cpu @ weights, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("rows, cols", [(70000, 3), (5, 1000), (4, 0), (0, 7)])
def test_walsh_kernel_product_shapes(rows, cols):
    """The product's CUDA kernel: more rows than blocks (its grid-stride loop), more sets than threads
    (several strides a thread), no sets (zeros), no rows; 130 players (three words)."""
    g = torch.Generator().manual_seed(rows + cols)
    a, b = pack(torch.rand(rows, 130, generator=g) < 0.5), pack(torch.rand(cols, 130, generator=g) < 0.3)
    table, weights = torch.randn(131, dtype=torch.float64, generator=g), torch.randn(cols, dtype=torch.float64, generator=g)
    gpu = ops.walsh_kernel_product(a.to(CUDA), b.to(CUDA), table.to(CUDA), weights.to(CUDA))
    assert gpu.shape == (rows,) and gpu.device.type == "cuda"
    torch.testing.assert_close(gpu.cpu(), ops.walsh_kernel_product(a, b, table, weights), rtol=1e-12, atol=1e-12)
