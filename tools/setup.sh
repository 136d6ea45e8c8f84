#!/usr/bin/env bash
# Installs every Debian package vidrnn needs to build, test, benchmark and
# package (CPack's .deb: dpkg-dev; its test: lintian, desktop-file-utils,
# appstream; the cluster tests: a throwaway PostgreSQL and a single-node Slurm;
# the torch2 stage: python3-venv for .venv-torch2). Idempotent: when everything is present it prints nothing and
# exits 0.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libtorch-dev libopencv-dev
  qt6-base-dev qt6-base-dev-tools qt6-svg-dev libgl-dev
  libqcustomplot-dev libsqlite3-dev sqlite3
  libpqxx-dev libpq-dev postgresql-15
  slurmctld slurmd slurm-client munge
  libopenblas0-pthread
  qt6-qpa-plugins dpkg-dev file lintian desktop-file-utils appstream
  libcli11-dev nlohmann-json3-dev libfmt-dev libssl-dev
  xvfb xauth
  ffmpeg
  texlive-latex-base texlive-latex-recommended poppler-utils
  python3-torch python3-numpy python3-venv
  clang libclang-rt-14-dev clang-format
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing packages: ${missing[*]} (run as root to install them)" >&2
    exit 1
  fi
  echo "setup: installing ${#missing[@]} packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's LibTorch links the generic libblas.so.3 alternative; make sure it
# points at OpenBLAS (about 8x faster LSTM steps than the reference BLAS).
if command -v update-alternatives >/dev/null; then
  arch_dir=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
  want=$(update-alternatives --list "libblas.so.3-${arch_dir}" 2>/dev/null | grep -m1 openblas || true)
  have=$(readlink -f "/usr/lib/${arch_dir}/libblas.so.3" 2>/dev/null || true)
  if [ -n "$want" ] && [ "$have" != "$(readlink -f "$want")" ]; then
    update-alternatives --set "libblas.so.3-${arch_dir}" "$want" >/dev/null
    echo "setup: libblas.so.3 -> $want"
  fi
fi
