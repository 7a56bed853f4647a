"""The arguments of the public API: one seed rule everywhere (an int in [0, 2^64), a NumPy or 0-d tensor
int alike; floats, bools and strings refused), indices and counts taken exactly (NumPy and tensor integers
as ints; floats, bools and arrays refused, never truncated), meta tensors refused by name, and a clear
message for each argument of the wrong kind."""
import json

import numpy as np
import pytest
import torch
from torch import nn

import interplay as ip
from interplay.nn import InteractionLoss, interaction_loss
from seeded_games import table_game


# -- seeds: one rule -------------------------------------------------------------------------------
BAD_SEEDS = [(-1, ValueError), (2 ** 64, ValueError), (1.0, TypeError), (True, TypeError), ("1", TypeError),
             (np.float64(1), TypeError), (torch.tensor(1.0), TypeError)]


def seed_users():
    g = table_game(4)
    words = ip.TableGame(torch.randn(16, dtype=torch.float64), labels=list("abcd"))
    net = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Linear(4, 2))
    h, y = torch.randn(2, 4), torch.zeros(2, dtype=torch.long)
    return {
        "Permutation": lambda s: ip.Permutation(seed=s),
        "PairSampling": lambda s: ip.PairSampling(seed=s),
        "SharedPairs": lambda s: ip.SharedPairs(seed=s),
        "CoalitionSampling": lambda s: ip.CoalitionSampling(seed=s),
        "LearnedPartitions": lambda s: ip.LearnedPartitions(seed=s),
        # 2^4 <= the budgets: exact_when_covered=False, so that the seed reaches the sampler's draw
        "shapley_values": lambda s: ip.shapley_values(g, method="permutation", seed=s, exact_when_covered=False),
        "budget picks exact": lambda s: ip.shapley_values(g, budget=1 << 10, seed=s),
        "pair_interactions": lambda s: ip.pair_interactions(g, [(0, 1)], method="pair_sampling", budget=64, seed=s,
                                                           exact_when_covered=False),
        "prototypes": lambda s: ip.prototypes(words, [0, 1, 2], method="learned_partitions", seed=s),
        "pair_contexts": lambda s: ip.exact.pair_contexts(g, 0, 1, samples=4, seed=s),
        "InteractionLoss": lambda s: InteractionLoss(net, "1", seed=s),
        "interaction_loss": lambda s: interaction_loss(h, lambda m: m[:, :2], y, seed=s),
        "explain_dataset": lambda s: ip.explain_dataset(lambda x, seed: x, [1, 2], seed=s),
    }


@pytest.mark.parametrize("user", list(seed_users()))
@pytest.mark.parametrize("seed, error", BAD_SEEDS, ids=[repr(s) for s, _ in BAD_SEEDS])
def test_every_seed_follows_one_rule(user, seed, error):
    with pytest.raises(error, match="seed"):
        seed_users()[user](seed)


@pytest.mark.parametrize("user", list(seed_users()))
def test_seeds_up_to_two_to_the_64_work_everywhere(user):
    for seed in (0, 2 ** 63, 2 ** 64 - 1, np.uint64(2 ** 64 - 1)):
        seed_users()[user](seed)


def test_seeds_above_two_to_the_63_are_distinct_and_reproducible():
    g = table_game(6)
    own = dict(exact_when_covered=False)  # 2^6 <= 200: the permutations themselves
    a = ip.shapley_values(g, method="permutation", budget=200, seed=2 ** 63 + 1, **own).values
    b = ip.shapley_values(g, method="permutation", budget=200, seed=2 ** 63 + 1, **own).values
    c = ip.shapley_values(g, method="permutation", budget=200, seed=2 ** 63 + 2, **own).values
    assert torch.equal(a, b) and not torch.equal(a, c)


# -- nothing truncated -----------------------------------------------------------------------------
def bad_indices():
    return [0.0, 1.0, True, False, np.bool_(True), np.float32(1), torch.tensor(1.0), torch.tensor(True),
            torch.tensor([1]), "1"]


