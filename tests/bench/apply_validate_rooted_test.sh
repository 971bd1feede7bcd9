#!/usr/bin/env bash
# `tune apply --validate` on a rooted tree (--root DIR), which needs no root:
# the [validation] table of the tree's /etc/tune/tune.toml sets threshold,
# repeats and confidence; --max-regression overrides the threshold; a
# regression (a test-only fault point slows decoding while the applied file
# exists) is rolled back with exit 4 and the tree is as it was.
. "$(dirname "$0")/../e2e/lib.sh"
make_workdir

TREE=$WORK/tree
mkdir -p "$TREE/proc/sys/net/core" "$TREE/etc/sysctl.d" "$TREE/etc/tune" "$TREE/var/lib/tune"
printf '4096\n' >"$TREE/proc/sys/net/core/somaxconn"
cat >"$TREE/etc/tune/tune.toml" <<'TOML'
[validation]
max_regression_pct = 42
repeats = 4
confidence_pct = 90
TOML
cat >"$WORK/net.yaml" <<'YAML'
name: rooted-validate
summary: one key for the rooted validation test
sysctl:
  net.core.somaxconn: 4321
YAML
export TUNE_BENCH_CACHE=$WORK/cache
snapshot() { cat "$TREE/proc/sys/net/core/somaxconn"; ls "$TREE/etc/sysctl.d"; }
snapshot >"$WORK/before"
validate() {
  "$TUNE" --root "$TREE" --state-dir /var/lib/tune apply --profile "$WORK/net.yaml" --yes --validate \
    --bench-model synthetic:tiny --json "$@"
}
# field KEY: the value of "KEY": in the JSON output (the validation object's keys are unique).
field() { sed -n "s/^ *\"$1\": \([^,]*\),\{0,1\}\$/\1/p" "$WORK/out" | head -1; }

expect_exit "validate --keep on a rooted tree" 0 validate --keep
expect_eq "the threshold comes from the tree's tune.toml" "$(field threshold_pct)" 42.0
expect_eq "so do the repeats" "$(field repeats)" 4
expect_eq "and the confidence" "$(field confidence_pct)" 90.0
expect_eq "the value was applied in the tree" "$(head -1 "$TREE/proc/sys/net/core/somaxconn")" 4321
expect_exit "status after a kept validation" 0 "$TUNE" --root "$TREE" --state-dir /var/lib/tune status
expect_contains "names the transaction and profile" "$WORK/out" "Last validation: transaction 1 (profile 'rooted-validate')"
expect_exit "rollback" 0 "$TUNE" --root "$TREE" --state-dir /var/lib/tune rollback --last
expect_eq "the tree is as before" "$(snapshot)" "$(cat "$WORK/before")"

export TUNE_TEST_BENCH_SLOW_IF_EXISTS=$TREE/etc/sysctl.d/90-tune.conf
expect_exit "a regression is rolled back with exit 4" 4 validate --max-regression 10
expect_eq "--max-regression overrides the policy" "$(field threshold_pct)" 10.0
expect_eq "regression reported" "$(field regression)" true
expect_eq "rolled back" "$(field rolled_back)" true
expect_eq "the tree is as before again" "$(snapshot)" "$(cat "$WORK/before")"
expect_exit "status after the rolled-back validation" 0 "$TUNE" --root "$TREE" --state-dir /var/lib/tune status
expect_contains "gives its verdict" "$WORK/out" ": regression, rolled back."
expect_contains "and the regression's figures" "$WORK/out" "  regression: "
expect_contains "with nothing in effect" "$WORK/out" "No profile applied"
finish
