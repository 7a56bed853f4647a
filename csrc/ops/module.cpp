// The Python module interplay._C. Importing it loads the shared library, whose static
// initialisers register every torch.ops.interplay operator (TORCH_LIBRARY_FRAGMENT in
// each csrc/ops/*.cpp file). It also says whether the CUDA kernels were compiled in, and the C core's
// limits that Python checks before calling it (one definition, in C).
#include <torch/extension.h>

extern "C" {
#include "core/exact/subset_transform.h"
}

PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) {
  m.doc() = "interplay C core and torch operators";
#ifdef WITH_CUDA
  m.attr("with_cuda") = true;
#else
  m.attr("with_cuda") = false;
#endif
  m.attr("max_exact_players") = IP_MAX_EXACT_PLAYERS;
}
