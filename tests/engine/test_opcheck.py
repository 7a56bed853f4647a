"""torch.library.opcheck on every torch.ops.interplay operator (the calls of tests/op_cases.py), and the op
layer's hardening: every op validates before the C core touches memory (tensors on mixed devices and
aliased outputs included), and its error names the failing argument."""
import pytest
import torch

import interplay  # noqa: F401  (registers the fake kernels of every op, the loss ops included)
import interplay.nn._ops  # noqa: F401
from interplay._internal.seeds import signed64
from interplay.engine import pack
from op_cases import CASES, H, ROLES, TABLE

ops = torch.ops.interplay

# design_plan's output sizes depend on its arguments' values (the players in the pairs): its fake kernel
# returns unbacked sizes, which the AOT dynamic-shape test cannot compare with real outputs.
SKIP = {"design_plan": ("test_aot_dispatch_dynamic",)}


def test_every_op_is_covered():
    registered = {s.name.split("::")[1] for s in torch._C._jit_get_all_schemas() if s.name.startswith("interplay::")}
    assert registered == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_opcheck(name):
    args, kwargs = CASES[name]
    tests = [t for t in ("test_schema", "test_autograd_registration", "test_faketensor", "test_aot_dispatch_dynamic")
             if t not in SKIP.get(name, ())]
    torch.library.opcheck(getattr(ops, name).default, args, kwargs, test_utils=tests)


# -- overflowing sizes, narrowed indices, bad role bytes, NaN blocks: ValueError, not a crash or wrong result

def test_interaction_sample_contexts_overflow_raises():
    """Old: batch * contexts overflowed and the kernel wrote past a 4-row allocation (heap overflow)."""
    with pytest.raises(ValueError, match=r"interplay.interaction_sample: contexts = 4611686018427387905 makes "
                                         r"batch \* contexts \* 4 \* units .* overflow int64"):
        ops.interaction_sample(torch.randn(4, 4), 2**62 + 1, 1, 0.0, 1.0, 0)


def test_interaction_mask_backward_contexts_overflow_raises():
    """Old: 4 * contexts overflowed to 0 and the op divided by it (SIGFPE)."""
    with pytest.raises(ValueError, match=r"interplay.interaction_mask_backward: contexts = 4611686018427387904 "
                                         r"makes 4 \* contexts overflow int64"):
        ops.interaction_mask_backward(torch.ones(16, 4), torch.ones(4, 4, dtype=torch.uint8), 2**62)


def test_pair_interaction_does_not_narrow_indices():
    """Old: i = 2**32 was narrowed to int 0 and the op returned I(0, 1)."""
    with pytest.raises(ValueError, match=r"interplay.pair_interaction: i = 4294967296 is out of range for n = 4"):
        ops.pair_interaction(TABLE, 2**32, 1, "shapley")
    with pytest.raises(ValueError, match=r"j = -4294967295 is out of range"):
        ops.multi_order_interaction(TABLE, 0, -(2**32) + 1)


@pytest.mark.parametrize("op", ["interaction_mask", "interaction_mask_backward"])
def test_role_bytes_are_validated(op):
    """Old: role 9 counted as present with an undefined shift."""
    roles = ROLES.clone()
    roles[1, 2] = 9
    x = H if op == "interaction_mask" else torch.randn(16, 3, 4)
    with pytest.raises(ValueError, match=rf"interplay.{op}: roles\[1, 2\] = 9 is not a role"):
        getattr(ops, op)(x, roles, 2)


def test_significance_from_nan_block_raises():
    """Old: a NaN block was skipped silently by the comparisons."""
    blocks = torch.randn(8, dtype=torch.float64)
    blocks[5] = float("nan")
    with pytest.raises(ValueError, match=r"block_values\[5\] = nan is not finite"):
        ops.significance_from_blocks(blocks, "contiguous")


def test_design_sample_range_overflow_raises():
    with pytest.raises(ValueError, match=r"interplay.design_plan: count = 3: sample0 \+ count .* overflow int64"):
        ops.design_plan("pairs", 6, 0, 2**63 - 2, 3, size_lo=[0], size_hi=[4], pairs=torch.tensor([[0, 1]]))
    with pytest.raises(ValueError, match=r"interplay.design_sizes: count = 4611686018427387904 makes .* overflow int64"):
        ops.design_sizes("permutation", 6, 0, 0, 2**62)


# -- one message per mistake, naming the argument ---------------------------------------------------

