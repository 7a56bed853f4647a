"""Property-based tests of every raw op ``torch.ops.interplay.*``: hostile arguments raise cleanly or give
the correct result.

Each example starts from the op's valid call in tests/op_cases.py (CASES, which covers every registered
op) and replaces one or two arguments with something a hostile or careless caller would pass: other dtypes
(float16/32/64, int32/64, uint8, bool, complex), empty, strided, transposed and expanded tensors, NaN/Inf,
meta tensors, negative and huge ints (near and past int64 overflow, values that narrowing to int would
wrap), bad enum strings. The call must either raise a clean Python exception (RuntimeError, ValueError,
TypeError, IndexError, NotImplementedError or MemoryError with a one-line message, never the op layer's
"internal error" of a broken core contract) or return a correct result: equal to the same call on
contiguous copies, and, for ops whose inputs must be finite, never a result from a non-finite input.

The hostile calls run in child processes (a few ops per child) under an 8 GiB address-space limit, so a
crash (SIGSEGV, SIGFPE, abort) or a runaway allocation is a test failure that names the op and the call,
never the death of the run. Bounded: ``derandomize=True``, a fixed number of examples per op (~1 minute in
all on two cores); memory errors inside the C core are the job of ``make sanitize`` (tests/c).
"""
from __future__ import annotations

import math
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)  # the shared helpers (op_cases) the child imports
CHUNKS = 4
EXAMPLES = int(os.environ.get("INTERPLAY_HARDENING_EXAMPLES", "100"))


def _op_names():
    import torch

    import interplay  # noqa: F401
    import interplay.nn._ops  # noqa: F401

    return sorted(s.name.split("::")[1] for s in torch._C._jit_get_all_schemas() if s.name.startswith("interplay::"))


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_hostile_calls_raise_cleanly_or_are_correct(chunk):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([os.path.join(TESTS, "..", "python"), TESTS, env.get("PYTHONPATH", "")])
    env.setdefault("OMP_NUM_THREADS", "1")
    proc = subprocess.run([sys.executable, os.path.abspath(__file__), str(chunk)], env=env, capture_output=True,
                          text=True, timeout=600)
    tail = proc.stderr[-3000:] + "\n" + proc.stdout[-5000:]  # the last CALL (a crash), then the FAILUREs
    assert proc.returncode == 0, f"chunk {chunk} exited with {proc.returncode} (negative: killed by a signal)\n{tail}"


def test_every_op_is_in_a_chunk():
    from op_cases import CASES

    names = _op_names()
    assert set(names) == set(CASES)
    assert sorted(sum((_chunk(names, c) for c in range(CHUNKS)), [])) == names


def _chunk(names, chunk):
    return names[chunk::CHUNKS]


# ------------------------------------------------------------------------------------------------ the child


