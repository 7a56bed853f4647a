"""The dropout study of the dropout paper (Sec. 3-4, Tables 1/3/4, Fig. 3) on sklearn's 8x8 digits.

    sh benchmarks/studies/interaction_loss_study.sh                                  # the whole study (both arms, ~10 min)
    PYTHONPATH=python python benchmarks/studies/interaction_loss_study.py           # the low-layer arm
    PYTHONPATH=python python benchmarks/studies/interaction_loss_study.py --quick   # a smoke run

Three experiments, small CNNs trained on 10% of the data (180 images; the other 1617 are the test set):
  sweep     no regulariser, dropout p in {0.1, ..., 0.9}, the interaction loss at a sweep of lambda, the
            loss and dropout at the same layer; >= 5 seeds; test accuracy and the interaction strength
            between that layer's units, normalised as in App. E (Table 3/4, Fig. 4)
  overfit   5% of the training labels flipped: interaction strength of the mislabelled (over-fitted)
            samples against the ordinary ones, each normalised by its own output range (Table 1)
  dynamics  interaction strength over training with and without dropout p = 0.5 (Fig. 3 left)
Results go to benchmarks/output/interaction_study_<position>.json (``--out``), with a summary (.md) and
a plot (.png) of the same name beside it.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from dataclasses import asdict, dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # benchmarks/studies/ -> root
sys.path.insert(0, os.path.join(ROOT, "python"))
from interplay.nn import InteractionLoss  # noqa: E402
from interplay.nn import _ops as L  # noqa: E402

POSITIONS = ("low", "high")  # the dropout / loss gate: after conv block 2 (32x4x4) or conv block 3 (64x2x2)
POSITION = "low"  # App. G puts them at a low conv layer; --position high is the cheap-suffix variant
NORM = "none"  # --norm batch: Conv-BN-ReLU blocks, where dropout meets batch norm (paper Sec. 3, Li et al. 2019)
REWARD = "logit"  # the loss's reward; App. G takes the true-class probability for networks with batch norm
BATCHNORM = "ordinary"  # how batch norm runs in the loss's masked pass (InteractionLoss(batchnorm=...))


def build_model(p_dropout: float = 0.0, position: str | None = None, norm: str | None = None) -> nn.Sequential:
    """A small CNN for 1x8x8 digits with Dropout(p) (or Identity) at module ``gate_layer(position, norm)``:
    its input (the output of the pooling before it) holds the units the interaction is measured between.
    With norm="batch" every conv and the hidden fc layer are followed by batch norm, so that either gate
    sits in front of a batch-norm layer, where dropout's variance shift hurts (Li et al. 2019)."""
    position, norm = position or POSITION, norm or NORM
    gate = nn.Dropout(p_dropout) if p_dropout > 0 else nn.Identity()
    low, high = (gate, nn.Identity()) if position == "low" else (nn.Identity(), gate)

    def conv(c_in: int, c_out: int) -> list[nn.Module]:
        bn = [nn.BatchNorm2d(c_out)] if norm == "batch" else []
        return [nn.Conv2d(c_in, c_out, 3, padding=1), *bn, nn.ReLU()]

    return nn.Sequential(
        *conv(1, 16), *conv(16, 32), nn.MaxPool2d(2),
        low,
        *conv(32, 64), nn.MaxPool2d(2),
        high,
        nn.Flatten(), nn.Linear(256, 64), *([nn.BatchNorm1d(64)] if norm == "batch" else []), nn.ReLU(),
        nn.Linear(64, 10),
    )


def gate_layer(position: str, norm: str = "none") -> str:
    """The module name of the gate (dropout / loss position) in ``build_model(.., position, norm)``."""
    model = build_model(0.5, position, norm)
    return str(next(k for k, m in enumerate(model) if isinstance(m, nn.Dropout)))


LAYER = gate_layer(POSITION)


