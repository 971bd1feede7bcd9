#!/bin/sh
# Builds the NEON kernels for arm64 and checks them against the scalar set
# under qemu-user. Exits 77 (skipped) when the cross compiler or qemu is not
# installed (Debian: g++-aarch64-linux-gnu qemu-user).
# Usage: neon_cross_check.sh SOURCE_DIR WORK_DIR
set -eu
src=$1
work=$2
command -v aarch64-linux-gnu-g++ >/dev/null 2>&1 || { echo "no aarch64-linux-gnu-g++: skipped"; exit 77; }
command -v qemu-aarch64 >/dev/null 2>&1 || { echo "no qemu-aarch64: skipped"; exit 77; }
mkdir -p "$work"
aarch64-linux-gnu-g++ -O2 -std=c++20 -Wall -Wextra -Wshadow -Wpedantic -Werror -static -I"$src/src" \
  "$src/tests/bench/neon_cross_check.cpp" "$src/src/bench/kernels_neon.cpp" "$src/src/bench/kernels_scalar.cpp" \
  "$src/src/bench/weight_type.cpp" "$src/src/bench/block_formats.cpp" -o "$work/neon_cross_check"
qemu-aarch64 "$work/neon_cross_check"
