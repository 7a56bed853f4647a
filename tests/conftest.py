"""Shared set-up of every test folder: this checkout's package first on sys.path, and tests/ itself, so that
the shared helpers kept there (reference, engine_models, estimator_checks, op_cases, seeded_games and the
torchrun workers) import from tests/<subsystem>/ alike; torch's global RNG seeded before each test."""
import os
import sys

import pytest
import torch

# Tests run against this checkout's package even where another interplay is installed.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "python"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(autouse=True)
def _deterministic():
    torch.manual_seed(0)
    yield
