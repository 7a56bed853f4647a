// torch.ops.interplay interaction-loss operators: CUDA kernels (dropout paper Eq. 9, App. G).
// The same sampling functions as the C core (csrc/core/loss_sampling.h, counter RNG) run here, so one
// seed gives bit-identical roles on the CPU and the GPU. Argument checks are shared with the CPU ops and
// run on the host from sizes (the C core's ip_loss_check_*); role bytes live on the device and are
// checked in the kernels by a device-side assert, as ATen's index kernels do: no host sync.
#ifdef WITH_CUDA
#include "cuda/cuda_compat.h"
#include <ATen/ATen.h>
#include <ATen/AccumulateType.h>
#include <ATen/Dispatch.h>
#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <torch/library.h>

#include <vector>

#include "ops/interaction_loss_checks.h"
#include "core/loss/loss_sampling.h"

namespace interplay {
namespace {

using loss::check_float;
using loss::check_rewards;
using loss::check_roles;
using loss::units_of;

constexpr int kThreads = 256;

inline int blocks_for(int64_t count) {
  const int64_t blocks = (count + kThreads - 1) / kThreads;
  return static_cast<int>(blocks < 65535 ? (blocks > 0 ? blocks : 1) : 65535);
}

// One block per sample s = b * contexts + k: thread 0 draws input b's A and B (as the C core does),
// then the block draws the context S unit by unit.
__global__ void sample_kernel(uint64_t seed, int64_t contexts, int64_t n, int64_t set_size, double lo, double hi,
                              int64_t samples, uint8_t* roles) {
  for (int64_t s = blockIdx.x; s < samples; s += gridDim.x) {
    uint8_t* row = roles + s * n;
    for (int64_t u = threadIdx.x; u < n; u += blockDim.x) row[u] = IP_ROLE_OUT;
    __syncthreads();
    if (threadIdx.x == 0) ip_loss_pick_sets(seed, static_cast<uint64_t>(s / contexts), n, set_size, row);
    __syncthreads();
    const double rate = ip_loss_rate(seed, static_cast<uint64_t>(s), lo, hi);
    for (int64_t u = threadIdx.x; u < n; u += blockDim.x)
      if (row[u] == IP_ROLE_OUT && ip_loss_kept(seed, static_cast<uint64_t>(s), static_cast<uint64_t>(u), rate))
        row[u] = IP_ROLE_S;
    __syncthreads();
  }
}

template <typename T>
__global__ void mask_kernel(const T* h, const uint8_t* roles, int64_t contexts, int64_t n, int64_t total, T* out) {
  for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < total;
       i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    const int64_t u = i % n, row = i / n, v = row % IP_LOSS_VARIANTS, s = row / IP_LOSS_VARIANTS;
    const int64_t b = s / contexts;
    CUDA_KERNEL_ASSERT(roles[s * n + u] <= IP_ROLE_B && "interaction_mask: a role byte is not a role (0..3)");
    out[i] = ip_role_present(static_cast<int>(v), roles[s * n + u]) ? h[b * n + u] : static_cast<T>(0);
  }
}

template <typename T>
__global__ void mask_backward_kernel(const T* grad, const uint8_t* roles, int64_t contexts, int64_t n, int64_t total,
                                     T* grad_h) {
  using acc_t = at::acc_type<T, true>;
  for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < total;
       i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    const int64_t u = i % n, b = i / n;
    acc_t sum = 0;
    for (int64_t s = b * contexts; s < (b + 1) * contexts; ++s) {
      const uint8_t role = roles[s * n + u];
      CUDA_KERNEL_ASSERT(role <= IP_ROLE_B && "interaction_mask_backward: a role byte is not a role (0..3)");
      for (int v = 0; v < IP_LOSS_VARIANTS; ++v)
        if (ip_role_present(v, role)) sum += static_cast<acc_t>(grad[(s * IP_LOSS_VARIANTS + v) * n + u]);
    }
    grad_h[i] = static_cast<T>(sum);
  }
}

