#!/usr/bin/env bash
# The main job, safely: build tune and show what `tune apply` would do to this
# host with the profile it recommends, as a plan and a unified diff. It runs
# every step against a recorder and changes nothing. Extra arguments go to
# `tune apply` (e.g. --profile ai-api-server).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/release -j "$(nproc)" --target tune
exec build/release/tune apply --dry-run "$@"
