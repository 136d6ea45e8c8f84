#!/usr/bin/env bash
# The .deb end to end, as a user gets it: CPack builds the package from this
# build tree (no second build), lintian checks it, apt-get installs it, the
# installed programs run from a fresh folder with a fresh home (version, the
# tiny demo, the workbench offscreen), and apt-get removes it again, with
# whatever it pulled in. Needs root and apt (CI runs as root on Debian 12):
# exits 77 (CTest's SKIP_RETURN_CODE) otherwise. VIDRNN_DEB=FILE checks that
# package instead of building one.
set -euo pipefail

build=${VIDRNN_BINARY_DIR:?set by CTest}
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { printf '\n== %s (%ds)\n' "$*" "$SECONDS"; }

[ "${VIDRNN_DEBIAN_TORCH:-1}" = 1 ] ||
  skip "the Debian package is built against Debian's LibTorch; this build links ${VIDRNN_TORCH_DIR:-another}"
[ "$(id -u)" -eq 0 ] || skip "installing a package needs root"
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || skip "no apt-get/dpkg"
for tool in cpack lintian desktop-file-validate appstreamcli; do
  command -v "$tool" >/dev/null || fail "$tool is missing (tools/setup.sh installs it)"
done
if dpkg-query -W -f='${Status}' vidrnn 2>/dev/null | grep -q "ok installed"; then
  skip "a vidrnn package is installed already; this test would replace it (apt-get remove vidrnn)"
fi