template <typename T, typename O>
__global__ void delta_kernel(const T* rewards, int64_t samples, O* delta) {
  for (int64_t s = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; s < samples;
       s += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    const T* f = rewards + 4 * s;
    delta[s] = static_cast<O>(ip_variant_delta(static_cast<double>(f[0]), static_cast<double>(f[1]),
                                               static_cast<double>(f[2]), static_cast<double>(f[3])));
  }
}

template <typename T>
__global__ void delta_loss_backward_kernel(const double* grad, const T* rewards, int64_t samples, T* out) {
  const double scale = 2.0 * grad[0] / static_cast<double>(samples);
  for (int64_t s = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; s < samples;
       s += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    const T* f = rewards + 4 * s;
    const double d = scale * ip_variant_delta(static_cast<double>(f[0]), static_cast<double>(f[1]),
                                              static_cast<double>(f[2]), static_cast<double>(f[3]));
    out[4 * s] = static_cast<T>(d);
    out[4 * s + 1] = static_cast<T>(-d);
    out[4 * s + 2] = static_cast<T>(-d);
    out[4 * s + 3] = static_cast<T>(d);
  }
}

at::Tensor interaction_sample_cuda(const at::Tensor& h, int64_t contexts, int64_t set_size, double rate_lo,
                                   double rate_hi, int64_t seed) {
  const int64_t samples = loss::check_sample_args(h, contexts, set_size, rate_lo, rate_hi);
  const c10::cuda::CUDAGuard guard(h.device());
  const int64_t n = units_of(h);
  at::Tensor roles = at::empty({samples, n}, h.options().dtype(at::kByte));
  if (samples == 0) return roles;
  const int blocks = static_cast<int>(samples < 65535 ? samples : 65535);
  sample_kernel<<<blocks, kThreads, 0, c10::cuda::getCurrentCUDAStream()>>>(
      static_cast<uint64_t>(seed), contexts, n, set_size, rate_lo, rate_hi, samples, roles.data_ptr<uint8_t>());
  C10_CUDA_KERNEL_LAUNCH_CHECK();
  return roles;
}

at::Tensor interaction_mask_cuda(const at::Tensor& h, const at::Tensor& roles, int64_t contexts) {
  check_float(h, "interaction_mask", "the activation");
  const int64_t batch = check_roles(h, roles, contexts, 1, "interaction_mask");
  const c10::cuda::CUDAGuard guard(h.device());
  const int64_t n = units_of(h);
  const at::Tensor x = h.contiguous(), r = roles.contiguous();
  std::vector<int64_t> shape(h.sizes().begin(), h.sizes().end());
  shape[0] = batch * contexts * 4;
  at::Tensor out = at::empty(shape, x.options());
  const int64_t total = out.numel();
  if (total == 0) return out;
  AT_DISPATCH_FLOATING_TYPES_AND2(at::kHalf, at::kBFloat16, x.scalar_type(), "interaction_mask_cuda", [&] {
    mask_kernel<scalar_t><<<blocks_for(total), kThreads, 0, c10::cuda::getCurrentCUDAStream()>>>(
        x.data_ptr<scalar_t>(), r.data_ptr<uint8_t>(), contexts, n, total, out.data_ptr<scalar_t>());
  });
  C10_CUDA_KERNEL_LAUNCH_CHECK();
  return out;
}

at::Tensor interaction_mask_backward_cuda(const at::Tensor& grad, const at::Tensor& roles, int64_t contexts) {
  check_float(grad, "interaction_mask_backward", "the gradient");
  const int64_t batch = check_roles(grad, roles, contexts, 4, "interaction_mask_backward");
  const c10::cuda::CUDAGuard guard(grad.device());
  const int64_t n = units_of(grad);
  const at::Tensor g = grad.contiguous(), r = roles.contiguous();
  std::vector<int64_t> shape(grad.sizes().begin(), grad.sizes().end());
  shape[0] = batch;
  at::Tensor out = at::empty(shape, g.options());
  const int64_t total = out.numel();
  if (total == 0) return out;
  AT_DISPATCH_FLOATING_TYPES_AND2(at::kHalf, at::kBFloat16, g.scalar_type(), "interaction_mask_backward_cuda", [&] {
    mask_backward_kernel<scalar_t><<<blocks_for(total), kThreads, 0, c10::cuda::getCurrentCUDAStream()>>>(
        g.data_ptr<scalar_t>(), r.data_ptr<uint8_t>(), contexts, n, total, out.data_ptr<scalar_t>());
  });
  C10_CUDA_KERNEL_LAUNCH_CHECK();
  return out;
}

