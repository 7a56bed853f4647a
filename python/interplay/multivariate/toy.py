"""The toy models of the multivariate paper's Table 1, with ground-truth partitions.

Each model is a flat expression over binary variables x_0 .. x_{n-1}, read left to right with
one operation between every pair of neighbours:

* Addition-Multiplication: y = x_0 + x_1 * x_2 + x_3 * x_4 * x_5 + ...   (terms: products)
* AND-OR:                  y = x_0 | (x_1 & x_2) | (x_3 & x_4) | ...     (terms: conjunctions)
* Exponential:             y = x_0 ^ x_1 + x_2 + x_3 ^ x_4 + ...         (terms: x_a ^ x_b or x_a),
                           with 0 ^ 0 = 1 as for real numbers.

The game is v(S) = y(x) with x_i = 1 for i ∈ S and 0 otherwise (the input is all ones, the
baseline zero). A is a run of whole terms (2 to ``max_a`` variables) holding at least one
scored operation (for the Exponential models: at least one exponentiation).

Ground truth for the partition that maximises Σ_{C∈Ω} φ(C|N_C): the neighbours joined by
×, & or ^ must share a coalition, the neighbours joined by | must be in different coalitions,
and + is not scored (additive terms do not interact). Every operation sits between two
neighbours of A, so a partition (as gaps g_k: k-th and (k+1)-th player of A share a
coalition) allocates an operation correctly when g_k is True for ×, &, ^ and False for |.
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Sequence, Union

import torch

from .._internal.seeds import derive_seed
from ..methods import Estimator, Sampler, registered
from ..games import Game
from ..indices import interaction_significance, shapley_interaction

KINDS = ("add_mul", "and_or", "exponential")
JOIN = {"*": True, "&": True, "^": True, "|": False}  # the ground truth; "+" is not scored


@dataclass
class ToyModel:
    """One toy model: its terms, operations, the set A, and the game v(S) = y(1_S)."""

    kind: str
    terms: list  # tuples of consecutive variables
    ops: list  # ops[i]: the operation between x_i and x_{i+1}
    A: tuple
    game: Game = field(repr=False)

    @property
    def n(self) -> int:
        return self.game.n_players

    def expression(self) -> str:
        """The model as a formula, e.g. ``x0 + x1*x2 + x3``."""
        inner = {"add_mul": "*", "and_or": "&", "exponential": "^"}[self.kind]
        outer = " | " if self.kind == "and_or" else " + "
        parts = []
        for t in self.terms:
            s = inner.join(f"x{i}" for i in t)
            parts.append(f"({s})" if len(t) > 1 and self.kind == "and_or" else s)
        return outer.join(parts)

    def truth(self) -> dict:
        """{k: must_join} for the scored gaps k of A (between A[k] and A[k+1])."""
        return {k: JOIN[self.ops[self.A[k]]] for k in range(len(self.A) - 1) if self.ops[self.A[k]] in JOIN}

    def score_gaps(self, gaps: Sequence[bool]) -> tuple[int, int]:
        """(correctly allocated operations, scored operations) of a partition given as gaps."""
        truth = self.truth()
        return sum(bool(gaps[k]) == want for k, want in truth.items()), len(truth)

    def score(self, partition: Sequence[Sequence[int]]) -> tuple[int, int]:
        """(correct, scored) for a partition of A given as blocks of players."""
        block = {p: b for b, players in enumerate(partition) for p in players}
        gaps = [block[self.A[k]] == block[self.A[k + 1]] for k in range(len(self.A) - 1)]
        return self.score_gaps(gaps)


def _evaluator(kind: str, terms: list):
    singles = [t[0] for t in terms if len(t) == 1]
    groups = [list(t) for t in terms if len(t) > 1]

    def fn(coalitions: torch.Tensor) -> torch.Tensor:
        x = coalitions.to(torch.float64)
        if kind == "add_mul":
            y = x[:, singles].sum(1)
            for g in groups:
                y = y + x[:, g].prod(1)
        elif kind == "and_or":
            y = x[:, singles].amax(1) if singles else torch.zeros(x.shape[0], dtype=torch.float64)
            for g in groups:
                y = torch.maximum(y, x[:, g].amin(1))
        else:
            y = x[:, singles].sum(1)
            for a, b in groups:
                y = y + torch.pow(x[:, a], x[:, b])
        return y

    return fn


def make_model(kind: str, seed: int, *, n_range: tuple = (6, 12), max_a: int = 6, batch_size: int = 8192) -> ToyModel:
    """One random model of ``kind`` (see :data:`KINDS`), reproducible from ``seed``."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    lo, hi = n_range
    if not (2 <= lo <= hi):
        raise ValueError(f"n_range must be (lo, hi) with 2 <= lo <= hi, got {n_range}")
    if max_a < 2:
        raise ValueError(f"max_a must be >= 2, got {max_a}")
    rng = random.Random(f"{kind}:{seed}")
    max_term = 2 if kind == "exponential" else 3
    inner = {"add_mul": "*", "and_or": "&", "exponential": "^"}[kind]
    outer = "|" if kind == "and_or" else "+"
    for _ in range(1000):
        n = rng.randint(lo, hi)
        terms, i = [], 0
        while i < n:
            size = min(rng.randint(1, max_term), n - i)
            terms.append(tuple(range(i, i + size)))
            i += size
        ops = []
        for t_index, t in enumerate(terms):
            ops += [inner] * (len(t) - 1)
            if t_index + 1 < len(terms):
                ops.append(outer)
        # A: a run of whole terms, 2..max_a variables, with a scored operation inside
        candidates = []
        for a in range(len(terms)):
            for b in range(a, len(terms)):
                players = tuple(range(terms[a][0], terms[b][-1] + 1))
                if not 2 <= len(players) <= max_a:
                    continue
                inside = [ops[p] for p in players[:-1]]
                if kind == "exponential" and "^" not in inside:
                    continue
                if any(op in JOIN for op in inside):
                    candidates.append(players)
        if candidates:
            A = rng.choice(candidates)
            game = Game(_evaluator(kind, terms), n, batch_size=batch_size, progress=False)
            return ToyModel(kind=kind, terms=terms, ops=ops, A=A, game=game)
    raise RuntimeError(f"could not draw a {kind} model with n in {n_range}")  # pragma: no cover


