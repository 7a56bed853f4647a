// The Python module interplay._C. Importing it loads the shared library, whose static
// initialisers register every torch.ops.interplay operator (TORCH_LIBRARY_FRAGMENT in
// each csrc/ops/*.cpp file). It also says whether the CUDA kernels were compiled in.
#include <torch/extension.h>

PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) {
  m.doc() = "interplay C core and torch operators";
#ifdef WITH_CUDA
  m.attr("with_cuda") = true;
#else
  m.attr("with_cuda") = false;
#endif
}
