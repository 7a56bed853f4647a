// torch.ops.interplay samplers of the learned partition search (multivariate paper Eq. 7-9).
// Argument checks and dispatch only; the samplers live in csrc/core/partition_sampling.c.
#include <torch/library.h>
#include <ATen/ATen.h>

#include <vector>

#include "ops/core_status.h"

extern "C" {
#include "core/partition_sampling.h"
}

namespace interplay {
namespace {

// g ~ Bernoulli(p): a bool tensor [count, m - 1].
at::Tensor mv_sample_partitions(const at::Tensor& p, int64_t count, int64_t seed, int64_t stream) {
  TORCH_CHECK_VALUE(p.dim() == 1 && p.numel() >= 1, "interplay.mv_sample_partitions: p must be 1-D and non-empty");
  TORCH_CHECK_VALUE(p.scalar_type() == at::kDouble && p.device().is_cpu(),
                    "interplay.mv_sample_partitions: p must be a float64 CPU tensor");
  TORCH_CHECK_VALUE(count >= 0, "interplay.mv_sample_partitions: count must be >= 0, got ", count);
  at::Tensor probs = p.contiguous();
  const int gaps = static_cast<int>(probs.numel());
  at::Tensor g = at::empty({count, gaps}, at::TensorOptions().dtype(at::kBool));
  check_status(ip_mv_sample_partitions(probs.data_ptr<double>(), gaps, count, static_cast<uint64_t>(seed),
                                       static_cast<uint64_t>(stream), reinterpret_cast<uint8_t*>(g.data_ptr<bool>())),
               "mv_sample_partitions");
  return g;
}

// Contexts of Eq. 7 as packed int64 masks [count, (n + 63) / 64].
at::Tensor mv_sample_contexts(int64_t n, at::IntArrayRef rest, int64_t count, bool stratified, int64_t seed,
                              int64_t stream) {
  TORCH_CHECK_VALUE(n >= 1 && n <= (int64_t{1} << 30), "interplay.mv_sample_contexts: n must be positive, got ", n);
  TORCH_CHECK_VALUE(count >= 0, "interplay.mv_sample_contexts: count must be >= 0, got ", count);
  TORCH_CHECK_VALUE(static_cast<int64_t>(rest.size()) <= n, "interplay.mv_sample_contexts: more rest players than n");
  std::vector<int> players;
  players.reserve(rest.size());
  for (int64_t r : rest) {
    TORCH_CHECK_VALUE(r >= 0 && r < n, "interplay.mv_sample_contexts: player ", r, " out of range for n = ", n);
    players.push_back(static_cast<int>(r));
  }
  const int words = ip_mask_words(static_cast<int>(n));
  at::Tensor masks = at::empty({count, words}, at::TensorOptions().dtype(at::kLong));
  check_status(ip_mv_sample_contexts(static_cast<int>(n), players.data(), static_cast<int>(players.size()), count,
                                     stratified ? 1 : 0, static_cast<uint64_t>(seed), static_cast<uint64_t>(stream),
                                     reinterpret_cast<uint64_t*>(masks.data_ptr<int64_t>())),
               "mv_sample_contexts");
  return masks;
}

}  // namespace

TORCH_LIBRARY_FRAGMENT(interplay, m) {
  m.def("mv_sample_partitions(Tensor p, int count, int seed, int stream) -> Tensor");
  m.def("mv_sample_contexts(int n, int[] rest, int count, bool stratified, int seed, int stream) -> Tensor");
}

TORCH_LIBRARY_IMPL(interplay, CPU, m) {
  m.impl("mv_sample_partitions", &mv_sample_partitions);
}

// mv_sample_contexts has no tensor inputs: register it for every backend.
TORCH_LIBRARY_IMPL(interplay, CompositeExplicitAutograd, m) {
  m.impl("mv_sample_contexts", &mv_sample_contexts);
}

}  // namespace interplay
