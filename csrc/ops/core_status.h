// The glue between the C core and torch: a failed core call becomes one ValueError that names the op
// and the argument ("interplay.interaction_sample: contexts = 4611686018427387905 makes ..."), and the
// string enums of the op schemas are parsed once, with a message listing the valid values.
// The C++ layer checks only what C cannot see: dtype, device, contiguity, tensor dims.
#pragma once

#include <ATen/ATen.h>
#include <torch/library.h>

#include <initializer_list>
#include <string>
#include <utility>

extern "C" {
#include "core/common/status.h"
}

namespace interplay {

// Runs a core call with a fresh ip_error and raises on failure.
template <typename F>
inline void core_call(const char* op, F&& f) {
  ip_error err;
  ip_error_clear(&err);
  const ip_status status = f(&err);
  if (status == IP_OK) return;
  const char* detail = err.detail[0] != '\0' ? err.detail : ip_status_message(status);
  TORCH_CHECK_VALUE(false, "interplay.", op, ": ", detail);
}

// A str argument of a schema: one of `choices`, else a ValueError listing them.
template <typename E>
inline E parse_choice(const char* op, const char* argument, c10::string_view value,
                      std::initializer_list<std::pair<const char*, E>> choices) {
  std::string valid;
  for (const auto& c : choices) {
    if (value == c.first) return c.second;
    valid += valid.empty() ? "'" : ", '";
    valid += c.first;
    valid += "'";
  }
  TORCH_CHECK_VALUE(false, "interplay.", op, ": ", argument, " = '", std::string(value), "' is not one of ", valid);
}

inline void check_tensor(const char* op, const char* argument, const at::Tensor& t, at::ScalarType dtype, int64_t dim,
                         const char* shape) {
  TORCH_CHECK_VALUE(t.scalar_type() == dtype, "interplay.", op, ": ", argument, " must be ",
                    c10::getDtypeNames(dtype).first, ", got ", c10::getDtypeNames(t.scalar_type()).first);
  TORCH_CHECK_VALUE(dim < 0 || t.dim() == dim, "interplay.", op, ": ", argument, " must be ", shape, ", got shape ",
                    t.sizes());
}

inline void check_cpu(const char* op, const char* argument, const at::Tensor& t) {
  TORCH_CHECK_VALUE(t.device().is_cpu(), "interplay.", op, ": ", argument, " must be on the CPU, got ", t.device());
}

// A packed player set batch of the op layer: int64 [B, W] (W = ceil(n / 64) words, bit p = player p).
inline void check_sets(const char* op, const char* argument, const at::Tensor& t, int64_t words) {
  check_tensor(op, argument, t, at::kLong, 2, "packed player sets [B, W] (int64 words)");
  TORCH_CHECK_VALUE(t.size(1) == words, "interplay.", op, ": ", argument, " must be packed player sets [B, ", words,
                    "], got shape ", t.sizes());
}

inline const uint64_t* words_of(const at::Tensor& t) {
  return reinterpret_cast<const uint64_t*>(t.data_ptr<int64_t>());
}

}  // namespace interplay
