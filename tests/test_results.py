"""Result and Significance in notebooks and on disk: repr, HTML, to_dict, save/load, pickle, settings."""
import base64
import copy
import json
import pickle
import re

import pytest
import torch

import interplay as ip
from interplay.results import Result, Significance


def random_game(n=5, seed=0):
    gen = torch.Generator().manual_seed(seed)
    return ip.TableGame(torch.randint(-9, 10, (2**n,), generator=gen).double())


def estimate():
    """A result shaped like a sampling estimate: float32 values, stderr, the settings it was made with."""
    return Result(torch.tensor([0.5, -1.25, 2.0], dtype=torch.float32), quantity="shapley_values",
                  method="permutation", evaluations=1200, stderr=torch.tensor([0.1, 0.2, 0.05]),
                  settings={"samples": 300, "seed": 7, "batch_size": 64, "pair": (0, 2),
                            "words": ["a", "<b>", "c"]})


def assert_same(a: Result, b: Result, settings=None):
    assert type(b) is Result
    assert b.dtype == a.dtype and b.shape == a.shape
    assert torch.equal(a.tensor(), b.tensor())
    assert (a.quantity, a.method, a.evaluations) == (b.quantity, b.method, b.evaluations)
    assert (a.stderr is None) == (b.stderr is None)
    if a.stderr is not None:
        torch.testing.assert_close(a.stderr.double(), b.stderr.double())
    assert b.settings == (a.settings if settings is None else settings)


# -- the settings results are made with ---------------------------------------------------------
def test_exact_results_keep_how_they_were_made():
    game = random_game(5)
    sv = ip.shapley_values(game)
    assert (sv.quantity, sv.method, sv.evaluations) == ("shapley_values", "exact", 32)
    pair = ip.shapley_interaction(game, 3, 1)
    assert pair.settings == {"pair": (3, 1)} and pair.evaluations == 32
    order = ip.multi_order_interaction(game, 0, 4, order=2)
    assert order.settings == {"pair": (0, 4), "order": 2}
    sig = ip.interaction_significance(game, [0, 1, 2], partitions="all")
    assert sig.method == "exact" and sig.evaluations == 32
    assert sig.settings == {"partitions": "all", "partitions_scored": 5}


# -- repr / HTML --------------------------------------------------------------------------------
def test_repr_names_quantity_method_cost_and_settings():
    text = repr(estimate())
    assert text.startswith("shapley_values (method='permutation', evaluations=1200, samples=300, seed=7")
    assert "stderr:" in text and "-1.25" in text


def png_images(html):
    return [base64.b64decode(m) for m in re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)]


def test_html_of_values_scalars_and_matrices():
    r = estimate()
    page = r._repr_html_()
    assert "<b>shapley_values</b>" in page and "seed=7" in page and "-1.25" in page
    assert "&lt;b&gt;" in page and "'<b>'" not in page  # settings are escaped
    assert png_images(page) == []  # a 1-D result without a grid is a table
    scalar = ip.shapley_interaction(random_game(), 0, 1)
    assert f"{float(scalar):.6g}" in scalar._repr_html_()
    m = ip.shapley_interaction_matrix(random_game(6))
    (png,) = png_images(m._repr_html_())
    assert png.startswith(b"\x89PNG")
    grid_values = ip.shapley_values(random_game(6))
    grid_values.settings["grid"] = (2, 3)
    assert len(png_images(grid_values._repr_html_())) == 1
    big = Result(torch.zeros(40, 40), quantity="shapley_interaction_matrix")
    assert big._repr_html_().count("<tr>") == 17  # 16 rows shown and an ellipsis row


def test_significance_repr_and_html():
    sig = ip.interaction_significance(random_game(5), [1, 2, 3])
    assert repr(sig).startswith("Significance(A=[1, 2, 3], T=")
    assert "partitions='contiguous'" in repr(sig)
    page = sig._repr_html_()
    assert "T([A])" in page and "partitions=contiguous" in page


# -- to_dict / save / load / pickle -------------------------------------------------------------
def test_result_dict_and_json_round_trip(tmp_path):
    r = estimate()
    d = r.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["dtype"] == "float32" and d["settings"]["pair"] == [0, 2]
    json_settings = dict(r.settings, pair=[0, 2])  # JSON keeps lists, not tuples
    assert_same(r, Result.from_dict(d), json_settings)
    r.save(str(tmp_path / "r.json"))
    assert_same(r, Result.load(str(tmp_path / "r.json")), json_settings)
    m = ip.shapley_interaction_matrix(random_game(5))
    m.save(str(tmp_path / "m.json"))
    assert_same(m, Result.load(str(tmp_path / "m.json")))
    s = ip.shapley_interaction(random_game(5), 0, 1)
    assert_same(s, Result.from_dict(s.to_dict()), {"pair": [0, 1]})
    # a dict written before dtypes were recorded still loads, as float64
    old = {k: v for k, v in d.items() if k != "dtype"}
    assert Result.from_dict(old).dtype == torch.float64
    with pytest.raises(ValueError, match="needs 'values'"):
        Result.from_dict({"quantity": "x"})
    with pytest.raises(ValueError, match="unknown dtype"):
        Result.from_dict(dict(d, dtype="float7"))


def test_result_pickle_torch_save_and_copies_are_exact(tmp_path):
    r = estimate()
    assert_same(r, pickle.loads(pickle.dumps(r)))  # tuples in settings survive too
    torch.save({"r": r}, tmp_path / "r.pt")
    assert_same(r, torch.load(tmp_path / "r.pt", weights_only=False)["r"])
    assert_same(r, copy.deepcopy(r))
    m = ip.shapley_interaction_matrix(random_game(5))
    assert_same(m, pickle.loads(pickle.dumps(m)))
    deep = copy.deepcopy(r)
    deep.settings["words"].append("d")
    assert r.settings["words"] == ["a", "<b>", "c"]


def test_significance_round_trips(tmp_path):
    sig = ip.interaction_significance(random_game(6), [1, 2, 3, 4])
    sig.extra["trajectory"] = torch.tensor([[0.5, 0.5, 0.5], [0.6, 0.4, 0.5]])
    d = sig.to_dict()
    assert json.loads(json.dumps(d)) == d
    back = Significance.from_dict(d)
    assert (back.players, back.T, back.b_max, back.b_min) == (sig.players, sig.T, sig.b_max, sig.b_min)
    assert back.max_partition == sig.max_partition and back.min_partition == sig.min_partition
    assert (back.method, back.evaluations, back.settings) == (sig.method, sig.evaluations, sig.settings)
    assert back.extra["trajectory"] == sig.extra["trajectory"].tolist()
    sig.save(str(tmp_path / "s.json"))
    assert Significance.load(str(tmp_path / "s.json")) == back
    pickled = pickle.loads(pickle.dumps(sig))
    assert pickled.players == sig.players and pickled.max_partition == sig.max_partition
    assert torch.equal(pickled.extra["trajectory"], sig.extra["trajectory"])
    with pytest.raises(ValueError, match="unknown fields"):
        Significance.from_dict(dict(d, colour="red"))
