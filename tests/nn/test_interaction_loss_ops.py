"""The interaction-loss operators: sampling law (Eq. 2 / App. G), masking, Δf reduction, autograd, opcheck."""
from fractions import Fraction
from itertools import combinations

import pytest
import torch
from scipy import stats

import interplay  # noqa: F401  (registers the ops)
import reference as ref
from interplay.nn import _ops as L

ops = torch.ops.interplay


def chi2_bound(df: int, p: float = 1e-6) -> float:
    """The (1 - p) quantile of a chi-square law with df degrees of freedom."""
    return float(stats.chi2.ppf(1.0 - p, df))


def pattern_counts(roles: torch.Tensor, free: list[int]) -> torch.Tensor:
    """Counts of each context S ⊆ free (bit t = free[t] kept) over the rows of roles."""
    bits = (roles[:, free] == L.ROLE_S).long()
    codes = (bits << torch.arange(len(free))).sum(1)
    return torch.bincount(codes, minlength=2 ** len(free))


def law_of_context(m: int, lo: Fraction, hi: Fraction) -> list[Fraction]:
    """Exact P(S) for |S| = s given r ~ U[lo, hi], each unit kept with probability r:
    (1 / (hi - lo)) ∫_lo^hi r^s (1 - r)^(m - s) dr, by expanding (1 - r)^(m - s)."""
    out = []
    for s in range(m + 1):
        integral = Fraction(0)
        for t in range(m - s + 1):
            c = Fraction(ref.comb(m - s, t) * (-1) ** t)
            integral += c * (hi ** (s + t + 1) - lo ** (s + t + 1)) / (s + t + 1)
        out.append(integral / (hi - lo) if hi > lo else lo**s * (1 - lo) ** (m - s))
    return out


def test_roles_sets_are_disjoint_sized_and_shared_by_contexts():
    h = torch.zeros(7, 3, 4, 5)
    roles = L.sample_roles(h, contexts=6, alpha=0.05, seed=3)
    n = 60
    assert roles.shape == (42, n) and roles.dtype == torch.uint8
    m = L.set_size(n, 0.05)
    assert m == 3
    assert ((roles == L.ROLE_A).sum(1) == m).all() and ((roles == L.ROLE_B).sum(1) == m).all()
    per_input = roles.view(7, 6, n)
    ab = torch.where(per_input >= L.ROLE_A, per_input, torch.zeros_like(per_input))
    assert (ab == ab[:, :1]).all(), "A and B must be shared by the contexts of one input"
    assert not (per_input[:, 0] == per_input[:, 1]).all(), "contexts of one input must differ"
    assert torch.equal(roles, L.sample_roles(h, contexts=6, alpha=0.05, seed=3))
    assert not torch.equal(roles, L.sample_roles(h, contexts=6, alpha=0.05, seed=4))


def test_a_and_b_are_uniform_over_units():
    n, m, batch = 10, 2, 20000
    roles = L.sample_roles(torch.zeros(batch, n), contexts=1, set_size_=m, seed=11)
    for role in (L.ROLE_A, L.ROLE_B):
        counts = (roles == role).sum(0).double()
        expected = batch * m / n
        chi2 = float(((counts - expected) ** 2 / expected).sum()) * (n - 1) / n  # without-replacement correction
        assert chi2 < chi2_bound(n - 1), f"role {role}: chi2 {chi2}"


