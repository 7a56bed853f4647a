"""Cost of a training step with the interaction loss against a step with dropout at the same layer.

    PYTHONPATH=python python benchmarks/loss_cost.py [--position high] [--contexts 2] [--subsample 1.0]

Default: the <= 1.5x setting of benchmarks/RESULTS.md that came closest to the best dropout in the study:
the loss after conv block 3 ("high") with 2 contexts per input on the whole batch. It does NOT beat dropout
(paired over 10 fresh seeds it is 0.55 pp worse); no <= 1.5x setting tried did (RESULTS.md, "Interaction loss").

Same model (the study's CNN on 8x8 digits), same batch, same optimiser; the steps are timed side by side,
interleaved, in one run (median of repeated blocks). Lines per setting; the last line is the ratio of the
chosen setting (--contexts/--subsample) to the dropout step.
The paper's setting (10 contexts on the full batch: the upper network sees 1 + 4·10 copies) is printed too.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
sys.path.insert(0, os.path.join(ROOT, "benchmarks", "studies"))
import interaction_loss_study as study  # noqa: E402
from interplay.nn import InteractionLoss  # noqa: E402


def make_step(kind: str, batch: int, position: str, contexts: int = 1, subsample=None, lam: float = 10.0):
    torch.manual_seed(0)
    model = study.build_model(0.5 if kind == "dropout" else 0.0, position)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    reg = InteractionLoss(model, layer=study.gate_layer(position), contexts=contexts, subsample=subsample, seed=0) if kind == "loss" else None
    g = torch.Generator().manual_seed(1)
    x = torch.rand(batch, 1, 8, 8, generator=g)
    y = torch.randint(0, 10, (batch,), generator=g)

    def step():
        loss = F.cross_entropy(model(x), y)
        if reg is not None:
            loss = loss + lam * reg(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    return step


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--contexts", type=int, default=2)
    ap.add_argument("--subsample", type=float, default=1.0)
    ap.add_argument("--steps", type=int, default=30, help="steps per timed block")
    ap.add_argument("--blocks", type=int, default=15, help="interleaved timed blocks per setting")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--position", choices=study.POSITIONS, default="high",
                    help="where dropout / the loss sit: after conv block 2 (low) or 3 (high)")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    chosen = f"loss K={args.contexts}, subsample={args.subsample:g}"
    args.subsample = None if args.subsample >= 1 else args.subsample
    settings = {
        "dropout p=0.5": make_step("dropout", args.batch, args.position),
        "no regulariser": make_step("none", args.batch, args.position),
        chosen: make_step("loss", args.batch, args.position, args.contexts, args.subsample),
        "loss K=10, full batch (paper)": make_step("loss", args.batch, args.position, 10, None),
    }
    for step in settings.values():  # warm-up
        for _ in range(3):
            step()
    times = {name: [] for name in settings}
    for _ in range(args.blocks):
        for name, step in settings.items():
            t0 = time.perf_counter()
            for _ in range(args.steps):
                step()
            times[name].append((time.perf_counter() - t0) / args.steps)
    base = statistics.median(times["dropout p=0.5"])
    print(f"layer {args.position} (module {study.gate_layer(args.position)}), batch {args.batch}, {args.threads} thread(s), median of {args.blocks} blocks x {args.steps} steps")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"{name:34s} {1e3 * med:8.3f} ms/step   x{med / base:.2f} of dropout")
    print(f"paper/dropout: {statistics.median(times['loss K=10, full batch (paper)']) / base:.2f}")
    print(f"ratio: {statistics.median(times[chosen]) / base:.2f}")


if __name__ == "__main__":
    main()
