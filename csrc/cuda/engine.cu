// CUDA implementations of the engine operators (see csrc/ops/engine.cpp for the CPU ones).
// The row helpers are the same inline functions as on the CPU (csrc/core/engine/engine_rows.h), and
// the Δf reduction adds in the same order (runs in order, per estimate) with correctly rounded,
// unfused double operations, so CPU and GPU agree bit for bit.
//
// Conventions (as csrc/cuda/interaction_loss.cu): AT_DISPATCH_* for dtypes, C10_CUDA_KERNEL_LAUNCH_CHECK()
// after every launch, and no host sync for validation. What the host knows (dtypes, shapes, sizes and
// their overflow) is checked on the host before any launch, by the same code as on the CPU (engine_checks.h
// and the C core's ip_check_masked_inputs). What lives in device memory (player_map entries, the plan's
// indices) is checked in the kernels with CUDA_KERNEL_ASSERT, as ATen's own index kernels do: an
// out-of-range entry stops the kernel with a device-side assert instead of reading out of bounds, and a
// valid call never waits for the device (a flag read back with .item() would sync on every call).
#ifdef WITH_CUDA
#include "cuda/cuda_compat.h"
#include <torch/library.h>
#include <ATen/ATen.h>
#include <ATen/Dispatch.h>
#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include "ops/engine_checks.h"

extern "C" {
#include "core/engine/masked_inputs.h"
}
#include "core/engine/engine_rows.h"

