"""Tiny real models shared by the tests: a CNN trained briefly on sklearn's 8x8 digits, a
token/word classifier over embeddings, a model with a non-Sequential structure, and a network with
batch norm and dropout (bn_net) with a copy of its state (buffers)."""
from __future__ import annotations

import functools

import torch
from torch import nn


@functools.lru_cache(maxsize=None)
def digits():
    from sklearn.datasets import load_digits

    d = load_digits()
    x = torch.tensor(d.images, dtype=torch.float32).unsqueeze(1) / 16.0
    return x, torch.tensor(d.target)


@functools.lru_cache(maxsize=None)
def digits_cnn() -> nn.Sequential:
    """A small CNN trained for 2 epochs on the 8x8 digits (a few seconds on 2 busy cores)."""
    torch.manual_seed(0)
    x, y = digits()
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 8, 3, padding=1), nn.ReLU(), nn.Flatten(),
        nn.Linear(8 * 4 * 4, 32), nn.ReLU(), nn.Linear(32, 10),
    )
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(2):
        for k in range(0, len(x), 64):
            opt.zero_grad()
            nn.functional.cross_entropy(model(x[k:k + 64]), y[k:k + 64]).backward()
            opt.step()
    return model.eval()


class Residual(nn.Module):
    """Not a Sequential: masking its hidden layer must go through the forward hook."""

    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(1)
        self.inp = nn.Linear(5, 9)
        self.hidden = nn.Tanh()
        self.out = nn.Linear(9, 3)
        self.skip = nn.Linear(5, 3)

    def forward(self, x):
        return self.out(self.hidden(self.inp(x))) + self.skip(x)


class TokenModel(nn.Module):
    """Token ids [B, T] -> embeddings -> mean pool -> 3 classes."""

    def __init__(self, vocab: int = 20, dim: int = 6) -> None:
        super().__init__()
        torch.manual_seed(2)
        self.embed = nn.Embedding(vocab, dim)
        self.mix = nn.Linear(dim, dim)
        self.head = nn.Linear(dim, 3)

    def forward(self, ids):
        e = torch.tanh(self.mix(self.embed(ids)))
        return self.head(e.mean(1) * e.amax(1))


@functools.lru_cache(maxsize=None)
def digits_table_game():
    """The digits CNN's game on 8 cells (a 2x4 grid) of one image, tabulated once (2^8 values)."""
    import interplay as ip

    x, _ = digits()
    game = ip.ModelGame(digits_cnn(), x[7], ip.players.grid((1, 8, 8), (2, 4)), baseline="mean",
                        reference=x[:100], batch_size=256, progress=False)
    return ip.TableGame(game.table().clone())


PAIRS = torch.tensor([[0, 1], [1, 5], [2, 3], [2, 7], [4, 5], [0, 6]])  # pairs of those 8 cells


# -- batch norm and dropout: tests/games/test_model_safety.py, tests/nn/test_interaction_loss_models.py ---
def bn_net():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.5), nn.Linear(8, 3))


def buffers(model):
    return {k: v.clone() for k, v in model.state_dict().items()}
