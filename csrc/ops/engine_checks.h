// Argument checks of the engine operators, shared by the CPU (engine.cpp) and CUDA (engine.cu)
// implementations so both raise the same ValueError for the same mistake.
#pragma once

#include <ATen/ATen.h>
#include <c10/util/Optional.h>

namespace interplay {

inline void check_masked_inputs(const at::Tensor& x, const at::Tensor& baseline, const at::Tensor& player_map,
                                const at::Tensor& masks) {
  const auto t = x.scalar_type();
  TORCH_CHECK_VALUE(t == at::kFloat || t == at::kDouble || t == at::kLong,
                    "interplay.masked_inputs: x must be float32, float64 or int64, got ", t);
  TORCH_CHECK_VALUE(baseline.scalar_type() == t, "interplay.masked_inputs: baseline must have the dtype of x (", t,
                    "), got ", baseline.scalar_type());
  TORCH_CHECK_VALUE(baseline.numel() == x.numel() && player_map.numel() == x.numel(),
                    "interplay.masked_inputs: x, baseline and player_map must have the same number of elements, got ",
                    x.numel(), ", ", baseline.numel(), ", ", player_map.numel());
  TORCH_CHECK_VALUE(player_map.scalar_type() == at::kLong, "interplay.masked_inputs: player_map must be int64");
  TORCH_CHECK_VALUE(masks.scalar_type() == at::kLong && masks.dim() == 2 && masks.size(1) >= 1,
                    "interplay.masked_inputs: masks must be packed int64 words [B, W] with W >= 1");
  TORCH_CHECK_VALUE(x.device() == baseline.device() && x.device() == player_map.device() && x.device() == masks.device(),
                    "interplay.masked_inputs: all tensors must be on the same device");
}

inline void check_sample_contexts(const at::Tensor& pairs, const c10::optional<at::Tensor>& excluded, int64_t n,
                                  int64_t stream0) {
  TORCH_CHECK_VALUE(n >= 1, "interplay.sample_contexts: n must be >= 1, got ", n);
  TORCH_CHECK_VALUE(stream0 >= 0, "interplay.sample_contexts: stream0 must be >= 0");
  TORCH_CHECK_VALUE(pairs.scalar_type() == at::kLong && pairs.dim() == 2 && pairs.size(1) == 2,
                    "interplay.sample_contexts: pairs must be int64 [count, 2] (-1 = no excluded player)");
  if (excluded.has_value()) {
    TORCH_CHECK_VALUE(excluded->scalar_type() == at::kLong && excluded->dim() == 2 &&
                          excluded->size(0) == pairs.size(0) && excluded->size(1) == (n + 63) / 64,
                      "interplay.sample_contexts: excluded must be packed int64 [count, ", (n + 63) / 64, "]");
    TORCH_CHECK_VALUE(excluded->device() == pairs.device(), "interplay.sample_contexts: tensors on different devices");
  }
}

inline void check_delta_reduce(const at::Tensor& values, const at::Tensor& entry_output, const at::Tensor& entry_weight,
                               const at::Tensor& run_estimate, const at::Tensor& run_end, const at::Tensor& sums,
                               const at::Tensor& sumsq) {
  TORCH_CHECK_VALUE(values.scalar_type() == at::kDouble && entry_weight.scalar_type() == at::kDouble &&
                        sums.scalar_type() == at::kDouble && sumsq.scalar_type() == at::kDouble,
                    "interplay.delta_reduce: values, weights, sums and sumsq must be float64");
  TORCH_CHECK_VALUE(entry_output.scalar_type() == at::kLong && run_estimate.scalar_type() == at::kLong &&
                        run_end.scalar_type() == at::kLong,
                    "interplay.delta_reduce: indices must be int64");
  TORCH_CHECK_VALUE(entry_output.numel() == entry_weight.numel() && run_estimate.numel() == run_end.numel(),
                    "interplay.delta_reduce: entry and run arrays differ in length");
  TORCH_CHECK_VALUE(sums.dim() == 1 && sums.sizes() == sumsq.sizes() && sums.is_contiguous() && sumsq.is_contiguous(),
                    "interplay.delta_reduce: sums and sumsq must be contiguous 1-D tensors of the same length");
  const auto dev = values.device();
  for (const at::Tensor* t : {&entry_output, &entry_weight, &run_estimate, &run_end, &sums, &sumsq})
    TORCH_CHECK_VALUE(t->device() == dev, "interplay.delta_reduce: all tensors must be on the same device");
}

}  // namespace interplay
