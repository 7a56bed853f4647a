"""The engine's C kernels against pure-torch references on random shapes."""
import pytest
import torch

import interplay as ip
from interplay._internal.ops import player_set
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


def test_eq7_contexts_respect_exclusions_and_have_uniform_sizes():
    """The Eq. 7 contexts (Algorithm S through mv_sample_contexts, which replaced the engine's 'coalitions'
    design): S avoids every player outside `rest` (the coalition and the absent players), |S| is uniform on
    0..|rest| (i.i.d. or stratified), and S is uniform given its size."""
    n, count = 70, 3000
    excluded = torch.zeros(n, dtype=torch.bool)
    excluded[[0, 65]] = True  # the coalition C
    excluded[1:60] = True  # the absent players: rest = N ∖ C ∖ absent has 70 - 2 - 59 = 9 players
    rest = player_set(torch.nonzero(~excluded).flatten().tolist(), n)
    masks = ops.mv_sample_contexts(rest, n, count, False, 11, 0)
    s = unpack(masks, n)
    assert masks.shape == (count, 2)
    assert not (s & excluded).any()
    sizes = s.sum(1)
    counts = torch.bincount(sizes, minlength=10).double()
    p = 1 / 10
    assert bool(((counts - count * p).abs() < 5 * (count * p * (1 - p)) ** 0.5).all())
    ones = s[sizes == 1].double().sum(0)[~excluded]  # size 1: each of the 9 players equally often
    m = float(ones.sum())
    assert bool(((ones - m / 9).abs() < 5 * (m / 9 * (8 / 9)) ** 0.5).all())
    strat = unpack(ops.mv_sample_contexts(rest, n, count, True, 11, 0), n).sum(1)
    assert torch.equal(torch.bincount(strat, minlength=10), torch.full((10,), count // 10))  # sizes swept evenly
    other = ops.mv_sample_contexts(rest, n, count, False, 12, 0)
    assert not torch.equal(other, masks)
    assert torch.equal(ops.mv_sample_contexts(rest, n, 10, False, 11, 5), masks[5:15])  # stream0 + t: blockable


def test_coalitions_design_is_gone():
    with pytest.raises(ValueError, match=r"kind = 'coalitions' is not one of 'permutation', 'pairs', 'shared_pairs'"):
        ops.design_sizes("coalitions", 5, 0, 0, 1)


def test_pair_contexts_have_uniform_sizes_and_sets():
    # design 'pairs', P_Shapley(S | N∖{0,1}) with n = 6: |S| uniform on 0..4, and uniform sets given the size
    count, n = 10000, 6
    masks = ops.design_plan("pairs", n, 3, 0, count, size_lo=[0], size_hi=[n - 2], pairs=torch.tensor([[0, 1]]))[0]
    s = masks[0::4, 0]
    assert not bool((s & 3).any())
    sizes = torch.tensor([bin(int(v)).count("1") for v in s])
    counts = torch.bincount(sizes, minlength=5).double()
    p = 0.2
    sd = (count * p * (1 - p)) ** 0.5
    assert bool(((counts - count * p).abs() < 5 * sd).all())
    ones = s[sizes == 1]
    per_player = torch.stack([(ones == (1 << k)).sum() for k in range(2, 6)]).double()
    m = float(per_player.sum())
    assert bool(((per_player - m / 4).abs() < 5 * (m * 0.25 * 0.75) ** 0.5).all())


def test_permutation_rows_are_prefix_chains_of_permutations():
    n, count = 13, 50
    masks, out, weight, est, end = ops.design_plan("permutation", n, 9, 0, count)
    rows = unpack(masks, n).view(count, n - 1, n)
    assert torch.equal(rows.sum(2), torch.arange(1, n).expand(count, n - 1))
    assert bool((rows[:, 1:] >= rows[:, :-1]).all())  # each prefix contains the previous one
    first = rows[:, 0].int().argmax(1)
    assert len(set(first.tolist())) > 5
    assert torch.equal(ops.design_plan("permutation", n, 9, 20, 30)[0], masks[20 * (n - 1):])


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
                         [("permutation", False, False, 1), ("pairs", False, False, 1), ("shared_pairs", False, False, 1),
                          ("shared_pairs", True, False, 1), ("shared_pairs", True, True, 3)])
def test_design_blocks_are_cut_anywhere(kind, antithetic, systematic, replicates):
    n, e = 9, torch.zeros(0, dtype=torch.int64)
    pairs = torch.tensor([[0, 1], [2, 5], [4, 8]])
    # size ranges (PAIRS); SHARED_PAIRS takes one band closed under complements (lo + hi = n)
    lo, hi = ([2], [7]) if kind == "shared_pairs" else ([0, 2], [7, 3])
    args = dict(kind=kind, n=n, seed=4, law="size", systematic=systematic, antithetic=antithetic,
                replicates=replicates)
    if kind in ("pairs", "shared_pairs"):
        args.update(size_lo=lo, size_hi=hi, pairs=pairs)
    whole = ops.design_plan(**args, sample0=0, count=6)
    a, b = ops.design_plan(**args, sample0=0, count=2), ops.design_plan(**args, sample0=2, count=4)
    rows_a = a[0].shape[0]
    assert torch.equal(torch.cat([a[0], b[0]]), whole[0])
    shift = torch.where(b[1] >= 2, b[1] + rows_a, b[1])
    assert torch.equal(torch.cat([a[1], shift]), whole[1])
    assert torch.equal(torch.cat([a[3], b[3]]), whole[3])
