"""Engine benchmarks (issue 3), all ratios measured side by side in one run.

    PYTHONPATH=python python benchmarks/engine.py [--quick]

1. Engine overhead: permutation-Shapley wall time / the model's forward passes alone on the same
   masked inputs and batch size (small CNN, 32x32 inputs, 8x8 and 16x16 grids).
2. Against captum ShapleyValueSampling and shapiq's pairwise-SII approximators on the same model,
   input, players (4x4 grid, exact reference from the 2^16 table) and evaluation budget.
3. All 480 neighbour interactions of a 16x16 grid: evaluations to reach instability < 0.1,
   shared contexts vs independent per-pair sampling (the papers' method).
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


def image() -> torch.Tensor:
    g = torch.Generator().manual_seed(1)
    return torch.rand(3, 32, 32, generator=g)


def overhead(model, x, cells, samples, batch_size=256, repeats=3):
    pmap = ip.players.grid(x.shape, cells)
    game = ip.ModelGame(model, x, pmap, baseline=0.5, batch_size=batch_size, progress=False)
    recorded = []
    original = game.evaluate_packed

    def record(masks):
        recorded.append(masks.clone())
        return original(masks)

    game.evaluate_packed = record
    ip.shapley_values(game, method="permutation", samples=samples, seed=0, progress=False)
    game.evaluate_packed = original
    batches = [game.masked_inputs(m[s:s + batch_size]) for m in recorded for s in range(0, m.shape[0], batch_size)]
    est_t, fwd_t = [], []
    for _ in range(repeats):  # interleaved, the minimum of each
        t = time.perf_counter()
        r = ip.shapley_values(game, method="permutation", samples=samples, seed=0, progress=False)
        est_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        with torch.no_grad():
            for b in batches:
                model(b)
        fwd_t.append(time.perf_counter() - t)
    return r.evaluations, min(est_t), min(fwd_t)


def rmse(a, b):
    return float(((torch.as_tensor(a, dtype=torch.float64) - torch.as_tensor(b, dtype=torch.float64)) ** 2).mean().sqrt())


def versus_libraries(model, x, budget_perms, budget_evals, seeds=3):
    import shapiq
    from captum.attr import ShapleyValueSampling

    cells = (4, 4)
    pmap = ip.players.grid(x.shape, cells)
    game = ip.ModelGame(model, x, pmap, baseline=0.5, batch_size=256, progress=False)
    table = game.table()
    n = game.n_players
    exact_sv = ip.shapley_values(ip.TableGame(table)).tensor()
    exact_sii = ip.shapley_interaction_matrix(ip.TableGame(table)).tensor()
    iu = torch.triu_indices(n, n, 1)
    target = game.target
    out = {}

    # --- Shapley values: ours vs captum at the same number of permutations ----------------
    ours_t, ours_e, cap_t, cap_e = [], [], [], []
    base = torch.full_like(x, 0.5)[None]
    fmask = pmap[None]
    svs = ShapleyValueSampling(lambda inp: model(inp))
    for seed in range(seeds):
        t = time.perf_counter()
        r = ip.shapley_values(game, method="permutation", samples=budget_perms, seed=seed, progress=False)
        ours_t.append(time.perf_counter() - t)
        ours_e.append(rmse(r.tensor(), exact_sv))
        torch.manual_seed(seed)
        t = time.perf_counter()
        with torch.no_grad():
            a = svs.attribute(x[None], baselines=base, target=target, feature_mask=fmask, n_samples=budget_perms,
                              perturbations_per_eval=256, show_progress=False)
        cap_t.append(time.perf_counter() - t)
        cap_sv = torch.stack([a[0][pmap == p][0] for p in range(n)])
        cap_e.append(rmse(cap_sv, exact_sv))
    out["sv"] = dict(ours_t=np.median(ours_t), captum_t=np.median(cap_t), ours_err=np.mean(ours_e),
                     captum_err=np.mean(cap_e), evals=r.evaluations)

    # --- pairwise SII: ours (independent, shared) vs shapiq approximators at one budget ----
    def value_fn(coalitions: np.ndarray) -> np.ndarray:
        c = torch.as_tensor(np.atleast_2d(coalitions), dtype=torch.bool)
        return game(c).numpy()

    results = {}
    for name in ("PermutationSamplingSII", "SHAPIQ", "SVARMIQ", "KernelSHAPIQ", "InconsistentKernelSHAPIQ"):
        cls = getattr(shapiq, name)
        errs, times = [], []
        for seed in range(seeds):
            try:
                approx = cls(n=n, max_order=2, index="SII", top_order=True, random_state=seed)
            except TypeError:  # approximators without the top_order switch
                approx = cls(n=n, max_order=2, index="SII", random_state=seed)
            t = time.perf_counter()
            iv = approx.approximate(budget=budget_evals, game=value_fn)
            times.append(time.perf_counter() - t)
            est = torch.tensor([iv[(int(i), int(j))] for i, j in iu.t()], dtype=torch.float64)
            errs.append(rmse(est, exact_sii[iu[0], iu[1]]))
        results[f"shapiq {name}"] = (np.mean(errs), np.median(times))
    pairs = iu.t()
    for method, per in (("sampling", 4 * len(pairs)), ("shared", 1 + n + len(pairs))):
        errs, times = [], []
        k = max(2, budget_evals // per)
        for seed in range(seeds):
            t = time.perf_counter()
            r = ip.pair_interactions(game, pairs, method=method, samples=k, seed=seed, progress=False)
            times.append(time.perf_counter() - t)
            errs.append(rmse(r.tensor(), exact_sii[iu[0], iu[1]]))
        results[f"interplay {method} ({k * per} evals)"] = (np.mean(errs), np.median(times))
    out["sii"] = results
    return out


def neighbour_instability(model, x, sample_grid, runs=3):
    cells = (16, 16)
    pmap = ip.players.grid(x.shape, cells)
    game = ip.ModelGame(model, x, pmap, baseline=0.5, batch_size=512, progress=False)
    pairs = ip.players.neighbours(cells)
    rows = []
    for method, per in (("sampling", 4 * len(pairs)), ("shared", 1 + game.n_players + len(pairs))):
        for k in sample_grid[method]:
            est = [ip.pair_interactions(game, pairs, method=method, samples=k, seed=100 * s + 7, progress=False).tensor()
                   for s in range(runs)]
            per_pair = float(ip.instability(torch.stack(est)))
            image = float(ip.instability(torch.stack([e.abs().mean() for e in est])))
            rows.append((method, k, k * per, per_pair, image))
            print(f"  {method:8s} samples {k:5d}  evaluations {k * per:8d}  instability per pair {per_pair:.3f}  "
                  f"image-level {image:.4f}", flush=True)
    return rows


def evaluations_to(rows, method, col, level=0.1):
    pts = [(r[2], r[col]) for r in rows if r[0] == method]
    for (e0, v0), (e1, v1) in zip(pts, pts[1:]):
        if v0 >= level > v1:  # instability ~ 1/sqrt(evals): interpolate log-log
            slope = (math.log(v1) - math.log(v0)) / (math.log(e1) - math.log(e0))
            return math.exp(math.log(e0) + (math.log(level) - math.log(v0)) / slope)
    if pts and pts[0][1] < level:
        return float("nan")  # below the level already at the smallest budget
    return float("inf")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    a = parser.parse_args()
    torch.set_num_threads(max(1, torch.get_num_threads()))
    model, x = cnn(), image()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")

    print("\n1. engine overhead (estimator wall time / forward passes alone, batch 256)")
    for cells, samples in (((8, 8), 16 if a.quick else 64), ((16, 16), 4 if a.quick else 16)):
        ev, te, tf = overhead(model, x, cells, samples)
        print(f"  grid {cells[0]}x{cells[1]}: {ev} evaluations, estimator {te:.3f} s, forwards {tf:.3f} s, "
              f"ratio {te / tf:.3f}")

    print("\n2. versus captum / shapiq (4x4 grid, exact reference from the 2^16 table)")
    r = versus_libraries(model, x, budget_perms=50 if a.quick else 200, budget_evals=2000 if a.quick else 8000)
    sv = r["sv"]
    print(f"  Shapley values, {sv['evals']} evaluations: interplay {sv['ours_t']:.3f} s (RMSE {sv['ours_err']:.4g}), "
          f"captum {sv['captum_t']:.3f} s (RMSE {sv['captum_err']:.4g}); captum / interplay time "
          f"{sv['captum_t'] / sv['ours_t']:.2f}x")
    for name, (err, t) in r["sii"].items():
        print(f"  pairwise SII  {name:38s} RMSE {err:.4g}  time {t:.3f} s")

    print("\n3. all 480 neighbour pairs of a 16x16 grid: instability (3 runs)")
    grid = {"sampling": [2, 4, 8] if a.quick else [4, 8, 16, 32], "shared": [4, 8, 16] if a.quick else [8, 16, 32, 64]}
    rows = neighbour_instability(model, x, grid)
    for col, name in ((3, "per pair (E_I of the multivariate paper)"), (4, "image-level E|I| (dropout paper App. K)")):
        ind, sh = evaluations_to(rows, "sampling", col), evaluations_to(rows, "shared", col)
        print(f"  evaluations to instability < 0.1, {name}: independent {ind:.0f}, shared {sh:.0f}, "
              f"ratio {ind / sh:.2f}x")


if __name__ == "__main__":
    main()
