"""Results refuse what would be wrong: arithmetic between results that are not about the same thing (a
ValueError naming the field), metadata combined the same way in either order, summed runs within their
summed budgets, result files that are tampered or inconsistent, file errors that name the path, and a
plot saved to a folder."""
import json
import os

import pytest
import torch

import interplay as ip
from tampering import tampered
from seeded_games import table_game


# -- arithmetic between results that are not about the same thing ----------------------------------
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
    other = ip.shapley_values(table_game(6), method="permutation", budget=50, seed=0)  # another run (object)
    both = r + other
    assert both.evaluations == 2 * r.evaluations <= both.estimator.budget == 100
    assert (r + r).evaluations == r.evaluations  # a run with itself is 2 r: one run's evaluations


# -- tampered but inconsistent result files --------------------------------------------------------
def _tampered(r, tmp_path, **changes):
    d = tampered(r, **changes)
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


# -- saving and loading: one clear error naming the path -------------------------------------------
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


def test_plot_save_must_name_a_file(tmp_path):
    pytest.importorskip("matplotlib")
    r = ip.shapley_values(table_game(3))
    before = set(os.listdir(tmp_path.parent))
    with pytest.raises(IsADirectoryError, match="save must name a file"):
        r.plot(save=tmp_path)
    assert set(os.listdir(tmp_path.parent)) == before
