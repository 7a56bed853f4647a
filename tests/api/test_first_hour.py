"""What a new user meets first: help() of every public function names its methods and keywords, a
misplaced keyword or too large a game says what to do instead, a long exact run warns before it
starts, and a result answers the tensor methods a user tries on it."""
import warnings

import pytest
import torch

import interplay as ip
from interplay.indices.method_docs import QUANTITY_OF
from interplay.methods import DEFAULT_SAMPLERS, methods_for


@pytest.mark.parametrize("name", sorted(QUANTITY_OF))
def test_every_public_docstring_names_its_methods_and_keywords(name):
    doc = getattr(ip, name).__doc__
    flat = " ".join(doc.split())
    quantity = QUANTITY_OF[name]
    for method in methods_for(quantity):
        assert f"``{method}``" in flat, (name, method)
    if quantity in DEFAULT_SAMPLERS:
        assert f"``{DEFAULT_SAMPLERS[quantity]}`` (the default with ``budget=``)" in flat
    for keyword in ("method", "budget", "seed", "progress", "exact_when_covered"):
        assert f"\n        {keyword} " in doc, (name, keyword)
    assert flat.count("Methods (``method=``)") == 1  # written once, even if documented twice


def test_too_large_a_game_for_exact_says_how_to_estimate_it():
    game = ip.Game(lambda s: s.double().sum(1), 40)
    with pytest.raises(ValueError, match=r"too large for an exact method \(at most 30 players\); pass budget= .* "
                                         r"default sampler"):
        ip.shapley_interaction_matrix(game)
    assert ip.shapley_interaction_matrix(game, budget=500, seed=0).method == "gaussian_process"


def test_a_long_exact_run_warns_before_it_starts():
    calls = []
    game = ip.Game(lambda s: calls.append(len(s)) or s.double().sum(1), 22, batch_size=1 << 20)
    with pytest.warns(UserWarning, match=r"exact evaluates all 2\^22 = 4,194,304 coalitions of the game") as record:
        ip.shapley_values(game)
    assert record[0].filename == __file__  # the user's line
    assert sum(calls) == 1 << 22
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ip.shapley_values(game)  # the table is cached: nothing to warn about
        ip.shapley_values(ip.Game(lambda s: s.double().sum(1), 21))


def test_tensor_methods_apply_to_the_values():
    r = ip.shapley_values(ip.TableGame(torch.arange(16, dtype=torch.float64)))
    assert torch.equal(r.sum(), r.values.sum()) and torch.equal(r.mean(), r.values.mean())
    assert torch.equal(r.topk(2).indices, r.values.topk(2).indices) and int(r.argmax()) == int(r.values.argmax())
    with pytest.raises(AttributeError, match="'Result' object has no attribute 'nonexistent'"):
        r.nonexistent
    with pytest.raises(AttributeError):
        r._private


def test_the_pair_variance_steps_show_a_bar_when_long(capsys):
    game = ip.Game(lambda s: s.double().sum(1) + (s[:, 0] & s[:, 1]).double(), 200)
    ip.shapley_interaction_matrix(game, budget=3000, seed=0)
    assert "pair variances" in capsys.readouterr().err
    ip.shapley_interaction_matrix(game, budget=3000, seed=0, progress=False)
    assert "pair variances" not in capsys.readouterr().err
