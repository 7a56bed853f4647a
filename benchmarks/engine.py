"""Engine benchmarks, all ratios measured side by side in one run.

    PYTHONPATH=python python benchmarks/engine.py [--quick] [--threads T] [--sii-only | --neighbours-only | --captum-only]

Budgets are model evaluations (rows sent to the game, the library's ``budget=``); a run of k
permutations is the budget k (n - 1) + 2 (:func:`permutation_budget`).

1. Engine overhead: permutation-Shapley wall time / the model's forward passes alone on the same
   masked inputs and batch size (small CNN, 32x32 inputs, 8x8 and 16x16 grids); min over
   interleaved repeats.
2. Against captum ShapleyValueSampling (its default perturbations_per_eval=1 and a batched 256)
   at equal permutations, and shapiq's pairwise-SII approximators at equal evaluation budgets
   (every interplay estimator gets ``budget=`` the shapiq budget; 4x4 grid, exact reference from
   the 2^16 table; a random-init and a trained CNN).
3. All 480 neighbour interactions of a 16x16 grid of a TRAINED CNN (sklearn digits upsampled to
   32x32): evaluations to reach instability < 0.1, shared contexts vs independent per-pair
   sampling (the papers' method). One long run per seed; estimates at doubling budgets are its
   prefixes (sample k depends only on the seed and k), so a budget search costs its largest budget.
"""
from __future__ import annotations

import argparse
import math
import time

import numpy as np
import torch
from torch import nn

import interplay as ip


def cnn() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(2), nn.Flatten(),
        nn.Linear(128, 10),
    ).eval()


def digits32():
    """sklearn's 8x8 digits, bilinearly upsampled to 3x32x32."""
    from sklearn.datasets import load_digits

    d = load_digits()
    x = torch.tensor(d.images, dtype=torch.float32).unsqueeze(1) / 16.0
    x = nn.functional.interpolate(x, size=(32, 32), mode="bilinear", align_corners=False)
    return x.expand(-1, 3, -1, -1).contiguous(), torch.tensor(d.target)


def fit_digits(model: nn.Module, x: torch.Tensor, y: torch.Tensor, epochs: int) -> nn.Module:
    """Adam (lr 3e-3, batches of 64, seeded shuffles) on the first 1500 digits; returns the model in eval mode."""
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    g = torch.Generator().manual_seed(0)
    model.train()
    for _ in range(epochs):
        perm = torch.randperm(1500, generator=g)
        for k in range(0, 1500, 64):
            b = perm[k:k + 64]
            opt.zero_grad()
            nn.functional.cross_entropy(model(x[b]), y[b]).backward()
            opt.step()
    return model.eval()


def trained_cnn(epochs: int = 4):
    """cnn() trained with Adam on the first 1500 digits; returns (model, x, y, held-out accuracy)."""
    x, y = digits32()
    model = fit_digits(cnn(), x, y, epochs)
    with torch.no_grad():
        acc = float((model(x[1500:]).argmax(1) == y[1500:]).float().mean())
    return model, x, y, acc


def image() -> torch.Tensor:
    g = torch.Generator().manual_seed(1)
    return torch.rand(3, 32, 32, generator=g)


def permutation_budget(n: int, permutations: int) -> int:
    """The budget (model evaluations) that buys ``permutations`` permutations of n players."""
    fixed, per_sample = ip.engine.design_cost(ip.engine.Design("permutation", n))
    return fixed + permutations * per_sample


