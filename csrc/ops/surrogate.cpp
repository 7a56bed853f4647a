// torch.ops.interplay operators of the surrogate estimators (python/interplay/estimators):
//   walsh_kernel           K[i, j] = table[|a_i Δ b_j|], the covariance of a distance-only Walsh prior
//   walsh_kernel_product   K @ weights without K (the posterior mean at many coalitions)
// Dtype / device / dims checks and dispatch only; the algorithm and its argument checks live in
// csrc/core/surrogate.
#include <torch/library.h>
#include <ATen/ATen.h>

#include "ops/surrogate_checks.h"

extern "C" {
#include "core/surrogate/walsh_kernel.h"
}

namespace interplay {
namespace {

// The core splits the rows over OpenMP threads (the thread count of torch.set_num_threads), as every
// CPU op of interplay: one threading runtime, and the same bits whatever the number of threads.
at::Tensor walsh_kernel_cpu(const at::Tensor& a, const at::Tensor& b, const at::Tensor& table) {
  check_walsh_kernel(a, b, table);
  check_cpu("walsh_kernel", "a", a);
  const at::Tensor ac = a.contiguous(), bc = b.contiguous(), tc = table.contiguous();
  const int64_t na = ac.size(0), nb = bc.size(0), words = ac.size(1);
  at::Tensor out = at::empty({na, nb}, tc.options());
  core_call("walsh_kernel", [&](ip_error* e) {
    return ip_walsh_kernel(words_of(ac), na, words_of(bc), nb, words, tc.data_ptr<double>(), tc.numel() - 1,
                           out.data_ptr<double>(), e);
  });
  return out;
}

at::Tensor walsh_kernel_product_cpu(const at::Tensor& a, const at::Tensor& b, const at::Tensor& table,
                                    const at::Tensor& weights) {
  check_walsh_kernel_product(a, b, table, weights);
  check_cpu("walsh_kernel_product", "a", a);
  const at::Tensor ac = a.contiguous(), bc = b.contiguous(), tc = table.contiguous(), wc = weights.contiguous();
  const int64_t na = ac.size(0), nb = bc.size(0), words = ac.size(1);
  at::Tensor out = at::empty({na}, tc.options());
  core_call("walsh_kernel_product", [&](ip_error* e) {
    return ip_walsh_kernel_product(words_of(ac), na, words_of(bc), nb, words, tc.data_ptr<double>(), tc.numel() - 1,
                                   wc.data_ptr<double>(), out.data_ptr<double>(), e);
  });
  return out;
}

}  // namespace

TORCH_LIBRARY_FRAGMENT(interplay, m) {
  m.def("walsh_kernel(Tensor a, Tensor b, Tensor table) -> Tensor");
  m.def("walsh_kernel_product(Tensor a, Tensor b, Tensor table, Tensor weights) -> Tensor");
}

TORCH_LIBRARY_IMPL(interplay, CPU, m) {
  m.impl("walsh_kernel", &walsh_kernel_cpu);
  m.impl("walsh_kernel_product", &walsh_kernel_product_cpu);
}

}  // namespace interplay
