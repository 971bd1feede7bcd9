#!/usr/bin/env bash
# The what-if inputs on the command line: detect, recommend and plan take
# --topology, --synthetic, --root and --facts alike; bad inputs get one clear
# line and a documented exit code; --capture makes a root that reads back
# the same. Reads only fixtures and rooted trees.
. "$(dirname "$0")/../e2e/lib.sh"
make_workdir
HOSTS=$(cd "$(dirname "$0")/../fixtures/hosts" && pwd)
GPU=(--root "$HOSTS/gpu-server/root" --topology "$HOSTS/gpu-server/topology.xml")
LAPTOP=(--root "$HOSTS/laptop-battery/root" --synthetic "$(cat "$HOSTS/laptop-battery/synthetic.txt")")

expect_eq "recommend reads --topology" "$("$TUNE" "${GPU[@]}" recommend)" "llm-inference-gpu"
expect_eq "the options may follow the command" \
  "$("$TUNE" recommend --root "$HOSTS/gpu-server/root" --topology "$HOSTS/gpu-server/topology.xml")" "llm-inference-gpu"
expect_eq "recommend reads --synthetic" "$("$TUNE" "${LAPTOP[@]}" recommend)" "laptop-battery"
expect_eq "recommend reads a captured --root alone" "$("$TUNE" --root "$HOSTS/small-vm/root" recommend)" "virtual-guest"

"$TUNE" "${GPU[@]}" recommend --explain >"$WORK/explain"
expect_contains "the explanation names the deciding facts" "$WORK/explain" "gpu.nvidia.count = 4 (wanted >=1)"
expect_contains "and the runner-up" "$WORK/explain" "Runner-up: throughput"

"$TUNE" "${GPU[@]}" detect >"$WORK/summary"
expect_contains "detect summarises the GPUs" "$WORK/summary" "GPUs          4: nvidia"
expect_contains "and says where facts came from" "$WORK/summary" "topology.xml"

"$TUNE" "${LAPTOP[@]}" detect --json >"$WORK/laptop.json"
expect_exit "saved facts are accepted by --facts" 0 "$TUNE" --facts "$WORK/laptop.json" recommend
expect_eq "and recommend the same" "$(cat "$WORK/out")" "laptop-battery"
expect_exit "plan takes --facts too" 0 "$TUNE" --root "$HOSTS/laptop-battery/root" --facts "$WORK/laptop.json" plan
expect_contains "and plans the recommended profile" "$WORK/out" "laptop-battery"
expect_exit "plan takes --synthetic" 0 "$TUNE" "${LAPTOP[@]}" plan --format json
expect_contains "into a plan for that profile" "$WORK/out" '"profile": "laptop-battery"'

expect_exit "--facts and --topology together are a usage error" 64 \
  "$TUNE" --facts "$WORK/laptop.json" --topology "$HOSTS/gpu-server/topology.xml" detect
expect_exit "--topology and --synthetic together are a usage error" 64 \
  "$TUNE" --topology "$HOSTS/gpu-server/topology.xml" --synthetic "pack:1 pu:1" detect

head -c 3000 "$HOSTS/gpu-server/topology.xml" >"$WORK/cut.xml"
expect_exit "a truncated XML topology is an error" 1 "$TUNE" --topology "$WORK/cut.xml" detect
expect_contains "naming the file" "$WORK/err" "cut.xml: truncated"
expect_eq "in one line" "$(wc -l <"$WORK/err")" 1
expect_exit "a bad synthetic description is an error" 1 "$TUNE" --synthetic "pack:lots" recommend
expect_contains "that says what was expected" "$WORK/err" "not an hwloc synthetic description"
printf '{"kind": "tune-facts", "schema": 2, "cpu": {"logical": "eight"}}' >"$WORK/bad.json"
expect_exit "a facts file of the wrong shape is an error" 1 "$TUNE" --facts "$WORK/bad.json" detect
expect_contains "naming the field" "$WORK/err" "bad.json: cpu.logical: expected a whole number"
expect_exit "a missing facts file is an error" 1 "$TUNE" --facts "$WORK/none.json" detect

mkdir -p "$WORK/broken"
cp -r "$HOSTS/laptop-battery/root/." "$WORK/broken/"
echo "MemTotal: lots kB" >"$WORK/broken/proc/meminfo"
expect_exit "a malformed /proc file is not an error" 0 "$TUNE" --root "$WORK/broken" detect
expect_contains "but a warning naming it" "$WORK/err" "/proc/meminfo: expected MemTotal: N kB"
expect_contains "and the fact reads unknown" "$WORK/out" "Memory        unknown"

expect_exit "--capture copies a root" 0 "$TUNE" --root "$HOSTS/arm-board/root" detect --capture "$WORK/snap"
# The same facts, but for where they were read and the machine id a snapshot leaves out.
same_facts() { "$TUNE" --root "$1" detect --json | grep -v '"source"\|under \|"machine_id"'; }
expect_eq "which detects the same" "$(same_facts "$WORK/snap")" "$(same_facts "$HOSTS/arm-board/root")"
expect_exit "--capture refuses a directory in use" 1 "$TUNE" --root "$HOSTS/arm-board/root" detect --capture "$WORK/snap"
expect_exit "--capture takes no what-if topology" 64 "$TUNE" --synthetic "pack:1 pu:1" detect --capture "$WORK/snap2"

finish
