"""Regressions of the red-team campaign against the redesign (772 hostile inputs): each test failed
on the behaviour it found (a crash, a silent wrong result or an unclear message)."""
import json
import os

import numpy as np
import pytest
import torch
from torch import nn

import interplay as ip
from interplay.app.jobs.loading import load_tensor, select_example
from interplay.app.errors import CliError
from interplay.nn import InteractionLoss


def table_game(n=4, seed=0):
    return ip.TableGame(torch.randn(1 << n, dtype=torch.float64, generator=torch.Generator().manual_seed(seed)))


# -- 1. a huge TableGame is refused before any copy -------------------------------------------------
@pytest.mark.parametrize("size", [2 ** 31, 2 ** 40])
def test_huge_table_refused_before_copy(size):
    view = torch.zeros(1, dtype=torch.float32).expand(size)  # a float32 view: .to(float64) would copy it
    with pytest.raises(ValueError, match=f"n = {size.bit_length() - 1} players is too large for an exact method"):
        ip.TableGame(view)


def test_table_over_max_memory_refused_before_copy(monkeypatch):
    copies = []
    real_to = torch.Tensor.to

    def to(self, *args, **kwargs):
        copies.append(self.numel())
        return real_to(self, *args, **kwargs)

    monkeypatch.setattr(torch.Tensor, "to", to)
    previous = ip.set_max_memory("1K")
    try:
        with pytest.raises(MemoryError, match="more than max_memory"):
            ip.TableGame(torch.zeros(1, dtype=torch.float32).expand(1 << 20))
    finally:
        ip.set_max_memory(previous)
    assert not any(c >= 1 << 20 for c in copies), "the table was copied before the memory check"


# -- 2. every count field of every estimator is >= 1 --------------------------------------------------
@pytest.mark.parametrize("field", ["updates", "partitions_per_update", "contexts", "final_contexts", "budget"])
def test_learned_partitions_counts_at_least_one(field):
    with pytest.raises(ValueError, match=f"{field} must be at least 1, got 0"):
        ip.LearnedPartitions(**{field: 0})
    g = table_game(8)
    with pytest.raises(ValueError, match="updates must be at least 1"):
        ip.interaction_significance(g, [1, 2, 3], method=ip.LearnedPartitions(updates=0))


@pytest.mark.parametrize("cls, field", [(ip.SharedPairs, "replicates"), (ip.Permutation, "budget"),
                                        (ip.Exact, "budget"), (ip.CoalitionSampling, "budget"),
                                        (ip.SharedPairs, "border")])
def test_estimator_counts_take_numpy_ints_and_refuse_zero(cls, field):
    est = cls(**{field: np.int64(8)})
    assert getattr(est, field) == 8 and type(getattr(est, field)) is int
    if field != "border":  # border = 0 turns the border off
        with pytest.raises(ValueError, match=f"{field} must be"):
            cls(**{field: 0})