@pytest.mark.parametrize("rate", [(0.0, 1.0), (0.8, 1.0), (0.25, 0.5)])
def test_context_law_is_exact_beta_mixture(rate):
    """With r ~ U[0, 1] the contexts follow P_Shapley(S | N∖A∖B) = s!(m-s)!/(m+1)! (Eq. 2); with another
    interval the law is the Beta-mixture integral. Chi-square over all 2^m contexts, m = 6."""
    n, contexts = 8, 60000
    roles = L.sample_roles(torch.zeros(1, n), contexts=contexts, set_size_=1, rate=rate, seed=5)
    free = [u for u in range(n) if int(roles[0, u]) in (L.ROLE_OUT, L.ROLE_S)]
    m = len(free)
    assert m == 6
    lo, hi = Fraction(rate[0]).limit_denominator(), Fraction(rate[1]).limit_denominator()
    law = law_of_context(m, lo, hi)
    if rate == (0.0, 1.0):
        assert law == [Fraction(ref.shapley_weight(s, m)).limit_denominator(10**6) for s in range(m + 1)]
    counts = pattern_counts(roles, free).double()
    probs = torch.tensor([float(law[bin(c).count("1")]) for c in range(2**m)], dtype=torch.float64)
    assert abs(float(probs.sum()) - 1.0) < 1e-12
    expected = contexts * probs
    chi2 = float(((counts - expected) ** 2 / expected).sum())
    assert chi2 < chi2_bound(2**m - 1), f"chi2 {chi2} for rate {rate}"


def test_rate_is_the_keep_probability():
    roles = L.sample_roles(torch.zeros(1, 200), contexts=400, set_size_=1, rate=(0.9, 0.9), seed=2)
    kept = (roles == L.ROLE_S).double().sum() / (400 * 198)
    se = (0.9 * 0.1 / (400 * 198)) ** 0.5
    assert abs(float(kept) - 0.9) < 4 * se


def test_mean_delta_is_the_shapley_interaction():
    """E_S[Δf(S, i, j)] over the sampled contexts equals I(i, j) of Eq. 2 (brute force), within 4 SE."""
    n = 6
    table = torch.randn(2**n, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    contexts = 20000
    h = torch.ones(1, n, dtype=torch.float64)
    roles = L.sample_roles(h, contexts=contexts, set_size_=1, seed=9)
    i = int((roles[0] == L.ROLE_A).nonzero()[0])
    j = int((roles[0] == L.ROLE_B).nonzero()[0])
    masked = L.mask_variants(h, roles, contexts)
    index = ((masked != 0).long() << torch.arange(n)).sum(1)
    d = L.delta(table[index])
    want = ref.shapley_interaction_eq2(table.tolist(), n, i, j)
    se = float(d.std()) / contexts**0.5
    assert abs(float(d.mean()) - want) < 4 * se


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.bfloat16])
def test_mask_variants_match_masks(dtype):
    h = torch.randn(3, 2, 5).to(dtype)
    roles = L.sample_roles(h, contexts=4, alpha=0.1, seed=1)
    got = L.mask_variants(h, roles, 4)
    assert got.shape == (48, 2, 5) and got.dtype == dtype
    masks = L.roles_to_masks(roles)  # [12, 4, 10]
    want = h.reshape(3, 1, 1, 10).expand(3, 4, 4, 10).reshape(12, 4, 10) * masks
    torch.testing.assert_close(got.reshape(12, 4, 10), want.to(dtype), rtol=0, atol=0)
    # variant semantics: S ⊂ S∪A, S∪B ⊂ S∪A∪B, A only in the first two, B in the first and third
    role = roles.long()
    assert torch.equal(masks[:, 3], role == L.ROLE_S)
    assert torch.equal(masks[:, 1], (role == L.ROLE_S) | (role == L.ROLE_A))
    assert torch.equal(masks[:, 2], (role == L.ROLE_S) | (role == L.ROLE_B))
    assert torch.equal(masks[:, 0], role != L.ROLE_OUT)


def test_delta_and_loss_values():
    rewards = torch.randn(9, 4, dtype=torch.float64)
    d = rewards[:, 0] - rewards[:, 1] - rewards[:, 2] + rewards[:, 3]
    torch.testing.assert_close(L.delta(rewards), d)
    torch.testing.assert_close(L.delta(rewards.reshape(-1)), d)
    torch.testing.assert_close(L.delta_loss(rewards), (d**2).mean())
    torch.testing.assert_close(L.delta_loss(rewards.float()), (d**2).mean().float())


