// Op: interplay::combinations(like, n, t, rank0, count) -> packed masks [count, ceil(n/64)] (int64 storage;
// `like` only selects the dispatch key: a CPU tensor)
// of the t-subsets of n players of lexicographic ranks rank0 .. rank0 + count - 1 (core/combinations.h).
#include <torch/library.h>
#include <ATen/ATen.h>

#include "ops/core_status.h"
extern "C" {
#include "core/combinations.h"
}

namespace interplay {
namespace {

at::Tensor combinations_cpu(const at::Tensor& like, int64_t n, int64_t t, int64_t rank0, int64_t count) {
  TORCH_CHECK_VALUE(n >= 1 && t >= 0 && t <= n, "interplay.combinations: need n >= 1 and 0 <= t <= n, got n = ", n,
                    ", t = ", t);
  int64_t total = 0;
  check_status(ip_combinations_count(n, t, &total), "combinations");
  TORCH_CHECK_VALUE(rank0 >= 0 && count >= 0 && count <= total - rank0, "interplay.combinations: ranks ", rank0, " .. ",
                    rank0 + count - 1, " are outside 0 .. C(n, t) - 1 = ", total - 1);
  at::Tensor masks = at::empty({count, (n + 63) / 64}, like.options().dtype(at::kLong));
  check_status(ip_combinations(n, t, rank0, count, reinterpret_cast<uint64_t*>(masks.data_ptr<int64_t>())),
               "combinations");
  return masks;
}

}  // namespace

TORCH_LIBRARY_FRAGMENT(interplay, m) {
  m.def("combinations(Tensor like, int n, int t, int rank0, int count) -> Tensor");
}

TORCH_LIBRARY_IMPL(interplay, CPU, m) { m.impl("combinations", &combinations_cpu); }

}  // namespace interplay
