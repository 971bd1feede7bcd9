#!/usr/bin/env bash
# The whole test suite, as CI runs it: install what is missing, build with
# warnings as errors, run every test; then the same under AddressSanitizer and
# UndefinedBehaviorSanitizer; then the fuzz targets over a fixed number of
# inputs from a fixed seed (explore longer with `fuzz/run.sh SECONDS`).
# Real-kernel tests need root and skip without it.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
jobs=$(nproc)
# ccache, keyed on paths relative to this checkout, so a fresh clone elsewhere reuses earlier builds.
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=true
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

echo "== release build and tests"
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTUNE_WERROR=ON "${launcher[@]}"
cmake --build build/release -j "$jobs"
ctest --test-dir build/release --output-on-failure -j "$jobs"

echo "== Windows: cross-built with MinGW-w64, tested under wine64"
if command -v x86_64-w64-mingw32-g++-posix >/dev/null && { command -v wine64 >/dev/null || [ -x /usr/lib/wine/wine64 ]; }; then
  scripts/windows-test.sh
else
  echo "skipped: g++-mingw-w64-x86-64 or wine64 is not installed, and scripts/install-deps.sh could not install them"
fi

echo "== the portable Unix build (macOS's sources: no Linux-only calls, no systemd, no runner)"
cmake -S . -B build/portable -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTUNE_WERROR=ON -DTUNE_PORTABLE_UNIX=ON \
  "${launcher[@]}"
cmake --build build/portable -j "$jobs"
ctest --test-dir build/portable --output-on-failure -j "$jobs"

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build and tests"
cmake -S . -B build/sanitize -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTUNE_WERROR=ON -DTUNE_SANITIZE=ON "${launcher[@]}"
cmake --build build/sanitize -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/sanitize --output-on-failure -j "$jobs"

echo "== fuzz targets (libFuzzer, clang), a fixed seed and a bounded run each"
fuzz/run.sh --ci

echo "== all tests passed"
