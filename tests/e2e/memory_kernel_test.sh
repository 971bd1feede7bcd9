#!/usr/bin/env bash
# Transparent hugepages and 2 MiB hugepage counts on the real kernel: apply,
# read back what the kernel reserved, verify, rollback, in total and per NUMA
# node. These are global settings, so the values found at the start are
# written back on every path out, failures included. Private mount
# namespace: tmpfs over /etc/tmpfiles.d and the state directory.
. "$(dirname "$0")/lib.sh"
enter_private_namespaces
make_workdir

THP=/sys/kernel/mm/transparent_hugepage
POOL=/sys/kernel/mm/hugepages/hugepages-2048kB
NODE_POOL=/sys/devices/system/node/node0/hugepages/hugepages-2048kB
[ -w "$THP/enabled" ] || skip "no transparent hugepages here"
[ -w "$POOL/nr_hugepages" ] || skip "no 2 MiB hugepage pool here"
chosen() { sed 's/.*\[\(.*\)\].*/\1/' "$1"; }
ORIGINAL_ENABLED=$(chosen "$THP/enabled")
ORIGINAL_DEFRAG=$(chosen "$THP/defrag")
ORIGINAL_PAGES=$(cat "$POOL/nr_hugepages")
restore_globals() {
  echo "$ORIGINAL_ENABLED" >"$THP/enabled"
  echo "$ORIGINAL_DEFRAG" >"$THP/defrag"
  echo "$ORIGINAL_PAGES" >"$POOL/nr_hugepages"
  cleanup
}
trap restore_globals EXIT

mount_tmpfs /etc/tmpfiles.d
STATE=$WORK/state
mount_tmpfs "$STATE"
T() { "$TUNE" --state-dir "$STATE" "$@"; }
snapshot() {
  echo "enabled $(chosen "$THP/enabled") defrag $(chosen "$THP/defrag") pages $(cat "$POOL/nr_hugepages")"
  [ -e "$NODE_POOL/nr_hugepages" ] && echo "node0 $(cat "$NODE_POOL/nr_hugepages")"
  ls -A /etc/tmpfiles.d
}
snapshot >"$WORK/before"

# Values that differ from the ones the host has now.
ENABLED=never
[ "$ORIGINAL_ENABLED" = never ] && ENABLED=madvise
DEFRAG=defer
[ "$ORIGINAL_DEFRAG" = defer ] && DEFRAG=madvise
PAGES=$((ORIGINAL_PAGES + 8))
cat >"$WORK/p.yaml" <<YAML
name: e2e-memory
memory:
  transparent_hugepages: { enabled: $ENABLED, defrag: $DEFRAG }
  hugepages: { 2M: $PAGES }
YAML

expect_exit "apply" 0 T apply --profile "$WORK/p.yaml" --yes
expect_eq "THP mode set" "$(chosen "$THP/enabled")" "$ENABLED"
expect_eq "THP defrag set" "$(chosen "$THP/defrag")" "$DEFRAG"
expect_eq "the kernel reserved the pages" "$(cat "$POOL/nr_hugepages")" "$PAGES"
expect_contains "the boot file sets them again" /etc/tmpfiles.d/90-tune-memory.conf "w $POOL/nr_hugepages - - - - $PAGES"
expect_exit "verify finds no drift" 0 T verify --detailed-exitcode
expect_exit "rollback" 0 T rollback --last
expect_eq "THP and the pool are back" "$(snapshot)" "$(cat "$WORK/before")"

if [ -e "$NODE_POOL/nr_hugepages" ]; then
  NODE_PAGES=$(( $(cat "$NODE_POOL/nr_hugepages") + 4 ))
  printf 'name: e2e-node\nmemory:\n  hugepages:\n    2M: { node0: %s }\n' "$NODE_PAGES" >"$WORK/node.yaml"
  expect_exit "apply per node" 0 T apply --profile "$WORK/node.yaml" --yes
  expect_eq "node 0 reserved them" "$(cat "$NODE_POOL/nr_hugepages")" "$NODE_PAGES"
  expect_exit "rollback per node" 0 T rollback --last
  expect_eq "node 0 is back" "$(snapshot)" "$(cat "$WORK/before")"
else
  echo "note: no NUMA node directories here; the per-node pool is covered by the unit tests"
fi

finish
