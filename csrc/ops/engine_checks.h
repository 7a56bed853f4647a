// Dtype / device / dims checks of the engine operators (what C cannot see), shared by the CPU
// (engine.cpp) and CUDA (engine.cu) implementations so both raise the same errors.
#pragma once

#include <ATen/ATen.h>
#include <ATen/MemoryOverlap.h>

#include "ops/core_status.h"

namespace interplay {

inline void check_masked_inputs(const at::Tensor& x, const at::Tensor& baseline, const at::Tensor& player_map,
                                const at::Tensor& masks) {
  const char* op = "masked_inputs";
  const auto t = x.scalar_type();
  TORCH_CHECK_VALUE(t == at::kFloat || t == at::kDouble || t == at::kLong, "interplay.", op,
                    ": x must be float32, float64 or int64, got ", t);
  TORCH_CHECK_VALUE(baseline.scalar_type() == t, "interplay.", op, ": baseline must have the dtype of x (", t, "), got ",
                    baseline.scalar_type());
  TORCH_CHECK_VALUE(baseline.numel() == x.numel() && player_map.numel() == x.numel(), "interplay.", op,
                    ": x, baseline and player_map must have the same number of elements, got ", x.numel(), ", ",
                    baseline.numel(), ", ", player_map.numel());
  check_tensor(op, "player_map", player_map, at::kLong, -1, "");
  check_packed(op, "masks", masks);
  TORCH_CHECK_VALUE(x.device() == baseline.device() && x.device() == player_map.device() && x.device() == masks.device(),
                    "interplay.", op, ": all tensors must be on the same device");
  check_output_memory(op, "masks", masks.size(0), {{{masks.size(0), x.numel()}, x.element_size()}});
}

inline void check_delta_reduce(const at::Tensor& values, const at::Tensor& entry_output, const at::Tensor& entry_weight,
                               const at::Tensor& run_estimate, const at::Tensor& run_end, const at::Tensor& sums,
                               const at::Tensor& sumsq) {
  const char* op = "delta_reduce";
  check_tensor(op, "values", values, at::kDouble, 1, "1-D");
  check_tensor(op, "entry_weight", entry_weight, at::kDouble, 1, "1-D");
  check_tensor(op, "sums", sums, at::kDouble, 1, "1-D");
  check_tensor(op, "sumsq", sumsq, at::kDouble, 1, "1-D");
  check_tensor(op, "entry_output", entry_output, at::kLong, 1, "1-D");
  check_tensor(op, "run_estimate", run_estimate, at::kLong, 1, "1-D");
  check_tensor(op, "run_end", run_end, at::kLong, 1, "1-D");
  TORCH_CHECK_VALUE(entry_output.numel() == entry_weight.numel() && run_estimate.numel() == run_end.numel(),
                    "interplay.delta_reduce: entry and run arrays differ in length");
  TORCH_CHECK_VALUE(sums.sizes() == sumsq.sizes() && sums.is_contiguous() && sumsq.is_contiguous(),
                    "interplay.delta_reduce: sums and sumsq must be contiguous 1-D tensors of the same length");
  const auto dev = values.device();
  for (const at::Tensor* t : {&entry_output, &entry_weight, &run_estimate, &run_end, &sums, &sumsq})
    TORCH_CHECK_VALUE(t->device() == dev, "interplay.delta_reduce: all tensors must be on the same device");
  // the schema's two mutated outputs (a!) and (b!) must be separate memory, and not memory of an input
  const std::pair<const char*, const at::Tensor*> others[] = {
      {"sumsq", &sumsq},         {"values", &values},   {"entry_output", &entry_output}, {"entry_weight", &entry_weight},
      {"run_estimate", &run_estimate}, {"run_end", &run_end}};
  const std::pair<const char*, const at::Tensor*> outputs[] = {{"sums", &sums}, {"sumsq", &sumsq}};
  for (int o = 0; o < 2; ++o)
    for (int k = o; k < 6; ++k) {  // sums against everything else, sumsq against the inputs
      const auto overlap = at::get_overlap_status(*outputs[o].second, *others[k].second);
      TORCH_CHECK_VALUE(overlap != at::MemOverlapStatus::Full && overlap != at::MemOverlapStatus::Partial,
                        "interplay.delta_reduce: ", outputs[o].first, " shares memory with ", others[k].first,
                        ": the outputs sums and sumsq must be separate tensors, apart from the inputs");
    }
}

}  // namespace interplay