namespace interplay {
namespace {

constexpr int kThreads = 256;

inline int blocks_for(int64_t work) {
  const int64_t b = (work + kThreads - 1) / kThreads;
  return static_cast<int>(b < 1 ? 1 : (b > 65535 ? 65535 : b));
}

template <typename T>
__global__ void masked_inputs_kernel(const T* x, const T* baseline, const int64_t* player_map, int64_t d_size,
                                     int64_t words, const uint64_t* masks, int64_t batch, T* out) {
  const int64_t total = batch * d_size;
  for (int64_t k = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; k < total; k += (int64_t)gridDim.x * blockDim.x) {
    const int64_t b = k / d_size, d = k - b * d_size;
    const int64_t p = player_map[d];
    CUDA_KERNEL_ASSERT(p >= -1 && p < 64 * words && "masked_inputs: player_map entry out of range");
    out[k] = ip_element_present(player_map, d, masks + b * words) ? x[d] : baseline[d];
  }
}

at::Tensor masked_inputs_cuda(const at::Tensor& x, const at::Tensor& baseline, const at::Tensor& player_map,
                              const at::Tensor& masks) {
  check_masked_inputs(x, baseline, player_map, masks);
  const c10::cuda::CUDAGuard guard(x.device());
  const at::Tensor xc = x.contiguous(), bc = baseline.contiguous(), pm = player_map.contiguous(), mc = masks.contiguous();
  const int64_t d = xc.numel(), batch = mc.size(0), words = mc.size(1);
  core_call("masked_inputs", [&](ip_error* e) { return ip_check_masked_inputs(nullptr, d, 64 * words, batch, e); });
  at::Tensor out = at::empty({batch, d}, xc.options());
  if (batch * d == 0) return out;
  const uint64_t* w = words_of(mc);
  AT_DISPATCH_FLOATING_TYPES_AND(at::kLong, xc.scalar_type(), "masked_inputs_cuda", [&] {  // float, double, int64
    masked_inputs_kernel<scalar_t><<<blocks_for(batch * d), kThreads, 0, c10::cuda::getCurrentCUDAStream()>>>(
        xc.data_ptr<scalar_t>(), bc.data_ptr<scalar_t>(), pm.data_ptr<int64_t>(), d, words, w, batch,
        out.data_ptr<scalar_t>());
    C10_CUDA_KERNEL_LAUNCH_CHECK();
  });
  return out;
}

// X_r of every run (parallel), then per estimate the runs in order (deterministic, as on the CPU).
// The plan's indices are asserted in range on the device (see the note at the top).
__global__ void run_values_kernel(const double* values, int64_t n_values, const int64_t* entry_output,
                                  const double* entry_weight, int64_t n_entries, const int64_t* run_end,
                                  int64_t n_runs, double* x) {
  for (int64_t r = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; r < n_runs; r += (int64_t)gridDim.x * blockDim.x) {
    const int64_t begin = r == 0 ? 0 : run_end[r - 1], end = run_end[r];
    CUDA_KERNEL_ASSERT(begin >= 0 && begin <= end && end <= n_entries && "delta_reduce: run_end out of order or range");
    CUDA_KERNEL_ASSERT((r + 1 < n_runs || end == n_entries) && "delta_reduce: run_end must end at the entries");
    double acc = 0.0;
    for (int64_t e = begin; e < end; ++e) {
      const int64_t o = entry_output[e];
      CUDA_KERNEL_ASSERT(o >= 0 && o < n_values && "delta_reduce: entry_output out of range");
      acc = ip_fadd(acc, ip_fmul(entry_weight[e], values[o]));
    }
    x[r] = acc;
  }
}

__global__ void accumulate_kernel(const double* x, const int64_t* run_estimate, int64_t n_runs, int64_t n_estimates,
                                  double* sums, double* sumsq) {
  for (int64_t k = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; k < n_estimates; k += (int64_t)gridDim.x * blockDim.x) {
    double s = sums[k], q = sumsq[k];
    for (int64_t r = 0; r < n_runs; ++r) {
      CUDA_KERNEL_ASSERT(run_estimate[r] >= 0 && run_estimate[r] < n_estimates &&
                         "delta_reduce: run_estimate out of range");
      if (run_estimate[r] == k) s = ip_fadd(s, x[r]), q = ip_fadd(q, ip_fmul(x[r], x[r]));
    }
    sums[k] = s, sumsq[k] = q;
  }
}

void delta_reduce_cuda(const at::Tensor& values, const at::Tensor& entry_output, const at::Tensor& entry_weight,
                       const at::Tensor& run_estimate, const at::Tensor& run_end, at::Tensor& sums, at::Tensor& sumsq) {
  check_delta_reduce(values, entry_output, entry_weight, run_estimate, run_end, sums, sumsq);
  const c10::cuda::CUDAGuard guard(values.device());
  const at::Tensor v = values.contiguous(), eo = entry_output.contiguous(), ew = entry_weight.contiguous();
  const at::Tensor re = run_estimate.contiguous(), rend = run_end.contiguous();
  const int64_t n_runs = re.numel(), n_entries = eo.numel(), n_est = sums.numel();
  TORCH_CHECK_VALUE(n_runs > 0 || n_entries == 0, "interplay.delta_reduce: run_end must cover the ", n_entries,
                    " entries");
  if (n_runs == 0) return;
  at::Tensor x = at::empty({n_runs}, v.options());
  auto stream = c10::cuda::getCurrentCUDAStream();
  run_values_kernel<<<blocks_for(n_runs), kThreads, 0, stream>>>(v.data_ptr<double>(), v.numel(), eo.data_ptr<int64_t>(),
                                                                 ew.data_ptr<double>(), n_entries,
                                                                 rend.data_ptr<int64_t>(), n_runs, x.data_ptr<double>());
  C10_CUDA_KERNEL_LAUNCH_CHECK();
  if (n_est == 0) return;
  accumulate_kernel<<<blocks_for(n_est), kThreads, 0, stream>>>(x.data_ptr<double>(), re.data_ptr<int64_t>(), n_runs,
                                                                n_est, sums.data_ptr<double>(), sumsq.data_ptr<double>());
  C10_CUDA_KERNEL_LAUNCH_CHECK();
}

}  // namespace

TORCH_LIBRARY_IMPL(interplay, CUDA, m) {
  m.impl("masked_inputs", &masked_inputs_cuda);
  m.impl("delta_reduce", &delta_reduce_cuda);
}

}  // namespace interplay
#endif
