// torch.ops.interplay samplers of the learned partition search (multivariate paper Eq. 7-9).
// Dtype / device / dims checks and dispatch only; the samplers and their checks live in
// csrc/core/multivariate/partition_sampling.c.
#include <torch/library.h>
#include <ATen/ATen.h>

#include "ops/core_status.h"

extern "C" {
#include "core/multivariate/partition_sampling.h"
}

namespace interplay {
namespace {

// g ~ Bernoulli(p): a bool tensor [count, m - 1].
at::Tensor mv_sample_partitions(const at::Tensor& p, int64_t count, int64_t seed, int64_t stream) {
  const char* op = "mv_sample_partitions";
  check_tensor(op, "p", p, at::kDouble, 1, "1-D gap probabilities [m - 1]");
  check_cpu(op, "p", p);
  TORCH_CHECK_VALUE(count >= 0, "interplay.", op, ": count = ", count, " must be >= 0");
  check_output_memory(op, "count", count, {{{count, p.numel()}, 1}});
  at::Tensor probs = p.contiguous();
  at::Tensor g = at::empty({count, probs.numel()}, at::TensorOptions().dtype(at::kBool));
  core_call(op, [&](ip_error* e) {
    return ip_mv_sample_partitions(probs.data_ptr<double>(), probs.numel(), count, static_cast<uint64_t>(seed),
                                   static_cast<uint64_t>(stream), reinterpret_cast<uint8_t*>(g.data_ptr<bool>()), e);
  });
  return g;
}

// Contexts of Eq. 7 over the players of the packed set rest [W], as packed sets [count, W].
at::Tensor mv_sample_contexts(const at::Tensor& rest, int64_t n, int64_t count, bool stratified, int64_t seed,
                              int64_t stream) {
  const char* op = "mv_sample_contexts";
  TORCH_CHECK_VALUE(n >= 1, "interplay.", op, ": n = ", n, " is out of range (need n >= 1)");
  TORCH_CHECK_VALUE(count >= 0, "interplay.", op, ": count = ", count, " must be >= 0");
  const int64_t words = (n + 63) / 64;
  check_tensor(op, "rest", rest, at::kLong, 1, "one packed player set [W] (int64 words)");
  TORCH_CHECK_VALUE(rest.size(0) == words, "interplay.", op, ": rest must be one packed player set [", words,
                    "], got shape ", rest.sizes());
  check_cpu(op, "rest", rest);
  check_output_memory(op, "count", count, {{{count, words}, 8}});
  at::Tensor r = rest.contiguous();
  at::Tensor masks = at::empty({count, words}, at::TensorOptions().dtype(at::kLong));
  core_call(op, [&](ip_error* e) {
    return ip_mv_sample_contexts(n, words_of(r), count, stratified, static_cast<uint64_t>(seed),
                                 static_cast<uint64_t>(stream), reinterpret_cast<uint64_t*>(masks.data_ptr<int64_t>()), e);
  });
  return masks;
}

}  // namespace

TORCH_LIBRARY_FRAGMENT(interplay, m) {
  m.def("mv_sample_partitions(Tensor p, int count, int seed, int stream) -> Tensor");
  m.def("mv_sample_contexts(Tensor rest, int n, int count, bool stratified, int seed, int stream) -> Tensor");
}

TORCH_LIBRARY_IMPL(interplay, CPU, m) {
  m.impl("mv_sample_partitions", &mv_sample_partitions);
  m.impl("mv_sample_contexts", &mv_sample_contexts);
}

}  // namespace interplay
