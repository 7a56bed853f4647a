"""The Python class of each failure of a ``torch.ops.interplay`` op (csrc/ops/core_status.h, after the
core's ip_status_class in csrc/core/common/status.h):

- ValueError for invalid arguments: the core's IP_ERR_RANGE, IP_ERR_TOO_LARGE, IP_ERR_NONFINITE and
  IP_ERR_ARG, and the op layer's own checks (dtypes, shapes, str enums, sizes whose bytes overflow int64);
- MemoryError for memory: the core's IP_ERR_NOMEM (one of its allocations failed) and the op layer's
  refusal of outputs beyond the machine's physical memory, the class of the Python layer's own memory
  refusals (``interplay._internal.checks.memory``);
- RuntimeError for internal failures: the core's IP_ERR_NULL, a NULL array, which only a bug of the op
  layer can pass. No call from Python reaches it (every tensor the op layer hands the core has storage
  where the core reads; the empty tensors below show it): the status -> class table is tested in C
  (tests/c/test_common.c), and the hostile calls of tests/engine/test_op_properties.py refuse its message.

Each test checks the exact class (a MemoryError is no ValueError, nor the reverse) and the message.
"""
import os
import re
import subprocess
import sys

import pytest
import torch

import interplay  # noqa: F401  (registers the ops)

ops = torch.ops.interplay
HERE = os.path.dirname(os.path.abspath(__file__))
F64 = torch.float64
TABLE = torch.randn(16, dtype=F64, generator=torch.Generator().manual_seed(0))


def _raised(call):
    with pytest.raises(Exception) as info:
        call()
    return info.value


@pytest.mark.parametrize("call, message", [
    # IP_ERR_RANGE
    (lambda: ops.pair_interaction(TABLE, 7, 1, "shapley"),
     r"^interplay\.pair_interaction: i = 7 is out of range for n = 4 players$"),
    # IP_ERR_ARG
    (lambda: ops.pair_interaction(TABLE, 2, 2, "shapley"),
     r"^interplay\.pair_interaction: j = 2 equals i: a pair needs two players$"),
    # IP_ERR_NONFINITE
    (lambda: ops.harsanyi_dividends(torch.tensor([0.0, float("nan")], dtype=F64)),
     r"^interplay\.harsanyi_dividends: values\[1\] = nan is not finite \(NaN or Inf\)$"),
    # IP_ERR_TOO_LARGE
    (lambda: ops.design_sizes("permutation", 2**20, 0, 0, 2**40),
     r"^interplay\.design_sizes: count = 1099511627776 makes count \* 1048575 rows \(or entries\) overflow int64$"),
    # the op layer's own checks
    (lambda: ops.player_values(TABLE, "owen"), r"^interplay\.player_values: index = 'owen' is not one of "),
    (lambda: ops.mv_sample_contexts(torch.zeros(1, dtype=torch.long), 10, 2**62, False, 0, 0),
     r"^interplay\.mv_sample_contexts: count = 4611686018427387904 makes outputs \[4611686018427387904, 1\] "
     r"whose size in bytes overflows int64$"),
])
def test_invalid_arguments_are_value_errors(call, message):
    error = _raised(call)
    assert type(error) is ValueError, f"{type(error).__name__}: {error}"
    assert re.search(message, str(error)), str(error)


def test_outputs_beyond_memory_are_memory_errors():
    """The op layer's check_output_memory: the class of interplay._internal.checks.memory (MemoryError)."""
    error = _raised(lambda: ops.combinations(torch.empty(0), 60, 30, 0, 2**40))
    assert type(error) is MemoryError, f"{type(error).__name__}: {error}"
    assert str(error).startswith("interplay.combinations: count = 1099511627776 makes outputs [1099511627776, 1] "
                                 "that need 8.0 TiB, more than the "), str(error)
    assert str(error).endswith(" of memory")