# -- 3. bitmask conversions refuse what they cannot represent ----------------------------------------
@pytest.mark.parametrize("call, error, match", [
    (lambda: ip.coalitions_to_masks(torch.ones(1, 65, dtype=torch.bool)), ValueError, "in 0..62"),
    (lambda: ip.coalitions_to_masks(torch.full((1, 3), 2)), ValueError, "bool tensor"),
    (lambda: ip.coalitions_to_masks(torch.full((1, 3), 0.5)), ValueError, "bool tensor"),
    (lambda: ip.coalitions_to_masks(torch.ones(3, dtype=torch.bool)), ValueError, "2-D tensor"),
    (lambda: ip.masks_to_coalitions(torch.tensor([8]), 3), ValueError, "mask 8 is not a coalition of 3"),
    (lambda: ip.masks_to_coalitions(torch.tensor([-1]), 3), ValueError, "mask -1"),
    (lambda: ip.masks_to_coalitions(torch.tensor([[5]]), -1), ValueError, "n must be in 0..62"),
    (lambda: ip.masks_to_coalitions(torch.tensor([5]), 63), ValueError, "n must be in 0..62"),
    (lambda: ip.masks_to_coalitions(torch.tensor([0.5]), 3), TypeError, "integer bitmasks"),
])
def test_mask_conversions_validate(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_mask_conversions_round_trip():
    c = torch.tensor([[1, 0, 1], [0, 1, 1]])
    masks = ip.coalitions_to_masks(c)
    assert masks.tolist() == [5, 6]
    assert torch.equal(ip.masks_to_coalitions(masks, 3), c.bool())
    assert ip.coalitions_to_masks(torch.ones(1, 62, dtype=torch.bool)).item() == (1 << 62) - 1
    with pytest.raises(ValueError, match="in 0..62"):  # 63 players wrapped to a negative mask before
        ip.coalitions_to_masks(torch.ones(1, 63, dtype=torch.bool))


# -- 4. arithmetic between results that are not about the same thing ---------------------------------
def test_mismatched_results_are_not_added():
    g = table_game(4)
    a, b = ip.pair_interactions(g, [(0, 1)]), ip.pair_interactions(g, [(2, 3)])
    sv, bv = ip.shapley_values(g), ip.banzhaf_values(g)
    t1 = ip.interaction_significance(g, [0, 1, 2])
    t2 = ip.interaction_significance(g, [1, 2, 3])
    c1, c2 = ip.coalition_shapley(g, (0, 1)), ip.coalition_shapley(g, (2, 3))
    sv3 = ip.shapley_values(table_game(3))
    cases = [(lambda: a + b, "pairs"), (lambda: a - b, "pairs"), (lambda: sv + bv, "index"),
             (lambda: t1 - t2, "players"), (lambda: c1 + c2, "players"), (lambda: sv3 + sv, "n_players"),
             (lambda: torch.add(sv, bv), "index"), (lambda: torch.sub(sv, bv), "index"),
             (lambda: torch.mul(sv, bv), "index"), (lambda: torch.div(sv, bv), "index"),
             (lambda: sv * bv, "index"), (lambda: sv / bv, "index"), (lambda: sv.values.clone().add(bv), None)]
    for call, name in cases[:-1]:
        with pytest.raises(ValueError, match=f"cannot combine results with different {name}"):
            call()
    # results of the same kind from different estimators: a plain tensor (documented)
    est = ip.shapley_values(g, method="permutation", budget=100, seed=0)
    assert type(sv - est) is torch.Tensor and type(torch.add(sv, est)) is torch.Tensor


def test_combined_metadata_is_symmetric():
    g = table_game(4)
    named = ip.TableGame(g.table(), labels=["a", "b", "c", "d"], grid=(2, 2))
    r1, r2 = ip.shapley_values(named), ip.shapley_values(g)
    for out in (r1 + r2, r2 + r1):
        assert type(out) is ip.Result and out.labels is None and out.grid is None
    both = r1 + r1
    assert both.labels == ("a", "b", "c", "d") and both.grid == (2, 2)


def test_sum_of_two_runs_fits_their_budgets():
    r = ip.shapley_values(table_game(6), method="permutation", budget=50, seed=0)
    both = r + r
    assert both.evaluations == 2 * r.evaluations <= both.estimator.budget == 100


# -- 5. tampered but inconsistent result files --------------------------------------------------------
def _tampered(r, tmp_path, **changes):
    d = r.to_dict()
    for key, value in changes.items():
        if "." in key:
            part, field = key.split(".")
            d[part][field] = value
        else:
            d[key] = value
    path = tmp_path / "r.json"
    path.write_text(json.dumps(d))
    return path


def test_tampered_files_refused(tmp_path):
    g = table_game(5)
    est = ip.shapley_values(g, method="permutation", budget=200, seed=0)
    path = _tampered(est, tmp_path, stderr=[-0.1] + est.stderr.tolist()[1:])
    with pytest.raises(ValueError, match="stderr has negative entries"):
        ip.Result.load(path)
    path = _tampered(est, tmp_path, evaluations=201)
    with pytest.raises(ValueError, match="evaluations = 201 exceed the budget = 200"):
        ip.Result.load(path)
    t = ip.interaction_significance(g, [0, 1, 2])
    path = _tampered(t, tmp_path, values=t.item() + 1.0)
    with pytest.raises(ValueError, match="is not b_max - b_min"):
        ip.Result.load(path)
    m = ip.shapley_interaction_matrix(g)
    asym = m.values.clone()
    asym[0, 1] += 1.0
    with pytest.raises(ValueError, match="must be symmetric"):
        ip.Result.load(_tampered(m, tmp_path, values=asym.tolist()))
    diag = m.values.clone()
    diag[2, 2] = 3.0
    with pytest.raises(ValueError, match="zero diagonal"):
        ip.Result.load(_tampered(m, tmp_path, values=diag.tolist()))
    # NaN-aware: a matrix of listed pairs loads (NaN mirrored)
    part = ip.shapley_interaction_matrix(g, pairs=[(0, 1)])
    part.save(tmp_path / "p.json")
    assert torch.equal(ip.Result.load(tmp_path / "p.json").values.isnan(), part.values.isnan())


# -- 6. instability of results of different kinds ------------------------------------------------------
def test_instability_refuses_mixed_results():
    g = table_game(4)
    with pytest.raises(ValueError, match="different index"):
        ip.instability([ip.shapley_values(g), ip.banzhaf_values(g)])
    runs = [ip.shapley_values(g, method="permutation", budget=60, seed=s) for s in range(3)]
    assert ip.instability(runs) > 0


# -- 7. numpy integers are integers everywhere -----------------------------------------------------
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


# -- 8. Python-internal messages replaced ---------------------------------------------------------------
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


# -- 9. labels and meta tensors -----------------------------------------------------------------------
def _loss(**kw):
    net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    return net, InteractionLoss(net, "1", seed=0, **kw)


def test_interaction_loss_checks_labels():
    net, reg = _loss()
    x = torch.randn(4, 4)
    net(x)
    with pytest.raises(ValueError, match="label 5 is out of range for 3 classes"):
        reg(x, torch.tensor([0, 1, 2, 5]))
    with pytest.raises(ValueError, match="label -1 is out of range"):
        reg(x, torch.tensor([0, 1, 2, -1]))
    with pytest.raises(TypeError, match="labels must be integer class indices"):
        reg(x, torch.tensor([0., 1., 2., 1.]))
    assert reg(x, torch.tensor([0, 1, 2, 1])).item() >= 0


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


def test_interaction_loss_constructor_checks():
    with pytest.raises(TypeError, match="alpha must be a number"):
        _loss(alpha="0.1")
    with pytest.raises(ValueError, match="reward must be one of"):
        _loss(reward="logits")


# -- 10. result files: one clear error naming the path ---------------------------------------------------
def test_result_file_errors_name_the_path(tmp_path):
    binary = tmp_path / "bin.json"
    binary.write_bytes(bytes(range(128, 256)))
    with pytest.raises(ValueError, match=f"{binary}.*not UTF-8"):
        ip.Result.load(binary)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100000)
    with pytest.raises(ValueError, match=f"{deep}"):
        ip.Result.load(deep)
    r = ip.shapley_values(table_game(3))
    missing = tmp_path / "missing" / "x.json"
    with pytest.raises(FileNotFoundError, match=f"cannot save a result to {missing}"):
        r.save(missing)
    with pytest.raises(IsADirectoryError, match="is a directory"):
        r.save(tmp_path)
    assert not any(p.name.startswith(".interplay-") for p in tmp_path.iterdir())


