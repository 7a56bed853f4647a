// Dtype / device / dims checks of the interaction-loss operators (what C cannot see), shared by the CPU
// (.cpp) and CUDA (.cu) kernels. Sizes, overflow and role bytes are checked by the C core
// (ip_loss_check_sample, ip_loss_check_roles, the kernels).
#pragma once

#include <ATen/ATen.h>
#include <torch/library.h>

#include "ops/core_status.h"

extern "C" {
#include "core/loss/interaction_loss.h"
}

namespace interplay {
namespace loss {

// Units per input: every dimension after the batch one, flattened (a tensor's numel fits in int64).
inline int64_t units_of(const at::Tensor& h) {
  int64_t n = 1;
  for (int64_t d = 1; d < h.dim(); ++d) n *= h.size(d);
  return n;
}

inline void check_float(const at::Tensor& t, const char* op, const char* what) {
  TORCH_CHECK_VALUE(at::isFloatingType(t.scalar_type()), "interplay.", op, ": ", what,
                    " must be a floating-point tensor, got ", t.scalar_type());
}

inline void check_batched(const at::Tensor& x, const char* op, const char* what) {
  TORCH_CHECK_VALUE(x.dim() >= 2, "interplay.", op, ": ", what, " must be [batch, *units], got ", x.dim(), "-D");
}

// Returns batch * contexts (the rows of the roles).
inline int64_t check_sample_args(const at::Tensor& h, int64_t contexts, int64_t set_size, double lo, double hi) {
  check_batched(h, "interaction_sample", "h");
  int64_t samples = 0;
  core_call("interaction_sample", [&](ip_error* e) {
    return ip_loss_check_sample(h.size(0), contexts, units_of(h), set_size, lo, hi, &samples, e);
  });
  check_output_memory("interaction_sample", "contexts", contexts, {{{samples, units_of(h)}, 1}});
  return samples;
}

// roles: uint8 [batch * contexts, n] on the device of `x`, where x is [batch * variants * contexts, *units]
// (variants 4 for the gradient of the masked batch, else 1 and x is [batch, *units]); returns batch.
inline int64_t check_roles(const at::Tensor& x, const at::Tensor& roles, int64_t contexts, int variants,
                           const char* op) {
  check_batched(x, op, variants == 1 ? "h" : "grad");
  TORCH_CHECK_VALUE(roles.scalar_type() == at::kByte && roles.dim() == 2, "interplay.", op,
                    ": roles must be a 2-D uint8 tensor [batch * contexts, units] from interaction_sample");
  TORCH_CHECK_VALUE(roles.device() == x.device(), "interplay.", op, ": roles are on ", roles.device(),
                    " but the activation is on ", x.device());
  int64_t batch = 0;
  core_call(op, [&](ip_error* e) {
    return ip_loss_check_roles(x.size(0), units_of(x), roles.size(0), roles.size(1), contexts, variants, &batch, e);
  });
  if (variants == 1)  // the masked batch [batch * contexts * 4, *units]
    check_output_memory(op, "contexts", contexts, {{{batch * contexts, 4, units_of(x)}, x.element_size()}});
  return batch;
}

// Rewards: [samples, 4] or [4 * samples]; returns samples (>= 1 is checked by the core).
inline int64_t check_rewards(const at::Tensor& rewards, const char* op) {
  check_float(rewards, op, "rewards");
  const bool ok = (rewards.dim() == 2 && rewards.size(1) == 4) || (rewards.dim() == 1 && rewards.numel() % 4 == 0);
  TORCH_CHECK_VALUE(ok, "interplay.", op, ": rewards must be [samples, 4] or [4 * samples] (variants S∪A∪B, S∪A, ",
                    "S∪B, S), got shape ", rewards.sizes());
  TORCH_CHECK_VALUE(rewards.numel() >= 4, "interplay.", op, ": rewards needs at least one sample of 4 rewards");
  return rewards.numel() / 4;
}

}  // namespace loss
}  // namespace interplay
