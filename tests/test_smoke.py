"""The package imports, its operators are registered, and one exact value matches brute force."""
import torch

import interplay as ip
import reference as ref


def test_operators_registered():
    assert hasattr(torch.ops.interplay, "player_values")
    assert isinstance(ip.WITH_CUDA, bool)


def test_shapley_values_match_definition():
    table = torch.randint(-9, 10, (2**5,), generator=torch.Generator().manual_seed(1)).double()
    got = ip.shapley_values(ip.TableGame(table))
    want = torch.tensor([ref.shapley_value(table, 5, i) for i in range(5)], dtype=torch.float64)
    torch.testing.assert_close(got.values, want, rtol=0, atol=1e-9)
