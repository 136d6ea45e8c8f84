#!/usr/bin/env bash
# clang-format (Debian's clang-format 14, .clang-format at the root) over every
# tracked C++ source. `tools/format.sh` rewrites them; `tools/format.sh --check`
# lists the files that differ and fails (tools/test.sh runs it first).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
if ! command -v clang-format >/dev/null; then
  echo "format: clang-format is not installed (tools/setup.sh installs it)" >&2
  exit 1
fi
mapfile -t files < <(git ls-files '*.cpp' '*.h')
if [ "${1:-}" = "--check" ]; then
  bad=()
  for f in "${files[@]}"; do
    clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
  done
  if [ "${#bad[@]}" -gt 0 ]; then
    echo "format: ${#bad[@]} of ${#files[@]} files differ from clang-format (run tools/format.sh):" >&2
    printf '  %s\n' "${bad[@]}" >&2
    exit 1
  fi
  echo "format: ${#files[@]} files as clang-format writes them"
else
  clang-format -i "${files[@]}"
fi