def test_gradcheck():
    h = torch.randn(2, 3, 4, dtype=torch.float64, requires_grad=True)
    roles = L.sample_roles(h, contexts=3, alpha=0.2, seed=7)
    assert torch.autograd.gradcheck(lambda t: ops.interaction_mask(t, roles, 3), (h,))
    assert torch.autograd.gradgradcheck(lambda t: ops.interaction_mask(t, roles, 3), (h,))
    rewards = torch.randn(5, 4, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(ops.interaction_delta, (rewards,))
    assert torch.autograd.gradcheck(ops.interaction_delta_loss, (rewards,))
    # the whole chain: h -> variants -> a nonlinear reward -> Δf² mean
    w = torch.randn(12, dtype=torch.float64)

    def chain(t):
        v = ops.interaction_mask(t, roles, 3).reshape(-1, 12)
        return ops.interaction_delta_loss(torch.tanh(v @ w) + (v**2).sum(1))

    assert torch.autograd.gradcheck(chain, (h,))


def test_opcheck():
    h = torch.randn(2, 3, 4, requires_grad=True)
    roles = L.sample_roles(h, contexts=2, alpha=0.2, seed=1)
    rewards = torch.randn(6, 4, requires_grad=True)
    cases = [
        (ops.interaction_sample.default, (h.detach(), 2, 2, 0.0, 1.0, 3)),
        (ops.interaction_mask.default, (h, roles, 2)),
        (ops.interaction_mask_backward.default, (torch.randn(16, 3, 4, requires_grad=True), roles, 2)),
        (ops.interaction_delta.default, (rewards,)),
        (ops.interaction_delta_loss.default, (rewards,)),
        (ops.interaction_delta_loss_backward.default, (torch.tensor(1.5), rewards.detach())),
    ]
    for op, args in cases:
        torch.library.opcheck(op, args)


def test_bad_arguments_raise_value_errors():
    h = torch.randn(2, 10)
    with pytest.raises(ValueError, match="keep-rate"):
        ops.interaction_sample(h, 2, 1, 0.5, 0.2, 0)
    with pytest.raises(ValueError, match="rate"):
        L.sample_roles(h, 2, rate=(0.0, 1.5))
    with pytest.raises(ValueError, match="A"):
        ops.interaction_sample(h, 2, 6, 0.0, 1.0, 0)
    with pytest.raises(ValueError, match="alpha"):
        L.sample_roles(h, 2, alpha=0.7)
    roles = L.sample_roles(h, 2, alpha=0.1)
    with pytest.raises(ValueError, match="roles"):
        ops.interaction_mask(torch.randn(3, 10), roles, 2)
    with pytest.raises(ValueError, match="floating"):
        ops.interaction_mask(h.long(), roles, 2)
    with pytest.raises(ValueError, match="rewards"):
        ops.interaction_delta_loss(torch.randn(5, 3))
    with pytest.raises(ValueError, match="contexts"):
        ops.interaction_mask(h, roles, 0)


def test_mixed_meta_devices_are_refused_by_the_loss_ops():
    import torch

    import interplay.nn._ops  # noqa: F401

    ops = torch.ops.interplay
    h = torch.randn(2, 3)
    roles = ops.interaction_sample(h, 2, 1, 0.0, 1.0, 0)
    with pytest.raises(ValueError, match="interplay.interaction_mask_backward: all tensors must be on one device"):
        ops.interaction_mask_backward(torch.randn(16, 3), roles.to("meta"), 2)
    with pytest.raises(ValueError, match="interplay.interaction_mask: all tensors must be on one device"):
        ops.interaction_mask(h.to("meta"), roles, 2)
    assert ops.interaction_mask(h.to("meta"), roles.to("meta"), 2).device.type == "meta"