def _huge_calls():
    """op -> (call, exception class, message): outputs beyond the machine's memory are a MemoryError (the class of
    the Python layer's refusals, interplay._internal.checks.memory); sizes whose bytes overflow int64, in the op layer or
    the core, are a ValueError (no allocation has that size: the argument is invalid)."""
    import torch

    ops = torch.ops.interplay
    long = torch.long
    beyond = r" that need [\d.]+ [KMGTPE]iB, more than the [\d.]+ [KMGTPE]?i?B of memory$"
    overflow = r" whose size in bytes overflows int64$"
    return {
        "combinations": (lambda: ops.combinations(torch.empty(0), 60, 30, 0, 2**40), MemoryError,
                         r"^interplay\.combinations: count = 1099511627776 makes outputs \[1099511627776, 1\]" + beyond),
        "design_plan": (lambda: ops.design_plan("permutation", 2**31, 0, 0, 1), MemoryError,
                        r"^interplay\.design_plan: n = 2147483648 makes outputs \[2147483647, 33554432\] \+ "
                        r"\[4294967296\] \+ \[2147483648\]" + beyond),
        "design_sizes": (lambda: ops.design_sizes("permutation", 2**20, 0, 0, 2**40), ValueError,  # the core's
                         r"^interplay\.design_sizes: count = 1099511627776 makes count \* 1048575 rows \(or entries\) "
                         r"overflow int64$"),
        "masked_inputs": (lambda: ops.masked_inputs(torch.zeros(3), torch.zeros(3), torch.zeros(3, dtype=long),
                                                    torch.zeros(1, 1, dtype=long).expand(2**40, 1)), MemoryError,
                          r"^interplay\.masked_inputs: masks = 1099511627776 makes outputs \[1099511627776, 3\]" + beyond),
        "mv_sample_partitions": (lambda: ops.mv_sample_partitions(torch.full((4,), 0.5, dtype=torch.double), 2**62, 0, 0),
                                 ValueError, r"^interplay\.mv_sample_partitions: count = 4611686018427387904 makes "
                                 r"outputs \[4611686018427387904, 4\]" + overflow),
        "mv_sample_partitions_memory": (lambda: ops.mv_sample_partitions(torch.full((4,), 0.5, dtype=torch.double),
                                                                          2**50, 0, 0), MemoryError,
                                        r"^interplay\.mv_sample_partitions: count = 1125899906842624 makes outputs "
                                        r"\[1125899906842624, 4\]" + beyond),
        "mv_sample_contexts": (lambda: ops.mv_sample_contexts(torch.zeros(1, dtype=long), 10, 2**62, False, 0, 0),
                               ValueError, r"^interplay\.mv_sample_contexts: count = 4611686018427387904 makes outputs "
                               r"\[4611686018427387904, 1\]" + overflow),
        "interaction_sample": (lambda: ops.interaction_sample(torch.zeros(2, 1000), 2**40, 2, 0.0, 0.0, 0), MemoryError,
                               r"^interplay\.interaction_sample: contexts = 1099511627776 makes outputs "
                               r"\[2199023255552, 1000\]" + beyond),
        "interaction_mask": (lambda: ops.interaction_mask(torch.zeros(1, 2**20),
                                                          torch.zeros(1, 1, dtype=torch.uint8).expand(2**20, 2**20), 2**20),
                             MemoryError, r"^interplay\.interaction_mask: contexts = 1048576 makes outputs "
                             r"\[1048576, 4, 1048576\]" + beyond),
        "walsh_kernel": (lambda: ops.walsh_kernel(torch.zeros(1, 1, dtype=long).expand(2**22, 1),
                                                  torch.zeros(1, 1, dtype=long).expand(2**22, 1),
                                                  torch.zeros(3, dtype=torch.double)), MemoryError,
                         r"^interplay\.walsh_kernel: a = 4194304 makes outputs \[4194304, 4194304\]" + beyond),
    }


@pytest.mark.parametrize("op", sorted(_huge_calls()))
def test_huge_outputs_are_refused_before_allocating(op):
    """An output larger than the machine's memory is one MemoryError naming the op and the argument,
    raised before any allocation (not the allocator's "[enforce fail at alloc_cpu.cpp]"); a size whose bytes
    overflow int64 is one ValueError. The exact class: a ValueError is no MemoryError, nor the reverse."""
    import interplay  # noqa: F401  (loads the ops)

    call, kind, message = _huge_calls()[op]
    with pytest.raises(Exception) as info:
        call()
    assert type(info.value) is kind, f"{type(info.value).__name__}: {info.value}"
    text = str(info.value)
    assert "\n" not in text.strip() and re.search(message, text), text
    assert "alloc_cpu" not in text and "Storage size" not in text, text