tmp=$(mktemp -d /tmp/vidrnn-package.XXXXXX)
installed=()
cleanup() {
  local rc=$?
  if [ "${#installed[@]}" -gt 0 ]; then
    echo "== removing ${installed[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq "${installed[@]}" >/dev/null || rc=1
  fi
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT

mkdir "$tmp/pkg"
if [ -n "${VIDRNN_DEB:-}" ]; then  # a package built elsewhere (a release build)
  cp "$VIDRNN_DEB" "$tmp/pkg/"
else
  step "cpack -G DEB"
  cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1 ||
    { cat "$tmp/cpack.log"; fail "cpack failed"; }
fi
debs=("$tmp"/pkg/vidrnn_*.deb)
[ "${#debs[@]}" -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one vidrnn_*.deb, got: ${debs[*]}"
deb=${debs[0]}
echo "$(basename "$deb"): $(du -h "$deb" | cut -f1)"
dpkg-deb -f "$deb"

step "package contents"
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$tmp/contents"
expect=(/usr/bin/vidrnn /usr/bin/vidrnn-workbench
        /usr/share/applications/org.vidrnn.workbench.desktop
        /usr/share/metainfo/org.vidrnn.workbench.metainfo.xml
        /usr/share/icons/hicolor/scalable/apps/vidrnn.svg
        /usr/share/man/man1/vidrnn.1.gz /usr/share/man/man1/vidrnn-workbench.1.gz
        /usr/share/doc/vidrnn/copyright /usr/share/doc/vidrnn/changelog.gz)
for size in 16 22 24 32 48 64 128 256; do
  expect+=("/usr/share/icons/hicolor/${size}x${size}/apps/vidrnn.png")
done
for f in "${expect[@]}"; do
  grep -qxF "$f" "$tmp/contents" || fail "the package lacks $f"
done
# The LibTorch and the video commands, loaded by /usr/bin/vidrnn from its
# library folder.
for plugin in vidrnn-compute.so vidrnn-data.so; do
  grep -qE "^/usr/lib/(.*/)?vidrnn/plugins/$plugin\$" "$tmp/contents" ||
    fail "the package lacks the plugin $plugin"
done
depends=$(dpkg-deb -f "$deb" Depends)
for d in libtorch libopencv libsqlite3 libqt6widgets6 qt6-qpa-plugins; do
  grep -q "$d" <<<"$depends" || fail "Depends lacks $d: $depends"
done
mkdir "$tmp/x" && dpkg-deb -x "$deb" "$tmp/x"
desktop-file-validate "$tmp/x/usr/share/applications/org.vidrnn.workbench.desktop"
appstreamcli validate --no-net "$tmp/x/usr/share/metainfo/org.vidrnn.workbench.metainfo.xml"
for program in vidrnn vidrnn-workbench; do
  kind=$(file -b "$tmp/x/usr/bin/$program")
  [[ $kind == *ELF*", stripped"* ]] || fail "/usr/bin/$program is not a stripped ELF program: $kind"
done

step "lintian"
lintian --fail-on none "$deb" >"$tmp/lintian.log" 2>&1 || { cat "$tmp/lintian.log"; fail "lintian did not run"; }
grep -E '^[EW]: ' "$tmp/lintian.log" || echo "lintian: no errors, no warnings"
if grep -q '^E: ' "$tmp/lintian.log"; then
  fail "lintian reports errors"
fi

step "apt-get install ./$(basename "$deb")"
dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1=="ii"{print $2}' | sort >"$tmp/before"
installed=(vidrnn)  # from here on, the trap removes it
(cd "$tmp/pkg" && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ./"$(basename "$deb")") \
  >"$tmp/apt.log" 2>&1 || { cat "$tmp/apt.log"; fail "apt-get install failed"; }
dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' | awk '$1=="ii"{print $2}' | sort >"$tmp/after"
mapfile -t pulled < <(comm -13 "$tmp/before" "$tmp/after" | grep -vx vidrnn || true)
installed+=("${pulled[@]}")
[ "${#pulled[@]}" -eq 0 ] || echo "apt-get also installed: ${pulled[*]}"
[ "$(command -v vidrnn)" = /usr/bin/vidrnn ] || fail "vidrnn on PATH is $(command -v vidrnn)"

# A user's shell: a fresh home, a fresh folder, none of the build's variables.
home=$tmp/home
work=$tmp/work
mkdir -p "$home" "$work"
as_user() { (cd "$work" && env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 "$@"); }

step "vidrnn --version"
as_user vidrnn --version | tee "$tmp/version"
for name in vidrnn Qt LibTorch OpenCV SQLite; do
  grep -qE "^$name [0-9]" "$tmp/version" || fail "--version does not name $name with a version"
done
as_user env LD_DEBUG=files vidrnn --version 2>"$tmp/version.ld" >/dev/null
! grep -qE 'libtorch|libopencv_videoio' "$tmp/version.ld" ||
  fail "vidrnn --version loads LibTorch or OpenCV's video I/O"
as_user vidrnn info >/dev/null || fail "vidrnn info (the compute plugin) failed"
as_user vidrnn data scan --help >/dev/null || fail "vidrnn data (the data plugin) failed"

step "vidrnn demo --preset tiny"
as_user vidrnn --threads 2 demo --preset tiny --epochs 1 >"$tmp/demo.out" 2>"$tmp/demo.err" ||
  { tail -20 "$tmp/demo.err"; fail "vidrnn demo failed"; }
tail -n 9 "$tmp/demo.out"  # the temporal-order table closes the report
grep -q "temporal-order pair" "$tmp/demo.out" || fail "the demo printed no report"
store=$home/.local/share/vidrnn/experiments.db
[ -s "$store" ] || fail "no store at $store"
[ ! -e "$work/experiments.db" ] || fail "the demo wrote a store into the working folder"
[ -d "$work/demo-data" ] || fail "no demo data in the working folder"
[ -n "$(ls -A "$home/.cache/vidrnn/features" 2>/dev/null)" ] || fail "no features in the XDG cache"
ls "$home/.local/share/vidrnn/checkpoints/"run-*.pt >/dev/null || fail "no checkpoints beside the store"
as_user vidrnn runs list --json >"$tmp/runs.json"
runs=$(grep -c '"status": "completed"' "$tmp/runs.json" || true)
# One row per configuration, each of one run here (one fold, one seed); the
# row's source column reads "measured", its run ids follow.
measured=$(grep -cE '^r[0-9]+ .* measured ' "$tmp/demo.out" || true)
[ "$measured" -gt 0 ] && [ "$runs" -eq "$measured" ] ||
  fail "runs list in the same folder shows $runs completed runs; the demo reported $measured"

step "vidrnn-workbench offscreen"
as_user env QT_QPA_PLATFORM=offscreen vidrnn-workbench --screenshot "$tmp/workbench.png" \
  >"$tmp/workbench.log" 2>&1 || { cat "$tmp/workbench.log"; fail "the workbench failed"; }
[ "$(head -c 8 "$tmp/workbench.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
  fail "the screenshot is not a PNG"
[ "$(stat -c %s "$tmp/workbench.png")" -gt 10000 ] || fail "the screenshot is nearly empty"
[ ! -e "$work/experiments.db" ] || fail "the workbench made a store in the working folder"
version=$(as_user env QT_QPA_PLATFORM=offscreen vidrnn-workbench --version 2>/dev/null)
[[ $version == "vidrnn-workbench "[0-9]* ]] || fail "vidrnn-workbench --version printed: $version"

step "apt-get remove vidrnn"
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq "${installed[@]}" >"$tmp/remove.log" 2>&1 ||
  { cat "$tmp/remove.log"; fail "apt-get remove failed"; }
installed=()
for f in /usr/bin/vidrnn /usr/bin/vidrnn-workbench /usr/share/applications/org.vidrnn.workbench.desktop \
         /usr/share/icons/hicolor/scalable/apps/vidrnn.svg /usr/share/doc/vidrnn; do
  [ ! -e "$f" ] || fail "$f is still there after removal"
done
if dpkg-query -W -f='${Status}' vidrnn 2>/dev/null | grep -qv "not-installed"; then
  fail "dpkg still lists vidrnn: $(dpkg-query -W -f='${Status}' vidrnn)"
fi
step "done"
