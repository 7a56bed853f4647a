// CUDA implementation of the surrogate operators (see csrc/ops/surrogate.cpp for the CPU one).
// Conventions as csrc/cuda/engine.cu: the host checks what it knows (surrogate_checks.h) before any
// launch and never syncs to validate; what lives in device memory (the sets' players) is checked in
// the kernel with CUDA_KERNEL_ASSERT, as ATen's index kernels do.
#ifdef WITH_CUDA
#include "cuda/cuda_compat.h"
#include <algorithm>

#include <torch/library.h>
#include <ATen/ATen.h>
#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>

#include "ops/surrogate_checks.h"

namespace interplay {
namespace {

constexpr int kThreads = 256;

// The distance of a_i and b_j, checking the core's invariant (no player >= n) word by word.
__device__ __forceinline__ int64_t walsh_distance(const uint64_t* a, const uint64_t* b, int64_t words, int64_t n) {
  int64_t d = 0;
  for (int64_t w = 0; w < words; ++w) {
    const uint64_t x = a[w], y = b[w];
    const int64_t lo = 64 * w;  // players lo .. lo + 63
    CUDA_KERNEL_ASSERT((lo >= n ? (x | y) == 0 : (n - lo >= 64 || ((x | y) >> (n - lo)) == 0)) &&
                       "walsh_kernel: a set holds a player >= n (table has n + 1 entries)");
    d += __popcll(x ^ y);
  }
  return d;
}

__global__ void walsh_kernel_kernel(const uint64_t* a, int64_t na, const uint64_t* b, int64_t nb, int64_t words,
                                    const double* table, int64_t n, double* out) {
  const int64_t total = na * nb;
  for (int64_t k = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; k < total; k += (int64_t)gridDim.x * blockDim.x) {
    const int64_t i = k / nb, j = k - i * nb;
    out[k] = table[walsh_distance(a + i * words, b + j * words, words, n)];
  }
}

// One block per row of a (grid-stride): its threads sum table[d] weights[j] over j in strides, then
// a tree in shared memory; the order depends on the launch only (the same bits run to run).
__global__ void walsh_kernel_product_kernel(const uint64_t* a, int64_t na, const uint64_t* b, int64_t nb,
                                            int64_t words, const double* table, const double* weights, int64_t n,
                                            double* out) {
  __shared__ double partial[kThreads];
  for (int64_t i = blockIdx.x; i < na; i += gridDim.x) {
    double s = 0.0;
    for (int64_t j = threadIdx.x; j < nb; j += blockDim.x)
      s += table[walsh_distance(a + i * words, b + j * words, words, n)] * weights[j];
    partial[threadIdx.x] = s;
    __syncthreads();
    for (int half = blockDim.x / 2; half > 0; half /= 2) {
      if (threadIdx.x < half) partial[threadIdx.x] += partial[threadIdx.x + half];
      __syncthreads();
    }
    if (threadIdx.x == 0) out[i] = partial[0];
    __syncthreads();
  }
}

at::Tensor walsh_kernel_cuda(const at::Tensor& a, const at::Tensor& b, const at::Tensor& table) {
  check_walsh_kernel(a, b, table);
  const c10::cuda::CUDAGuard guard(a.device());
  const at::Tensor ac = a.contiguous(), bc = b.contiguous(), tc = table.contiguous();
  const int64_t na = ac.size(0), nb = bc.size(0), words = ac.size(1), n = tc.numel() - 1;  // n checked
  at::Tensor out = at::empty({na, nb}, tc.options());
  if (na * nb == 0) return out;
  const int64_t blocks = std::min<int64_t>((na * nb + kThreads - 1) / kThreads, 65535);
  walsh_kernel_kernel<<<static_cast<int>(blocks), kThreads, 0, c10::cuda::getCurrentCUDAStream()>>>(
      words_of(ac), na, words_of(bc), nb, words, tc.data_ptr<double>(), n, out.data_ptr<double>());
  C10_CUDA_KERNEL_LAUNCH_CHECK();
  return out;
}

at::Tensor walsh_kernel_product_cuda(const at::Tensor& a, const at::Tensor& b, const at::Tensor& table,
                                     const at::Tensor& weights) {
  check_walsh_kernel_product(a, b, table, weights);
  const c10::cuda::CUDAGuard guard(a.device());
  const at::Tensor ac = a.contiguous(), bc = b.contiguous(), tc = table.contiguous(), wc = weights.contiguous();
  const int64_t na = ac.size(0), nb = bc.size(0), words = ac.size(1), n = tc.numel() - 1;  // n checked
  at::Tensor out = at::empty({na}, tc.options());
  if (na == 0) return out;
  const int64_t blocks = std::min<int64_t>(na, 65535);
  walsh_kernel_product_kernel<<<static_cast<int>(blocks), kThreads, 0, c10::cuda::getCurrentCUDAStream()>>>(
      words_of(ac), na, words_of(bc), nb, words, tc.data_ptr<double>(), wc.data_ptr<double>(), n,
      out.data_ptr<double>());
  C10_CUDA_KERNEL_LAUNCH_CHECK();
  return out;
}

}  // namespace

TORCH_LIBRARY_IMPL(interplay, CUDA, m) {
  m.impl("walsh_kernel", &walsh_kernel_cuda);
  m.impl("walsh_kernel_product", &walsh_kernel_product_cuda);
}

}  // namespace interplay
#endif
