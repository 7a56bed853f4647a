// torch.ops.interplay interaction-loss operators (dropout paper Eq. 9, App. G): CPU kernels.
// Argument checks and dispatch only; the algorithms live in csrc/core/interaction_loss.c.
// Autograd is registered in Python (python/interplay/nn/_ops.py) with torch.library.register_autograd.
#include <torch/library.h>
#include <ATen/ATen.h>

#include "ops/core_status.h"
#include "ops/interaction_loss_checks.h"

namespace interplay {
namespace {

using loss::check_float;
using loss::check_rewards;
using loss::check_roles;
using loss::units_of;

// float32 and float64 run natively; other floating types (half, bfloat16) go through float32.
at::ScalarType compute_type(const at::Tensor& t) {
  return t.scalar_type() == at::kDouble ? at::kDouble : at::kFloat;
}

at::Tensor interaction_sample(const at::Tensor& h, int64_t contexts, int64_t set_size, double rate_lo,
                              double rate_hi, int64_t seed) {
  const int64_t samples = loss::check_sample_args(h, contexts, set_size, rate_lo, rate_hi);
  const int64_t n = units_of(h), batch = h.size(0);
  at::Tensor roles = at::empty({samples, n}, h.options().dtype(at::kByte));
  core_call("interaction_sample", [&](ip_error* e) {
    return ip_loss_sample_roles(static_cast<uint64_t>(seed), batch, contexts, n, set_size, rate_lo, rate_hi,
                                roles.data_ptr<uint8_t>(), e);
  });
  return roles;
}

at::Tensor interaction_mask(const at::Tensor& h, const at::Tensor& roles, int64_t contexts) {
  check_float(h, "interaction_mask", "the activation");
  const int64_t batch = check_roles(h, roles, contexts, 1, "interaction_mask");
  const int64_t n = units_of(h);
  const at::Tensor x = h.to(compute_type(h)).contiguous();
  const at::Tensor r = roles.contiguous();
  std::vector<int64_t> shape(h.sizes().begin(), h.sizes().end());
  shape[0] = batch * contexts * 4;
  at::Tensor out = at::empty(shape, x.options());
  if (x.scalar_type() == at::kDouble)
    core_call("interaction_mask", [&](ip_error* e) { return ip_loss_mask_f64(x.data_ptr<double>(), batch, contexts, n, r.data_ptr<uint8_t>(), out.data_ptr<double>(), e); });
  else
    core_call("interaction_mask", [&](ip_error* e) { return ip_loss_mask_f32(x.data_ptr<float>(), batch, contexts, n, r.data_ptr<uint8_t>(), out.data_ptr<float>(), e); });
  return out.to(h.scalar_type());
}

at::Tensor interaction_mask_backward(const at::Tensor& grad, const at::Tensor& roles, int64_t contexts) {
  check_float(grad, "interaction_mask_backward", "the gradient");
  const int64_t batch = check_roles(grad, roles, contexts, 4, "interaction_mask_backward");
  const int64_t n = units_of(grad);
  const at::Tensor g = grad.to(compute_type(grad)).contiguous();
  const at::Tensor r = roles.contiguous();
  std::vector<int64_t> shape(grad.sizes().begin(), grad.sizes().end());
  shape[0] = batch;
  at::Tensor out = at::empty(shape, g.options());
  if (g.scalar_type() == at::kDouble)
    core_call("interaction_mask_backward", [&](ip_error* e) { return ip_loss_mask_backward_f64(g.data_ptr<double>(), batch, contexts, n, r.data_ptr<uint8_t>(),
                                           out.data_ptr<double>(), e); });
  else
    core_call("interaction_mask_backward", [&](ip_error* e) { return ip_loss_mask_backward_f32(g.data_ptr<float>(), batch, contexts, n, r.data_ptr<uint8_t>(),
                                           out.data_ptr<float>(), e); });
  return out.to(grad.scalar_type());
}

at::Tensor interaction_delta(const at::Tensor& rewards) {
  const int64_t samples = check_rewards(rewards, "interaction_delta");
  const at::Tensor f = rewards.to(compute_type(rewards)).contiguous();
  at::Tensor out = at::empty({samples}, f.options());
  if (f.scalar_type() == at::kDouble)
    core_call("interaction_delta", [&](ip_error* e) { return ip_loss_delta_f64(f.data_ptr<double>(), samples, out.data_ptr<double>(), e); });
  else
    core_call("interaction_delta", [&](ip_error* e) { return ip_loss_delta_f32(f.data_ptr<float>(), samples, out.data_ptr<float>(), e); });
  return out.to(rewards.scalar_type());
}

at::Tensor interaction_delta_loss(const at::Tensor& rewards) {
  const int64_t samples = check_rewards(rewards, "interaction_delta_loss");
  const at::Tensor f = rewards.to(compute_type(rewards)).contiguous();
  at::Tensor out = at::empty({}, f.options());
  if (f.scalar_type() == at::kDouble)
    core_call("interaction_delta_loss", [&](ip_error* e) { return ip_loss_delta_sq_mean_f64(f.data_ptr<double>(), samples, out.data_ptr<double>(), e); });
  else
    core_call("interaction_delta_loss", [&](ip_error* e) { return ip_loss_delta_sq_mean_f32(f.data_ptr<float>(), samples, out.data_ptr<float>(), e); });
  return out.to(rewards.scalar_type());
}

at::Tensor interaction_delta_loss_backward(const at::Tensor& grad, const at::Tensor& rewards) {
  const int64_t samples = check_rewards(rewards, "interaction_delta_loss_backward");
  TORCH_CHECK_VALUE(grad.numel() == 1, "interplay.interaction_delta_loss_backward: the gradient must be a scalar");
  const double g = grad.item<double>();  // a CPU scalar: no device sync
  const at::Tensor f = rewards.to(compute_type(rewards)).contiguous();
  at::Tensor out = at::empty_like(f);
  if (f.scalar_type() == at::kDouble)
    core_call("interaction_delta_loss_backward", [&](ip_error* e) { return ip_loss_delta_sq_mean_backward_f64(g, f.data_ptr<double>(), samples, out.data_ptr<double>(), e); });
  else
    core_call("interaction_delta_loss_backward", [&](ip_error* e) { return ip_loss_delta_sq_mean_backward_f32(g, f.data_ptr<float>(), samples, out.data_ptr<float>(), e); });
  return out.to(rewards.scalar_type());
}

}  // namespace

TORCH_LIBRARY_FRAGMENT(interplay, m) {
  m.def("interaction_sample(Tensor h, int contexts, int set_size, float rate_lo, float rate_hi, int seed) -> Tensor");
  m.def("interaction_mask(Tensor h, Tensor roles, int contexts) -> Tensor");
  m.def("interaction_mask_backward(Tensor grad, Tensor roles, int contexts) -> Tensor");
  m.def("interaction_delta(Tensor rewards) -> Tensor");
  m.def("interaction_delta_loss(Tensor rewards) -> Tensor");
  m.def("interaction_delta_loss_backward(Tensor grad, Tensor rewards) -> Tensor");
}

TORCH_LIBRARY_IMPL(interplay, CPU, m) {
  m.impl("interaction_sample", &interaction_sample);
  m.impl("interaction_mask", &interaction_mask);
  m.impl("interaction_mask_backward", &interaction_mask_backward);
  m.impl("interaction_delta", &interaction_delta);
  m.impl("interaction_delta_loss", &interaction_delta_loss);
  m.impl("interaction_delta_loss_backward", &interaction_delta_loss_backward);
}

}  // namespace interplay
