"""Finite games give finite results: rewards near the float range do not overflow the estimators
(they work on rewards scaled by a power of two), and a non-finite estimate is an error naming it."""
import pytest
import torch

import interplay as ip
from interplay.engine import power_of_two_scale


@pytest.mark.parametrize("method", ["gaussian_process", "regression"])
@pytest.mark.parametrize("scale", [1e-300, 1e300])
def test_extreme_scales_give_the_scaled_estimate(method, scale):
    g = torch.Generator().manual_seed(3)
    table = torch.randn(1 << 10, dtype=torch.float64, generator=g)
    for f in (ip.shapley_values, ip.shapley_interaction_matrix):
        base = f(ip.TableGame(table), method=method, budget=300, seed=1)
        big = f(ip.TableGame(table * scale), method=method, budget=300, seed=1)
        assert bool(torch.isfinite(big.values).all())
        torch.testing.assert_close(big.values / scale, base.values, rtol=0, atol=1e-12 * float(base.values.abs().max()))


def test_power_of_two_scale():
    assert power_of_two_scale(torch.tensor([0.0]), torch.tensor([])) == 1.0
    assert power_of_two_scale(torch.tensor([3.0, -5.0])) == 8.0
    assert power_of_two_scale(torch.tensor([1e300], dtype=torch.float64)) == 2.0 ** 997


def test_a_non_finite_estimate_is_an_error(monkeypatch):
    from interplay.estimators.complementary import regression

    real = regression._WeightedFit.in_sample
    monkeypatch.setattr(regression._WeightedFit, "in_sample",
                        lambda self, score=False: (real(self, score)[0] * float("nan"), None))
    game = ip.TableGame(torch.randn(1 << 10, dtype=torch.float64))
    with pytest.raises(FloatingPointError, match="method 'regression' gave a non-finite estimate from finite rewards"):
        ip.shapley_values(game, method="regression", budget=300, correction=False)
