"""Per-seed spread of the pairwise-SII RMSE at 8000 evaluations on the trained CNN (4x4 grid): shapiq
KernelSHAPIQ vs interplay shared antithetic + stratified (R=2) + automatic border, 20 seeds each (the
setting of `benchmarks/engine.py --sii-only --seeds 20`). Prints mean ± s.e. and Welch t.

    PYTHONPATH=python python benchmarks/engine_sii_spread.py
"""
# per-seed RMSE spread at 8000 evaluations, trained CNN 4x4 (same setting as benchmarks/engine.py --sii-only)
import sys; sys.path.insert(0, __import__("os").path.dirname(__file__))
import numpy as np, torch, shapiq
import interplay as ip
import engine as E
torch.set_num_threads(1)
trained, xs, ys, acc = E.trained_cnn()
base = float(xs[:1500].mean()); x_t = xs[1503]
table = ip.ModelGame(trained, x_t, ip.players.grid(x_t.shape, (4, 4)), baseline=base, batch_size=512, progress=False).table()
game = ip.TableGame(table); n = 16
exact = ip.shapley_interaction_matrix(game).values; iu = torch.triu_indices(n, n, 1); pw = 2 ** torch.arange(n)
vf = lambda c: table[(torch.as_tensor(np.atleast_2d(c), dtype=torch.int64) * pw).sum(1)].numpy()
ks, ours = [], []
for seed in range(20):
    iv = shapiq.KernelSHAPIQ(n=n, max_order=2, index="SII", random_state=seed).approximate(budget=8000, game=vf)
    est = torch.tensor([iv[(int(i), int(j))] for i, j in iu.t()], dtype=torch.float64)
    ks.append(E.rmse(est, exact[iu[0], iu[1]]))
    r = ip.pair_interactions(game, iu.t(), method=ip.SharedPairs(budget=8000, seed=seed, antithetic=True,
                                                                 systematic=True, replicates=2, progress=False))
    ours.append(E.rmse(r.values, exact[iu[0], iu[1]]))
for name, v in (("KernelSHAPIQ", ks), ("stratified+border", ours)):
    v = np.array(v); print(f"{name}: mean RMSE {v.mean():.4g} +- {v.std(ddof=1) / len(v) ** 0.5:.2g} (s.e. over 20 seeds)")
print(f"ratio {np.mean(ks) / np.mean(ours):.3f}; Welch t {(np.mean(ks) - np.mean(ours)) / np.sqrt(np.var(ks, ddof=1)/20 + np.var(ours, ddof=1)/20):.2f}")
