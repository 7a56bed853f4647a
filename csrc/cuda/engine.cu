// CUDA implementations of the engine operators (see csrc/ops/engine.cpp for the CPU ones).
// The row kernels are the same inline functions as on the CPU (csrc/core/engine_rows.h), so the
// same seed gives the same coalitions and permutations bit for bit; the Δf reduction adds in the
// same order (runs in order, per estimate) with correctly rounded, unfused double operations.
#ifdef WITH_CUDA
#include "cuda/cuda_compat.h"
#include <torch/library.h>
#include <ATen/ATen.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include "ops/engine_checks.h"

extern "C" {
#include "core/status.h"
}
#include "core/engine_rows.h"

namespace interplay {
namespace {

constexpr int kThreads = 256;

inline int blocks_for(int64_t work) {
  const int64_t b = (work + kThreads - 1) / kThreads;
  return static_cast<int>(b < 1 ? 1 : (b > 65535 ? 65535 : b));
}

template <typename T>
__global__ void masked_inputs_kernel(const T* x, const T* baseline, const int64_t* player_map, int64_t d_size,
                                     int64_t words, const uint64_t* masks, int64_t batch, T* out, int* bad) {
  const int64_t total = batch * d_size;
  for (int64_t k = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; k < total; k += (int64_t)gridDim.x * blockDim.x) {
    const int64_t b = k / d_size, d = k - b * d_size;
    const int64_t p = player_map[d];
    if (p < -1 || p >= 64 * words) {
      *bad = 1;
      continue;
    }
    out[k] = ip_element_present(player_map, d, masks + b * words) ? x[d] : baseline[d];
  }
}

at::Tensor masked_inputs_cuda(const at::Tensor& x, const at::Tensor& baseline, const at::Tensor& player_map,
                              const at::Tensor& masks) {
  check_masked_inputs(x, baseline, player_map, masks);
  c10::cuda::CUDAGuard guard(x.device());
  at::Tensor xc = x.contiguous(), bc = baseline.contiguous(), pm = player_map.contiguous(), mc = masks.contiguous();
  const int64_t d = xc.numel(), batch = mc.size(0), words = mc.size(1);
  at::Tensor out = at::empty({batch, d}, xc.options());
  at::Tensor bad = at::zeros({1}, xc.options().dtype(at::kInt));
  auto stream = c10::cuda::getCurrentCUDAStream();
  const uint64_t* w = reinterpret_cast<const uint64_t*>(mc.data_ptr<int64_t>());
  const int grid = blocks_for(batch * d);
  if (batch * d > 0) {
    if (xc.scalar_type() == at::kFloat)
      masked_inputs_kernel<float><<<grid, kThreads, 0, stream>>>(xc.data_ptr<float>(), bc.data_ptr<float>(),
                                                                 pm.data_ptr<int64_t>(), d, words, w, batch,
                                                                 out.data_ptr<float>(), bad.data_ptr<int>());
    else if (xc.scalar_type() == at::kDouble)
      masked_inputs_kernel<double><<<grid, kThreads, 0, stream>>>(xc.data_ptr<double>(), bc.data_ptr<double>(),
                                                                  pm.data_ptr<int64_t>(), d, words, w, batch,
                                                                  out.data_ptr<double>(), bad.data_ptr<int>());
    else
      masked_inputs_kernel<int64_t><<<grid, kThreads, 0, stream>>>(xc.data_ptr<int64_t>(), bc.data_ptr<int64_t>(),
                                                                   pm.data_ptr<int64_t>(), d, words, w, batch,
                                                                   out.data_ptr<int64_t>(), bad.data_ptr<int>());
  }
  TORCH_CHECK_VALUE(bad.item<int>() == 0, "interplay.masked_inputs: ", ip_status_message(IP_ERR_RANGE));
  return out;
}

__global__ void contexts_kernel(int law, uint64_t seed, int64_t stream0, int64_t count, int64_t n,
                                const uint64_t* excluded, const int64_t* pairs, int64_t size_lo, int64_t size_hi,
                                double rate_lo, double rate_hi, uint64_t* out, int64_t* sizes) {
  const int64_t words = ip_mask_words(n);
  for (int64_t k = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; k < count; k += (int64_t)gridDim.x * blockDim.x) {
    const uint64_t* ex = excluded ? excluded + k * words : nullptr;
    const int64_t ei = pairs[2 * k], ej = pairs[2 * k + 1];
    if (ei < -1 || ei >= n || ej < -1 || ej >= n) {
      sizes[k] = -1;
      continue;
    }
    int64_t hi = size_hi;
    if (law == IP_LAW_SIZE) {
      const int64_t m = ip_available_count(n, ex, ei, ej);
      if (size_lo > m) {
        sizes[k] = -1;
        continue;
      }
      if (hi > m) hi = m;
    }
    sizes[k] = ip_context_row(law, seed, (uint64_t)(stream0 + k), n, ex, ei, ej, size_lo, hi, rate_lo, rate_hi,
                              out + k * words, words);
  }
}

std::tuple<at::Tensor, at::Tensor> sample_contexts_cuda(const at::Tensor& pairs, const c10::optional<at::Tensor>& excluded,
                                                        int64_t law, int64_t seed, int64_t stream0, int64_t n,
                                                        int64_t size_lo, int64_t size_hi, double rate_lo,
                                                        double rate_hi) {
  check_sample_contexts(pairs, excluded, n, stream0);
  TORCH_CHECK_VALUE((law == IP_LAW_SIZE && 0 <= size_lo && size_lo <= size_hi) ||
                        (law == IP_LAW_RATE && 0.0 <= rate_lo && rate_lo <= rate_hi && rate_hi <= 1.0),
                    "interplay.sample_contexts: ", ip_status_message(IP_ERR_ARG));
  c10::cuda::CUDAGuard guard(pairs.device());
  const int64_t count = pairs.size(0), words = (n + 63) / 64;
  at::Tensor pc = pairs.contiguous();
  at::Tensor ex = excluded.has_value() ? excluded->contiguous() : at::Tensor();
  at::Tensor out = at::empty({count, words}, pc.options());
  at::Tensor sizes = at::empty({count}, pc.options());
  if (count > 0) {
    contexts_kernel<<<blocks_for(count), kThreads, 0, c10::cuda::getCurrentCUDAStream()>>>(
        static_cast<int>(law), static_cast<uint64_t>(seed), stream0, count, n,
        ex.defined() ? reinterpret_cast<const uint64_t*>(ex.data_ptr<int64_t>()) : nullptr, pc.data_ptr<int64_t>(),
        size_lo, size_hi, rate_lo, rate_hi, reinterpret_cast<uint64_t*>(out.data_ptr<int64_t>()),
        sizes.data_ptr<int64_t>());
    TORCH_CHECK_VALUE(!(sizes < 0).any().item<bool>(), "interplay.sample_contexts: ", ip_status_message(IP_ERR_ARG));
  }
  return {out, sizes};
}

__global__ void permutations_kernel(uint64_t seed, int64_t stream0, int64_t count, int64_t n, int64_t* perm) {
  for (int64_t k = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; k < count; k += (int64_t)gridDim.x * blockDim.x)
    ip_permutation_row(seed, (uint64_t)(stream0 + k), n, perm + k * n);
}

at::Tensor sample_permutations_cuda(const at::Tensor& like, int64_t seed, int64_t stream0, int64_t count, int64_t n) {
  TORCH_CHECK_VALUE(count >= 0 && n >= 1 && stream0 >= 0, "interplay.sample_permutations: need count >= 0, n >= 1, stream0 >= 0");
  c10::cuda::CUDAGuard guard(like.device());
  at::Tensor out = at::empty({count, n}, like.options().dtype(at::kLong));
  if (count > 0)
    permutations_kernel<<<blocks_for(count), kThreads, 0, c10::cuda::getCurrentCUDAStream()>>>(
        static_cast<uint64_t>(seed), stream0, count, n, out.data_ptr<int64_t>());
  return out;
}

// X_r of every run (parallel), then per estimate the runs in order (deterministic, as on the CPU).
__global__ void run_values_kernel(const double* values, const int64_t* entry_output, const double* entry_weight,
                                  const int64_t* run_end, int64_t n_runs, double* x) {
  for (int64_t r = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; r < n_runs; r += (int64_t)gridDim.x * blockDim.x) {
    double acc = 0.0;
    for (int64_t e = (r == 0 ? 0 : run_end[r - 1]); e < run_end[r]; ++e)
      acc = ip_fadd(acc, ip_fmul(entry_weight[e], values[entry_output[e]]));
    x[r] = acc;
  }
}

__global__ void accumulate_kernel(const double* x, const int64_t* run_estimate, int64_t n_runs, int64_t n_estimates,
                                  double* sums, double* sumsq) {
  for (int64_t k = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; k < n_estimates; k += (int64_t)gridDim.x * blockDim.x) {
    double s = sums[k], q = sumsq[k];
    for (int64_t r = 0; r < n_runs; ++r)
      if (run_estimate[r] == k) s = ip_fadd(s, x[r]), q = ip_fadd(q, ip_fmul(x[r], x[r]));
    sums[k] = s, sumsq[k] = q;
  }
}

void delta_reduce_cuda(const at::Tensor& values, const at::Tensor& entry_output, const at::Tensor& entry_weight,
                       const at::Tensor& run_estimate, const at::Tensor& run_end, at::Tensor& sums, at::Tensor& sumsq) {
  check_delta_reduce(values, entry_output, entry_weight, run_estimate, run_end, sums, sumsq);
  c10::cuda::CUDAGuard guard(values.device());
  at::Tensor v = values.contiguous(), eo = entry_output.contiguous(), ew = entry_weight.contiguous();
  at::Tensor re = run_estimate.contiguous(), rend = run_end.contiguous();
  const int64_t n_runs = re.numel(), n_entries = eo.numel(), n_est = sums.numel();
  // the plan is validated like on the CPU before anything is written
  TORCH_CHECK_VALUE(n_entries == 0 || ((eo >= 0) & (eo < v.numel())).all().item<bool>(),
                    "interplay.delta_reduce: ", ip_status_message(IP_ERR_RANGE));
  TORCH_CHECK_VALUE(n_runs == 0 || ((re >= 0) & (re < n_est)).all().item<bool>(),
                    "interplay.delta_reduce: ", ip_status_message(IP_ERR_RANGE));
  if (n_runs > 0) {
    TORCH_CHECK_VALUE(rend[n_runs - 1].item<int64_t>() == n_entries && (rend.narrow(0, 0, 1) >= 0).all().item<bool>() &&
                          (n_runs == 1 || (rend.narrow(0, 1, n_runs - 1) >= rend.narrow(0, 0, n_runs - 1)).all().item<bool>()),
                      "interplay.delta_reduce: ", ip_status_message(IP_ERR_ARG));
    at::Tensor x = at::empty({n_runs}, v.options());
    auto stream = c10::cuda::getCurrentCUDAStream();
    run_values_kernel<<<blocks_for(n_runs), kThreads, 0, stream>>>(v.data_ptr<double>(), eo.data_ptr<int64_t>(),
                                                                   ew.data_ptr<double>(), rend.data_ptr<int64_t>(),
                                                                   n_runs, x.data_ptr<double>());
    accumulate_kernel<<<blocks_for(n_est), kThreads, 0, stream>>>(x.data_ptr<double>(), re.data_ptr<int64_t>(), n_runs,
                                                                  n_est, sums.data_ptr<double>(), sumsq.data_ptr<double>());
  }
}

}  // namespace

TORCH_LIBRARY_IMPL(interplay, CUDA, m) {
  m.impl("masked_inputs", &masked_inputs_cuda);
  m.impl("sample_contexts", &sample_contexts_cuda);
  m.impl("sample_permutations", &sample_permutations_cuda);
  m.impl("delta_reduce", &delta_reduce_cuda);
}

}  // namespace interplay
#endif
