"""GPU checks of the interaction-loss CUDA kernels (skipped without CUDA).

    python -m pytest tests/gpu/gpu_check_loss.py -q      # on a machine with a GPU and a CUDA build

CPU and CUDA must give bit-identical roles for one seed (the shared counter RNG and sampling code),
the same masked variants, Δf, loss and gradients; gradcheck and opcheck must pass on CUDA too.
"""
import pytest
import torch
from torch import nn

import interplay
from interplay.nn import InteractionLoss
from interplay.nn import _ops as L

pytestmark = pytest.mark.skipif(
    not (torch.cuda.is_available() and interplay.WITH_CUDA), reason="needs a GPU and interplay built with CUDA"
)
ops = torch.ops.interplay


@pytest.mark.parametrize("shape,contexts,alpha,rate", [((5, 3, 4, 4), 7, 0.05, (0.0, 1.0)), ((3, 300), 2, 0.2, (0.8, 1.0))])
def test_roles_identical_on_cpu_and_cuda(shape, contexts, alpha, rate):
    h = torch.randn(shape)
    cpu = L.sample_roles(h, contexts, alpha=alpha, rate=rate, seed=123)
    gpu = L.sample_roles(h.cuda(), contexts, alpha=alpha, rate=rate, seed=123)
    assert gpu.is_cuda and torch.equal(cpu, gpu.cpu())


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.float16, torch.bfloat16])
def test_mask_delta_loss_match_cpu(dtype):
    h = torch.randn(4, 2, 3, 3).to(dtype)
    roles = L.sample_roles(h, 3, alpha=0.1, seed=5)
    torch.testing.assert_close(L.mask_variants(h.cuda(), roles.cuda(), 3).cpu(), L.mask_variants(h, roles, 3))
    grad = torch.randn(48, 2, 3, 3).to(dtype)
    torch.testing.assert_close(ops.interaction_mask_backward(grad.cuda(), roles.cuda(), 3).cpu(),
                               ops.interaction_mask_backward(grad, roles, 3), rtol=1e-2, atol=1e-2)
    rewards = torch.randn(12, 4).to(dtype)
    torch.testing.assert_close(L.delta(rewards.cuda()).cpu(), L.delta(rewards), rtol=1e-2, atol=1e-2)
    torch.testing.assert_close(L.delta_loss(rewards.cuda()).cpu(), L.delta_loss(rewards), rtol=1e-2, atol=1e-2)
    g = torch.tensor(0.7)
    torch.testing.assert_close(ops.interaction_delta_loss_backward(g.cuda(), rewards.cuda()).cpu(),
                               ops.interaction_delta_loss_backward(g, rewards), rtol=1e-2, atol=1e-2)


def test_gradcheck_and_opcheck_cuda():
    h = torch.randn(2, 3, 4, dtype=torch.float64, device="cuda", requires_grad=True)
    roles = L.sample_roles(h, 3, alpha=0.2, seed=7)
    assert torch.autograd.gradcheck(lambda t: ops.interaction_mask(t, roles, 3), (h,))
    rewards = torch.randn(5, 4, dtype=torch.float64, device="cuda", requires_grad=True)
    assert torch.autograd.gradcheck(ops.interaction_delta_loss, (rewards,))
    for op, args in [
        (ops.interaction_sample.default, (h.detach(), 3, 2, 0.0, 1.0, 1)),
        (ops.interaction_mask.default, (h, roles, 3)),
        (ops.interaction_delta.default, (rewards,)),
        (ops.interaction_delta_loss.default, (rewards,)),
    ]:
        torch.library.opcheck(op, args)


@pytest.mark.parametrize("reward", ["logit", "probability", "log_probability", "loss"])
def test_module_same_loss_on_cpu_and_cuda(reward):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.Conv2d(8, 8, 3, padding=1),
                          nn.ReLU(), nn.Flatten(), nn.Linear(8 * 64, 10)).double()
    x, y = torch.randn(16, 1, 8, 8, dtype=torch.float64), torch.randint(0, 10, (16,))
    losses = []
    for device in ("cpu", "cuda"):
        m = model.to(device)
        reg = InteractionLoss(m, layer="2", contexts=4, seed=3, reward=reward)
        xd, yd = x.to(device), y.to(device)
        m(xd)
        losses.append(reg(xd, yd).item())
        reg.remove()
    assert abs(losses[0] - losses[1]) <= 1e-9 * max(1.0, abs(losses[0]))
