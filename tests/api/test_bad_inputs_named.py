"""Bad input is named where it enters: every estimator parameter is type-checked where the estimator
is built, sparse tensors are refused wherever tensors go in, complex rewards of a NumPy callable are
refused as a Game refuses them, and the loss refuses a layer that the forward does not run."""
import dataclasses
import math
import typing

import pytest
import torch
from torch import nn

import interplay as ip
from interplay.methods import registered

WRONG = {"int": [2.0, "3", True, None, math.nan, [1]], "float": ["0.1", True, None, math.nan, math.inf, [0.1]],
         "bool": [1, 0, "yes", None, 1.0], "str": [1, None, b"x", ["auto"]], "tuple": ["ab", 1, None]}


def wrong_values(annotation: str):
    """Values of the wrong type for a field annotated ``annotation`` (those the annotation allows left out)."""
    for kind, values in WRONG.items():
        if kind not in annotation:
            continue
        for v in values:
            allowed = ((v is None and "Optional" in annotation) or (isinstance(v, bool) and "bool" in annotation)
                       or (isinstance(v, str) and "str" in annotation)
                       or (isinstance(v, float) and "float" in annotation and math.isfinite(v))
                       or (isinstance(v, int) and not isinstance(v, bool) and "int" in annotation))
            if not allowed:
                yield v


CASES = [(cls, f.name, v) for name, cls in sorted(registered().items())
         for f in dataclasses.fields(cls) for v in wrong_values(str(typing.get_type_hints(cls)[f.name]))]


@pytest.mark.parametrize("cls, field, value", CASES, ids=[f"{c.name}.{f}={v!r}" for c, f, v in CASES])
def test_every_estimator_parameter_is_checked_where_it_is_built(cls, field, value):
    with pytest.raises((TypeError, ValueError), match=field.split("_")[0]):
        cls(**{field: value})


def test_regression_order_refuses_a_float():
    with pytest.raises(ValueError, match=r"order must be 'auto', 1, 2, 3 or 4, got 2.0"):
        ip.Regression(order=2.0)


def test_sparse_tensors_are_refused_by_name():
    sparse = torch.randn(8, dtype=torch.float64).to_sparse()
    with pytest.raises(ValueError, match="the game table is a sparse_coo tensor"):
        ip.TableGame(sparse)
    with pytest.raises(ValueError, match="values is a sparse_coo tensor"):
        ip.Result(index="SV", values=torch.zeros(3, dtype=torch.float64).to_sparse(), n_players=3,
                  estimator=ip.Exact())
    with pytest.raises(ValueError, match="the game's rewards is a sparse_coo tensor"):
        ip.Game(lambda s: torch.zeros(len(s), dtype=torch.float64).to_sparse(), 3).table()
    with pytest.raises(ValueError, match="x is a sparse_coo tensor"):
        ip.ModelGame(nn.Linear(4, 2), torch.randn(4).to_sparse(), players=torch.arange(4))
    with pytest.raises(ValueError, match="the baseline is a sparse_coo tensor"):
        ip.ModelGame(nn.Linear(4, 2), torch.randn(4), players=torch.arange(4), baseline=torch.zeros(4).to_sparse())
    with pytest.raises(ValueError, match="pairs is a sparse_coo tensor"):
        ip.pair_interactions(ip.TableGame(torch.randn(8, dtype=torch.float64)), torch.tensor([[0, 1]]).to_sparse())


def test_a_callable_games_complex_rewards_are_refused():
    game = ip.games.callable_game(lambda c: c.sum(1) + 1j, 3)
    with pytest.raises(TypeError, match="the game returned complex rewards"):
        game.table()
    bools = ip.games.callable_game(lambda c: c.any(1), 3)
    with pytest.raises(TypeError, match="the game returned bool rewards"):
        bools.table()
    assert torch.equal(ip.shapley_values(ip.games.callable_game(lambda c: [float(r.sum()) for r in c], 3)).values,
                       torch.ones(3, dtype=torch.float64))


class Skipping(nn.Sequential):
    """A Sequential whose forward skips its middle child."""

    def forward(self, x):
        return self[2](self[0](x))


def test_the_loss_refuses_a_layer_off_the_forward_path():
    model = Skipping(nn.Linear(4, 8), nn.Linear(5, 5), nn.Linear(8, 3))
    x, y = torch.randn(6, 4), torch.randint(0, 3, (6,))
    with pytest.raises(ValueError, match="layer '1' is not on the model's forward path"):
        ip.nn.InteractionLoss(model, layer="1", contexts=2)(x, y)
    # a Sequential subclass with its own forward is run whole (its suffix is not a plain chain)
    loss = ip.nn.InteractionLoss(model, layer="0", contexts=2, seed=0)(x, y)
    same = ip.nn.InteractionLoss(model, layer="0", contexts=2, seed=0, suffix="repeat")(x, y)
    assert torch.isfinite(loss) and torch.equal(loss, same)