@pytest.mark.parametrize("call, message", [
    (lambda: ops.player_values(TABLE, "owen"), r"player_values: index = 'owen' is not one of 'shapley', 'banzhaf'"),
    (lambda: ops.significance_from_blocks(torch.zeros(8, dtype=torch.float64), "some"),
     r"family = 'some' is not one of 'contiguous', 'all'"),
    (lambda: ops.design_sizes("random", 5, 0, 0, 1),
     r"kind = 'random' is not one of 'permutation', 'pairs', 'shared_pairs'$"),
    (lambda: ops.design_sizes("pairs", 5, 0, 0, 1, law="bernoulli", pairs=torch.tensor([[0, 1]])),
     r"law = 'bernoulli' is not one of 'size', 'rate'"),
    (lambda: ops.design_sizes("pairs", 5, 0, 0, 1, size_lo=[0], size_hi=[3], pairs=torch.tensor([[0, 7]])),
     r"design_sizes: pairs\[0\] = \(0, 7\) is out of range for n = 5"),
    (lambda: ops.design_sizes("pairs", 5, 0, 0, 1, size_lo=[0], size_hi=[4], pairs=torch.tensor([[0, 1]])),
     r"size range 0 = \[0, 4\] is out of range"),
    (lambda: ops.harsanyi_dividends(torch.tensor([0.0, float("inf")], dtype=torch.float64)),
     r"harsanyi_dividends: values\[1\] = inf is not finite"),
    (lambda: ops.masked_inputs(torch.zeros(3), torch.zeros(3), torch.tensor([0, 5, 64]), torch.zeros(2, 1, dtype=torch.int64)),
     r"masked_inputs: player_map\[2\] = 64 is out of range \[-1, 64\)"),
    (lambda: ops.delta_reduce(torch.zeros(3, dtype=torch.float64), torch.tensor([0, 1]), torch.tensor([1.0, float("nan")], dtype=torch.float64),
                              torch.tensor([0]), torch.tensor([2]), torch.zeros(1, dtype=torch.float64), torch.zeros(1, dtype=torch.float64)),
     r"delta_reduce: entry_weight\[1\] = nan is not finite"),
    (lambda: ops.mv_sample_partitions(torch.tensor([0.5, 1.5], dtype=torch.float64), 3, 0, 0),
     r"mv_sample_partitions: p\[1\] = 1.5 is out of range \[0, 1\]"),
    (lambda: ops.interaction_sample(torch.randn(2, 10), 2, 6, 0.0, 1.0, 0),
     r"interaction_sample: set_size = 6: \|A\| = \|B\| = set_size needs"),
    (lambda: ops.multivariate_interaction(TABLE, torch.tensor([[0b0100]])),
     r"multivariate_interaction: players\[0\] has 1 players; an interaction needs >= 2"),
    (lambda: ops.elementary_interaction(TABLE, torch.tensor([[0b0011]]), torch.tensor([[0b0100]])),
     r"elementary_interaction: subsets\[0\] must be a non-empty subset of players\[0\]"),
])
def test_errors_name_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# -- tensors on mixed devices and outputs that share memory are refused ----------------------------
def test_mixed_meta_devices_are_refused():
    import torch

    import interplay  # noqa: F401

    ops = torch.ops.interplay
    table = torch.randn(16, dtype=torch.float64)
    with pytest.raises(ValueError, match="interplay.multivariate_interaction: all tensors must be on one device"):
        ops.multivariate_interaction(table, torch.tensor([[3], [6]]).to("meta"))
    with pytest.raises(ValueError, match="interplay.masked_inputs: all tensors must be on one device"):
        ops.masked_inputs(torch.randn(4), torch.zeros(4).to("meta"), torch.zeros(4, dtype=torch.int64),
                          torch.ones(1, 1, dtype=torch.int64))
    assert ops.player_values(table.to("meta"), "shapley").device.type == "meta"
    pairs = torch.tensor([[0, 1], [2, 3]]).to("meta")  # a plan is built from the pairs' data: meta has none
    with pytest.raises(ValueError, match="interplay.design_sizes: builds its plan from the data"):
        ops.design_sizes("pairs", 6, 1, 0, 4, size_lo=[0], size_hi=[4], pairs=pairs)


