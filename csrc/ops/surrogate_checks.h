// Dtype / device / dims checks of the surrogate operators (what C cannot see), shared by the CPU
// (surrogate.cpp) and CUDA (csrc/cuda/surrogate.cu) implementations so both raise the same errors.
#pragma once

#include <ATen/ATen.h>

#include "ops/core_status.h"

namespace interplay {

// walsh_kernel(a [A, W], b [B, W], table [n + 1]): int64 packed sets, float64 table, one device, an
// output [A, B] float64 that fits in memory, 0 <= n <= 64 W. The players' range (every set below n:
// the core's invariant) is checked by ip_walsh_kernel_check on the CPU and by the kernel on a GPU
// (a device-side assert: the CUDA context is lost, as with ATen's index kernels).
inline void check_walsh_sets(const char* op, const at::Tensor& a, const at::Tensor& b, const at::Tensor& table) {
  check_packed(op, "a", a);
  check_sets(op, "b", b, a.size(1));
  check_tensor(op, "table", table, at::kDouble, 1, "1-D [n + 1] (the covariance at each distance)");
  TORCH_CHECK_VALUE(a.device() == b.device() && a.device() == table.device(), "interplay.", op,
                    ": a, b and table must be on the same device");
  const int64_t n = table.numel() - 1;
  TORCH_CHECK_VALUE(n >= 0 && n <= 64 * a.size(1), "interplay.", op, ": table has ", n + 1,
                    " entries: n + 1 for 0 <= n <= 64 words = ", 64 * a.size(1), " players");
}

inline void check_walsh_kernel(const at::Tensor& a, const at::Tensor& b, const at::Tensor& table) {
  check_walsh_sets("walsh_kernel", a, b, table);
  check_output_memory("walsh_kernel", "a", a.size(0), {{{a.size(0), b.size(0)}, 8}});
}

// walsh_kernel_product(a, b, table, weights [B]): as walsh_kernel, and float64 weights, one per set
// of b, on the same device; the output is [A].
inline void check_walsh_kernel_product(const at::Tensor& a, const at::Tensor& b, const at::Tensor& table,
                                       const at::Tensor& weights) {
  const char* op = "walsh_kernel_product";
  check_walsh_sets(op, a, b, table);
  check_tensor(op, "weights", weights, at::kDouble, 1, "1-D [B] (one weight per set of b)");
  TORCH_CHECK_VALUE(weights.numel() == b.size(0), "interplay.", op, ": weights has ", weights.numel(),
                    " entries, b has ", b.size(0), " sets");
  TORCH_CHECK_VALUE(weights.device() == a.device(), "interplay.", op, ": weights must be on the device of a, got ",
                    weights.device());
}

}  // namespace interplay
