"""Prototype features of a sentence (multivariate paper Fig. 5-6): A marked, the coalitions of the
partitions that reach B_max and B_min coloured, as ANSI terminal text or as HTML.

A is shown in brackets (terminal) or in a grey box (HTML); every coalition of a partition gets its
own colour, so words of one colour form one prototype feature; words outside A are plain.
"""
from __future__ import annotations

import html
from typing import TYPE_CHECKING, Optional, Sequence

if TYPE_CHECKING:  # pragma: no cover
    from .result import Result

_ANSI = ["\033[30;48;5;214m", "\033[30;48;5;117m", "\033[30;48;5;156m", "\033[30;48;5;218m",
         "\033[30;48;5;229m", "\033[30;48;5;183m"]
_RESET = "\033[0m"
_HTML = ["#ffb74d", "#81d4fa", "#c5e1a5", "#f8bbd0", "#fff59d", "#d1c4e9"]


def _block_of(partition: Sequence[Sequence[int]]) -> dict:
    return {p: b for b, block in enumerate(partition) for p in block}


def sentence_ansi(words: Sequence[str], A: Sequence[int], partition: Sequence[Sequence[int]],
                  color: bool = True) -> str:
    """One line: the words, A in [ ], each coalition of ``partition`` in its own colour
    (``color=False``: coalitions separated by " | " instead)."""
    block, inside = _block_of(partition), set(A)
    first, last = min(A), max(A)
    out: list[str] = []
    for i, word in enumerate(words):
        text = word
        if i in inside:
            if color:
                text = f"{_ANSI[block[i] % len(_ANSI)]}{word}{_RESET}"
            elif i != first and block.get(i) != block.get(i - 1):
                out.append("|")
            if i == first:
                text = "[" + text
            if i == last:
                text = text + "]"
        out.append(text)
    return " ".join(out)


def sentence_html(words: Sequence[str], A: Sequence[int], partition: Sequence[Sequence[int]]) -> str:
    """The words as HTML: A in a grey box, each coalition of ``partition`` on its own colour."""
    block, inside = _block_of(partition), set(A)
    first, last = min(A), max(A)
    parts: list[str] = []
    for i, word in enumerate(words):
        w = html.escape(word)
        if i in inside:
            w = (f'<span style="background:{_HTML[block[i] % len(_HTML)]};padding:1px 3px;'
                 f'border-radius:3px">{w}</span>')
        if i == first:
            w = '<span style="border:2px solid #999;background:#eee;padding:2px">' + w
        if i == last:
            w = w + "</span>"
        parts.append(w)
    return " ".join(parts)


def _words(sig: "Result", words: Optional[Sequence[str]]) -> Sequence[str]:
    if sig.partitions is None:
        raise ValueError(f"a {sig.index!r} result has no partitions: pass a T([A]) result")
    words = words if words is not None else sig.labels
    if words is None:
        raise ValueError("the words are not known: pass words= (or explain a SentenceGame, whose words label it)")
    if len(words) != sig.n_players:
        raise ValueError(f"{len(words)} words for a game of {sig.n_players} players")
    return words


def significance_ansi(sig: "Result", words: Optional[Sequence[str]] = None, color: bool = True) -> str:
    """T([A]) and the sentence twice: with the max coalitions and with the min coalitions (Fig. 6)."""
    words = _words(sig, words)
    pm = "" if sig.stderr is None else f" ± {float(sig.stderr):.3g}"
    return (f"T([A]) = {float(sig.values):.4g}{pm}  ({sig.method}, {sig.evaluations} evaluations)\n"
            f"  max B = {sig.b_max:+.4g}: {sentence_ansi(words, sig.players, sig.max_partition, color)}\n"
            f"  min B = {sig.b_min:+.4g}: {sentence_ansi(words, sig.players, sig.min_partition, color)}")


def significance_html(sig: "Result", words: Optional[Sequence[str]] = None) -> str:
    """The HTML of :func:`significance_ansi` (used by ``Result._repr_html_`` when words are known)."""
    words = _words(sig, words)
    pm = "" if sig.stderr is None else f" ± {float(sig.stderr):.3g}"
    return (f"<div><b>T([A]) = {float(sig.values):.4g}{pm}</b> <small>({html.escape(sig.method)}, {sig.evaluations} "
            f"evaluations)</small><br>"
            f"B<sub>max</sub> = {sig.b_max:+.4g}: {sentence_html(words, sig.players, sig.max_partition)}<br>"
            f"B<sub>min</sub> = {sig.b_min:+.4g}: {sentence_html(words, sig.players, sig.min_partition)}</div>")