# A child that fills a table, then caps its address space just above what it uses: the core's scratch
# table of 2^22 doubles (32 MiB) cannot be allocated and the core returns IP_ERR_NOMEM.
_NOMEM_CHILD = r"""
import resource
import torch
import interplay  # noqa: F401

torch.set_num_threads(1)  # no thread to start under the cap
ops = torch.ops.interplay
values = torch.zeros(1 << 22, dtype=torch.float64)
ops.player_values(torch.zeros(16, dtype=torch.float64), "shapley")  # every lazy allocation made
size = next(int(line.split()[1]) * 1024 for line in open("/proc/self/status") if line.startswith("VmSize:"))
resource.setrlimit(resource.RLIMIT_AS, (size + (8 << 20), resource.getrlimit(resource.RLIMIT_AS)[1]))
try:
    ops.player_values(values, "shapley")
    print("no error")
except Exception as e:  # noqa: BLE001
    print(type(e).__name__ + ": " + str(e))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS and /proc/self/status: Linux")
def test_core_out_of_memory_is_memory_error():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([os.path.join(HERE, "..", "..", "python"), env.get("PYTHONPATH", "")])
    proc = subprocess.run([sys.executable, "-c", _NOMEM_CHILD], env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip() == "MemoryError: interplay.player_values: values: no memory for 2^22 doubles", \
        proc.stdout + proc.stderr[-3000:]


EMPTY_LONG = torch.empty(0, 1, dtype=torch.long)


@pytest.mark.parametrize("call", [
    lambda: ops.coalition_shapley(TABLE, EMPTY_LONG, EMPTY_LONG),
    lambda: ops.multivariate_interaction(TABLE, EMPTY_LONG),
    lambda: ops.elementary_interaction(TABLE, EMPTY_LONG, EMPTY_LONG),
    lambda: ops.harsanyi_dividends(torch.empty(0, dtype=F64)),
    lambda: ops.significance_from_blocks(torch.empty(0, dtype=F64), "all"),
    lambda: ops.mv_sample_partitions(torch.empty(0, dtype=F64), 3, 0, 0),
    lambda: ops.mv_sample_contexts(torch.empty(0, dtype=torch.long), 4, 3, False, 0, 0),
    lambda: ops.interaction_sample(torch.empty(0, 4), 2, 2, 0.0, 1.0, 0),
    lambda: ops.interaction_mask(torch.empty(0, 4), torch.empty(0, 4, dtype=torch.uint8), 2),
    lambda: ops.interaction_delta(torch.empty(0, 4)),
    lambda: ops.masked_inputs(torch.empty(0), torch.empty(0), torch.empty(0, dtype=torch.long), torch.zeros(2, 1, dtype=torch.long)),
    lambda: ops.masked_inputs(torch.zeros(3), torch.zeros(3), torch.zeros(3, dtype=torch.long), torch.empty(0, 1, dtype=torch.long)),
    lambda: ops.combinations(torch.empty(0), 4, 2, 0, 0),
    lambda: ops.design_plan("pairs", 4, 0, 0, 1, pairs=torch.empty(0, 2, dtype=torch.long)),
    lambda: ops.delta_reduce(*(torch.empty(0, dtype=t) for t in (F64, torch.long, F64, torch.long, torch.long, F64, F64))),
    lambda: ops.walsh_kernel(EMPTY_LONG, EMPTY_LONG, torch.zeros(1, dtype=F64)),
    lambda: ops.walsh_kernel_product(torch.zeros(2, 1, dtype=torch.long), EMPTY_LONG, torch.zeros(1, dtype=F64),
                                     torch.empty(0, dtype=F64)),
])
def test_empty_tensors_never_reach_the_core_as_null(call):
    """The internal class (RuntimeError) is for a broken contract of the op layer: empty tensors, whose
    data pointers are NULL, are either a result or a ValueError, never an "internal error"."""
    try:
        call()
    except ValueError as e:
        assert "internal error" not in str(e) and "NULL" not in str(e), str(e)
