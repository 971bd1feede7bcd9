#!/usr/bin/env bash
# How the weight memory modes compare on this host (not a test): the same
# model loaded by mmap, mmap+populate, a plain copy, a copy in transparent
# huge pages, and (as root, when the host allows it) a copy in explicit huge
# pages; then `tune bench compare` of mmap against thp.
#
# Explicit huge pages need vm.nr_hugepages. As root this script reserves
# what the model needs and puts the previous value back on every exit path
# (success, failure, Ctrl-C); otherwise the hugetlb row is skipped.
#
# Usage: bench/runner_memory_modes.sh [PATH_TO_TUNE] [MODEL] [DTYPE]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tune=${1:-$here/../build/release/tune}
model=${2:-synthetic:110m}
dtype=${3:-f32}
[ -x "$tune" ] || { echo "runner_memory_modes: build tune first" >&2; exit 1; }

out=$(mktemp -d)
nr_file=/proc/sys/vm/nr_hugepages
previous_pages=$(cat "$nr_file")
restore() {
  local status=$?
  if [ "$(cat "$nr_file")" != "$previous_pages" ]; then
    echo "$previous_pages" > "$nr_file" || echo "runner_memory_modes: could not restore $nr_file to $previous_pages" >&2
  fi
  rm -rf "$out"
  exit "$status"
}
trap restore EXIT
trap 'exit 130' INT TERM

bench() {
  local mode=$1
  echo "== --weights $mode"
  "$tune" bench --model "$model" --dtype "$dtype" --weights "$mode" --prompt 32 --generate 64 --repeat 5 \
    --out "$out/$mode.json" | grep -E '^(weights|decode |prefill |load|time to first|inter-token p99)'
}

for mode in mmap mmap-populate copy thp; do bench "$mode"; done

if [ "$(id -u)" = 0 ]; then
  file=$("$tune" bench --model "$model" --dtype "$dtype" --repeat 1 --generate 1 --prompt 1 --no-cold --no-probes --json |
         python3 -c 'import json,sys; print(json.load(sys.stdin)["model"]["file_bytes"])')
  need=$(( file / (2 * 1024 * 1024) + 2 ))
  echo "$(( previous_pages + need ))" > "$nr_file"
  if [ "$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)" -ge "$need" ]; then
    bench hugetlb
  else
    echo "== --weights hugetlb: the kernel could not reserve $need huge pages (fragmented memory?): skipped"
  fi
else
  echo "== --weights hugetlb: skipped (reserving huge pages needs root)"
fi

echo "== compare mmap -> thp"
"$tune" bench compare "$out/mmap.json" "$out/thp.json"
