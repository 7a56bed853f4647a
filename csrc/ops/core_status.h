// The glue between the C core and torch: a failed core call becomes one exception that names the op
// and the argument ("interplay.interaction_sample: contexts = 4611686018427387905 makes ..."), of the
// Python class its status calls for (ip_status_class, csrc/core/common/status.h):
//   invalid arguments (range, too large, non-finite, other)  ValueError   (c10::ValueError)
//   an allocation of the core failed (IP_ERR_NOMEM)          MemoryError  (interplay::MemoryError)
//   a broken contract of this layer (a NULL array)           RuntimeError (c10::Error)
// and the string enums of the op schemas are parsed once, with a message listing the valid values.
// The C++ layer checks only what C cannot see: dtype, device, contiguity, tensor dims.
#pragma once

#include <ATen/ATen.h>
#include <torch/library.h>

#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <new>
#include <string>
#include <utility>
#include <vector>

#if defined(__unix__) || defined(__APPLE__)
#include <unistd.h>
#endif

extern "C" {
#include "core/common/status.h"
}

namespace interplay {

// The exception of a memory refusal: a std::bad_alloc carrying the message. A torch.ops call gets it
// as a Python MemoryError with that message (torch's translators leave a std::bad_alloc to pybind11's,
// which map it to MemoryError); no c10 error type does that: c10::OutOfMemoryError becomes
// torch.OutOfMemoryError, a RuntimeError and no MemoryError, in torch 2.11 and 2.13 alike. MemoryError
// is the class of the Python layer's own memory refusals (interplay._checks.memory): callers catch one
// class. Standard C++ only, so the same in every torch version and in the CUDA files. (Inside
// TorchScript every error of an op, c10::ValueError included, comes out as a RuntimeError.)
class MemoryError : public std::bad_alloc {
 public:
  explicit MemoryError(std::string message) : message_(std::move(message)) {}
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
};

// Runs a core call with a fresh ip_error and raises on failure, the class after the status (above).
template <typename F>
inline void core_call(const char* op, F&& f) {
  ip_error err;
  ip_error_clear(&err);
  const ip_status status = f(&err);
  if (status == IP_OK) return;
  const char* detail = err.detail[0] != '\0' ? err.detail : ip_status_message(status);
  const ip_failure_class kind = ip_status_class(status);
  if (kind == IP_FAILURE_MEMORY) throw MemoryError(c10::str("interplay.", op, ": ", detail));
  TORCH_CHECK_VALUE(kind != IP_FAILURE_ARGUMENT, "interplay.", op, ": ", detail);
  TORCH_CHECK(false, "interplay.", op, ": internal error (a bug of interplay, please report it): ", detail);
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

// Bytes of physical memory of this machine (sysconf); 0 when it cannot be queried (then: no limit).
inline int64_t physical_memory_bytes() {
#if defined(_SC_PHYS_PAGES) && defined(_SC_PAGESIZE)
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  int64_t bytes = 0;
  if (pages > 0 && page > 0 && ip_mul_fits(pages, page, &bytes)) return bytes;
#endif
  return 0;
}

inline std::string format_bytes(double bytes) {
  static const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int u = 0;
  while (bytes >= 1024.0 && u < 6) bytes /= 1024.0, ++u;
  char buf[64];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
  return buf;
}

// One output an op is about to allocate: its shape and bytes per element.
struct OutputSpec {
  std::vector<int64_t> sizes;
  int64_t element_size;
};

// The one memory check of the op layer, called before an op allocates its outputs. Sizes are
// overflow-checked, and the outputs refused with one exception naming the op and `argument = value`:
//   - a total size in bytes that overflows int64: ValueError. No allocation has that size: the argument
//     is invalid, as the core's IP_ERR_TOO_LARGE for a size that overflows (and NumPy's "array is too big");
//   - a total over the machine's physical memory: MemoryError, instead of leaving it to the allocator;
//     the class of the Python layer's refusals beyond its memory budget (interplay._checks.memory).
inline void check_output_memory(const char* op, const char* argument, int64_t value,
                                std::initializer_list<OutputSpec> outputs, int64_t limit = -1) {
  if (limit < 0) limit = physical_memory_bytes();
  int64_t total = 0;
  bool overflow = false;
  std::string shapes;
  for (const OutputSpec& o : outputs) {
    int64_t bytes = o.element_size;
    shapes += shapes.empty() ? "[" : " + [";
    for (size_t k = 0; k < o.sizes.size(); ++k) {
      shapes += (k ? ", " : "") + std::to_string(o.sizes[k]);
      if (!ip_mul_fits(bytes, o.sizes[k], &bytes)) overflow = true;
    }
    shapes += "]";
    if (!overflow && !ip_add_fits(total, bytes, &total)) overflow = true;
  }
  TORCH_CHECK_VALUE(!overflow, "interplay.", op, ": ", argument, " = ", value, " makes outputs ", shapes,
                    " whose size in bytes overflows int64");
  if (limit > 0 && total > limit)
    throw MemoryError(c10::str("interplay.", op, ": ", argument, " = ", value, " makes outputs ", shapes, " that need ",
                               format_bytes(static_cast<double>(total)), ", more than the ",
                               format_bytes(static_cast<double>(limit)), " of memory"));
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

// A batch of packed player sets whose width W the op takes from it: int64 [B, W] with 1 <= W and
// 64 W players representable in int64 (CPU and CUDA alike).
inline void check_packed(const char* op, const char* argument, const at::Tensor& t) {
  check_tensor(op, argument, t, at::kLong, 2, "packed player sets [B, W] (int64 words)");
  TORCH_CHECK_VALUE(t.size(1) >= 1 && t.size(1) <= INT64_MAX / 64, "interplay.", op, ": ", argument,
                    " must be packed player sets [B, W] with 1 <= W <= INT64_MAX / 64, got W = ", t.size(1));
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
