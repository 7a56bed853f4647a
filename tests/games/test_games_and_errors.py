"""Games evaluate in batches and count evaluations; bad input raises a clear exception, never a crash."""
import pytest
import torch
from torch import nn

import interplay as ip


def table5():
    return torch.randint(-9, 10, (32,), generator=torch.Generator().manual_seed(3)).double()


def test_function_game_equals_table_game():
    table = table5()

    def fn(coalitions):
        return table[ip.coalitions_to_masks(coalitions)]

    game = ip.Game(fn, 5, batch_size=7)
    torch.testing.assert_close(ip.shapley_interaction_matrix(game).values,
                               ip.shapley_interaction_matrix(ip.TableGame(table)).values)
    assert game.evaluations == 32  # the table is evaluated once and cached
    ip.shapley_values(game)
    assert game.evaluations == 32


def test_masks_round_trip():
    masks = torch.arange(64)
    coalitions = ip.masks_to_coalitions(masks, 6)
    assert coalitions.shape == (64, 6) and coalitions.dtype == torch.bool
    assert bool(coalitions[5, 0]) and not bool(coalitions[5, 1]) and bool(coalitions[5, 2])
    assert torch.equal(ip.coalitions_to_masks(coalitions), masks)


def test_result_carries_provenance():
    table = table5()
    game = ip.Game(lambda c: table[ip.coalitions_to_masks(c)], 5)
    res = ip.shapley_values(game)
    assert res.index == "SV" and res.method == "exact" and res.evaluations == 32
    assert res.estimator == ip.Exact() and res.stderr is None and res.players == tuple(range(5))
    assert "'SV'" in repr(res) and "evaluations=32" in repr(res)
    assert type(res + torch.ones(5)) is torch.Tensor  # arithmetic with tensors gives plain tensors
    assert type(res + 1) is ip.Result and torch.equal((res + 1).values, res.values + 1)  # numbers keep metadata
    assert res.to_dict()["values"] == res.values.tolist()
    # a cached table costs nothing more (a TableGame's table is given)
    assert ip.banzhaf_values(game).evaluations == 0 and game.evaluations == 32
    assert ip.shapley_values(ip.TableGame(table)).evaluations == 0


@pytest.mark.parametrize("values, message", [
    (torch.zeros(3), "2\\^n entries"),
    (torch.zeros(1), "2\\^n entries"),
    (torch.zeros(2, 4), "1-D"),
    (torch.tensor([0.0, 1.0, float("nan"), 2.0]), "non-finite value at mask 2"),
    (torch.tensor([0.0, float("inf")]), "non-finite value at mask 1"),
])
def test_bad_tables(values, message):
    with pytest.raises(ValueError, match=message):
        ip.TableGame(values)


def test_bad_players():
    game = ip.TableGame(table5())
    with pytest.raises(ValueError, match="player j 5 is out of range"):
        ip.shapley_interaction(game, 0, 5)
    with pytest.raises(ValueError, match="out of range"):
        ip.banzhaf_interaction(game, -1, 2)
    with pytest.raises(ValueError, match="two different players"):
        ip.shapley_interaction(game, 2, 2)
    with pytest.raises(ValueError, match="repeats players \\[1\\]"):
        ip.multivariate_interaction(game, [1, 2, 1])
    with pytest.raises(ValueError, match="at least 2 players"):
        ip.multivariate_interaction(game, [3])
    with pytest.raises(ValueError, match="at least 2 players"):
        ip.interaction_significance(game, [3])
    with pytest.raises(ValueError, match="share players"):
        ip.coalition_shapley(game, [0, 1], absent=[1])
    with pytest.raises(ValueError, match="not contained in A"):
        ip.elementary_interaction(game, [0, 1], [2])
    with pytest.raises(ValueError, match="order 4 is out of range"):
        ip.multi_order_interaction(game, 0, 1, order=4)
    with pytest.raises(ValueError, match="partitions must be one of"):
        ip.interaction_significance(game, [0, 1], partitions="some")
    with pytest.raises(ValueError, match="unknown method 'magic'.*methods that compute shapley_values.*permutation"):
        ip.shapley_values(game, method="magic")
    with pytest.raises(TypeError, match="integer"):
        ip.shapley_interaction(game, 0.5, 1)


def test_too_many_players_for_exact():
    game = ip.Game(lambda c: c.sum(1).double(), 40)
    with pytest.raises(ValueError, match="n = 40 players is too large for an exact method"):
        ip.shapley_values(game)
    assert game.evaluations == 0  # refused before evaluating anything
    game = ip.Game(lambda c: c.sum(1).double(), 29)
    previous = ip.set_max_memory("4G")  # the table and a transform: 8 GiB, refused before evaluating
    try:
        with pytest.raises(MemoryError, match=r"n = 29: .* need 8\.\d GiB, more than max_memory = 4\.0 GiB"):
            ip.shapley_values(game)
    finally:
        ip.set_max_memory(previous)
    assert game.evaluations == 0


