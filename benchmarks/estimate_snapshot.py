"""Estimates of Regression and GaussianProcess on fixed games, seeds and budgets (245 cases: 6, 12 and
40 players; SV, BV, SII and BII matrices and listed pairs; in-sample, cross-fitted, exact-border and
error paths), saved before a change and compared after it, to show a refactor keeps the estimates seed
for seed (or to measure what it changes).

    PYTHONPATH=python python benchmarks/estimate_snapshot.py save /tmp/before.pt     # on the old code
    PYTHONPATH=python python benchmarks/estimate_snapshot.py compare /tmp/before.pt  # on the new code

It prints each case whose values move by more than 1e-10 (relative to the largest |value|), whose
stderr moves (new / old range) or whose evaluations change, then the worst changes.
"""
import sys

import torch

import interplay as ip

torch.set_num_threads(1)
def mk(n, seed):
    g = torch.Generator().manual_seed(seed)
    w1 = torch.randn(n, generator=g, dtype=torch.float64)
    pairs = torch.randint(0, n, (3 * n, 2), generator=g)
    w2 = torch.randn(3 * n, generator=g, dtype=torch.float64)
    def f(s):
        x = s.double()
        out = x @ w1 + (x[:, pairs[:, 0]] * x[:, pairs[:, 1]]) @ w2 + 0.3 * torch.sin(x.sum(1))
        return out
    return ip.Game(f, n)
cases = []
for n in (6, 12, 40):
    g = mk(n, n)
    for method, extra in (("regression", {}), ("regression", {"correction": True}), ("regression", {"correction": False, "order": 3}),
                          ("regression", {"sizes": "kernel", "order": 2}),
                          ("gaussian_process", {}), ("gaussian_process", {"fit_rows": 200}), ("gaussian_process", {"fit_rows": 300, "folds": 2, "prior": (0.1, 0.3)})):
        for budget in (64, 600, 3000):
            if n == 6 and budget > 64: continue
            for q in ("SV", "BV", "SII", "BII", "pairs"):
                kw = dict(method=method, budget=budget, seed=5, progress=False, **extra)
                try:
                    if q == "SV": r = ip.shapley_values(g, **kw)
                    elif q == "BV": r = ip.banzhaf_values(g, **kw)
                    elif q == "SII": r = ip.shapley_interaction_matrix(g, **kw)
                    elif q == "BII": r = ip.banzhaf_interaction_matrix(g, **kw)
                    else: r = ip.pair_interactions(g, [(0, 1), (2, 3), (1, 4)], **kw)
                except Exception as e:
                    cases.append(((n, method, str(extra), budget, q), repr(e)[:200])); continue
                cases.append(((n, method, str(extra), budget, q), (r.values.clone(), None if r.stderr is None else r.stderr.clone(), r.evaluations)))
if sys.argv[1] == "save":
    torch.save(cases, sys.argv[2]); print(len(cases), "saved")
else:
    old = dict(torch.load(sys.argv[2], weights_only=False)); worst = worst_se = 0.0
    for key, new in cases:
        o = old[key]
        if isinstance(o, str) or isinstance(new, str):
            if o != new: print("DIFF", key, o, new)
            continue
        if o[2] != new[2]: print("EVALS", key, o[2], new[2])
        d = ((o[0] - new[0]).abs().nan_to_num() / (o[0].abs().nan_to_num().max() + 1e-300)).max().item()
        worst = max(worst, d)
        if d > 1e-10: print("VALUES", key, d)
        if (o[1] is None) != (new[1] is None): print("STDERR presence", key)
        elif o[1] is not None:
            ratio = (new[1] / o[1]).nan_to_num(nan=1.0)
            worst_se = max(worst_se, (ratio - 1).abs().max().item())
            if (ratio - 1).abs().max() > 1e-10: print("STDERR", key, f"new/old {ratio[torch.isfinite(ratio)].min():.4f}..{ratio[torch.isfinite(ratio)].max():.4f}")
    print(f"{len(cases)} cases, worst relative change of values {worst:.2e}, of stderr {worst_se:.2e}")
