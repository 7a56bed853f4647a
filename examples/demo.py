"""The interplay demo (placeholder until the full demo lands): exact indices of a small game."""
import torch

import interplay as ip

game = ip.TableGame(torch.randint(-5, 6, (2**6,), generator=torch.Generator().manual_seed(0)).double())
print(ip.shapley_values(game))
print(ip.shapley_interaction_matrix(game))
print(ip.interaction_significance(game, [1, 2, 3, 4]))
