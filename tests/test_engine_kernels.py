"""The engine's C kernels against pure-torch references on random shapes."""
import pytest
import torch

import interplay as ip
from interplay.engine import pack, unpack

ops = torch.ops.interplay


def reference_masked(x, baseline, pmap, coalitions):
    present = torch.ones(coalitions.shape[0], x.numel(), dtype=torch.bool)
    inside = pmap >= 0
    present[:, inside] = coalitions[:, pmap[inside]]
    return torch.where(present, x.reshape(1, -1), baseline.reshape(1, -1))


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.int64])
@pytest.mark.parametrize("shape,n", [((5,), 3), ((3, 7, 6), 70), ((2, 4), 130)])
def test_masked_inputs_matches_torch(dtype, shape, n):
    g = torch.Generator().manual_seed(len(shape) * n)
    x = (torch.randn(shape, generator=g) * 100).to(dtype)
    base = (torch.randn(shape, generator=g) * 100).to(dtype)
    pmap = torch.randint(-1, n, shape, generator=g)
    coalitions = torch.rand(9, n, generator=g) < 0.5
    got = ops.masked_inputs(x.flatten(), base.flatten(), pmap.flatten(), pack(coalitions))
    assert torch.equal(got, reference_masked(x.flatten(), base.flatten(), pmap.flatten(), coalitions))


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_masked_inputs_copies_special_values_bit_for_bit(dtype):
    """Rows are selected as bit patterns: inf, nan, -0.0 and subnormals come through unchanged."""
    tiny = torch.finfo(dtype).tiny / 4  # a subnormal
    x = torch.tensor([float("inf"), float("nan"), -0.0, tiny, 1.5, -float("inf")], dtype=dtype)
    base = torch.tensor([-0.0, 2.0, float("nan"), float("inf"), tiny, 0.0], dtype=dtype)
    pmap = torch.tensor([0, 1, 2, 0, -1, 1])
    coalitions = torch.tensor([[True, False, True], [False, True, False]])
    got = ops.masked_inputs(x, base, pmap, pack(coalitions))
    want = reference_masked(x, base, pmap, coalitions)
    bits = torch.int32 if dtype == torch.float32 else torch.int64
    assert torch.equal(got.view(bits), want.view(bits))
    ints = torch.tensor([2**62 + 1, -(2**63), -1, 7, 0, 2**63 - 1])
    got = ops.masked_inputs(ints, ints.flip(0), pmap, pack(coalitions))
    assert torch.equal(got, reference_masked(ints, ints.flip(0), pmap, coalitions))


def test_masked_inputs_rejects_bad_maps():
    x = torch.zeros(4)
    with pytest.raises(ValueError, match="out of range"):
        ops.masked_inputs(x, x, torch.tensor([0, 1, -2, 0]), torch.zeros(1, 1, dtype=torch.int64))
    with pytest.raises(ValueError, match="dtype of x"):
        ops.masked_inputs(x, x.double(), torch.zeros(4, dtype=torch.int64), torch.zeros(1, 1, dtype=torch.int64))


def test_pack_unpack_roundtrip():
    c = torch.rand(7, 131, generator=torch.Generator().manual_seed(3)) < 0.5
    assert torch.equal(unpack(pack(c), 131), c)


@pytest.mark.parametrize("law,lo,hi,rlo,rhi", [(0, 0, 99, 0.0, 0.0), (0, 2, 3, 0.0, 0.0), (1, 0, 0, 0.5, 0.5),
                                               (1, 0, 0, 0.2, 0.9)])
def test_contexts_respect_exclusions_sizes_and_are_chunk_invariant(law, lo, hi, rlo, rhi):
    n, count = 70, 40
    g = torch.Generator().manual_seed(5)
    pairs = torch.stack([torch.randperm(n, generator=g)[:2] for _ in range(count)])
    excl = torch.rand(count, n, generator=g) < 0.2
    excl[:, :2] = False
    masks, sizes = ops.sample_contexts(pairs, pack(excl), law, 11, 0, n, lo, hi, rlo, rhi)
    rows = unpack(masks, n)
    assert not (rows & excl).any()
    assert not rows.gather(1, pairs).any()
    assert torch.equal(rows.sum(1), sizes)
    if law == 0:
        m = n - 2 - excl.sum(1) + (excl.gather(1, pairs).sum(1))
        assert bool(((sizes >= lo) & (sizes <= torch.clamp(m, max=hi))).all())
    tail, _ = ops.sample_contexts(pairs[25:], pack(excl[25:]), law, 11, 25, n, lo, hi, rlo, rhi)
    assert torch.equal(tail, masks[25:])
    other, _ = ops.sample_contexts(pairs, pack(excl), law, 12, 0, n, lo, hi, rlo, rhi)
    assert not torch.equal(other, masks)


