#!/usr/bin/env bash
# clang-format (Debian's clang-format 14, .clang-format at the root) over every
# tracked C++ source of the project. `tools/format.sh` rewrites them;
# `tools/format.sh --check` lists the files that differ and fails (the
# `format` stage of tools/test.sh runs it; see VIDRNN_FORMAT_CHECK there).
#
# Only the project's own sources: third-party code and generated files keep
# the form they come in. None is tracked today (moc/uic/rcc output and CMake's
# generated files live under build/, which git ignores); `exclude` names the
# places where such files would go, so adding one does not need this script.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
if ! command -v clang-format >/dev/null; then
  echo "format: clang-format is not installed (tools/setup.sh installs it)" >&2
  exit 1
fi
exclude=(':(exclude,glob)**/third_party/**' ':(exclude,glob)**/3rdparty/**'
         ':(exclude,glob)**/generated/**' ':(exclude,glob)**/*.generated.h')
mapfile -t files < <(git ls-files -- '*.cpp' '*.h' "${exclude[@]}")
if [ "${1:-}" = "--check" ]; then
  # One clang-format process for all files; it names each file that differs.
  rc=0
  out=$(clang-format --dry-run --Werror "${files[@]}" 2>&1 >/dev/null) || rc=$?
  mapfile -t bad < <(printf '%s\n' "$out" |
    sed -n 's/^\(.*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' | sort -u)
  if [ "$rc" -ne 0 ] && [ "${#bad[@]}" -eq 0 ]; then
    echo "format: clang-format failed (exit $rc):" >&2
    printf '%s\n' "$out" | head -20 >&2
    exit 1
  fi
  if [ "${#bad[@]}" -gt 0 ]; then
    echo "format: ${#bad[@]} of ${#files[@]} files differ from clang-format (run tools/format.sh):" >&2
    printf '  %s\n' "${bad[@]}" >&2
    exit 1
  fi
  echo "format: ${#files[@]} files as clang-format writes them"
else
  clang-format -i "${files[@]}"
fi
