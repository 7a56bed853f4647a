"""The sentence job: T([A]) of a run of words under MiniLM with the coalitions that reach B_max and
B_min (multivariate paper Eq. 4-9, Figs. 5-6), as JSON, HTML and a picture."""

from __future__ import annotations

import functools
import os
from typing import Any, Optional, Sequence

from .. import plots
from ..display import significance_ansi, significance_html
from ..text import SentenceGame, load_minilm, prototypes
from .common import CliError, write_json


@functools.lru_cache(maxsize=1)
def minilm() -> tuple:
    """(model, tokenizer) of the bundled MiniLM (:func:`interplay.text.load_minilm`), loaded once."""
    return load_minilm()


def parse_span(span: str, n: int) -> list:
    """``"start:end"`` (Python slice, end exclusive, negative counts from the end) as word indices."""
    try:
        start_text, end_text = span.split(":")
        start = int(start_text) if start_text else 0
        end = int(end_text) if end_text else n
    except ValueError:
        raise CliError(f"--span must be start:end (e.g. 2:6), got {span!r}") from None
    words = list(range(n))[start:end]
    if len(words) < 2:
        raise CliError(f"--span {span} selects {len(words)} of the {n} words; A needs at least 2")
    return words


def explain_sentence(
    sentence: str,
    A: Optional[Sequence[int]] = None,
    *,
    method: str = "auto",
    seed: int = 0,
    learned: Optional[dict] = None,
    out: str = "out",
    prefix: str = "sentence",
    color: bool = True,
    progress: bool = True,
    model: Any = None,
    tokenizer: Any = None,
) -> dict:
    """T([A]) of a run of words A (default: all words) under MiniLM, with its max / min coalitions.

    The words are players (:class:`interplay.text.SentenceGame`); ``method`` is ``"exact"``
    (2^n evaluations), ``"learned"`` (the partition search, ``seed`` and budgets ``learned``) or
    ``"auto"`` (whichever is cheaper). Writes ``{prefix}.json``, ``{prefix}.html`` and
    ``{prefix}.png`` (the coalitions over the words) into ``out``; returns the result, the text
    shown (ANSI) and the paths.
    """
    if method not in ("auto", "exact", "learned"):
        raise CliError(f"--method must be auto, exact or learned, got {method!r}")
    if model is None:
        model, tokenizer = minilm()
    game = SentenceGame(sentence, model, tokenizer, progress=progress)
    n = game.n_players
    A = list(range(n)) if A is None else [int(a) for a in A]
    bad = [a for a in A if not 0 <= a < n]
    if bad:
        raise CliError(
            f"word indices {bad} are outside the sentence's {n} words (0..{n - 1}): "
            + " ".join(f"{k}:{w}" for k, w in enumerate(game.words))
        )
    if len(A) < 2:
        raise CliError("A needs at least 2 words")
    kwargs = {} if method == "exact" else {"seed": seed, **(learned or {})}
    try:
        sig = prototypes(game, A, method=method, **kwargs)
    except ValueError as e:
        raise CliError(str(e)) from e
    text = significance_ansi(sig, color=color)
    os.makedirs(out, exist_ok=True)
    files = {
        "json": os.path.join(out, f"{prefix}.json"),
        "html": os.path.join(out, f"{prefix}.html"),
        "png": os.path.join(out, f"{prefix}.png"),
    }
    write_json(
        files["json"],
        {"sentence": sentence, "words": list(game.words), "A": A, "significance": sig.to_dict()},
    )
    with open(files["html"], "w") as f:
        f.write(
            '<!doctype html>\n<html><head><meta charset="utf-8"><title>interplay: T([A])</title></head>\n'
            '<body style="font-family: sans-serif; font-size: 15px; line-height: 2">\n'
            f"{significance_html(sig)}\n</body></html>\n"
        )
    partitions = {
        f"max B = {sig.b_max:+.3f}": [list(b) for b in sig.max_partition],
        f"min B = {sig.b_min:+.3f}": [list(b) for b in sig.min_partition],
    }
    plots.coalition_sentence(
        game.words,
        partitions,
        save=files["png"],
        title=f"T([A]) = {sig.T:.3f}: coalitions of A at B_max and B_min ({sig.method})\n"
        "A coloured, one colour per coalition; other words grey",
    )
    return {"significance": sig, "game": game, "text": text, "files": files}