def test_shapley_contexts_have_uniform_sizes_and_sets():
    # P_Shapley(S | M), |M| = 4: |S| uniform on 0..4 (each 1/5), and given the size uniform sets.
    count, n = 10000, 6
    pairs = torch.tensor([[0, 1]]).expand(count, 2).contiguous()
    masks, sizes = ops.sample_contexts(pairs, None, 0, 3, 0, n, 0, n, 0.0, 0.0)
    counts = torch.bincount(sizes, minlength=5).double()
    p = 0.2
    sd = (count * p * (1 - p)) ** 0.5
    assert bool(((counts - count * p).abs() < 5 * sd).all())
    ones = masks[sizes == 1, 0]
    per_player = torch.stack([(ones == (1 << k)).sum() for k in range(2, 6)]).double()
    m = float(per_player.sum())
    assert bool(((per_player - m / 4).abs() < 5 * (m * 0.25 * 0.75) ** 0.5).all())


def test_permutations_are_permutations_and_chunk_invariant():
    perm = ops.sample_permutations(torch.empty(0), 9, 0, 50, 13)
    assert torch.equal(perm.sort(1).values, torch.arange(13).expand(50, 13))
    assert torch.equal(ops.sample_permutations(torch.empty(0), 9, 20, 30, 13), perm[20:])
    first = perm[:, 0]
    assert len(set(first.tolist())) > 5


def test_delta_reduce_matches_torch():
    g = torch.Generator().manual_seed(8)
    values = torch.randn(30, generator=g, dtype=torch.float64)
    lengths = torch.randint(1, 5, (12,), generator=g)
    end = torch.cumsum(lengths, 0)
    out = torch.randint(0, 30, (int(end[-1]),), generator=g)
    weight = torch.randn(int(end[-1]), generator=g, dtype=torch.float64)
    est = torch.randint(0, 4, (12,), generator=g)
    sums = torch.full((4,), 0.5, dtype=torch.float64)
    sumsq = torch.zeros(4, dtype=torch.float64)
    ops.delta_reduce(values, out, weight, est, end, sums, sumsq)
    run_of_entry = torch.repeat_interleave(torch.arange(12), lengths)
    X = torch.zeros(12, dtype=torch.float64).index_add_(0, run_of_entry, weight * values[out])
    torch.testing.assert_close(sums, 0.5 + torch.zeros(4, dtype=torch.float64).index_add_(0, est, X))
    torch.testing.assert_close(sumsq, torch.zeros(4, dtype=torch.float64).index_add_(0, est, X * X))
    with pytest.raises(ValueError, match="out of range"):
        ops.delta_reduce(values, out + 100, weight, est, end, sums, sumsq)


@pytest.mark.parametrize("kind, antithetic, systematic, replicates",
                         [(0, False, False, 1), (1, False, False, 1), (2, False, False, 1), (2, True, False, 1),
                          (2, True, True, 3), (3, False, False, 1)])
def test_design_blocks_are_cut_anywhere(kind, antithetic, systematic, replicates):
    n, e = 9, torch.zeros(0, dtype=torch.int64)
    pairs = torch.tensor([[0, 1], [2, 5], [4, 8]])
    coal = pack(torch.tensor([[1, 1, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 1, 0]], dtype=torch.bool))
    absent = pack(torch.tensor([[0, 0, 1, 0, 0, 0, 0, 0, 0], [0] * 9], dtype=torch.bool))
    # size ranges (PAIRS); SHARED_PAIRS takes one band closed under complements (lo + hi = n)
    lo, hi = ([2], [7]) if kind == 2 else ([0, 2], [7, 3])
    args = (kind, n, 4, 0, systematic, antithetic, replicates, torch.tensor(lo), torch.tensor(hi), 0.0, 0.0,
            pairs, coal, absent)
    whole = ops.design_plan(*args, 0, 6)
    a, b = ops.design_plan(*args, 0, 2), ops.design_plan(*args, 2, 4)
    rows_a = a[0].shape[0]
    assert torch.equal(torch.cat([a[0], b[0]]), whole[0])
    shift = torch.where(b[1] >= 2, b[1] + rows_a, b[1])
    assert torch.equal(torch.cat([a[1], shift]), whole[1])
    assert torch.equal(torch.cat([a[3], b[3]]), whole[3])
