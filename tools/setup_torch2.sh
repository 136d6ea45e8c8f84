#!/usr/bin/env bash
# The LibTorch that GPU users install: PyTorch's torch 2.15.0 wheel (CUDA 13
# build, with LibTorch's headers, libraries and CMake files inside), in a
# virtual environment of the project's own (.venv-torch2, ignored by git;
# VIDRNN_TORCH2_VENV moves it). The preset torch2 builds against it; the
# Python peers of bench/ run on it. Idempotent: prints nothing when the
# pinned set is there.
#
# Only what the system's CUDA 13.0 toolkit (/usr/local/cuda, which Torch's
# CMake config needs anyway: it looks up nvcc and CUDAToolkit) lacks comes
# from PyPI, so --no-deps: torch's own requirements pull the whole CUDA 13.2
# toolkit again as wheels (cuBLAS, cuDNN, cuFFT, ...) plus triton. Measured
# against the 13.0 toolkit (ldd -r, 2026-12-07): libtorch_cuda.so resolves
# every symbol except cuFile, cuSPARSELt and NVSHMEM (not in the toolkit) and
# eleven NCCL 2.30 functions (the toolkit's NCCL is older). The wheels below
# supply those four; libtorch_cuda.so finds them through its own RPATH. The
# preset links executables with -rpath-link to the wheel's NCCL: ld otherwise
# takes the toolkit's libnccl.so.2 from the -rpath CMake adds for cudart and
# calls those eleven functions undefined. CMAKE_PREFIX_PATH is the wheel's
# torch/ itself (not its share/cmake): Torch's config looks c10 up with
# find_library, which finds Debian's libc10.so first otherwise.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${VIDRNN_TORCH2_VENV:-$here/.venv-torch2}

PINNED=(
  torch==2.15.0
  nvidia-cusparselt-cu13==0.8.1
  nvidia-nvshmem-cu13==3.7.2
  nvidia-nccl-cu13==2.30.7
  nvidia-cufile==1.17.1.22
  # import torch (the Python peers) needs these pure-Python packages.
  filelock==3.20.0 typing-extensions==4.15.0 sympy==1.14.0 mpmath==1.3.0
  networkx==3.5 jinja2==3.1.6 markupsafe==3.0.3 fsspec==2025.10.0
  numpy==2.4.6
)
stamp="$venv/.vidrnn-torch2"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "${PINNED[*]}" ]; then
  exit 0
fi
if [ ! -x /usr/local/cuda/bin/nvcc ]; then
  echo "setup_torch2: no CUDA toolkit at /usr/local/cuda (Torch's CMake config needs nvcc)" >&2
  exit 1
fi
python=${VIDRNN_TORCH2_PYTHON:-python3}
echo "setup_torch2: installing torch 2.15.0 (CUDA 13) into $venv"
start=$SECONDS
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps "${PINNED[@]}"
# One path for CMake (CMakePresets.json: torch2) whatever the Python's
# version: the wheel's LibTorch, share/cmake/Torch inside.
ln -sfn "$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/torch" \
  "$venv/libtorch"
echo "${PINNED[*]}" >"$stamp"
echo "setup_torch2: done in $((SECONDS - start)) s ($(du -sh "$venv" | cut -f1))"