def test_non_finite_reward_names_the_coalition():
    def fn(coalitions):
        out = coalitions.sum(1).double()
        out[(coalitions[:, 0] & coalitions[:, 2] & ~coalitions[:, 1])] = float("nan")
        return out

    with pytest.raises(ValueError, match=r"non-finite reward \(nan\) for the coalition with players \[0, 2\]"):
        ip.shapley_values(ip.Game(fn, 3))


def test_non_scalar_reward():
    with pytest.raises(ValueError, match="one scalar per coalition.*got \\[8, 3\\]"):
        ip.shapley_values(ip.Game(lambda c: c.double(), 3))


def test_bad_coalitions():
    game = ip.Game(lambda c: c.sum(1).double(), 3)
    with pytest.raises(ValueError, match="shape \\[B, 3\\]"):
        game(torch.ones(4, 2, dtype=torch.bool))
    with pytest.raises(ValueError, match="bool"):
        game(torch.full((1, 3), 0.5))
    assert game(torch.tensor([[1, 0, 1]])).tolist() == [2.0]


def test_operators_validate_before_touching_memory():
    """Direct calls of the torch operators with bad arguments raise instead of crashing."""
    ops = torch.ops.interplay
    table = table5()
    with pytest.raises(ValueError, match="out of range"):
        ops.pair_interaction(table, 0, 99, "shapley")
    with pytest.raises(ValueError, match="index = '7' is not one of 'shapley', 'banzhaf'"):
        ops.player_values(table, "7")
    with pytest.raises(ValueError, match="float64"):
        ops.player_values(table.float(), "shapley")
    with pytest.raises(ValueError, match="2\\^n"):
        ops.harsanyi_dividends(torch.zeros(6, dtype=torch.float64))
    with pytest.raises(ValueError, match="out of range"):
        ops.coalition_shapley(table, torch.tensor([[1 << 40]]), torch.tensor([[0]]))
    with pytest.raises(ValueError, match="absent\\[0\\] overlaps coalitions\\[0\\]"):
        ops.coalition_shapley(table, torch.tensor([[3]]), torch.tensor([[1]]))
    with pytest.raises(ValueError, match="players\\[1\\] = 1 is repeated"):
        ops.block_values(table, [1, 1])
    with pytest.raises(ValueError, match="out of range"):
        ops.block_values(table, [1, 9])
    with pytest.raises(ValueError, match="length must be 2\\^m"):
        ops.significance_from_blocks(torch.zeros(3, dtype=torch.float64), "contiguous")
    with pytest.raises(ValueError, match="too large"):
        ops.significance_from_blocks(torch.zeros(1 << 14, dtype=torch.float64), "all")


def test_exact_interaction_values_honour_the_memory_budget():
    """interaction_values counts three 2^n tables and its output against max_memory (MemoryError,
    before evaluating), like every other exact method."""
    game = ip.Game(lambda c: c.sum(1).double(), 24)
    previous = ip.set_max_memory("300M")  # 3 x 128 MiB of tables > 300 MiB; 2 x 128 MiB would fit
    try:
        with pytest.raises(MemoryError, match=r"n = 24: .* more than max_memory"):
            ip.interaction_values(game, "SII", order=2)
    finally:
        ip.set_max_memory(previous)
    assert game.evaluations == 0


def test_grid_cells_may_be_any_iterable():
    assert torch.equal(ip.players.grid((1, 8, 8), (c for c in (2, 4))), ip.players.grid((1, 8, 8), (2, 4)))


# -- complex and bool rewards, the keywords of Game ------------------------------------------------
def test_complex_and_bool_rewards_and_tables_are_refused():
    with pytest.raises(TypeError, match="complex rewards"):
        ip.shapley_values(ip.Game(lambda c: c.sum(1) * (1 + 1j), 3))
    with pytest.raises(TypeError, match="bool rewards"):
        ip.shapley_values(ip.Game(lambda c: c[:, 0], 3))
    for dtype in (torch.complex64, torch.bool):
        with pytest.raises(TypeError, match="real numbers"):
            ip.TableGame(torch.ones(8, dtype=dtype))
    net = nn.Linear(3, 2)
    with pytest.raises(TypeError, match="complex rewards"):
        ip.shapley_values(ip.ModelGame(net, torch.randn(3), ip.players.columns(3),
                                       reward=lambda out: out[:, 0].to(torch.complex64)))


@pytest.mark.parametrize("kw, error", [
    (dict(batch_size=0), ValueError), (dict(batch_size=2.5), TypeError), (dict(batch_size=True), TypeError),
    (dict(batch_size=2 ** 70), ValueError), (dict(progress="yes"), TypeError),
])
def test_game_keywords(kw, error):
    with pytest.raises(error, match="batch_size|progress"):
        ip.Game(lambda c: c.sum(1).double(), 3, **kw)


# -- a huge TableGame is refused before any copy ---------------------------------------------------
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


# -- bitmask conversions refuse what they cannot represent -----------------------------------------
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