def load_digits_split(seed: int, train_fraction: float = 0.1):
    """A random 10% of sklearn's digits for training, the rest for testing (pixels scaled to [0, 1])."""
    from sklearn.datasets import load_digits

    data = load_digits()
    x = torch.tensor(data.images, dtype=torch.float32).unsqueeze(1) / 16.0
    y = torch.tensor(data.target, dtype=torch.long)
    perm = torch.randperm(len(y), generator=torch.Generator().manual_seed(1000 + seed))
    k = round(train_fraction * len(y))
    return x[perm[:k]], y[perm[:k]], x[perm[k:]], y[perm[k:]]


# ---------------------------------------------------------------- interaction strength (Eq. 2, App. E)


@torch.no_grad()
def pair_interactions(model: nn.Sequential, x: torch.Tensor, labels: torch.Tensor, pairs: int, contexts: int,
                      seed: int) -> torch.Tensor:
    """|I(i, j)| of Eq. 2 for `pairs` random unit pairs (i, j) of layer LAYER per image, each from `contexts`
    Shapley-weighted contexts (keep-rate r ~ U[0, 1]); reward: the logit of `labels`. Returns [images, pairs]."""
    model.eval()
    cut = int(LAYER) + 1
    h = model[:cut](x).repeat_interleave(pairs, dim=0)  # one "input" per (image, pair)
    roles = L.sample_roles(h, contexts, set_size_=1, rate=(0.0, 1.0), seed=seed)
    rest = model[cut:]
    out = []
    rows = 4 * contexts
    chunk = max(1, 8192 // rows)
    lab = labels.repeat_interleave(pairs)
    for start in range(0, h.shape[0], chunk):
        hs, rs = h[start : start + chunk], roles[start * contexts : (start + chunk) * contexts]
        logits = rest(L.mask_variants(hs, rs, contexts))
        f = logits.gather(1, lab[start : start + chunk].repeat_interleave(rows)[:, None]).squeeze(1)
        out.append(L.delta(f).view(-1, contexts).mean(1))
    return torch.cat(out).view(x.shape[0], pairs).abs()


@torch.no_grad()
def output_range(model: nn.Sequential, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Per image f(x)_{y*} - mean_{y != y*} f(x)_y (App. E's normalisation term before the |E[.]|)."""
    model.eval()
    logits = model(x)
    true = logits.gather(1, y[:, None]).squeeze(1)
    return true - (logits.sum(1) - true) / (logits.shape[1] - 1)


def interaction_strength(model, x_train, y_train, seed, images=10, pairs=16, contexts=32) -> float:
    """App. E: E_image E_pairs |I(i, j)| / Y, Y = |E_{x in train}[f(x)_{y*} - E_{y != y*} f(x)_y]|."""
    g = torch.Generator().manual_seed(seed)
    idx = torch.randperm(len(y_train), generator=g)[:images]
    strength = pair_interactions(model, x_train[idx], y_train[idx], pairs, contexts, seed).mean()
    norm = output_range(model, x_train, y_train).mean().abs()
    return float(strength / norm)


# ---------------------------------------------------------------- training


@dataclass
class Setting:
    name: str
    dropout: float = 0.0
    lam: float = 0.0
    contexts: int = 1
    subsample: float | None = None
    alpha: float = 0.05
    rate: tuple = (0.0, 1.0)  # keep-rate interval of the contexts S
    warmup: int = 0  # epochs over which lambda ramps up linearly from 0
    every: int = 1  # the loss on every k-th step only, weighted k * lambda (the same expected penalty)


@dataclass
class Run:
    setting: str
    seed: int
    test_accuracy: float
    train_accuracy: float
    interaction: float
    seconds: float
    curve: list = field(default_factory=list)  # (epoch, interaction) for the dynamics experiment


def train(setting: Setting, seed: int, epochs: int, batch: int = 32, track_every: int = 0,
          flip_fraction: float = 0.0, optimizer: str = "adam"):
    """Adam on 10% of digits; returns (model, data, Run). track_every > 0 records the interaction over training."""
    x, y, xt, yt = load_digits_split(seed)
    flipped = torch.zeros(len(y), dtype=torch.bool)
    if flip_fraction > 0:
        g = torch.Generator().manual_seed(2000 + seed)
        k = round(flip_fraction * len(y))
        idx = torch.randperm(len(y), generator=g)[:k]
        y = y.clone()
        y[idx] = (y[idx] + torch.randint(1, 10, (k,), generator=g)) % 10  # a random incorrect label
        flipped[idx] = True
    torch.manual_seed(seed)
    model = build_model(setting.dropout)
    if optimizer == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    else:
        opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    reg = None
    if setting.lam > 0:
        reg = InteractionLoss(model, layer=LAYER, alpha=setting.alpha, contexts=setting.contexts,
                              subsample=setting.subsample, rate=setting.rate, reward=REWARD, batchnorm=BATCHNORM,
                              seed=10_000 + seed)
    curve = []
    step = 0
    t0 = time.perf_counter()
    for epoch in range(epochs):
        if track_every and epoch % track_every == 0:
            curve.append((epoch, interaction_strength(model, x, y, seed=epoch)))
        model.train()
        perm = torch.randperm(len(y))
        lam = setting.lam * min(1.0, (epoch + 1) / setting.warmup) if setting.warmup else setting.lam
        for start in range(0, len(y), batch):
            i = perm[start : start + batch]
            xb, yb = x[i], y[i]
            loss = F.cross_entropy(model(xb), yb)
            if reg is not None and step % setting.every == 0:
                loss = loss + setting.every * lam * reg(xb, yb)
            step += 1
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
    seconds = time.perf_counter() - t0
    if track_every:
        curve.append((epochs, interaction_strength(model, x, y, seed=epochs)))
    model.eval()
    with torch.no_grad():
        test_acc = float((model(xt).argmax(1) == yt).float().mean())
        train_acc = float((model(x).argmax(1) == y).float().mean())
    run = Run(setting.name, seed, test_acc, train_acc, interaction_strength(model, x, y, seed=77), seconds, curve)
    return model, (x, y, flipped), run


# ---------------------------------------------------------------- experiments


def parse_loss_setting(text: str) -> tuple[int, float, float, tuple, int, int]:
    """"K:subsample:alpha[:lo-hi[:warmup[:every]]]", e.g. "1:0.25:0.05" or "2:1:0.05:0.5-1:10": contexts per
    input, batch fraction, |A|/n, the keep-rate interval of the contexts (default 0-1), the lambda warm-up
    epochs and the step interval of the loss (every k-th step, weighted k * lambda)."""
    parts = text.split(":")
    if not 3 <= len(parts) <= 6:
        raise ValueError(f"a loss setting is K:subsample:alpha[:lo-hi[:warmup[:every]]], got {text!r}")
    rate = tuple(float(r) for r in parts[3].split("-")) if len(parts) > 3 else (0.0, 1.0)
    warmup = int(parts[4]) if len(parts) > 4 else 0
    every = int(parts[5]) if len(parts) > 5 else 1
    return int(parts[0]), float(parts[1]), float(parts[2]), rate, warmup, every


def sweep_settings(dropouts, lams, loss_settings, paper_lams):
    out = [Setting("none")]
    out += [Setting(f"dropout p={p:.1f}", dropout=p) for p in dropouts]
    for text in loss_settings:
        k, sub, alpha, rate, warmup, every = parse_loss_setting(text)
        extra = ((f", rate={rate[0]:g}-{rate[1]:g}" if rate != (0.0, 1.0) else "") + (f", warmup={warmup}" if warmup else "")
                 + (f", every {every} steps" if every > 1 else ""))
        out += [Setting(f"loss lam={lam:g} (K={k}, subsample={sub:g}, alpha={alpha:g}{extra})", lam=lam, contexts=k,
                        subsample=sub if sub < 1 else None, alpha=alpha, rate=rate, warmup=warmup, every=every)
                for lam in lams]
    out += [Setting(f"loss lam={lam:g} (K=10, full batch, alpha=0.05: paper)", lam=lam, contexts=10)
            for lam in paper_lams]
    return out


OPTIMIZER = "adam"


def run_job(job):
    kind, setting, seed, epochs = job
    torch.set_num_threads(1)
    if kind == "sweep":
        track = epochs // 6 if setting.name in ("none", "dropout p=0.5") else 0
        _, _, run = train(setting, seed, epochs, track_every=track, optimizer=OPTIMIZER)
        return kind, asdict(run)
    # overfit: no regulariser, 5% labels flipped, trained to ~zero training loss
    model, (x, y, flipped), run = train(setting, seed, epochs, flip_fraction=0.05, optimizer=OPTIMIZER)
    per_image = pair_interactions(model, x, y, pairs=16, contexts=32, seed=seed).mean(1)
    norm = output_range(model, x, y).abs()
    normed = per_image / norm
    result = asdict(run)
    result.update(
        mislabelled=float(normed[flipped].mean()), ordinary=float(normed[~flipped].mean()),
        mislabelled_fit=float((model(x).argmax(1) == y)[flipped].float().mean()),
    )
    return kind, result


def mean_sd(values):
    m = sum(values) / len(values)
    sd = math.sqrt(sum((v - m) ** 2 for v in values) / max(1, len(values) - 1))
    return m, sd


def summarise(results, out_dir, stem=None):
    sweep = [r for k, r in results if k == "sweep"]
    over = [r for k, r in results if k == "overfit"]
    table = {}
    for r in sweep:
        table.setdefault(r["setting"], []).append(r)
    accuracy = {name: {r["seed"]: 100 * r["test_accuracy"] for r in rs} for name, rs in table.items()}
    dropouts = [n for n in table if n.startswith("dropout")]
    best_dropout = max(dropouts, key=lambda n: mean_sd(list(accuracy[n].values()))[0]) if dropouts else None
    lines = ["| setting | test accuracy % (mean ± sd) | paired Δ vs best dropout, pp (mean ± se) "
             "| interaction ×1e-3 (mean ± sd) | train s/run | seeds |",
             "|---|---|---|---|---|---|"]
    rows = []
    for name, rs in table.items():
        acc, acc_sd = mean_sd([100 * r["test_accuracy"] for r in rs])
        inter, inter_sd = mean_sd([1e3 * r["interaction"] for r in rs])
        sec, _ = mean_sd([r["seconds"] for r in rs])
        rows.append((name, acc, acc_sd, inter, inter_sd))
        paired = "—"
        if best_dropout is not None and name != best_dropout:
            diffs = [accuracy[name][k] - accuracy[best_dropout][k] for k in accuracy[name] if k in accuracy[best_dropout]]
            if len(diffs) > 1:
                d, d_sd = mean_sd(diffs)
                paired = f"{d:+.2f} ± {d_sd / math.sqrt(len(diffs)):.2f}"
        lines.append(f"| {name} | {acc:.2f} ± {acc_sd:.2f} | {paired} | {inter:.3f} ± {inter_sd:.3f} | {sec:.1f} "
                     f"| {len(rs)} |")
    if best_dropout:
        lines.append(f"\nBest dropout (by mean accuracy): {best_dropout}. Seeds pair the runs: seed k uses the same "
                     "data split and initialisation in every setting.")
    if over:
        mis, mis_sd = mean_sd([r["mislabelled"] for r in over])
        ordi, ordi_sd = mean_sd([r["ordinary"] for r in over])
        fit, _ = mean_sd([r["mislabelled_fit"] for r in over])
        lines += ["", "| over-fitting (5% flipped labels) | normalised interaction (mean ± sd over seeds) |",
                  "|---|---|",
                  f"| mislabelled (over-fitted) samples | {mis:.4f} ± {mis_sd:.4f} |",
                  f"| ordinary samples | {ordi:.4f} ± {ordi_sd:.4f} |",
                  "| ratio mislabelled / ordinary (per seed: "
                  + ", ".join(f"{r['mislabelled'] / r['ordinary']:.2f}" for r in over) + ") | "
                  f"{mis / ordi:.2f} |",
                  f"| mislabelled training samples fitted | {100 * fit:.0f}% |"]
    curves = {name: [r["curve"] for r in rs] for name, rs in table.items() if rs[0]["curve"]}
    if curves:
        lines += ["", "| epoch | " + " | ".join(f"{n} interaction ×1e-3" for n in curves) + " |",
                  "|---|" + "---|" * len(curves)]
        epochs = [e for e, _ in next(iter(curves.values()))[0]]
        for t, e in enumerate(epochs):
            cells = [f"{1e3 * mean_sd([c[t][1] for c in cs])[0]:.3f}" for cs in curves.values()]
            lines.append(f"| {e} | " + " | ".join(cells) + " |")
    text = "\n".join(lines)
    plot(rows, curves, over, out_dir, stem or f"interaction_study_{POSITION}")
    return text


def plot(rows, curves, over, out_dir, stem):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover
        print("matplotlib missing: no plots")
        return
    os.makedirs(out_dir, exist_ok=True)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    groups = (("dropout", "tab:blue", "o", lambda n: n.startswith("dropout")),
              ("loss (paper: 10 contexts)", "tab:red", "s", lambda n: n.startswith("loss") and "paper" in n),
              ("loss (cheap)", "tab:orange", "D", lambda n: n.startswith("loss") and "paper" not in n),
              ("none", "k", "*", lambda n: n.startswith("none")))
    for prefix, colour, marker, pick in groups:
        sel = [r for r in rows if pick(r[0])]
        if not sel:
            continue
        axes[0].errorbar([r[3] for r in sel], [r[1] for r in sel], yerr=[r[2] for r in sel], fmt=marker,
                         color=colour, label=prefix, capsize=2)
        for r in sel:
            axes[0].annotate(r[0].split(" ")[1] if prefix != "none" else "none", (r[3], r[1]), fontsize=6)
    axes[0].set_xscale("log")
    axes[0].set_xlabel("interaction strength ×1e-3 (App. E normalisation)")
    axes[0].set_ylabel("test accuracy %")
    axes[0].legend()
    axes[0].set_title(f"digits, 10% training data, layer {POSITION}")
    for name, cs in curves.items():
        epochs = [e for e, _ in cs[0]]
        mean = [1e3 * sum(c[t][1] for c in cs) / len(cs) for t in range(len(epochs))]
        axes[1].plot(epochs, mean, marker="o", label=name)
    axes[1].set_xlabel("epoch")
    axes[1].set_ylabel("interaction ×1e-3 (log)")
    axes[1].set_yscale("log")
    axes[1].set_title("dropout suppresses interaction (Fig. 3)")
    axes[1].legend()
    fig.tight_layout()
    path = os.path.join(out_dir, f"{stem}.png")
    fig.savefig(path, dpi=120)
    print("plot:", path)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--first-seed", type=int, default=0,
                    help="seeds first-seed .. first-seed+seeds-1 (fresh seeds = fresh data splits and initialisations)")
    ap.add_argument("--epochs", type=int, default=60)
    ap.add_argument("--overfit-epochs", type=int, default=150)
    ap.add_argument("--dropouts", type=float, nargs="*", default=[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
    ap.add_argument("--lams", type=float, nargs="*", default=[0.3, 1.0, 3.0, 10.0, 30.0])
    ap.add_argument("--paper-lams", type=float, nargs="*", default=[1.0, 10.0])
    ap.add_argument("--loss-settings", nargs="*", default=["1:0.25:0.05"],
                    help="cheap loss settings K:subsample:alpha[:lo-hi[:warmup[:every]]] (contexts per input, batch "
                         "fraction, |A|/n, keep-rate interval of the contexts, lambda warm-up epochs, the loss on every "
                         "k-th step only with weight k * lambda)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--only", choices=["sweep", "overfit"], default=None)
    ap.add_argument("--quick", action="store_true", help="2 seeds, few epochs: a smoke run")
    ap.add_argument("--out", default=None, help="json results (default benchmarks/output/interaction_study_<position>.json)")
    ap.add_argument("--optimizer", choices=["adam", "sgd"], default="adam")
    ap.add_argument("--replot", action="store_true", help="only redo the summary and plot from --out")
    ap.add_argument("--position", choices=POSITIONS, default="low")
    ap.add_argument("--norm", choices=["none", "batch"], default="none",
                    help="batch: BatchNorm after every conv (the setting where dropout and batch norm clash)")
    ap.add_argument("--reward", choices=["logit", "probability", "loss"], default="logit",
                    help="the interaction loss's reward (App. G: the probability for networks with batch norm)")
    ap.add_argument("--batchnorm", choices=["ordinary", "eval", "batch"], default="ordinary",
                    help="batch norm in the loss's masked pass: the ordinary pass's batch statistics, the running ones (eval) or the masked batch's")
    args = ap.parse_args(argv)
    global OPTIMIZER, POSITION, LAYER, NORM, REWARD, BATCHNORM
    OPTIMIZER, POSITION, NORM, REWARD, BATCHNORM = args.optimizer, args.position, args.norm, args.reward, args.batchnorm
    LAYER = gate_layer(POSITION, NORM)
    if args.out is None:
        args.out = os.path.join(ROOT, "benchmarks", "output", f"interaction_study_{POSITION}.json")
    if args.quick:
        args.seeds, args.epochs, args.overfit_epochs, args.lams, args.paper_lams = 2, 6, 6, [1.0], [1.0]
    stem = os.path.splitext(os.path.basename(args.out))[0]  # the plot is <stem>.png beside --out
    plots = os.path.dirname(os.path.abspath(args.out))
    if args.replot:
        with open(args.out) as f:
            print(summarise([tuple(r) for r in json.load(f)["results"]], plots, stem))
        return
    jobs = []
    if args.only in (None, "sweep"):
        settings = sweep_settings(args.dropouts, args.lams, args.loss_settings, args.paper_lams)
        jobs += [("sweep", s, seed, args.epochs) for s in settings
                 for seed in range(args.first_seed, args.first_seed + args.seeds)]
    if args.only in (None, "overfit"):
        jobs += [("overfit", Setting("none (5% flipped)"), seed, args.overfit_epochs) for seed in range(args.first_seed, args.first_seed + args.seeds)]
    t0 = time.perf_counter()
    if args.workers > 1:
        import multiprocessing as mp

        with mp.get_context("fork").Pool(args.workers) as pool:
            results = []
            for i, res in enumerate(pool.imap_unordered(run_job, jobs), 1):
                results.append(res)
                print(f"[{i}/{len(jobs)}] {res[1]['setting']} seed {res[1]['seed']}: "
                      f"acc {res[1]['test_accuracy']:.3f} interaction {res[1]['interaction']:.2e}", flush=True)
    else:
        results = [run_job(j) for j in jobs]
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump({"args": vars(args), "results": results}, f, indent=1)
    text = summarise(results, plots, stem)
    print(text)
    print(f"total {time.perf_counter() - t0:.0f} s")
    with open(os.path.splitext(args.out)[0] + ".md", "w") as f:
        f.write(f"Layer {POSITION} (module {LAYER}), optimiser {OPTIMIZER}, seeds {args.first_seed}.."
                f"{args.first_seed + args.seeds - 1}, {args.epochs} epochs; "
                f"total {time.perf_counter() - t0:.0f} s\n\n{text}\n")


if __name__ == "__main__":
    main()