def overhead(model, x, cells, budget, batch_size=256, repeats=5, memory_format="auto"):
    pmap = ip.players.grid(x.shape, cells)
    method = ip.Permutation(budget=budget, seed=0, progress=False)
    game = ip.ModelGame(model, x, pmap, baseline=0.5, batch_size=batch_size, progress=False,
                        memory_format=memory_format)
    recorded = []
    original = game.evaluate_packed

    def record(masks):
        recorded.append(masks.clone())
        return original(masks)

    game.evaluate_packed = record
    ip.shapley_values(game, method=method)
    game.evaluate_packed = original
    plain = [game.masked_inputs(m[s:s + batch_size]) for m in recorded for s in range(0, m.shape[0], batch_size)]
    # the same inputs in the layout the game hands to the model (channels-last for a CPU conv net)
    shaped = [b.contiguous(memory_format=torch.channels_last) for b in plain] if game.channels_last else plain
    est_t, fwd_t, plain_t = [], [], []
    for _ in range(repeats):  # interleaved, the minimum of each
        t = time.perf_counter()
        r = ip.shapley_values(game, method=method)
        est_t.append(time.perf_counter() - t)
        for batches, times in ((shaped, fwd_t), (plain, plain_t)):
            t = time.perf_counter()
            with torch.inference_mode():
                for b in batches:
                    model(b)
            times.append(time.perf_counter() - t)
    paired = sorted(e / f for e, f in zip(est_t, fwd_t))  # each estimator run against the forwards right after it
    return r.evaluations, min(est_t), min(fwd_t), min(plain_t), bool(game.channels_last), paired[len(paired) // 2]


def rmse(a, b):
    return float(((torch.as_tensor(a, dtype=torch.float64) - torch.as_tensor(b, dtype=torch.float64)) ** 2).mean().sqrt())


def versus_libraries(model, x, budget_perms, budgets, seeds=5, sii=True):
    from captum.attr import ShapleyValueSampling

    cells = (4, 4)
    pmap = ip.players.grid(x.shape, cells)
    game = ip.ModelGame(model, x, pmap, baseline=0.5, batch_size=256, progress=False)
    table = game.table()
    n = game.n_players
    exact_sv = ip.shapley_values(ip.TableGame(table)).values
    budget = permutation_budget(n, budget_perms)  # captum's permutations, as our budget
    target = game.target
    out = {"table": table}

    # --- Shapley values: ours vs captum at the same number of permutations ----------------
    base = torch.full_like(x, 0.5)[None]
    fmask = pmap[None]
    svs = ShapleyValueSampling(lambda inp: model(inp))
    out["sv"] = {}
    # captum's default perturbations_per_eval, a batched setting, and batched on a channels-last input
    for ppe, layout in ((1, "NCHW"), (256, "NCHW"), (256, "channels-last")):
        xin = x[None] if layout == "NCHW" else x[None].contiguous(memory_format=torch.channels_last)
        ours_t, ours_e, cap_t, cap_e = [], [], [], []
        for seed in range(seeds):  # interleaved
            t = time.perf_counter()
            r = ip.shapley_values(game, method=ip.Permutation(budget=budget, seed=seed, progress=False))
            ours_t.append(time.perf_counter() - t)
            ours_e.append(rmse(r.values, exact_sv))
            torch.manual_seed(seed)
            t = time.perf_counter()
            with torch.no_grad():
                a = svs.attribute(xin, baselines=base, target=target, feature_mask=fmask, n_samples=budget_perms,
                                  perturbations_per_eval=ppe, show_progress=False)
            cap_t.append(time.perf_counter() - t)
            cap_sv = torch.stack([a[0][pmap == p][0] for p in range(n)])
            cap_e.append(rmse(cap_sv, exact_sv))
        out["sv"][(ppe, layout)] = dict(ours_t=min(ours_t), captum_t=min(cap_t), ours_err=np.mean(ours_e),
                              captum_err=np.mean(cap_e), evals=r.evaluations,
                              captum_evals=budget_perms * n + 1)

    # the ceiling of any speed-up at equal evaluations: captum's time / our forward passes alone
    _, _, out["forwards_t"], _, _, _ = overhead(model, x, cells, budget, batch_size=256, repeats=3)
    out["sii"] = sii_versus_shapiq(table, budgets) if sii else {}
    return out


SEEDS = 5  # seeds of the SII comparison (--seeds)


def sii_versus_shapiq(table, budgets, seeds=None):
    """Pairwise SII of all pairs from the game's table (lookups: the error at a budget does not
    depend on the model's speed); RMSE against the exact values, mean over seeds."""
    import shapiq

    seeds = seeds or SEEDS
    game = ip.TableGame(table)
    n = game.n_players
    exact = ip.shapley_interaction_matrix(game).values
    iu = torch.triu_indices(n, n, 1)
    pw = 2 ** torch.arange(n)

    def value_fn(coalitions: np.ndarray) -> np.ndarray:
        c = torch.as_tensor(np.atleast_2d(coalitions), dtype=torch.int64)
        return table[(c * pw).sum(1)].numpy()

    results = {}
    for budget in budgets:
        for name in ("PermutationSamplingSII", "SHAPIQ", "SVARMIQ", "KernelSHAPIQ", "InconsistentKernelSHAPIQ"):
            cls = getattr(shapiq, name)
            errs = []
            for seed in range(seeds):
                try:
                    approx = cls(n=n, max_order=2, index="SII", top_order=True, random_state=seed)
                except TypeError:  # approximators without the top_order switch
                    approx = cls(n=n, max_order=2, index="SII", random_state=seed)
                iv = approx.approximate(budget=budget, game=value_fn)
                est = torch.tensor([iv[(int(i), int(j))] for i, j in iu.t()], dtype=torch.float64)
                errs.append(rmse(est, exact[iu[0], iu[1]]))
            results[(budget, f"shapiq {name}")] = float(np.mean(errs))
        pairs = iu.t()
        variants = (("independent", ip.PairSampling()),
                    ("shared", ip.SharedPairs(antithetic=False, border=0)),
                    ("shared antithetic", ip.SharedPairs(antithetic=True, border=0)),
                    ("shared antithetic stratified (R=2)", ip.SharedPairs(antithetic=True, systematic=True,
                                                                          replicates=2, border=0)),
                    # border strata: exact sizes chosen from the budget (<= half of it), the rest sampled
                    ("shared antithetic + border", ip.SharedPairs(antithetic=True, border="auto")),
                    ("shared antithetic stratified (R=2) + border",
                     ip.SharedPairs(antithetic=True, systematic=True, replicates=2, border="auto")),
                    ("shared antithetic stratified (R=2) + border (fraction 0.75)",
                     ip.SharedPairs(antithetic=True, systematic=True, replicates=2, border="auto",
                                    border_fraction=0.75)))
        for label, method in variants:
            method = method.replace(budget=budget, progress=False)
            errs = []
            for seed in range(seeds):
                r = ip.pair_interactions(game, pairs, method=method.replace(seed=seed))
                errs.append(rmse(r.values, exact[iu[0], iu[1]]))
            plan = method.plan(n, pairs) if isinstance(method, ip.SharedPairs) else None
            b = plan.border if plan is not None else 0
            tag = f", border {b}: {plan.border_rows} exact" if b else ""
            results[(budget, f"interplay {label} ({r.evaluations} evals{tag})")] = float(np.mean(errs))
    return results


def running_estimates(game, design, checkpoints, seed):
    """The estimates after each checkpoint's number of samples of ONE run (prefixes of it)."""
    from interplay.engine import evaluate_packed
    from interplay._internal.ops import ops

    args = design.args(seed)
    n_est = design.estimates()
    sums, sumsq = torch.zeros(n_est, dtype=torch.float64), torch.zeros(n_est, dtype=torch.float64)
    out, start, before = {}, 0, game.evaluations
    step = max(1, (16 * game.batch_size) // int(ops.design_sizes(**args, sample0=0, count=1)[0, 0]))
    for stop in checkpoints:
        for s0 in range(start, stop, step):
            masks, o, w, e, end = ops.design_plan(**args, sample0=s0, count=min(step, stop - s0))
            values = torch.cat([torch.zeros(2, dtype=torch.float64), evaluate_packed(game, masks)])
            ops.delta_reduce(values, o, w, e, end, sums, sumsq)
        start = stop
        total = sums.view(design.replicates, -1).sum(0) if design.systematic else sums  # fold replicates
        out[stop] = (total / stop, game.evaluations - before)
    return out


def instabilities(est: torch.Tensor) -> tuple[float, float, float]:
    """est [R, P]: (image-level: dropout paper App. K on I_image = E_(i,j)|I(i,j)|; per pair:
    E_(i,j) of each pair's instability (multivariate paper's E_I); pooled per pair:
    E_(i,j) E_(u≠v)|I_u − I_v| / E_(i,j) E_w|I_w|)."""
    R = est.shape[0]
    image = float(ip.instability(est.abs().mean(1)))
    nonzero = est.abs().sum(0) > 0
    per_pair = float(ip.instability(est[:, nonzero]))
    diffs = (est[:, None] - est[None]).abs().sum((0, 1)) / (R * (R - 1))
    pooled = float(diffs.mean() / est.abs().mean())
    return image, per_pair, pooled


def neighbour_instability(model, x, checkpoints, runs=8, methods=None, first_run=0):
    from interplay.engine import Design

    cells = (16, 16)
    pmap = ip.players.grid(x.shape, cells)
    game = ip.ModelGame(model, x, pmap, baseline=float(BASELINE), batch_size=512, progress=False)
    pairs = ip.players.neighbours(cells)
    n = game.n_players
    designs = {
        "independent": Design("pairs", n, size_lo=[0], size_hi=[n - 2], pairs=pairs),
        "shared": Design("shared_pairs", n, pairs=pairs),
        "shared antithetic": Design("shared_pairs", n, antithetic=True, pairs=pairs),
        # sizes |T| from one randomly shifted golden-ratio sequence (prefixes stay stratified)
        "shared antithetic stratified": Design("shared_pairs", n, antithetic=True, systematic=True, replicates=2,
                                               pairs=pairs),
        # border strata b = 1: |T| in {0, n} exact (every coalition of sizes <= 2 and >= n - 2), band 1..n-1 sampled
        "shared antithetic + border 1": Design("shared_pairs", n, antithetic=True, pairs=pairs, size_lo=[1],
                                               size_hi=[n - 1]),
    }
    rows = []
    for method, design in designs.items():
        if methods is not None and method not in methods:
            continue
        per_run = [running_estimates(game, design, checkpoints[method], seed=100 * s + 7)
                   for s in range(first_run, first_run + runs)]
        if "border" in method:  # estimate = exact part + P(band) × band mean; the exact part is the same every run
            from interplay.estimators.border import border_exact as _border_exact

            before = game.evaluations
            exact = _border_exact(game, pairs, 1)
            cost, band = game.evaluations - before, (n - 1) / (n + 1)
            per_run = [{k: (exact + band * m, e + cost) for k, (m, e) in r.items()} for r in per_run]
        for k in checkpoints[method]:
            est = torch.stack([r[k][0] for r in per_run])
            image, per_pair, pooled = instabilities(est)
            rows.append((method, k, per_run[0][k][1], image, per_pair, pooled))
            print(f"  {method:18s} samples {k:4d}  evaluations {per_run[0][k][1]:7d}  instability: image-level "
                  f"{image:.4f}  per pair {per_pair:.3f}  pooled per pair {pooled:.3f}", flush=True)
    return rows


def evaluations_to(rows, method, col, level=0.1):
    pts = [(r[2], r[col]) for r in rows if r[0] == method]
    for (e0, v0), (e1, v1) in zip(pts, pts[1:]):
        if v0 >= level > v1:  # instability ~ 1/sqrt(evals): interpolate log-log
            slope = (math.log(v1) - math.log(v0)) / (math.log(e1) - math.log(e0))
            return math.exp(math.log(e0) + (math.log(level) - math.log(v0)) / slope)
    if pts and pts[0][1] < level:
        return -pts[0][0]  # below the level already at the smallest budget: "< that budget"
    return float("inf")


def fmt_need(e: float) -> str:
    return f"< {-e:.0f} (below 0.1 at the smallest budget)" if e < 0 else f"{e:.0f}"


BASELINE = 0.0  # set in main: the mean pixel value of the digits (the papers' average-pixel baseline)


def main() -> None:
    global BASELINE
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--sii-only", action="store_true", help="only the pairwise-SII comparison with shapiq (part 2)")
    parser.add_argument("--neighbours-only", action="store_true", help="only the 16x16 neighbour budget search (part 3)")
    parser.add_argument("--captum-only", action="store_true", help="only the Shapley-value comparison with captum (part 2)")
    parser.add_argument("--overhead-only", action="store_true", help="only the engine overhead (part 1)")
    parser.add_argument("--memory-format", default="auto", choices=["auto", "contiguous", "channels_last"],
                        help="ModelGame(memory_format=...) in the overhead part")
    parser.add_argument("--seeds", type=int, default=5, help="seeds of the SII comparison")
    parser.add_argument("--runs", type=int, default=8,
                        help="runs (seeds) per method of the neighbour instability (part 3); 3 runs were too few: the "
                             "shared designs' pair errors are correlated within a run")
    parser.add_argument("--first-run", type=int, default=0, help="part 3 uses runs first-run .. first-run + runs - 1")
    parser.add_argument("--methods", type=str, default=None,
                        help="part 3 only these methods (comma-separated, e.g. 'shared antithetic,shared antithetic + border 1')")
    a = parser.parse_args()
    global SEEDS
    SEEDS = a.seeds
    torch.set_num_threads(a.threads)
    model, x = cnn(), image()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")

    if a.overhead_only:
        print("\n1. engine overhead (estimator wall time / forward passes alone, batch 256, min of 7 interleaved)")
        return overhead_part(model, x, a.quick, a.memory_format)
    if a.captum_only:
        print("\n2. Shapley values versus captum (4x4 grid, exact reference from the 2^16 table)")
        r = versus_libraries(model, x, budget_perms=50 if a.quick else 200, budgets=[], sii=False)
        print_captum(r)
        return
    if a.sii_only or a.neighbours_only:
        trained, xs, ys, acc = trained_cnn()
        BASELINE = float(xs[:1500].mean())
        x_t = xs[1500 + 3]
        if a.neighbours_only:
            return neighbour_part(trained, x_t, a.quick, a.methods.split(",") if a.methods else None, a.runs,
                                  a.first_run)
        budgets = [2000] if a.quick else [2000, 8000]
        g_rand = ip.ModelGame(model, x, ip.players.grid(x.shape, (4, 4)), baseline=0.5, batch_size=256, progress=False)
        g4 = ip.ModelGame(trained, x_t, ip.players.grid(x_t.shape, (4, 4)), baseline=BASELINE, batch_size=512,
                          progress=False)
        print("\n2. pairwise SII versus shapiq (4x4 grid, exact reference from the 2^16 table)")
        for label, table in (("random-init", g_rand.table()), ("trained", g4.table())):
            for (budget, name), err in sii_versus_shapiq(table, budgets).items():
                print(f"  pairwise SII, {label} CNN, budget {budget}: {name:52s} RMSE {err:.4g}", flush=True)
        return

    print("\n1. engine overhead (estimator wall time / forward passes alone, batch 256, min of 7 interleaved)")
    overhead_part(model, x, a.quick)

    t0 = time.perf_counter()
    trained, xs, ys, acc = trained_cnn()
    BASELINE = float(xs[:1500].mean())
    x_t = xs[1500 + 3]
    print(f"\n(trained cnn(): held-out accuracy {acc:.3f}, {time.perf_counter() - t0:.0f} s; input: digit #1503, "
          f"baseline {BASELINE:.3f})")

    print("\n2. versus captum / shapiq (4x4 grid, exact reference from the 2^16 table)")
    budgets = [2000] if a.quick else [2000, 8000]
    r = versus_libraries(model, x, budget_perms=50 if a.quick else 200, budgets=budgets)
    print_captum(r)
    tables = {"random-init": r["table"]}
    g4 = ip.ModelGame(trained, x_t, ip.players.grid(x_t.shape, (4, 4)), baseline=BASELINE, batch_size=512,
                      progress=False)
    tables["trained"] = g4.table()
    for label, table in tables.items():
        res = r["sii"] if label == "random-init" else sii_versus_shapiq(table, budgets)
        for (budget, name), err in res.items():
            print(f"  pairwise SII, {label} CNN, budget {budget}: {name:52s} RMSE {err:.4g}", flush=True)

    neighbour_part(trained, x_t, a.quick, runs=a.runs, first_run=a.first_run)


def overhead_part(model, x, quick: bool, memory_format: str = "auto") -> None:
    for cells, permutations in (((8, 8), 16 if quick else 256), ((16, 16), 4 if quick else 64)):
        budget = permutation_budget(cells[0] * cells[1], permutations)
        ev, te, tf, tp, cl, med = overhead(model, x, cells, budget, repeats=3 if quick else 7,
                                           memory_format=memory_format)
        print(f"  grid {cells[0]}x{cells[1]}: {ev} evaluations, estimator {te:.3f} s, forwards {tf:.3f} s "
              f"({'channels-last' if cl else 'contiguous'} batches, as the game feeds them), ratio {te / tf:.3f} "
              f"(median of the paired repeats {med:.3f}); "
              f"forwards on contiguous NCHW batches {tp:.3f} s (estimator / those: {te / tp:.3f})", flush=True)


def print_captum(r: dict) -> None:
    for (ppe, layout), sv in r["sv"].items():
        print(f"  Shapley values (random-init CNN), {sv['evals']} evaluations (captum {sv['captum_evals']}): interplay "
              f"{sv['ours_t']:.3f} s (RMSE {sv['ours_err']:.4g}), captum perturbations_per_eval={ppe} on a {layout} input "
              f"{sv['captum_t']:.3f} s (RMSE {sv['captum_err']:.4g}); captum / interplay time "
              f"{sv['captum_t'] / sv['ours_t']:.2f}x (ceiling at these evaluations: captum / our forward passes "
              f"alone ({r['forwards_t']:.3f} s) = {sv['captum_t'] / r['forwards_t']:.2f}x)", flush=True)


def neighbour_part(trained, x_t, quick: bool, methods=None, runs: int = 8, first_run: int = 0) -> None:
    print(f"\n3. all 480 neighbour pairs of a 16x16 grid, trained CNN: instability over {runs} runs "
          f"(seeds of runs {first_run}..{first_run + runs - 1})")
    cp = {"independent": [2, 4, 8, 16, 32] if quick else [2, 4, 8, 16, 32, 64, 128],
          "shared": [2, 4, 8, 16, 32],
          "shared antithetic": [2, 4, 8, 16] if quick else [2, 4, 8, 16, 32, 64],
          "shared antithetic stratified": [2, 4, 8, 16] if quick else [2, 4, 8, 16, 32, 64],
          "shared antithetic + border 1": [2, 4, 8, 16] if quick else [2, 4, 8, 16, 32, 64]}
    if methods is not None:
        cp = {m: c for m, c in cp.items() if m in methods}
    rows = neighbour_instability(trained, x_t, cp, runs=runs, methods=methods, first_run=first_run)
    for col, name in ((3, "image-level (dropout paper App. K)"), (4, "per pair (mean of ratios)"),
                      (5, "pooled per pair")):
        ind = evaluations_to(rows, "independent", col)
        for m in [m for m in cp if m != "independent"]:
            sh = evaluations_to(rows, m, col)
            ratio = (ind / sh) if ind > 0 and sh > 0 and math.isfinite(ind) and math.isfinite(sh) else float("nan")
            print(f"  evaluations to instability < 0.1, {name}: independent {fmt_need(ind)}, {m} {fmt_need(sh)}, "
                  f"ratio {ratio:.2f}x")
    # the mean of per-pair ratios never reaches 0.1 (pairs with interactions near 0 have ratios near 1):
    # compare at the lowest level every method reaches
    level = math.ceil(20 * max(min(r[4] for r in rows if r[0] == m) for m in cp)) / 20
    ind = evaluations_to(rows, "independent", 4, level)
    for m in [m for m in cp if m != "independent"]:
        sh = evaluations_to(rows, m, 4, level)
        ratio = (ind / sh) if ind > 0 and sh > 0 and math.isfinite(ind) and math.isfinite(sh) else float("nan")
        print(f"  evaluations to per-pair instability < {level:.2f}: independent {fmt_need(ind)}, {m} {fmt_need(sh)}, "
              f"ratio {ratio:.2f}x")


if __name__ == "__main__":
    main()