def make_dataset(kind: str, count: int, seed: int = 0, **kwargs) -> list:
    """``count`` models of ``kind``, model i drawn from seed (seed, i)."""
    return [make_model(kind, seed * 1_000_003 + i, **kwargs) for i in range(count)]


def add_multiplication(count: int, seed: int = 0, **kwargs) -> list:
    """The Addition-Multiplication data set (Table 1, first column)."""
    return make_dataset("add_mul", count, seed, **kwargs)


def and_or(count: int, seed: int = 0, **kwargs) -> list:
    """The AND-OR data set (Table 1, second column)."""
    return make_dataset("and_or", count, seed, **kwargs)


def exponential(count: int, seed: int = 0, **kwargs) -> list:
    """The Exponential data set (Table 1, third column)."""
    return make_dataset("exponential", count, seed, **kwargs)


# ---------------------------------------------------------------------------------------------
# scoring: the rate of correctly allocated operations (Table 1), for interplay and the baselines
# ---------------------------------------------------------------------------------------------
#: the default methods -> the row label of Table 1 (the first two are estimator names)
METHODS = {
    "learned_partitions": "interplay learned",
    "exact": "interplay exact",
    "random": "Baseline 1",
    "shapley_pairs": "Baseline 2",
    "leave_one_out": "Baseline 3",
}
BASELINES = ("random", "shapley_pairs", "leave_one_out")


def baseline_random(model: ToyModel, gen: torch.Generator) -> list:
    """Baseline 1 (random coalitions): every gap g_k ~ Bernoulli(1/2)."""
    return (torch.rand(len(model.A) - 1, generator=gen) < 0.5).tolist()


def baseline_shapley_pairs(model: ToyModel) -> list:
    """Baseline 2 (pairwise Shapley interaction, Lundberg et al. 2018): join A[k], A[k+1] when their
    Shapley interaction index in the full game is > 0 (exact, 2^n evaluations)."""
    A = model.A
    return [float(shapley_interaction(model.game, A[k], A[k + 1])) > 0 for k in range(len(A) - 1)]


def baseline_leave_one_out(model: ToyModel) -> list:
    """Baseline 3 (leave-one-out, Li, Monroe & Jurafsky 2016): join A[k], A[k+1] when
    D = [v(N) - v(N∖{i})] - [v(N∖{j}) - v(N∖{i,j})] > 0 (1 + m + (m - 1) evaluations)."""
    n, A = model.n, model.A
    rows = [torch.ones(n, dtype=torch.bool)]
    for i in A:
        r = torch.ones(n, dtype=torch.bool)
        r[i] = False
        rows.append(r)
    for k in range(len(A) - 1):
        r = torch.ones(n, dtype=torch.bool)
        r[A[k]] = r[A[k + 1]] = False
        rows.append(r)
    v = model.game(torch.stack(rows)).tolist()
    full, single, pair = v[0], v[1 : 1 + len(A)], v[1 + len(A) :]
    return [(full - single[k]) - (single[k + 1] - pair[k]) > 0 for k in range(len(A) - 1)]


