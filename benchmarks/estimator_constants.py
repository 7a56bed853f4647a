"""The complementary-pair estimators' constants, each varied around its value: MSE to the exact index
(mean over seeds ± its standard error, and over the default's MSE) and the time per estimate, per game
and budget, one thread (RESULTS.md, "The estimators' constants").

    PYTHONPATH=python python benchmarks/estimator_constants.py [--seeds 10] [--only REGEX] [--threads 1]

(~10 minutes on one thread; the committed output: benchmarks/results/estimator_constants.txt.)

Games: seed s is the random game s, estimated with seed s. The sparse game: an additive part, n random
pairs (weights N(0, 1)), unanimity terms of orders 3 to 6 with weights falling by half per order, and a
function of |S| (a smooth hump plus a small fast wave); its indices are known in closed form, and up to
16 players it is answered from its 2^n table (ip.TableGame, checked against ip's exact indices). Some
cells use the dense game of benchmarks/stderr_coverage.py (dense pairs, sin(1.3 |S|), 0.5 cos(x @ w1):
much higher-order mass; exact from its table) or the sparse game plus a constant (a logit's offset).
Module constants are patched for a variant and restored after it (RELEVANCE_TOL: the function that
reads it, whose default argument is bound at import); the default variant is marked *.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import itertools
import math
import re
import statistics
import sys
import time
from dataclasses import dataclass
from typing import Callable, Optional

import torch

import interplay as ip
from interplay.estimators.complementary import gaussian_process as gp_mod
from interplay.estimators.complementary import regression as reg_mod
from interplay.estimators.complementary import walsh

SYMMETRIC = (2.0, 0.3)  # f(s) = 2 sin(pi s / n) + 0.3 sin(1.3 s)


def game_terms(n: int, seed: int) -> tuple[torch.Tensor, list[tuple[tuple[int, ...], float]]]:
    """(the additive weights, [(T, the unanimity term's weight)]) of random game ``seed``."""
    g = torch.Generator().manual_seed(1000 * n + seed)
    w1 = torch.randn(n, generator=g, dtype=torch.float64)
    terms: list[tuple[tuple[int, ...], float]] = []
    for r, count, scale in ((2, n, 1.0), (3, n // 2, 0.5), (4, n // 4, 0.25), (5, 2, 0.125), (6, 2, 0.0625)):
        seen = set()
        while len(seen) < count:
            t = tuple(sorted(torch.randperm(n, generator=g)[:r].tolist()))
            if t not in seen:
                seen.add(t)
                terms.append((t, scale * float(torch.randn(1, generator=g, dtype=torch.float64))))
    return w1, terms


def symmetric(s: torch.Tensor, n: int) -> torch.Tensor:
    s = s.to(torch.float64)
    return SYMMETRIC[0] * torch.sin(math.pi * s / n) + SYMMETRIC[1] * torch.sin(1.3 * s)


def reward_fn(n: int, seed: int) -> Callable[[torch.Tensor], torch.Tensor]:
    w1, terms = game_terms(n, seed)

    def reward(c: torch.Tensor) -> torch.Tensor:
        x = c.to(torch.float64)
        out = x @ w1 + symmetric(x.sum(1), n)
        for t, d in terms:
            out = out + d * x[:, list(t)].prod(1)
        return out

    return reward


def closed_form(n: int, seed: int, index: str) -> torch.Tensor:
    """The exact SV [n] or SII [n, n] (zero diagonal) of random game ``seed``."""
    w1, terms = game_terms(n, seed)
    f = symmetric(torch.arange(n + 1), n)
    if index == "SV":
        out = w1 + (f[n] - f[0]) / n
        for t, d in terms:
            out[list(t)] += d / len(t)
        return out
    out = torch.full((n, n), float((f[n] - f[n - 1]) - (f[1] - f[0])) / (n - 1), dtype=torch.float64)
    for t, d in terms:
        for i, j in itertools.combinations(t, 2):
            out[i, j] += d / (len(t) - 1)
            out[j, i] += d / (len(t) - 1)
    return out.fill_diagonal_(0.0)


QUANTITY = {"SV": ip.shapley_values, "SII": ip.shapley_interaction_matrix,
            "BII": ip.banzhaf_interaction_matrix}
_GAMES: dict = {}


def dense_values(n: int, seed: int) -> torch.Tensor:
    """The 2^n table of a game with dense pairs and a rough higher-order part (``random_game`` of
    benchmarks/stderr_coverage.py)."""
    g = torch.Generator().manual_seed(2000 * n + seed)
    masks = torch.arange(1 << n)
    x = ((masks[:, None] >> torch.arange(n)) & 1).double()
    w1 = torch.randn(n, generator=g, dtype=torch.float64)
    w2 = torch.randn(n, n, generator=g, dtype=torch.float64).triu(1) / n ** 0.5
    return x @ w1 + ((x @ w2) * x).sum(1) + torch.sin(1.3 * x.sum(1)) + 0.5 * torch.cos(x @ w1)


def game(n: int, seed: int, kind: str = "") -> ip.Game:
    """Random game ``seed``: ``""`` the sparse game above, ``"dense"`` :func:`dense_values`, ``"+c"`` the
    sparse game + c (a constant, which no index sees)."""
    if (n, seed, kind) not in _GAMES:
        offset = float(kind) if kind.startswith("+") else 0.0
        fn = reward_fn(n, seed)
        if kind == "dense":
            _GAMES[n, seed, kind] = ip.TableGame(dense_values(n, seed), progress=False)
        elif n <= 16:
            masks = torch.arange(1 << n)
            values = fn((masks[:, None] >> torch.arange(n)) & 1 == 1) + offset
            _GAMES[n, seed, kind] = ip.TableGame(values, progress=False)
        else:
            _GAMES[n, seed, kind] = ip.Game(lambda c: fn(c) + offset, n, batch_size=4096, progress=False)
    return _GAMES[n, seed, kind]


@functools.lru_cache(maxsize=None)
def truth(n: int, seed: int, index: str, kind: str = "") -> torch.Tensor:
    if n <= 16 or kind == "dense":
        return QUANTITY[index](game(n, seed, kind)).values
    return closed_form(n, seed, index)


def error(r: torch.Tensor, exact: torch.Tensor, index: str) -> float:
    if index == "SV":
        return float(((r - exact) ** 2).mean())
    iu = torch.triu_indices(len(exact), len(exact), 1)
    return float(((r - exact)[iu[0], iu[1]] ** 2).mean())


# -- variants ------------------------------------------------------------------------------------------
@contextlib.contextmanager
def patched(module, **attrs):
    old = {k: getattr(module, k) for k in attrs}
    for k, v in attrs.items():
        setattr(module, k, v)
    try:
        yield
    finally:
        for k, v in old.items():
            setattr(module, k, v)


@dataclass
class Variant:
    label: str
    make: Callable[[int], ip.Estimator]  # budget -> estimator
    patch: Callable[[], contextlib.AbstractContextManager] = contextlib.nullcontext
    default: bool = False


@dataclass
class Experiment:
    name: str  # what --only matches
    where: str
    quantities: tuple
    cells: dict  # quantity -> [(n, budget)] or [(n, budget, game kind)]
    variants: object  # [Variant], or quantity -> [Variant]
    record_prior: bool = False


def GP(**kw):
    return lambda b: ip.GaussianProcess(budget=b, progress=False, **kw)


def REG(**kw):
    return lambda b: ip.Regression(budget=b, progress=False, **kw)


def grid(ns_budgets):
    return [(n, b) for n, bs in ns_budgets for b in bs]


SMALL = grid([(12, (256, 1024)), (14, (256, 1024, 4096)), (16, (256, 1024, 4096))])
DENSE = [(14, b, "dense") for b in (256, 1024, 4096)]


def experiments() -> list[Experiment]:
    gp_default = Variant("GaussianProcess() (auto)", GP(), default=True)
    search = (("STEP 2 (finer grid)", {"STEP": 2.0}), ("STEP 10 (coarser grid)", {"STEP": 10.0}),
              ("START x sqrt3 (grid shifted)", {"START": (0.03 * 3 ** 0.5, 0.1 * 3 ** 0.5)}),
              ("START (0.27, 0.3) (same grid)", {"START": (0.27, 0.3)}),
              ("START (0.0033, 0.033) (same grid)", {"START": (0.01 / 3, 0.1 / 3)}),
              ("BOUNDS narrower (1e-3..1, 1e-2..1)", {"BOUNDS": ((1e-3, 1.0), (1e-2, 1.0))}),
              ("BOUNDS wider (1e-8..100, 1e-6..10)", {"BOUNDS": ((1e-8, 100.0), (1e-6, 10.0))}))
    prior = [gp_default] + [Variant(label, GP(), lambda kw=kw: patched(gp_mod, **kw)) for label, kw in search]
    fixed = (((0.03, 0.1), True), ((0.27, 0.3), True), ((0.01, 0.033), True), ((1.0, 1.0), False),
             ((0.1, 0.5), False), ((0.003, 0.01), False))
    prior += [Variant(f"fixed prior {p}{' (on grid)' if on else ' (off grid)'}", GP(prior=p))
              for p, on in fixed]
    select = [Variant(f"select_rows={s}", GP(select_rows=s)) for s in (64, 128, 256, 512, 1024, 2048)]
    select.insert(0, Variant("select_rows=None (max(256, fit // 4))", GP(), default=True))
    even = [Variant(f"EVEN_MEAN_VARIANCE={v:g}", GP(), lambda v=v: patched(walsh, EVEN_MEAN_VARIANCE=v),
                    default=v == 100.0) for v in (1.0, 10.0, 100.0, 1e3, 1e4, 1e6)]
    # the even part's mean matters where the game has a large constant (a model's logit): offsets
    offsets = [(n, b, c) for c in ("+100", "+1000") for n, b in ((14, 256), (14, 1024), (16, 4096))]
    jitter = [Variant(f"JITTER={v:g}", GP(), lambda v=v: patched(walsh, JITTER=v), default=v == 1e-9)
              for v in (1e-12, 1e-9, 1e-6, 1e-4)]
    tol = [Variant(f"RELEVANCE_TOL={v:g}", GP(), lambda v=v: patched(walsh, RELEVANCE_TOL=v), default=v == 0.02)
           for v in (0.0, 0.005, 0.02, 0.05, 0.1)]
    tol.append(Variant("relevance_steps=0 (no per-pair variances)", GP(relevance_steps=0)))
    order = [Variant(f"AUTO_ORDER_PAIRS={v:g}", REG(), lambda v=v: patched(reg_mod, AUTO_ORDER_PAIRS=v),
                     default=v == 1.5) for v in (0.75, 1.0, 1.5, 2.0, 3.0)]
    order_sv = order + [Variant("order=1", REG(order=1)), Variant("order=3", REG(order=3))]
    order_sii = order + [Variant("order=2", REG(order=2)), Variant("order=4", REG(order=4))]
    corr = [Variant(f"CORRECTION_PAIRS={v:g}", REG(), lambda v=v: patched(reg_mod, CORRECTION_PAIRS=v),
                    default=v == 4) for v in (2, 3, 4, 6, 8)]
    both = {"SV": SMALL + DENSE, "SII": SMALL + DENSE}
    return [
        Experiment("START_STEP_BOUNDS",
                   "gaussian_process.py: START (0.03, 0.1), STEP 3, BOUNDS ((1e-5, 10), (1e-4, 1))",
                   ("SV", "SII"), both, prior, record_prior=True),
        Experiment("select_rows",
                   "gaussian_process.py: GaussianProcess.settings, select_rows=None -> max(256, fit // 4)",
                   ("SV", "SII"), both, select),
        Experiment("EVEN_MEAN_VARIANCE", "walsh.py: EVEN_MEAN_VARIANCE 100", ("SII", "BII"),
                   {"SII": SMALL + offsets + DENSE, "BII": SMALL + offsets + DENSE}, even),
        Experiment("JITTER", "walsh.py: JITTER 1e-9 (relative to K's mean diagonal)", ("SV", "SII"), both,
                   jitter),
        Experiment("RELEVANCE_TOL",
                   "walsh.py: RELEVANCE_TOL 0.02 (per-pair variances: C(n, 2) >= the pairs fitted)",
                   ("SII",), {"SII": grid([(32, (256, 960)), (48, (2048,)), (64, (1024,))])}, tol),
        Experiment("AUTO_ORDER_PAIRS", "regression.py: AUTO_ORDER_PAIRS 1.5 (Regression(order='auto'))",
                   ("SV", "SII"),
                   {"SV": grid([(12, (384, 512, 768, 1024, 1536, 2048)),
                                (14, (512, 768, 1024, 1536, 2048, 3072)),
                                (16, (768, 1024, 1536, 2048, 3072, 4096))])
                    + [(14, b, "dense") for b in (512, 768, 1024, 1536, 2048, 3072)],
                    "SII": grid([(12, (768, 1024, 1536, 2048)), (14, (1536, 2048, 3072, 4096, 6144)),
                                 (16, (3072, 4096, 6144, 8192))])
                    + [(14, b, "dense") for b in (1536, 2048, 3072, 4096, 6144)]},
                   {"SV": order_sv, "SII": order_sii}),
        Experiment("CORRECTION_PAIRS", "regression.py: CORRECTION_PAIRS 4 (Regression(correction='auto'))",
                   ("SV", "SII"),
                   {"SV": grid([(12, (1024, 1536, 2048)), (14, (1536, 2048, 3072, 4096)),
                                (16, (3072, 4096, 6144))])
                    + [(14, b, "dense") for b in (1536, 2048, 3072, 4096)],
                    "SII": grid([(12, (256, 384, 512, 768, 1024)), (14, (384, 512, 768, 1024, 8192, 12288)),
                                 (16, (512, 768, 1024, 1536))])
                    + [(14, b, "dense") for b in (384, 512, 768, 1024, 8192)]},
                   {"SV": corr + [Variant("order=3, correction=False", REG(order=3, correction=False)),
                                  Variant("order=3, correction=True", REG(order=3, correction=True))],
                    "SII": corr + [Variant("order=2, correction=False", REG(order=2, correction=False)),
                                   Variant("order=2, correction=True", REG(order=2, correction=True)),
                                   Variant("order=4, correction=False", REG(order=4, correction=False)),
                                   Variant("order=4, correction=True", REG(order=4, correction=True))]}),
    ]


# -- running ---------------------------------------------------------------------------------------------



def cell_note(ex: Experiment, index: str, n: int, b: int) -> str:
    """What decides the constant in this cell (printed beside it)."""
    if ex.name == "AUTO_ORDER_PAIRS":
        k = 3 if index == "SV" else 4
        return f"pairs / coefficients(order {k}) = {b // 2 / reg_mod.coefficients(n, index, k):.2f}"
    if ex.name == "CORRECTION_PAIRS":
        k = reg_mod.Regression(budget=b).settings(n, index)[0]
        return f"auto order {k}: pairs / coefficients = {b // 2 / reg_mod.coefficients(n, index, k):.2f}"
    if ex.name in ("select_rows", "START_STEP_BOUNDS", "RELEVANCE_TOL", "EVEN_MEAN_VARIANCE", "JITTER"):
        m = ip.GaussianProcess(budget=b)
        st = m.settings(n, index, m.plan(n, index))
        pair_terms = f", C(n, 2) = {math.comb(n, 2)}" if index != "SV" else ""
        return f"fit {st.fit} pairs, select {st.select}{pair_terms}"
    return ""


_SAME: dict = {}  # Regression: the (order, correction) a variant resolves to -> (errors, times)


def run_cell(v: Variant, index: str, n: int, b: int, kind: str, seeds: int, chosen: Optional[list]
             ) -> tuple[list, list]:
    errs, times = [], []
    with v.patch():
        m = v.make(b)
        key = None
        if isinstance(m, ip.Regression):  # an "auto" resolving as an explicit variant: the same estimates
            k, c = m.settings(n, index)
            key = (index, n, b, kind, seeds, k, c, m.order == "auto" and k == 3 and not c)
            if key in _SAME:
                return _SAME[key]
        select = gp_mod._select
        if chosen is not None:
            def recording(*args, **kw):
                p = select(*args, **kw)
                (r, d), (lo, hi) = p, gp_mod.BOUNDS
                step = gp_mod.STEP
                edge = r * step > lo[1] or r / step < lo[0] or d * step > hi[1] or d / step < hi[0]
                chosen.append((f"({r:.3g}, {d:.3g})", edge))
                return p
            gp_mod._select = recording
        try:
            for s in range(seeds):
                g = game(n, s, kind)
                exact = truth(n, s, index, kind)
                t0 = time.perf_counter()
                r = QUANTITY[index](g, method=m.replace(seed=s)).values
                times.append(time.perf_counter() - t0)
                errs.append(error(r, exact, index))
        finally:
            gp_mod._select = select
    if key is not None:
        _SAME[key] = (errs, times)
    return errs, times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--only", default=None, help="a regex on the experiments' names "
                    "(START_STEP_BOUNDS, select_rows, EVEN_MEAN_VARIANCE, JITTER, RELEVANCE_TOL, "
                    "AUTO_ORDER_PAIRS, CORRECTION_PAIRS)")
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    for index in ("SV", "SII"):  # the closed form against ip's exact indices from the table
        assert torch.allclose(closed_form(12, 0, index), truth(12, 0, index), atol=1e-10), index
    print(f"# PYTHONPATH=python python benchmarks/estimator_constants.py {' '.join(sys.argv[1:])}".rstrip())
    print(f"# {a.seeds} seeds, {torch.get_num_threads()} thread(s); MSE mean ± s.e. over seeds; "
          "ratio: MSE / the default's (*); time: mean per estimate")
    print("# games: n players, sparse unless marked (dense: dense pairs + cos(x @ w1); "
          "+c: the sparse game + c); Regression variants that resolve to the same (order, correction) "
          "share one run")
    start = time.perf_counter()
    for ex in experiments():
        if a.only and not re.search(a.only, ex.name):
            continue
        t_ex = time.perf_counter()
        print(f"\n## {ex.name} — {ex.where}", flush=True)
        ratios: dict[str, list] = {}
        slower: dict[str, list] = {}
        for index in ex.quantities:
            variants = ex.variants[index] if isinstance(ex.variants, dict) else ex.variants
            width = max(len(v.label) for v in variants) + 2
            for n, b, *k in ex.cells[index]:
                kind = k[0] if k else ""
                name = f"n={n} {kind}" if kind else f"n={n}"
                print(f"{index} {name} budget={b}  ({cell_note(ex, index, n, b)})", flush=True)
                results = []
                for v in variants:
                    chosen = [] if ex.record_prior and v.default else None
                    errs, times = run_cell(v, index, n, b, kind, a.seeds, chosen)
                    results.append((v, errs, times, chosen))
                base = statistics.fmean(next(r[1] for r in results if r[0].default))
                base_time = statistics.fmean(next(r[2] for r in results if r[0].default))
                for v, errs, times, chosen in results:
                    mse = statistics.fmean(errs)
                    se = statistics.stdev(errs) / len(errs) ** 0.5 if len(errs) > 1 else float("nan")
                    ratios.setdefault(f"{index} {v.label}", []).append(mse / base)
                    slower.setdefault(f"{index} {v.label}", []).append(statistics.fmean(times) / base_time)
                    print(f"  {'*' if v.default else ' '} {v.label:<{width}} MSE {mse:.3e} ± {se:.1e}  "
                          f"ratio {mse / base:6.3f}  time {statistics.fmean(times):.4f} s", flush=True)
                    if chosen:
                        seen = {c[0] for c in chosen}
                        counts = sorted(((sum(1 for c in chosen if c[0] == p), p) for p in seen),
                                        reverse=True)
                        edge = sum(c[1] for c in chosen)
                        print(f"      chosen (ratio, decay), {len(chosen)} fits: "
                              + ", ".join(f"{p} x{k}" for k, p in counts) + f"; next to a bound: {edge}")
        print(f"summary of {ex.name}: geometric means over the cells of MSE / the default's (min, max) "
              "and of time / the default's")
        for label, rs in ratios.items():
            gm = math.exp(statistics.fmean(math.log(r) for r in rs))
            gt = math.exp(statistics.fmean(math.log(t) for t in slower[label]))
            print(f"  {label:<56} MSE {gm:6.3f}  ({min(rs):.3f}, {max(rs):.3f})  time {gt:5.2f}  "
                  f"{len(rs)} cells")
        print(f"({ex.name}: {time.perf_counter() - t_ex:.0f} s)", flush=True)
    print(f"\n# total {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
