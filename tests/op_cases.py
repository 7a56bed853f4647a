"""One valid call of every ``torch.ops.interplay`` operator (CASES: op -> (args, kwargs)): the examples
that tests/engine/test_opcheck.py passes to torch.library.opcheck, and the starting points of the hostile
calls of tests/engine/test_op_properties.py. test_opcheck checks that every registered op is here."""
import torch

import interplay  # noqa: F401  (registers the fake kernels of every op, the loss ops included)
import interplay.nn._ops  # noqa: F401
from interplay._internal.ops import player_set
from interplay.engine import pack

ops = torch.ops.interplay

TABLE = torch.randn(16, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
SETS = torch.tensor([[0b0011], [0b0110]])
H = torch.randn(2, 3, 4)
ROLES = ops.interaction_sample(H, 2, 2, 0.0, 1.0, 3)
REWARDS = torch.randn(6, 4, requires_grad=True)

# (op, args, kwargs, tests to skip); every registered op must appear here.
CASES = {
    "harsanyi_dividends": ((TABLE,), {}),
    "player_values": ((TABLE, "shapley"), {}),
    "pair_interaction_matrix": ((TABLE, "banzhaf"), {}),
    "pair_interaction": ((TABLE, 0, 3, "shapley"), {}),
    "multi_order_interaction": ((TABLE, 1, 2), {}),
    "coalition_shapley": ((TABLE, SETS, torch.tensor([[0b1000], [0]])), {}),
    "multivariate_interaction": ((TABLE, SETS), {}),
    "elementary_interaction": ((TABLE, SETS, torch.tensor([[0b0001], [0b0110]])), {}),
    "interaction_values": ((TABLE, torch.rand(5, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(2))),
                           {}),
    "low_order_values": ((TABLE, torch.rand(5, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(3))),
                         {}),
    "block_values": ((TABLE, [2, 0, 3]), {}),
    "significance_from_blocks": ((torch.randn(8, dtype=torch.float64), "all"), {}),
    "masked_inputs": ((torch.randn(6), torch.zeros(6), torch.tensor([0, 1, -1, 2, 2, 0]),
                       pack(torch.rand(5, 3, generator=torch.Generator().manual_seed(1)) < 0.5)), {}),
    "design_sizes": (("pairs", 6, 1, 0, 4), dict(size_lo=[0], size_hi=[4], pairs=torch.tensor([[0, 1], [2, 5]]))),
    "design_plan": (("shared_pairs", 6, 1, 2, 3), dict(pairs=torch.tensor([[0, 1], [2, 5]]), antithetic=True)),
    "delta_reduce": ((torch.randn(5, dtype=torch.float64), torch.tensor([0, 4, 2]), torch.randn(3, dtype=torch.float64),
                      torch.tensor([1, 0]), torch.tensor([1, 3]), torch.zeros(2, dtype=torch.float64),
                      torch.zeros(2, dtype=torch.float64)), {}),
    "combinations": ((torch.empty(0), 70, 2, 5, 7), {}),
    "walsh_kernel": ((pack(torch.rand(4, 70, generator=torch.Generator().manual_seed(4)) < 0.5),
                      pack(torch.rand(3, 70, generator=torch.Generator().manual_seed(5)) < 0.5),
                      torch.randn(71, dtype=torch.float64)), {}),
    "walsh_kernel_product": ((pack(torch.rand(4, 70, generator=torch.Generator().manual_seed(4)) < 0.5),
                              pack(torch.rand(3, 70, generator=torch.Generator().manual_seed(5)) < 0.5),
                              torch.randn(71, dtype=torch.float64), torch.randn(3, dtype=torch.float64)), {}),
    "mv_sample_partitions": ((torch.tensor([0.2, 0.7], dtype=torch.float64), 5, 3, 0), {}),
    "mv_sample_contexts": ((player_set([0, 2, 66], 70), 70, 6, True, 4, 1), {}),
    "interaction_sample": ((H, 2, 2, 0.0, 1.0, 3), {}),
    "interaction_mask": ((H.clone().requires_grad_(), ROLES, 2), {}),
    "interaction_mask_backward": ((torch.randn(16, 3, 4, requires_grad=True), ROLES, 2), {}),
    "interaction_delta": ((REWARDS,), {}),
    "interaction_delta_loss": ((REWARDS,), {}),
    "interaction_delta_loss_backward": ((torch.tensor(1.5), REWARDS.detach()), {}),
}
