"""A seeded random game shared by the tests of arguments, memory, estimator fields and result checks."""
import torch

import interplay as ip


def table_game(n=4, seed=0):
    return ip.TableGame(torch.randn(1 << n, dtype=torch.float64, generator=torch.Generator().manual_seed(seed)))