at::Tensor interaction_delta_cuda(const at::Tensor& rewards) {
  const int64_t samples = check_rewards(rewards, "interaction_delta");
  const c10::cuda::CUDAGuard guard(rewards.device());
  const at::Tensor f = rewards.contiguous();
  at::Tensor out = at::empty({samples}, f.options());
  AT_DISPATCH_FLOATING_TYPES_AND2(at::kHalf, at::kBFloat16, f.scalar_type(), "interaction_delta_cuda", [&] {
    delta_kernel<scalar_t, scalar_t><<<blocks_for(samples), kThreads, 0, c10::cuda::getCurrentCUDAStream()>>>(
        f.data_ptr<scalar_t>(), samples, out.data_ptr<scalar_t>());
  });
  C10_CUDA_KERNEL_LAUNCH_CHECK();
  return out;
}

// mean(Δf^2): Δf per sample in float64 by a kernel, then ATen's reduction (accumulated in float64).
at::Tensor interaction_delta_loss_cuda(const at::Tensor& rewards) {
  const int64_t samples = check_rewards(rewards, "interaction_delta_loss");
  const c10::cuda::CUDAGuard guard(rewards.device());
  const at::Tensor f = rewards.contiguous();
  at::Tensor delta = at::empty({samples}, f.options().dtype(at::kDouble));
  AT_DISPATCH_FLOATING_TYPES_AND2(at::kHalf, at::kBFloat16, f.scalar_type(), "interaction_delta_loss_cuda", [&] {
    delta_kernel<scalar_t, double><<<blocks_for(samples), kThreads, 0, c10::cuda::getCurrentCUDAStream()>>>(
        f.data_ptr<scalar_t>(), samples, delta.data_ptr<double>());
  });
  C10_CUDA_KERNEL_LAUNCH_CHECK();
  return delta.mul(delta).mean().to(rewards.scalar_type());
}

at::Tensor interaction_delta_loss_backward_cuda(const at::Tensor& grad, const at::Tensor& rewards) {
  const int64_t samples = check_rewards(rewards, "interaction_delta_loss_backward");
  TORCH_CHECK_VALUE(grad.numel() == 1, "interplay.interaction_delta_loss_backward: the gradient must be a scalar");
  const c10::cuda::CUDAGuard guard(rewards.device());
  const at::Tensor f = rewards.contiguous();
  const at::Tensor g = grad.to(rewards.device(), at::kDouble).reshape({1}).contiguous();
  at::Tensor out = at::empty_like(f);
  AT_DISPATCH_FLOATING_TYPES_AND2(at::kHalf, at::kBFloat16, f.scalar_type(), "interaction_delta_loss_backward_cuda",
                                  [&] {
    delta_loss_backward_kernel<scalar_t><<<blocks_for(samples), kThreads, 0, c10::cuda::getCurrentCUDAStream()>>>(
        g.data_ptr<double>(), f.data_ptr<scalar_t>(), samples, out.data_ptr<scalar_t>());
  });
  C10_CUDA_KERNEL_LAUNCH_CHECK();
  return out;
}

}  // namespace

TORCH_LIBRARY_IMPL(interplay, CUDA, m) {
  m.impl("interaction_sample", &interaction_sample_cuda);
  m.impl("interaction_mask", &interaction_mask_cuda);
  m.impl("interaction_mask_backward", &interaction_mask_backward_cuda);
  m.impl("interaction_delta", &interaction_delta_cuda);
  m.impl("interaction_delta_loss", &interaction_delta_loss_cuda);
  m.impl("interaction_delta_loss_backward", &interaction_delta_loss_backward_cuda);
}

}  // namespace interplay
#endif  // WITH_CUDA
