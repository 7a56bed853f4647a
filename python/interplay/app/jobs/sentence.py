"""The sentence job: T([A]) of a run of words under MiniLM with the coalitions that reach B_max and
B_min (multivariate paper Eq. 4-9, Figs. 5-6), as JSON, HTML and a picture."""

from __future__ import annotations

import functools
from typing import Any, Optional, Sequence, Union

from ...methods import Estimator
from ...games import SentenceGame, load_minilm
from ...multivariate import prototypes
from ...results.display import significance_ansi, significance_html
from .common import CliError, check_out, estimator, staged, write_json

# budget= when neither a method nor a budget is given: exact up to 16 words (2^16 evaluations),
# else the learned partition search within it
DEFAULT_BUDGET = 1 << 16


@functools.lru_cache(maxsize=1)
def minilm() -> tuple:
    """(model, tokenizer) of the bundled MiniLM (:func:`interplay.games.load_minilm`), loaded once."""
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
    method: Union[None, str, Estimator] = None,
    budget: Optional[int] = None,
    seed: Optional[int] = None,
    learned: Optional[dict] = None,
    out: str = "out",
    prefix: str = "sentence",
    color: bool = True,
    progress: bool = True,
    model: Any = None,
    tokenizer: Any = None,
) -> dict:
    """T([A]) of a run of words A (default: all words) under MiniLM, with its max / min coalitions.

    The words are players (:class:`interplay.SentenceGame`). ``method`` (an estimator or its
    name: ``"exact"``, ``"learned_partitions"``), ``budget`` (model evaluations) and ``seed``
    go to :func:`interplay.prototypes` (T([A]) of :func:`interplay.interaction_significance`); ``learned`` holds options of the learned
    search (``updates``, ``contexts``, ``final_contexts``, ...) and implies it when ``method`` is
    None. Neither a method nor a budget: ``budget=DEFAULT_BUDGET`` (exact up to 16 words, else
    the learned search). Writes ``{prefix}.json``, ``{prefix}.html`` and ``{prefix}.png`` (the
    coalitions over the words) into ``out``; returns the result, the text shown (ANSI), the game
    and the paths.
    """
    check_out(out)
    if not isinstance(sentence, str) or not sentence.strip():
        raise CliError("the sentence is empty: give a text with at least two words")
    if model is None:
        model, tokenizer = minilm()
    try:
        game = SentenceGame(sentence, model, tokenizer, progress=progress)
    except ValueError as e:
        raise CliError(str(e)) from e
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
    learned = dict(learned or {})
    if method is None and learned:
        method = "learned_partitions"
    if method is None and budget is None:
        budget = DEFAULT_BUDGET
    chosen = estimator("interaction_significance", method, n, budget=budget, seed=seed, progress=progress,
                       **learned)
    try:
        sig = prototypes(game, A, method=chosen)
    except ValueError as e:
        raise CliError(str(e)) from e
    text = significance_ansi(sig, color=color)
    with staged(out, json=f"{prefix}.json", html=f"{prefix}.html", png=f"{prefix}.png") as files:  # all or none
        write_json(files["json"], {"sentence": sentence, "words": list(game.words), "A": A, "significance": sig})
        with open(files["html"], "w") as f:
            f.write(
                '<!doctype html>\n<html><head><meta charset="utf-8"><title>interplay: T([A])</title></head>\n'
                '<body style="font-family: sans-serif; font-size: 15px; line-height: 2">\n'
                f"{significance_html(sig)}\n</body></html>\n"
            )
        from ... import plots  # matplotlib only when drawing

        plots.coalition_sentence(
            game.words,
            {f"max B = {sig.b_max:+.3f}": sig.max_partition, f"min B = {sig.b_min:+.3f}": sig.min_partition},
            save=files["png"],
            title=f"T([A]) = {float(sig):.3f}: coalitions of A at B_max and B_min ({sig.method})\n"
            "A coloured, one colour per coalition; other words grey",
        )
    return {"significance": sig, "game": game, "text": text, "files": files}
