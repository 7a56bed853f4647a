"""interplay's sampling estimators against shapiq 1.4.1 and captum 0.9.0 at equal model evaluations
Shapley values, all-pair SII and neighbour-pair SII; MSE to the ground truth and wall
time per estimate, side by side in one run.

Games: ``digits`` — the digits CNN of ``interplay.app.demo`` (sklearn 8x8 digits), a 4x4 grid of
2x2 cells (16 players), absent cells = the mean training image, reward = the true-class logit, two
test digits (``digits-a``, ``digits-b``); ``minilm`` — a 14-word sentence under MiniLM
(``SentenceGame``, reward ⟨f_N, f_S⟩/‖f_N‖²); ``digits64`` — an 8x8 grid of 4x4 cells on a CNN
trained on the digits upsampled to 32x32 (64 players). Ground truth: exact (2^n) for n <= 16; for
64 players unbiased estimates (``regression`` at order 1 with its cross-fitted correction for SV —
unbiased, stderr calibrated in tests/test_regression_estimators.py —, ``shared_pairs`` for SII) at a total budget
of ``--truth-factor`` × the largest budget, over ``--truth-seeds`` seeds, whose own mean squared
error (the mean stderr²) is printed and subtracted ("MSE - truth var").

Every method sees the same game through a wrapper that counts the rows sent to it: ``evals`` is
the mean of those counts. MSE is mean over seeds of the mean over entries. For n <= 16 the MSE runs
use the game's 2^n table (lookups); the wall time per estimate is the median of ``--time-repeats``
runs on the model itself (``time s``).

    PYTHONPATH=python HF_HUB_OFFLINE=1 nice python benchmarks/estimators.py            # everything
    PYTHONPATH=python python benchmarks/estimators.py --quick                          # smoke run
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import time
import warnings
from typing import Optional

import numpy as np
import torch
from torch import nn

import interplay as ip

SENTENCE = "the quiet old man walked his small brown dog along the river at dawn"  # 14 words, 14 players


class Counted:
    """A game as a function of bool coalitions [B, n] (torch or NumPy) that counts the rows."""

    def __init__(self, game: ip.Game) -> None:
        self.game, self.rows = game, 0

    def __call__(self, coalitions) -> torch.Tensor:
        c = torch.as_tensor(np.asarray(coalitions) if not torch.is_tensor(coalitions) else coalitions).bool()
        c = c.reshape(-1, self.game.n_players)
        self.rows += c.shape[0]
        return self.game(c)


# -- games ------------------------------------------------------------------------------------------
def digits16() -> dict:
    from interplay.app.demo import load_digits_split, train_digits_cnn

    data = load_digits_split()
    model = train_digits_cnn(data, progress=False)
    base = data["x_train"].mean(0)
    pmap = ip.players.grid((1, 8, 8), cells=(4, 4))
    out = {}
    for tag, k in (("a", 0), ("b", 1)):
        x, y = data["x_test"][k], int(data["y_test"][k])
        out[f"digits-{tag}"] = ip.ModelGame(model, x, pmap, baseline=base, target=y, batch_size=1024,
                                            progress=False, grid=(4, 4))
    return out


BATCH_64 = 512  # the 64-cell CNN's rows per forward pass: its fastest on the 2-core VM (--batch-sweep)


def digits64(batch_size: int = BATCH_64) -> dict:
    """The 64-cell CNN; ``batch_size``: the rows per forward pass of every method (``BATCH_64``: 2.6x
    faster per row than 2048 on the 2-core VM; ``--batch-sweep`` measures it)."""
    from engine import digits32, fit_digits  # benchmarks/engine.py: the same digits and training loop

    x, y = digits32()
    x = x[:, :1].contiguous()  # one channel
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(2), nn.Flatten(),
                          nn.Linear(64, 10))
    model = fit_digits(model, x, y, 6)
    pmap = ip.players.grid((1, 32, 32), cells=(8, 8))
    return {"digits64": ip.ModelGame(model, x[1600], pmap, baseline=x[:1500].mean(0), target=int(y[1600]),
                                     batch_size=batch_size, progress=False, grid=(8, 8))}


def minilm() -> dict:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    model, tokenizer = ip.games.load_minilm()
    return {"minilm": ip.SentenceGame(SENTENCE, model, tokenizer, progress=False, batch_size=512)}


def neighbours(game: ip.Game) -> torch.Tensor:
    """Grid neighbours (right, down), or adjacent words."""
    n = game.n_players
    if game.grid is None:
        return torch.tensor([[i, i + 1] for i in range(n - 1)])
    rows, cols = game.grid
    p = [[r * cols + c, r * cols + c + 1] for r in range(rows) for c in range(cols - 1)]
    p += [[r * cols + c, (r + 1) * cols + c] for r in range(rows - 1) for c in range(cols)]
    return torch.tensor(p)


# -- methods: each maps (counted game fn, n, budget, seed) to SV [n] or an SII matrix [n, n] ----------
def _iv_matrix(iv, n: int) -> torch.Tensor:
    m = torch.zeros(n, n, dtype=torch.float64)
    for i in range(n):
        for j in range(i + 1, n):
            m[i, j] = m[j, i] = float(iv[(i, j)])
    return m


def shapiq_sv(cls_name: str, **kw):
    def run(fn, n, budget, seed):
        import shapiq
        approx = getattr(shapiq, cls_name)(n=n, random_state=seed, **kw)
        iv = approx.approximate(budget=budget, game=lambda c: fn(c).numpy())
        return torch.tensor([float(iv[(i,)]) for i in range(n)], dtype=torch.float64)
    return run


def shapiq_sii(cls_name: str, **kw):
    def run(fn, n, budget, seed):
        import shapiq
        approx = getattr(shapiq, cls_name)(n=n, max_order=2, index="SII", random_state=seed, **kw)
        return _iv_matrix(approx.approximate(budget=budget, game=lambda c: fn(c).numpy()), n)
    return run


def captum_sv(fn, n, budget, seed):
    from captum.attr import ShapleyValueSampling

    torch.manual_seed(seed)
    svs = ShapleyValueSampling(lambda inp: fn(inp > 0.5))
    a = svs.attribute(torch.ones(1, n), baselines=torch.zeros(1, n), feature_mask=torch.arange(n)[None],
                      n_samples=max((budget - 1) // n, 1), perturbations_per_eval=256, show_progress=False)
    return a[0].to(torch.float64)


class _GameOf(ip.Game):
    """The counted function as an interplay game (same players and batch size; no labels or grid)."""

    def __init__(self, fn: Counted) -> None:
        super().__init__(fn, fn.game.n_players, batch_size=fn.game.batch_size, progress=False)


def ours(method: ip.Estimator, quantity: str, pairs=None):
    def run(fn, n, budget, seed):
        game = _GameOf(fn)
        m = method.replace(budget=budget, seed=seed, progress=False)
        if quantity == "SV":
            return ip.shapley_values(game, method=m).values
        return ip.shapley_interaction_matrix(game, pairs=pairs, method=m).values
    return run


def library_default(quantity: str, pairs=None):
    """What ``budget=`` without ``method=`` runs (the registry's default; few pairs: shared contexts)."""
    def run(fn, n, budget, seed):
        game = _GameOf(fn)
        if quantity == "SV":
            return ip.shapley_values(game, budget=budget, seed=seed).values
        return ip.shapley_interaction_matrix(game, pairs=pairs, budget=budget, seed=seed).values
    return run


DEFAULT = "interplay default"
FLOOR = "the model alone (time floor)"
DEFAULT_LABELS = (DEFAULT, "interplay regression (default)")  # the label of runs before few pairs went shared


def methods(quantity: str, pairs=None, fit_rows: tuple = ()) -> dict:
    """Every method by label; ``fit_rows``: also the Gaussian process with these fit_rows (the
    time/MSE trade, ``--fit-rows``)."""
    reg = ip.Regression()
    fewer = {f"interplay gaussian_process fit_rows={m}": ours(ip.GaussianProcess(fit_rows=m), quantity, pairs)
             for m in fit_rows}
    if quantity == "SV":
        return {
            DEFAULT: library_default("SV"),
            **fewer,
            "interplay gaussian_process": ours(ip.GaussianProcess(), "SV"),
            "interplay regression": ours(reg, "SV"),
            "interplay permutation": ours(ip.Permutation(), "SV"),
            "captum ShapleyValueSampling": captum_sv,
            "shapiq KernelSHAP pairing": shapiq_sv("KernelSHAP", pairing_trick=True),
            "shapiq kADDSHAP pairing": shapiq_sv("kADDSHAP", max_order=2, pairing_trick=True),
            "shapiq PermutationSamplingSV": shapiq_sv("PermutationSamplingSV"),
        }
    out = {
        DEFAULT: library_default("SII", pairs),
        **fewer,
        "interplay gaussian_process": ours(ip.GaussianProcess(), "SII", pairs),
        "interplay regression": ours(reg, "SII", pairs),
        "interplay shared_pairs": ours(ip.SharedPairs(), "SII", pairs),
        "shapiq KernelSHAPIQ pairing": shapiq_sii("KernelSHAPIQ", pairing_trick=True),
        "shapiq InconsistentKernelSHAPIQ pairing": shapiq_sii("InconsistentKernelSHAPIQ", pairing_trick=True),
        "shapiq SVARMIQ": shapiq_sii("SVARMIQ", top_order=True),
        "shapiq PermutationSamplingSII": shapiq_sii("PermutationSamplingSII", top_order=True),
    }
    return out


TABLES = {}  # game -> its 2^n table (computed once); --table-cache DIR: also on disk, by game name


def table_of(game: ip.Game) -> torch.Tensor:
    if id(game) not in TABLES:
        path = os.path.join(TABLES.get("dir", ""), f"table_{getattr(game, 'bench_name', '')}.pt")
        if TABLES.get("dir") and os.path.exists(path):
            TABLES[id(game)] = torch.load(path)
        else:
            TABLES[id(game)] = game.table()
            if TABLES.get("dir"):
                torch.save(TABLES[id(game)], path)
    return TABLES[id(game)]


# -- ground truth -----------------------------------------------------------------------------------
def truth(game: ip.Game, budget: int, seeds: int, keys=("SV", "SII")) -> dict:
    """{"SV": (values, var), "SII": (matrix, var)}: exact (var 0) for n <= 16, else unbiased estimates
    (only those of ``keys``)."""
    n = game.n_players
    if n <= 16:
        t = ip.TableGame(table_of(game))
        return {"SV": (ip.shapley_values(t).values, 0.0), "SII": (ip.shapley_interaction_matrix(t).values, 0.0)}
    out = {}
    per = budget // seeds
    for q, fn in (("SV", lambda s: ip.shapley_values(game, method=ip.Regression(budget=per, seed=1000 + s, order=1))),
                  ("SII", lambda s: ip.shapley_interaction_matrix(game, method="shared_pairs", budget=per,
                                                                  seed=1000 + s))):
        if q not in keys:
            continue
        rs = [fn(s) for s in range(seeds)]
        vals = torch.stack([r.values for r in rs]).mean(0)
        var = torch.stack([r.stderr ** 2 for r in rs]).mean(0) / seeds
        if q == "SII":
            vals.diagonal().zero_()
            var.diagonal().zero_()
        out[q] = (vals, var)
    return out


def _entries(q: str, n: int, pairs) -> torch.Tensor:
    if q == "SV":
        return torch.ones(n, dtype=torch.bool)
    m = torch.zeros(n, n, dtype=torch.bool)
    p = torch.triu_indices(n, n, 1) if pairs is None else pairs.t()
    m[p[0], p[1]] = True
    return m


TIE = 1e-3  # peers whose MSE is within this (relative) of the best count as equally accurate
SLOW = re.compile(r"SVARMIQ|Inconsistent")  # shapiq's slowest (Python loops): --slow-seeds of them


def bench(name: str, game: ip.Game, budgets, seeds: int, repeats: int, truth_factor: int, truth_seeds: int,
          quantities, keep: str = "", slow_seeds: Optional[int] = None, fit_rows: tuple = ()) -> list:
    n = game.n_players
    game.bench_name = name
    t0 = time.perf_counter()
    keys = {"SV" if q == "SV" else "SII" for q in quantities}
    cached = os.path.join(TABLES.get("dir", ""), f"truth_{name}_{truth_factor * max(budgets)}_{truth_seeds}.pt")
    if n > 16 and TABLES.get("dir") and os.path.exists(cached):
        gt = torch.load(cached)
    else:
        gt = truth(game, truth_factor * max(budgets), truth_seeds, keys)
        if n > 16 and TABLES.get("dir") and keys == {"SV", "SII"}:
            torch.save(gt, cached)
    print(f"\n== {name}: n = {n}, truth in {time.perf_counter() - t0:.0f} s"
          + ("" if n <= 16 else "".join(f" ({k} truth var {float(gt[k][1][_entries(k, n, None)].mean()):.2e})"
                                        for k in sorted(keys))), flush=True)
    lookup = ip.TableGame(table_of(game), batch_size=game.batch_size) if n <= 16 else game
    rows, cache = [], {}
    floors = {b: model_alone(game, b, max(repeats, 3)) for b in budgets} if repeats or n > 16 else {}
    nb = neighbours(game)
    for q in quantities:
        key, pairs = ("SV", None) if q == "SV" else ("SII", None if q == "SII" else nb)
        sel = _entries(key, n, pairs)
        exact, tvar = gt[key]
        tv = float(tvar[sel].mean()) if torch.is_tensor(tvar) else 0.0
        for budget in budgets:
            if budget in floors:
                rows.append(dict(game=name, quantity=q, budget=budget, method=FLOOR, mse=math.nan, se=math.nan,
                                 truth_var=tv, evals=budget, time=floors[budget], seeds=0))
            for label, run in methods(key, pairs, fit_rows).items():
                if keep and not re.search(keep, label):
                    continue
                errs, evals, times = [], [], []
                n_seeds = min(seeds, slow_seeds) if slow_seeds and SLOW.search(label) else seeds
                reuse = q == "neighbours" and not label.startswith("interplay")  # peers estimate all pairs
                try:
                    for seed in range(n_seeds):
                        if reuse and (label, budget, seed) in cache:
                            est, rows_sent, _ = cache[(label, budget, seed)]
                        else:
                            fn = Counted(lookup)
                            t = time.perf_counter()
                            with warnings.catch_warnings():
                                warnings.simplefilter("ignore")
                                est = run(fn, n, budget, seed)
                            rows_sent = fn.rows
                            if n > 16:  # runs on the model itself
                                times.append(time.perf_counter() - t)
                            cache[(label, budget, seed)] = (est, rows_sent, None)
                        errs.append(float(((est - exact)[sel] ** 2).mean()))
                        evals.append(rows_sent)
                    if reuse and (label, budget, "time") in cache:
                        times = cache[(label, budget, "time")]
                    reps = min(repeats, 1) if slow_seeds and SLOW.search(label) else repeats
                    for rep in range(reps if n <= 16 and not times else 0):
                        fn = Counted(game)
                        t = time.perf_counter()
                        run(fn, n, budget, rep)
                        times.append(time.perf_counter() - t)
                    cache[(label, budget, "time")] = times
                except Exception as e:  # a peer that refuses a budget
                    print(f"  {q:>9} {budget:>6}  {label:<42} failed: {type(e).__name__}: {str(e)[:80]}", flush=True)
                    continue
                mse = statistics.fmean(errs)
                se = statistics.stdev(errs) / math.sqrt(len(errs)) if len(errs) > 1 else float("nan")
                wall = statistics.median(times) if times else float("nan")
                row = dict(game=name, quantity=q, budget=budget, method=label, mse=mse, se=se, truth_var=tv,
                           evals=statistics.fmean(evals), time=wall, seeds=len(errs))
                rows.append(row)
                print(f"  {q:>9} {budget:>6}  {label:<42} MSE {mse:.3e} ± {se:.1e}"
                      + (f" (- truth var {mse - tv:.3e})" if tv else "")
                      + f"  evals {row['evals']:.0f}  time {wall:.3f} s"
                      + (f"  ({len(errs)} seeds)" if len(errs) != seeds else ""), flush=True)
    return rows


def model_alone(game: ip.Game, budget: int, repeats: int) -> float:
    """The median wall time of the model answering ``budget`` coalitions (uniform random) through the
    same counting wrapper, in the game's batches: the floor of a method that sends its rows that way."""
    x = torch.rand(budget, game.n_players, generator=torch.Generator().manual_seed(0)) < 0.5
    Counted(game)(x[:game.batch_size])  # warm (the model's first call allocates)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        Counted(game)(x)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _versus(rows: list) -> Optional[tuple[dict, dict, float]]:
    """(the default's row, the best-MSE peer's row, MSE ratio net of the truth's variance) among the
    rows of one game, quantity and budget; None without both."""
    mine = [r for r in rows if r["method"] in DEFAULT_LABELS]
    peers = [r for r in rows if not r["method"].startswith("interplay") and r["method"] != FLOOR]
    if not mine or not peers:
        return None
    least = min(r["mse"] for r in peers)  # peers tied on MSE (KernelSHAP and kADDSHAP's SV): the fastest
    best = min((r for r in peers if r["mse"] <= least * (1 + TIE)), key=lambda r: r["time"])
    tv = mine[0]["truth_var"]
    return mine[0], best, (mine[0]["mse"] - tv) / max(best["mse"] - tv, 1e-300)


def _floor(rows: list) -> float:
    return next((r["time"] for r in rows if r["method"] == FLOOR), math.nan)


def summary(rows: list) -> None:
    """Ours (the default) / the best peer, per game, quantity and budget."""
    print("\n== ratios: interplay default / best peer (MSE; time vs the best-MSE shapiq method; the model alone's\n"
          "   share of that peer's time at its rows, the floor of batched requests; overhead = time - model alone,\n"
          "   ours / the peer's; to its MSE: our time at the least budget run whose MSE is no worse than the\n"
          "   peer's at this budget, over the peer's time)")
    rows = list({(r["game"], r["quantity"], r["budget"], r["method"]): r for r in rows}.values())  # last wins
    keys = sorted({(r["game"], r["quantity"], r["budget"]) for r in rows}, key=lambda k: (k[0], k[1], k[2]))
    for k in keys:
        rs = [r for r in rows if (r["game"], r["quantity"], r["budget"]) == k]
        versus = _versus(rs)
        if versus is None:
            continue
        mine, best, ratio = versus
        tr = mine["time"] / best["time"] if best["time"] == best["time"] else float("nan")
        # the model alone at each method's own rows; no overhead ratio where a method beat that floor
        # (shapiq's permutation samplers send small requests, which the 64-cell CNN answers faster a row)
        floor_best, floor_mine = (_floor(rs) * r["evals"] / k[2] for r in (best, mine))
        over = ((mine["time"] - floor_mine) / (best["time"] - floor_best)
                if best["time"] > floor_best and mine["time"] > floor_mine else math.nan)
        # the time to the peer's accuracy: ours at the least budget of this run whose MSE is no worse
        tv = mine["truth_var"]
        enough = sorted((r for r in rows if (r["game"], r["quantity"]) == k[:2] and r["method"] in DEFAULT_LABELS
                         and r["mse"] - tv <= best["mse"] - tv), key=lambda r: r["budget"])
        reach = (f"{enough[0]['time'] / best['time']:.2f} at {enough[0]['budget']}" if enough else "not reached")
        print(f"  {k[0]:<9} {k[1]:>9} {k[2]:>6}: MSE {mine['mse']:.2e} vs {best['mse']:.2e} ({best['method']}) "
              f"ratio {ratio:.2f}; time ratio {tr:.2f} (model alone {floor_best / best['time']:.2f}; "
              f"overhead {'n/a' if over != over else f'{over:.2f}'}; to its MSE {reach})", flush=True)


def markdown(rows: list) -> None:
    """One table per game and quantity: MSE (seeds) and time per method and budget; the last line is
    the default's MSE ratio to the best peer (and its time ratio to that peer)."""
    rows = list({(r["game"], r["quantity"], r["budget"], r["method"]): r for r in rows}.values())
    for g, q in sorted({(r["game"], r["quantity"]) for r in rows}):
        rs = [r for r in rows if (r["game"], r["quantity"]) == (g, q)]
        budgets = sorted({r["budget"] for r in rs})
        print(f"\n{g}, {q}: MSE (time s)\n\n| method | " + " | ".join(map(str, budgets)) + " |")
        print("|---" * (len(budgets) + 1) + "|")
        for m in dict.fromkeys(r["method"] for r in rs):
            cells = []
            for b in budgets:
                r = next((r for r in rs if r["method"] == m and r["budget"] == b), None)
                if r is not None and r["method"] == FLOOR:
                    cells.append(f"— ({r['time']:.2f})")
                    continue
                cells.append("—" if r is None else f"{r['mse'] - r['truth_var']:.2e} ({r['time']:.2f})"
                             + ("" if r["seeds"] >= 10 else f" [{r['seeds']} seeds]"))
            print(f"| {m} | " + " | ".join(cells) + " |")
        cells = []
        for b in budgets:
            versus = _versus([r for r in rs if r["budget"] == b])
            if versus is None:
                cells.append("—")
                continue
            mine, best, ratio = versus
            cells.append(f"**{ratio:.2f}** (time {mine['time'] / best['time']:.2f})")
        print("| default / best peer | " + " | ".join(cells) + " |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--games", default="digits,minilm,digits64")
    ap.add_argument("--budgets", default=None, help="comma-separated (default 512,2048,8192; +32768 for 64 players)")
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--quantities", default="SV,SII,neighbours")
    ap.add_argument("--time-repeats", type=int, default=3)
    ap.add_argument("--time-games", default="digits-a,digits-b",
                    help="games (n <= 16) timed on the model itself (64 players: the MSE runs are timed)")
    ap.add_argument("--truth-factor", type=int, default=100)
    ap.add_argument("--truth-seeds", type=int, default=4)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--methods", default="", help="regex: only the methods whose label matches")
    ap.add_argument("--slow-seeds", type=int, default=None,
                    help="seeds for shapiq's SVARMIQ and InconsistentKernelSHAPIQ")
    ap.add_argument("--json", default=None, help="write the rows here (and read them back with --summary)")
    ap.add_argument("--summary", default=None, help="comma-separated JSON row files: print their ratios, run nothing")
    ap.add_argument("--table-cache", default=None, help="a folder: 2^n tables (and the truth of larger games) saved there and reused")
    ap.add_argument("--fit-rows", default="", help="comma-separated: also the Gaussian process with these fit_rows")
    ap.add_argument("--batch-size", type=int, default=BATCH_64, help="the 64-cell CNN's rows per forward pass")
    ap.add_argument("--batch-sweep", action="store_true",
                    help="print the 64-cell CNN's time for 8192 rows at several batch sizes and stop")
    ap.add_argument("--quick", action="store_true", help="one digit, budgets 512,2048, 3 seeds, SV and SII")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    if a.table_cache:
        TABLES["dir"] = a.table_cache
    if a.summary:
        rows = [r for f in a.summary.split(",") for r in json.load(open(f))]
        markdown(rows)
        summary(rows)
        return
    if a.quick:
        a.games, a.seeds, a.budgets, a.time_repeats = "digits-a", 3, a.budgets or "512,2048", 1
    builders = {"digits": digits16, "minilm": minilm, "digits64": lambda: digits64(a.batch_size)}
    if a.batch_sweep:
        game = digits64()["digits64"]
        for size in (128, 256, 512, 1024, 2048, 4096):
            game.batch_size = size
            print(f"batch {size:>5}: the model alone on 8192 rows {model_alone(game, 8192, 5):.3f} s", flush=True)
        return
    rows = []
    timed = a.time_games.split(",")
    for g in a.games.split(","):
        base = g.split("-")[0]
        for name, game in builders[base]().items():
            if name != g and g != base:
                continue
            budgets = [int(b) for b in a.budgets.split(",")] if a.budgets else \
                [512, 2048, 8192] + ([32768] if game.n_players > 16 else [])
            repeats = a.time_repeats if name in timed else 0
            rows += bench(name, game, budgets, a.seeds, repeats, a.truth_factor, a.truth_seeds,
                          a.quantities.split(","), a.methods, a.slow_seeds,
                          tuple(int(m) for m in a.fit_rows.split(",") if m))
            if a.json:
                with open(a.json, "w") as f:
                    json.dump(rows, f, indent=0)
    summary(rows)


if __name__ == "__main__":
    main()
