// Turns a C-core status into a Python exception (ValueError) naming the op.
#pragma once

#include <torch/library.h>

#include <string>

extern "C" {
#include "core/status.h"
}

namespace interplay {

inline void check_status(ip_status status, const char* op) {
  if (status == IP_OK) return;
  const std::string message = std::string("interplay.") + op + ": " + ip_status_message(status);
  TORCH_CHECK_VALUE(false, message);
}

// The number of players n of a table of 2^n float64 values; raises on a bad table.
inline int players_of_table(const at::Tensor& values, const char* op) {
  TORCH_CHECK_VALUE(values.dim() == 1, "interplay.", op, ": the game table must be 1-D, got ", values.dim(), "-D");
  TORCH_CHECK_VALUE(values.scalar_type() == at::kDouble, "interplay.", op, ": the game table must be float64");
  TORCH_CHECK_VALUE(values.device().is_cpu(), "interplay.", op, ": the game table must be on the CPU");
  const int64_t size = values.numel();
  TORCH_CHECK_VALUE(size >= 2 && (size & (size - 1)) == 0, "interplay.", op,
                    ": the game table length must be 2^n with n >= 1, got ", size);
  int n = 0;
  while ((int64_t{1} << n) < size) ++n;
  return n;
}

}  // namespace interplay
