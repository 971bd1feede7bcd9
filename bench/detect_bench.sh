#!/usr/bin/env bash
# Median wall time of `tune detect` on this host (target: <= 15 ms), with the
# process start-up floor (`tune --version`) beside it for scale.
# Usage: bench/detect_bench.sh [PATH_TO_TUNE] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tune=${1:-$here/../build/release/tune}
runs=${2:-51}
[ -x "$tune" ] || { echo "detect_bench: build tune first (scripts/dry-run.sh builds build/release/tune)" >&2; exit 1; }
fixtures=$here/../tests/fixtures/hosts

time_it() { "$here/time_command.sh" "$runs" 5 -- "$@"; }
echo "tune --version (start-up floor):      $(time_it "$tune" --version)"
echo "tune detect (this host):              $(time_it "$tune" detect)"
echo "tune detect --json (this host):       $(time_it "$tune" detect --json)"
echo "tune recommend (this host):           $(time_it "$tune" recommend)"
echo "tune detect (gpu-server XML fixture): $(time_it "$tune" --root "$fixtures/gpu-server/root" --topology "$fixtures/gpu-server/topology.xml" detect)"
echo "target: tune detect median <= 15 ms"
