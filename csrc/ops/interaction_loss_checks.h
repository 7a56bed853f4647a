// Argument checks of the interaction-loss operators, shared by the CPU (.cpp) and CUDA (.cu) kernels,
// so that both raise the same ValueError for the same bad input.
#pragma once

#include <ATen/ATen.h>
#include <torch/library.h>

namespace interplay {
namespace loss {

// Units per input: every dimension after the batch one, flattened.
inline int64_t units_of(const at::Tensor& h) {
  int64_t n = 1;
  for (int64_t d = 1; d < h.dim(); ++d) n *= h.size(d);
  return n;
}

inline void check_float(const at::Tensor& t, const char* op, const char* what) {
  TORCH_CHECK_VALUE(at::isFloatingType(t.scalar_type()), "interplay.", op, ": ", what,
                    " must be a floating-point tensor, got ", t.scalar_type());
}

inline void check_sample_args(const at::Tensor& h, int64_t contexts, int64_t set_size, double lo, double hi) {
  TORCH_CHECK_VALUE(h.dim() >= 2, "interplay.interaction_sample: the activation must be [batch, *units], got ",
                    h.dim(), "-D");
  TORCH_CHECK_VALUE(contexts >= 1, "interplay.interaction_sample: contexts must be >= 1, got ", contexts);
  const int64_t n = units_of(h);
  TORCH_CHECK_VALUE(set_size >= 1 && 2 * set_size <= n, "interplay.interaction_sample: |A| = |B| = ", set_size,
                    " needs 1 <= |A| and |A| + |B| <= n = ", n, " units");
  TORCH_CHECK_VALUE(lo >= 0.0 && hi <= 1.0 && lo <= hi, "interplay.interaction_sample: the keep-rate interval [",
                    lo, ", ", hi, "] must satisfy 0 <= lo <= hi <= 1");
}

// roles: uint8 [batch * contexts, n] on the device of `x`, where x is [batch * mult, *units].
inline int64_t check_roles(const at::Tensor& x, const at::Tensor& roles, int64_t contexts, int64_t mult,
                           const char* op) {
  TORCH_CHECK_VALUE(contexts >= 1, "interplay.", op, ": contexts must be >= 1, got ", contexts);
  TORCH_CHECK_VALUE(x.dim() >= 2, "interplay.", op, ": the activation must be [batch, *units], got ", x.dim(), "-D");
  TORCH_CHECK_VALUE(roles.scalar_type() == at::kByte && roles.dim() == 2, "interplay.", op,
                    ": roles must be a 2-D uint8 tensor [batch * contexts, units] from interaction_sample");
  TORCH_CHECK_VALUE(roles.device() == x.device(), "interplay.", op, ": roles are on ", roles.device(),
                    " but the activation is on ", x.device());
  TORCH_CHECK_VALUE(x.size(0) % mult == 0, "interplay.", op, ": the batch size ", x.size(0),
                    " is not a multiple of ", mult);
  const int64_t batch = x.size(0) / mult;
  TORCH_CHECK_VALUE(roles.size(0) == batch * contexts && roles.size(1) == units_of(x), "interplay.", op,
                    ": roles have shape ", roles.sizes(), " but the activation needs [", batch * contexts, ", ",
                    units_of(x), "]");
  return batch;
}

// Rewards: [samples, 4] or [4 * samples]; returns samples.
inline int64_t check_rewards(const at::Tensor& rewards, const char* op) {
  check_float(rewards, op, "rewards");
  const bool ok = (rewards.dim() == 2 && rewards.size(1) == 4) || (rewards.dim() == 1 && rewards.numel() % 4 == 0);
  TORCH_CHECK_VALUE(ok, "interplay.", op, ": rewards must be [samples, 4] or [4 * samples] (variants S∪A∪B, S∪A, ",
                    "S∪B, S), got shape ", rewards.sizes());
  TORCH_CHECK_VALUE(rewards.numel() >= 4, "interplay.", op, ": needs at least one sample of 4 rewards");
  return rewards.numel() / 4;
}

}  // namespace loss
}  // namespace interplay
