#!/usr/bin/env bash
# The main job, safely: build tune and show what `tune apply` would do to this
# host with the profile it recommends, as a plan and a unified diff. It runs
# every step against a recorder and changes nothing. Extra arguments go to
# `tune apply` (e.g. --profile ai-api-server).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
# The test suite's configuration and compiler cache (scripts/test.sh), so
# running one command after the other rebuilds nothing.
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=true
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTUNE_WERROR=ON "${launcher[@]}" >/dev/null
cmake --build build/release -j "$(nproc)" --target tune
exec build/release/tune apply --dry-run "$@"