def test_delta_reduce_refuses_aliased_outputs():
    """``sums`` and ``sumsq`` are two separate mutated outputs (Tensor(a!), Tensor(b!)); one tensor passed
    as both, or an output that is an input, is a ValueError naming both (not silently wrong sums)."""
    import torch

    import interplay  # noqa: F401

    ops = torch.ops.interplay
    f64 = torch.float64
    values = torch.randn(5, dtype=f64)
    eo, ew = torch.tensor([0, 1, 2]), torch.randn(3, dtype=f64)
    re, rend = torch.tensor([0, 1]), torch.tensor([1, 3])
    both = torch.zeros(5, dtype=f64)
    with pytest.raises(ValueError, match=r"^interplay\.delta_reduce: sums shares memory with sumsq"):
        ops.delta_reduce(values, eo, ew, re, rend, both, both)
    storage = torch.zeros(10, dtype=f64)
    with pytest.raises(ValueError, match=r"sums shares memory with sumsq"):
        ops.delta_reduce(values, eo, ew, re, rend, storage[:5], storage[2:7])
    with pytest.raises(ValueError, match=r"sumsq shares memory with values"):
        ops.delta_reduce(values, eo, ew, re, rend, torch.zeros(5, dtype=f64), values)
    with pytest.raises(ValueError, match=r"sums shares memory with entry_weight"):
        ops.delta_reduce(values, eo, ew, re, rend, torch.zeros(3, dtype=f64).set_(ew.untyped_storage(), 0, (3,)),
                         torch.zeros(3, dtype=f64))
    # separate halves of one storage are fine
    sums, sumsq = storage[:5], storage[5:]
    ops.delta_reduce(values, eo, ew, re, rend, sums, sumsq)
    assert torch.isfinite(storage).all()


def test_seeds_take_every_value_of_64_bits():
    """One rule: signed64 maps any int to the schema's int64 (mod 2^64); the op reads it back as uint64."""
    assert signed64(2**64 - 1) == -1 and signed64(2**63) == -(2**63) and signed64(-1) == -1 and signed64(5) == 5
    a = ops.interaction_sample(H, 2, 1, 0.0, 1.0, signed64(2**64 - 1))
    b = ops.interaction_sample(H, 2, 1, 0.0, 1.0, -1)
    assert torch.equal(a, b)
    p = torch.tensor([0.5], dtype=torch.float64)
    assert torch.equal(ops.mv_sample_partitions(p, 64, signed64(2**63 + 7), 0),
                       ops.mv_sample_partitions(p, 64, -(2**63) + 7, 0))


# -- one threading runtime: the CPU ops split their rows over the core's OpenMP threads ---------------

def _threads_follow_torch():
    """OpenMP's team size in this process follows torch.set_num_threads (one libgomp: torch's); None
    where libgomp cannot be loaded by name."""
    import ctypes

    try:
        gomp = ctypes.CDLL("libgomp.so.1")
    except OSError:
        return None
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        one = gomp.omp_get_max_threads()
        torch.set_num_threads(2)
        return one == 1 and gomp.omp_get_max_threads() == 2
    finally:
        torch.set_num_threads(before)


def test_cpu_ops_give_the_same_bits_on_one_and_two_threads():
    """walsh_kernel, walsh_kernel_product and masked_inputs run their rows on the core's OpenMP threads (the
    count of torch.set_num_threads, as every CPU op): each entry, each row's sum, is computed by one thread in
    one order, so the bits do not depend on the thread count. Sizes above the core's parallel threshold."""
    assert _threads_follow_torch() in (True, None)
    g = torch.Generator().manual_seed(7)
    a, b = pack(torch.rand(700, 70, generator=g) < 0.5), pack(torch.rand(500, 70, generator=g) < 0.5)
    table, weights = torch.randn(71, dtype=torch.float64, generator=g), torch.randn(500, dtype=torch.float64, generator=g)
    x, base = torch.randn(300, generator=g), torch.randn(300, generator=g)
    player_map = torch.randint(-1, 70, (300,), generator=g)
    masks = pack(torch.rand(400, 70, generator=g) < 0.5)
    before = torch.get_num_threads()
    results = []
    try:
        for threads in (1, 2):
            torch.set_num_threads(threads)
            results.append((ops.walsh_kernel(a, b, table), ops.walsh_kernel_product(a, b, table, weights),
                            ops.masked_inputs(x, base, player_map, masks),
                            ops.masked_inputs(x.double(), base.double(), player_map, masks)))
    finally:
        torch.set_num_threads(before)
    for one, two in zip(*results):
        assert torch.equal(one.view(torch.int64) if one.element_size() == 8 else one.view(torch.int32),
                           two.view(torch.int64) if two.element_size() == 8 else two.view(torch.int32))
    kernel, product = results[0][0], results[0][1]
    bits = torch.arange(64)
    distance = (((a[:20, None, :] ^ b[None]).unsqueeze(-1) >> bits) & 1).sum((-1, -2))  # |a_i Δ b_j|, 20 rows
    assert torch.equal(kernel[:20], table[distance])
    assert torch.allclose(product, kernel @ weights, rtol=1e-12, atol=1e-12)
    present = torch.cat([(masks[:, 0:1] >> bits) & 1, (masks[:, 1:2] >> bits[:6]) & 1], 1).bool()  # [400, 70]
    keep = (player_map == -1) | present[:, player_map.clamp(min=0)]
    assert torch.equal(results[0][2], torch.where(keep, x, base))