INDEX_CALLS = {
    "pairs": lambda g, v: ip.pair_interactions(g, [(v, 2)]),
    "pairs tensor": lambda g, v: ip.pair_interactions(g, torch.tensor([[0, 1]], dtype=torch.float64)),
    "matrix pairs": lambda g, v: ip.shapley_interaction_matrix(g, pairs=[(0, v)]),
    "i": lambda g, v: ip.shapley_interaction(g, v, 2),
    "j": lambda g, v: ip.banzhaf_interaction(g, 0, v),
    "A": lambda g, v: ip.multivariate_interaction(g, [v, 2]),
    "coalition": lambda g, v: ip.coalition_shapley(g, [v]),
    "absent": lambda g, v: ip.coalition_shapley(g, [0], absent=[v]),
    "subset": lambda g, v: ip.elementary_interaction(g, [0, 1, 2], [v, 2]),
    "significance A": lambda g, v: ip.interaction_significance(g, [v, 2]),
    "order": lambda g, v: ip.multi_order_interaction(g, 0, 2, order=v),
    "orders": lambda g, v: ip.multi_order_interaction(g, 0, 2, orders=[v]),
    "marginal i": lambda g, v: ip.marginal_rewards(g, v, 2),
    "average marginal j": lambda g, v: ip.average_marginal_rewards(g, 0, v),
    "pair_contexts": lambda g, v: ip.exact.pair_contexts(g, v, 2),
}


@pytest.mark.parametrize("call", list(INDEX_CALLS))
def test_float_bool_and_array_indices_are_refused_not_truncated(call):
    g = table_game(4)
    for v in bad_indices():
        with pytest.raises(TypeError):
            INDEX_CALLS[call](g, v)
    assert g.evaluations == 0


def test_integer_like_indices_are_taken():
    g = table_game(4)
    expected = ip.shapley_interaction(g, 1, 2).values
    for v in (np.int64(1), torch.tensor(1), np.uint8(1)):
        assert torch.equal(ip.shapley_interaction(g, v, 2).values, expected)


# -- NumPy and tensor integers are integers everywhere ---------------------------------------------
def test_numpy_and_tensor_integers_accepted_the_same_way():
    g = table_game(10)
    for budget in (np.int64(500), torch.tensor(500), 500):
        r = ip.shapley_values(g, budget=budget, seed=0)
        assert r.estimator.budget == 500 and type(r.estimator.budget) is int
    assert ip.Game(lambda c: c.double().sum(1), np.int64(3)).n_players == 3
    assert ip.LearnedPartitions(updates=np.int32(2), contexts=torch.tensor(4)).contexts == 4
    assert ip.SharedPairs(replicates=np.int64(3), border=np.int64(1)).border == 1
    json.dumps(ip.shapley_values(g, budget=np.int64(300)).to_dict())  # plain ints in the file
    for bad in (True, 3.0, "3"):
        with pytest.raises(TypeError, match="n_players must be an integer"):
            ip.Game(lambda c: c.double().sum(1), bad)
    with pytest.raises(TypeError, match="budget must be an integer"):
        ip.shapley_values(g, method="permutation", budget=500.0)


# -- clear messages for arguments of the wrong kind ------------------------------------------------
@pytest.mark.parametrize("call, error, match", [
    (lambda g: ip.shapley_values(torch.randn(8)), TypeError, "game must be an interplay.Game, got Tensor"),
    (lambda g: ip.interaction_significance([1, 2], [0, 1]), TypeError, "game must be an interplay.Game"),
    (lambda g: ip.shapley_interaction_matrix(g, pairs=torch.tensor([0, 1])), ValueError, r"\[P, 2\] tensor"),
    (lambda g: ip.pair_interactions(g, [(0, 1)], index="RII", rate=(.1, .5, .9), budget=400), ValueError,
     "rate must be a pair"),
    (lambda g: ip.pair_interactions(g, [(0, 1)], index="RII", rate=0.5, budget=400), TypeError, "rate must be a pair"),
    (lambda g: ip.pair_interactions(g, [0, 1]), ValueError, "pairs must be a non-empty list of"),
    (lambda g: ip.multi_order_interaction(g, 0, 1, order_ranges=(0., 0.5)), TypeError, "order_ranges"),
    (lambda g: ip.players.neighbours((-2, 3)), ValueError, "cells"),
])
def test_clear_messages(call, error, match):
    with pytest.raises(error, match=match):
        call(table_game(4))


# -- meta tensors ----------------------------------------------------------------------------------
def _loss(**kw):
    net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    return net, InteractionLoss(net, "1", seed=0, **kw)


def test_meta_tensors_refused():
    net, reg = _loss()
    with pytest.raises(ValueError, match="x is on the meta device"):
        reg(torch.randn(4, 4, device="meta"), torch.zeros(4, dtype=torch.long))
    with pytest.raises(ValueError, match="the game table is on the meta device"):
        ip.TableGame(torch.zeros(8, device="meta"))
    g = table_game(4)
    with pytest.raises(ValueError, match="pairs is on the meta device"):
        ip.pair_interactions(g, torch.zeros(1, 2, dtype=torch.long, device="meta"))
    meta_game = ip.Game(lambda c: torch.zeros(c.shape[0], device="meta"), 3)
    with pytest.raises(ValueError, match="rewards is on the meta device"):
        ip.shapley_values(meta_game)
