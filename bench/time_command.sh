#!/usr/bin/env bash
# time_command.sh RUNS WARMUP -- command...
# Run a command RUNS times (after WARMUP untimed runs) and print its wall
# time: median, min and max in milliseconds. Output of the command is
# discarded; a failing run aborts, so a broken command never reads as fast.
set -euo pipefail
runs=$1 warmup=$2
shift 2
[ "$1" = "--" ] && shift

for _ in $(seq "$warmup"); do "$@" >/dev/null 2>&1; done
times=()
for _ in $(seq "$runs"); do
  # bash's own clock: $(date) would time a fork of its own into every run.
  start=${EPOCHREALTIME/./}
  if ! "$@" >/dev/null 2>&1; then
    echo "time_command: '$*' failed" >&2
    exit 1
  fi
  end=${EPOCHREALTIME/./}
  times+=($(( end - start )))  # microseconds
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
n=${#sorted[@]}
if (( n % 2 )); then median=${sorted[n / 2]}; else median=$(( (sorted[n / 2 - 1] + sorted[n / 2]) / 2 )); fi
ms() { printf '%d.%03d' $(( $1 / 1000 )) $(( $1 % 1000 )); }
echo "runs=$n median_ms=$(ms "$median") min_ms=$(ms "${sorted[0]}") max_ms=$(ms "${sorted[n - 1]}")"