def _child(chunk: int) -> int:
    import resource

    limit = 8 << 30
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import torch
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    import interplay  # noqa: F401
    import interplay.nn._ops  # noqa: F401
    from op_cases import CASES

    torch.set_num_threads(1)
    ops = torch.ops.interplay
    schemas = {s.name.split("::")[1]: s for s in torch._C._jit_get_all_schemas() if s.name.startswith("interplay::")}
    clean = (RuntimeError, ValueError, TypeError, IndexError, NotImplementedError, MemoryError)
    # ops whose float inputs must be finite: a result from NaN/Inf input would be silently wrong (the loss
    # ops and delta_reduce propagate NaN into their outputs, visibly, as arithmetic does)
    finite_only = {"harsanyi_dividends", "player_values", "pair_interaction_matrix", "pair_interaction",
                   "multi_order_interaction", "coalition_shapley", "multivariate_interaction",
                   "elementary_interaction", "block_values", "significance_from_blocks",
                   "mv_sample_partitions"}
    ints = [-(2**63), -(2**40), -(2**32) + 1, -1, 0, 1, 2, 3, 5, 63, 64, 65, 2**40, 2**62, 2**62 + 1,
            2**63 - 1]
    floats = [0.0, 1.0, 0.5, -0.0, -1.0, 2.0, math.nan, math.inf, -math.inf, 1e308, 5e-324]
    dtypes = [torch.float16, torch.bfloat16, torch.float32, torch.float64, torch.int32, torch.int64, torch.uint8,
              torch.bool, torch.complex64]

    def tensor_variants(t, meta=True):
        """(strategy of hostile tensors made from t, whether it keeps t's values)"""
        out = [st.sampled_from(dtypes).map(lambda d: t.to(d) if not t.is_complex() else t)]
        out.append(st.just(t.new_empty((0,) + tuple(t.shape[1:]))))  # empty batch
        out.append(st.just(t.new_empty(0)))
        out.append(st.just(t.reshape(-1)))
        out.append(st.just(t.unsqueeze(0)))
        if meta:
            out.append(st.just(t.to("meta")))
        if t.dim() >= 1 and t.numel() > 0:
            out.append(st.just(t[: max(t.shape[0] - 1, 0)]))
            out.append(st.just(torch.cat([t, t])))
        if t.is_floating_point() and t.numel() > 0:
            def poke(v, k, t=t):
                u = t.detach().clone().reshape(-1)
                u[k % u.numel()] = torch.tensor(v, dtype=torch.float64).to(u.dtype)  # 1e300 -> inf in half
                return u.reshape(t.shape)
            out.append(st.builds(poke, st.sampled_from([math.nan, math.inf, -math.inf, 1e300]),
                                 st.integers(0, 1000)))
        if t.dtype in (torch.int64, torch.uint8) and t.numel() > 0:
            def poke_int(v, k, t=t):
                u = t.clone().reshape(-1)
                info = torch.iinfo(t.dtype)
                u[k % u.numel()] = max(min(v, info.max), info.min)
                return u.reshape(t.shape)
            out.append(st.builds(poke_int, st.sampled_from(ints + [4, 9, 255]), st.integers(0, 1000)))
        return st.one_of(out)

    def strided(t):
        """Non-contiguous views with t's values (or None when t has no such view)."""
        if t.dim() == 0 or t.numel() < 2:
            return None
        views = [torch.stack([t, t], -1)[..., 0]]  # strided
        if t.dim() == 2:
            views.append(t.t().contiguous().t())  # transposed storage
        if t.shape[0] == 1 or t.dim() >= 1:
            views.append(t[:1].expand(t.shape) if t.shape[0] > 0 and bool((t == t[:1]).all()) else views[0])
        return views

    def hostile(argument, value, meta=True):
        kind = str(argument.type)
        if "Tensor" in kind:
            if value is None:
                return st.just(torch.zeros(3))
            return tensor_variants(value, meta)
        if kind.startswith("int[]"):
            return st.lists(st.sampled_from(ints), max_size=3)
        if kind == "int":
            return st.sampled_from(ints)
        if kind == "float":
            return st.sampled_from(floats)
        if kind == "bool":
            return st.booleans()
        if kind == "str":
            return st.sampled_from(["", "Shapley", "shapley ", "coalitions", "all", "rate", "size", "pairs", "x" * 300])
        return st.nothing()

    def call(name, args, kwargs):
        sys.stderr.write(f"CALL {name} {_show(args)} {_show(kwargs)}\n")
        sys.stderr.flush()
        return getattr(ops, name)(*args, **kwargs)

    def clone(x):
        if isinstance(x, torch.Tensor):
            return x.clone()
        if isinstance(x, dict):
            return {k: clone(v) for k, v in x.items()}
        if isinstance(x, (list, tuple)):
            return type(x)(clone(v) for v in x)
        return x

    def check_clean(name, e):
        msg = str(e).strip()
        assert isinstance(e, clean), f"{name}: {type(e).__name__} is not a clean error: {msg}"
        assert "internal error" not in msg, f"{name}: a hostile argument reached the core as a broken contract: {msg}"
        assert msg and "\n" not in msg, f"{name}: the message must be one line: {msg!r}"

    def same(a, b):
        if isinstance(a, torch.Tensor):
            if a.device.type == "meta" or b.device.type == "meta":
                return a.shape == b.shape and a.dtype == b.dtype
            return a.shape == b.shape and a.dtype == b.dtype and torch.equal(a, b) or (
                a.is_floating_point() and a.shape == b.shape and torch.allclose(a, b, equal_nan=True, rtol=0, atol=0))
        if isinstance(a, (tuple, list)):
            return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
        return a == b

    failures = []
    names = _chunk(sorted(schemas), chunk)
    for name in names:
        schema = schemas[name]
        base_args, base_kwargs = CASES[name]
        base_args = [a.detach() if isinstance(a, torch.Tensor) else a for a in base_args]
        base_kwargs = {k: v.detach() if isinstance(v, torch.Tensor) else v for k, v in base_kwargs.items()}
        slots = [(i, a) for i, a in enumerate(schema.arguments) if i < len(base_args) or a.name in base_kwargs
                 or a.kwarg_only]

        def value_of(i, a):
            return base_args[i] if i < len(base_args) else base_kwargs.get(a.name)

        @st.composite
        def calls(draw):
            args, kwargs = clone(list(base_args)), clone(dict(base_kwargs))
            picked = draw(st.lists(st.sampled_from(slots), min_size=1, max_size=2, unique_by=lambda s: s[0]))
            for i, a in picked:
                v = draw(hostile(a, value_of(i, a), True))
                if i < len(args):
                    args[i] = v
                else:
                    kwargs[a.name] = v
            return args, kwargs

        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, print_blob=False,
                  suppress_health_check=list(HealthCheck))
        @given(calls())
        def hostile_call(case):
            args, kwargs = case
            try:
                got = call(name, clone(args), clone(kwargs))
            except Exception as e:  # noqa: BLE001
                check_clean(name, e)
                return
            flat = [v for v in list(args) + list(kwargs.values()) if isinstance(v, torch.Tensor)]
            if name in finite_only:
                for v in flat:
                    if v.device.type != "meta" and (v.is_floating_point() or v.is_complex()):
                        assert bool(torch.isfinite(v).all()), f"{name}: a result from a non-finite input"
            contiguous = [clone(a).contiguous() if isinstance(a, torch.Tensor) else a for a in args]
            again = call(name, contiguous, clone(kwargs))
            assert same(got, again), (f"{name}: not reproducible on the same (contiguous) arguments: "
                                      f"{_show(args)} {_show(kwargs)} -> {got} vs {again}")

        @settings(max_examples=max(EXAMPLES // 4, 5), deadline=None, derandomize=True, database=None,
                  print_blob=False, suppress_health_check=list(HealthCheck))
        @given(st.data())
        def strided_call(data):
            # a strided / transposed / expanded view of a valid argument: the result of its contiguous copy
            tensors = [i for i, a in enumerate(base_args) if isinstance(a, torch.Tensor) and strided(a)]
            if not tensors:
                return
            i = data.draw(st.sampled_from(tensors))
            view = data.draw(st.sampled_from(strided(base_args[i])))
            args = clone(list(base_args))
            args[i] = view
            try:
                got = call(name, args, clone(base_kwargs))
            except Exception as e:  # noqa: BLE001
                check_clean(name, e)
                return
            args[i] = view.contiguous()
            want = call(name, clone(args), clone(base_kwargs))
            if name in ("interaction_sample",):
                return
            assert same(got, want), f"{name}: a non-contiguous argument {i} changes the result"

        for test in (hostile_call, strided_call):
            try:
                test()
            except Exception as e:  # noqa: BLE001  (hypothesis re-raises the shrunk failure)
                for sub in getattr(e, "exceptions", [e]):
                    failures.append(f"{name}: {type(sub).__name__}: {sub}")
        print(f"ok-or-reported: {name}", flush=True)
    for f in failures:
        print("FAILURE", f[:2000])
    return 1 if failures else 0


def _show(x):
    import torch

    if isinstance(x, torch.Tensor):
        return f"Tensor({tuple(x.shape)}, {x.dtype}, {x.device.type}, stride={x.stride()})"
    if isinstance(x, dict):
        return "{" + ", ".join(f"{k}={_show(v)}" for k, v in x.items()) + "}"
    if isinstance(x, (list, tuple)):
        return "[" + ", ".join(_show(v) for v in x) + "]"
    return repr(x)[:80]


if __name__ == "__main__":
    sys.exit(_child(int(sys.argv[1])))
