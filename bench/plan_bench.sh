#!/usr/bin/env bash
# Median wall time of `tune plan` on this host (target: <= 20 ms).
# Usage: bench/plan_bench.sh [PATH_TO_TUNE] [RUNS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tune=${1:-$here/../build/release/tune}
runs=${2:-51}
[ -x "$tune" ] || { echo "plan_bench: build tune first (scripts/dry-run.sh builds build/release/tune)" >&2; exit 1; }

echo "tune plan (auto profile, this host): $("$here/time_command.sh" "$runs" 5 -- "$tune" plan)"
echo "tune plan --profile ai-api-server:   $("$here/time_command.sh" "$runs" 5 -- "$tune" plan --profile ai-api-server)"
echo "tune plan --format diff:             $("$here/time_command.sh" "$runs" 5 -- "$tune" plan --format diff)"
echo "tune plan, every kernel domain:      $("$here/time_command.sh" "$runs" 5 -- "$tune" plan --profile "$here/all_kernel_domains.yaml")"
echo "target: median <= 20 ms"
