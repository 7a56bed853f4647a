// Included first by every .cu file. A CPU-only torch wheel ships the c10/cuda headers without their
// generated configuration file, which only sets Windows export macros; c10's own switch lets
// `make cuda-check` compile the CUDA sources against such a wheel. Real CUDA builds have the file.
#pragma once

#if defined(__has_include)
#if !__has_include(<c10/cuda/impl/cuda_cmake_macros.h>)
#define C10_CUDA_NO_CMAKE_CONFIGURE_FILE
#endif
#endif