@dataclass
class Score:
    """The tally of one method over a data set: correctly allocated / scored operations, game
    evaluations and seconds spent, over ``models`` models."""

    correct: int = 0
    scored: int = 0
    evaluations: int = 0
    seconds: float = 0.0
    models: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.scored if self.scored else float("nan")

    @property
    def evaluations_per_model(self) -> float:
        return self.evaluations / self.models if self.models else float("nan")

    def to_dict(self) -> dict:
        return {"accuracy": self.accuracy, "correct": self.correct, "scored": self.scored,
                "evaluations": self.evaluations, "evaluations_per_model": self.evaluations_per_model,
                "seconds": self.seconds, "models": self.models}


Method = Union[str, Estimator]


def _methods(methods: Sequence[Method]) -> dict:
    """{key: baseline name or Estimator}, keyed by the baseline or the estimator's name."""
    if isinstance(methods, (str, Estimator)) or not methods:
        raise ValueError(f"methods must be a non-empty list of baselines {list(BASELINES)}, estimator names or "
                         f"Estimator objects that compute interaction_significance, got {methods!r}")
    out: dict = {}
    for m in methods:
        if isinstance(m, str) and m in BASELINES:
            key, how = m, m
        elif isinstance(m, str) and m in registered():
            key, how = m, registered()[m]()
        elif isinstance(m, Estimator):
            key, how = type(m).name, m
        else:
            raise ValueError(f"unknown method {m!r}: methods are baselines {list(BASELINES)}, estimator names or "
                             "Estimator objects that compute interaction_significance")
        if not isinstance(how, str) and "interaction_significance" not in type(how).computes():
            raise ValueError(f"method {key!r} does not compute interaction_significance")
        if key in out:
            raise ValueError(f"methods lists {key!r} twice")
        out[key] = how
    return out


def score_methods(models: Sequence[ToyModel], methods: Sequence[Method] = tuple(METHODS), *, seed: int = 0,
                  progress: bool = False, desc: str = "toy models") -> dict:
    """Scores each method's max partition on every model (the multivariate paper's Table 1).

    Args:
        models: toy models (e.g. :func:`make_dataset`).
        methods: each a baseline — ``"random"`` (Baseline 1, one generator seeded by ``seed`` for
            the whole data set), ``"shapley_pairs"`` (Baseline 2), ``"leave_one_out"`` (Baseline 3)
            — or an estimator of T([A]): a registered name (``"learned_partitions"``,
            ``"exact"``) or an object such as ``LearnedPartitions(updates=8)``. A sampling
            estimator explains model i with seed ``derive_seed(estimator.seed, i)``.
        progress: a tqdm bar over the models.

    Returns:
        ``{key: Score}`` in the order of ``methods``, keyed by the baseline or the estimator's
        name. An estimator runs on a fresh copy of the game (no cached table) and is charged what
        it evaluates (2^n for ``"exact"``); Baseline 2 is charged the 2^n evaluations of the
        game's table.
    """
    from .._internal.progress import progress_bar

    chosen = _methods(methods)
    tally = {key: Score() for key in chosen}
    gen = torch.Generator().manual_seed(int(seed))

    def record(key: str, model: ToyModel, *, gaps=None, partition=None, evaluations: int = 0,
               seconds: float = 0.0) -> None:
        c, t = model.score(partition) if partition is not None else model.score_gaps(gaps)
        s = tally[key]
        s.correct, s.scored, s.evaluations = s.correct + c, s.scored + t, s.evaluations + evaluations
        s.seconds += seconds
        s.models += 1

    for i, model in enumerate(progress_bar(models, enabled=progress, desc=desc, unit="model")):
        game = model.game
        for key, how in chosen.items():
            t0 = time.time()
            if isinstance(how, Estimator):
                estimator = how.replace(seed=derive_seed(how.seed, i)) if isinstance(how, Sampler) else how
                fresh = Game(game.fn, game.n_players, batch_size=game.batch_size, progress=False)  # no cached table
                r = interaction_significance(fresh, model.A, method=estimator)
                record(key, model, partition=r.max_partition, evaluations=r.evaluations, seconds=time.time() - t0)
            elif how == "random":
                record(key, model, gaps=baseline_random(model, gen))
            elif how == "leave_one_out":
                before = game.evaluations
                gaps = baseline_leave_one_out(model)
                record(key, model, gaps=gaps, evaluations=game.evaluations - before, seconds=time.time() - t0)
            else:  # shapley_pairs: after "exact" the table is cached; either way it costs 2^n evaluations
                gaps = baseline_shapley_pairs(model)
                record(key, model, gaps=gaps, evaluations=1 << model.n, seconds=time.time() - t0)
    return tally
