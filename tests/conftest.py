"""Shared fixtures: seeded random games and brute-force references."""
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
