"""gradcheck and gradgradcheck of every differentiable interaction-loss op (float64, small shapes).

Every op here has exact first and second derivatives, checked numerically; the second derivative of
``interaction_delta_loss`` is its exact Hessian, not ``None`` (its backward op has an autograd formula)."""
import pytest
import torch
from torch.autograd import gradcheck, gradgradcheck

import interplay.nn._ops  # noqa: F401  (registers the autograd formulas)

ops = torch.ops.interplay
G = torch.Generator().manual_seed(0)


def _rewards(samples=3):
    return torch.randn(samples, 4, dtype=torch.float64, generator=G, requires_grad=True)


@pytest.mark.parametrize("shape", [(3, 4), (12,)])
def test_delta_loss(shape):
    f = torch.randn(*shape, dtype=torch.float64, generator=G, requires_grad=True)
    assert gradcheck(ops.interaction_delta_loss, (f,))
    assert gradgradcheck(ops.interaction_delta_loss, (f,))


def test_delta_loss_second_derivative_is_the_exact_hessian():
    # loss = mean_s Δ_s^2 with Δ_s = <signs, f_s>: the Hessian is 2/S signs signs^T per sample (block diagonal)
    f = _rewards(2)
    (g,) = torch.autograd.grad(ops.interaction_delta_loss(f), f, create_graph=True)
    assert g.requires_grad  # old: no graph, the second derivative was silently None
    signs = torch.tensor([1.0, -1.0, -1.0, 1.0], dtype=torch.float64)
    rows = [torch.autograd.grad(g.reshape(-1)[k], f, retain_graph=True)[0].reshape(-1) for k in range(8)]
    hessian = torch.stack(rows)
    block = 2 / 2 * torch.outer(signs, signs)
    want = torch.block_diag(block, block)
    torch.testing.assert_close(hessian, want)


def test_delta_loss_backward_op():
    grad = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    f = _rewards()
    assert gradcheck(ops.interaction_delta_loss_backward, (grad, f))
    assert gradgradcheck(ops.interaction_delta_loss_backward, (grad, f))


def test_delta():
    f = _rewards()
    assert gradcheck(ops.interaction_delta, (f,))
    assert gradgradcheck(ops.interaction_delta, (f,))


@pytest.mark.parametrize("units", [(5,), (2, 3)])
def test_mask_and_its_backward(units):
    h = torch.randn(2, *units, dtype=torch.float64, generator=G, requires_grad=True)
    roles = ops.interaction_sample(h.detach(), 3, 1, 0.0, 1.0, 5)
    assert gradcheck(lambda x: ops.interaction_mask(x, roles, 3), (h,))
    assert gradgradcheck(lambda x: ops.interaction_mask(x, roles, 3), (h,))
    y = torch.randn(2 * 3 * 4, *units, dtype=torch.float64, generator=G, requires_grad=True)
    assert gradcheck(lambda g: ops.interaction_mask_backward(g, roles, 3), (y,))
    assert gradgradcheck(lambda g: ops.interaction_mask_backward(g, roles, 3), (y,))


def test_whole_loss_through_a_network_has_second_derivatives():
    # the Eq. 9 loss of a tiny tanh network: masks -> rewards -> mean Δf^2, differentiated twice in the weights
    h = torch.randn(2, 4, dtype=torch.float64, generator=G)
    roles = ops.interaction_sample(h, 2, 1, 0.0, 1.0, 1)
    w = torch.randn(4, dtype=torch.float64, generator=G, requires_grad=True)

    def loss(weight):
        x = ops.interaction_mask(h, roles, 2)
        return ops.interaction_delta_loss(torch.tanh(x @ weight))

    assert gradcheck(loss, (w,))
    assert gradgradcheck(loss, (w,))
