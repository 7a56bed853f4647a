"""Build interplay: a C11 core library, a thin C++ torch layer, optional CUDA kernels.

The C core (csrc/core/<subsystem>/*.c) has no torch dependency and is compiled as real C by
build_clib with ``gcc -std=c11``.  The C++ files under csrc/ops register the
``torch.ops.interplay`` operators and link against that library.  CUDA files under
csrc/cuda are added when torch was built with CUDA and nvcc exists (or FORCE_CUDA=1).
"""
import glob
import os
import re
import shutil

from setuptools import find_packages, setup
from torch.utils.cpp_extension import CUDA_HOME, BuildExtension, CppExtension, CUDAExtension

HERE = os.path.dirname(os.path.abspath(__file__))


def _sources(pattern: str) -> list[str]:
    return sorted(os.path.relpath(p, HERE) for p in glob.glob(os.path.join(HERE, pattern), recursive=True))


def _version() -> str:
    """``__version__`` of python/interplay/_internal/version.py, read as text (importing interplay needs
    the built extension); tests/api/test_smoke.py checks that it is ``interplay.__version__``."""
    with open(os.path.join(HERE, "python", "interplay", "_internal", "version.py"), encoding="utf-8") as f:
        match = re.search(r'^__version__ = "([^"]+)"$', f.read(), flags=re.M)
    if match is None:
        raise RuntimeError("python/interplay/_internal/version.py must define __version__ = \"X.Y.Z\"")
    return match.group(1)


def _want_cuda() -> bool:
    if os.environ.get("FORCE_CUDA", "0") == "1":
        return True
    import torch

    return torch.version.cuda is not None and CUDA_HOME is not None and shutil.which("nvcc") is not None


class BuildWithCore(BuildExtension):
    """build_ext that first builds the C core library (also for ``build_ext --inplace``)."""

    def run(self) -> None:
        self.run_command("build_clib")
        super().run()


core_library = (
    "interplay_core",
    {
        "sources": _sources("csrc/core/*/*.c"),  # one folder per subsystem, as the Makefile's c-check
        "include_dirs": ["csrc/core"],
        "cflags": ["-std=c11", "-O3", "-fPIC", "-fopenmp", "-Wall", "-Wextra",
                   "-fno-strict-aliasing"],  # masked_inputs reads float storage as 32/64-bit patterns
    },
)

cxx_flags = ["-O3", "-fopenmp"]  # the C++ standard is left to BuildExtension
sources = _sources("csrc/ops/*.cpp")
extension_kwargs = dict(
    include_dirs=[os.path.join(HERE, "csrc"), os.path.join(HERE, "csrc/core")],
    libraries=["interplay_core", "gomp"],
    extra_link_args=["-fopenmp"],
)
if _want_cuda():
    extension = CUDAExtension(
        "interplay._C",
        sources + _sources("csrc/cuda/*.cu"),
        define_macros=[("WITH_CUDA", None)],
        extra_compile_args={"cxx": cxx_flags, "nvcc": ["-O3"]},
        **extension_kwargs,
    )
else:
    extension = CppExtension("interplay._C", sources, extra_compile_args={"cxx": cxx_flags}, **extension_kwargs)

setup(
    name="interplay",
    version=_version(),
    description="Game-theoretic interactions inside deep networks, and the interaction loss",
    package_dir={"": "python"},
    packages=find_packages("python"),
    libraries=[core_library],
    ext_modules=[extension],
    cmdclass={"build_ext": BuildWithCore},
    python_requires=">=3.9",
    install_requires=["numpy", "tqdm"],
    extras_require={"plot": ["matplotlib"], "test": ["pytest", "scikit-learn", "matplotlib"]},
)