# -- 11. minor ---------------------------------------------------------------------------------------
def test_max_memory_refuses_unknown_devices():
    with pytest.raises(ValueError, match="'tpu' is not a torch device"):
        ip.max_memory("tpu")
    assert ip.max_memory("cpu") > 0


def test_plot_save_must_name_a_file(tmp_path):
    pytest.importorskip("matplotlib")
    r = ip.shapley_values(table_game(3))
    before = set(os.listdir(tmp_path.parent))
    with pytest.raises(IsADirectoryError, match="save must name a file"):
        r.plot(save=tmp_path)
    assert set(os.listdir(tmp_path.parent)) == before


def test_cli_garbage_input_and_negative_index(tmp_path):
    garbage = tmp_path / "garbage.pt"
    garbage.write_bytes(bytes(range(256)) * 2)
    with pytest.raises(CliError) as info:
        load_tensor(str(garbage), "input")
    message = str(info.value)
    assert "not a tensor file torch.load can read safely (weights_only)" in message
    assert "\n" not in message and "PyTorch 2.6" not in message
    with pytest.raises(CliError, match="--index must be >= 0"):
        select_example(torch.zeros(3, 2), -1)
    assert torch.equal(select_example(torch.arange(6).view(3, 2), 2), torch.tensor([4, 5]))


# -- 12. docs name the registry's default samplers ----------------------------------------------------
def test_docs_name_the_default_samplers():
    from interplay.methods import DEFAULT_SAMPLERS

    root = os.path.join(os.path.dirname(__file__), "..")
    text = open(os.path.join(root, "README.md")).read() + open(os.path.join(root, "docs", "ARCHITECTURE.md")).read()
    for quantity, name in DEFAULT_SAMPLERS.items():
        assert f"{quantity} → {name}" in text or f"`{quantity}` → `{name}`" in text, (quantity, name)
