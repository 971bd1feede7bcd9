#!/usr/bin/env bash
# `tune apply --validate` end to end, inside private network and mount
# namespaces (no trace on the host): the host measured against itself, then
# with and without the change in alternating pairs; a change that does not
# slow inference is kept; a change after which decoding is slower (a
# test-only fault point slows it by half while the applied file exists) is
# rolled back with exit 4, unless --keep; --validate with --dry-run is a
# usage error, and so is a metric that does not exist.
. "$(dirname "$0")/../e2e/lib.sh"
enter_private_namespaces
make_workdir

mount_tmpfs /etc/sysctl.d
STATE=$WORK/state
mount_tmpfs "$STATE"
export TUNE_BENCH_CACHE=$WORK/cache

snapshot() {
  printf 'somaxconn=%s\n' "$(sysctl -n net.core.somaxconn)"
  ls -la /etc/sysctl.d | sed 1d | awk '{print $1, $NF}'
}
snapshot >"$WORK/before"
cat >"$WORK/net.yaml" <<'YAML'
name: e2e-validate
summary: one per-namespace key for the validation test
sysctl:
  net.core.somaxconn: 4321
YAML
T() { "$TUNE" --state-dir "$STATE" "$@"; }
validate() { T apply --profile "$WORK/net.yaml" --yes --validate --bench-model synthetic:tiny "$@"; }

expect_exit "--validate with --dry-run is refused" 64 validate --dry-run
expect_contains "and says why" "$WORK/err" "cannot be combined with --dry-run"

expect_exit "an unknown deciding metric is refused before anything changes" 1 validate --decide-on itl_p90_ms
expect_contains "with a did-you-mean" "$WORK/err" "--decide-on 'itl_p90_ms' is not a metric a validation can decide on (did you mean 'itl_p50_ms'?)"
expect_eq "nothing changed" "$(snapshot)" "$(cat "$WORK/before")"

# Whatever the noise, --keep keeps.
expect_exit "validate --keep" 0 validate --keep
expect_contains "it says how it measures" "$WORK/out" "Validating with synthetic:tiny (39 blocks): deciding on decode_tokens_per_s"
expect_contains "interleaved, after an A/A calibration" "$WORK/out" "Measured 3 A/A pairs, then interleaved: 16 pairs"
expect_contains "it gives the host's noise" "$WORK/out" "Noise (decode): ±"
expect_contains "it shows the comparison" "$WORK/out" "change [95% CI]"
expect_contains "it keeps the change" "$WORK/out" "Undo with: tune rollback"
expect_eq "the value is applied" "$(sysctl -n net.core.somaxconn)" 4321
expect_exit "rollback" 0 T rollback --last
expect_eq "rolled back" "$(snapshot)" "$(cat "$WORK/before")"

# Decoding is slower while the applied file exists: a real regression.
export TUNE_TEST_BENCH_SLOW_IF_EXISTS=/etc/sysctl.d/90-tune.conf
expect_exit "a regression is rolled back with exit 4" 4 validate
expect_contains "the verdict names the metric and the allowance" "$WORK/out" "worse, beyond the 5% allowed"
expect_contains "and says it rolled back" "$WORK/out" "Verdict: worse. Rolled back (transaction"
expect_eq "the host is as before" "$(snapshot)" "$(cat "$WORK/before")"
expect_exit "status after it" 0 T status
expect_contains "nothing is in effect" "$WORK/out" "No profile applied"

expect_exit "--json reports the rollback" 4 validate --json
expect_contains "the verdict in JSON" "$WORK/out" '"verdict": "worse"'
expect_contains "the design in JSON" "$WORK/out" '"design": "interleaved"'
expect_contains "rolled_back in JSON" "$WORK/out" '"rolled_back": true'
expect_eq "the host is as before again" "$(snapshot)" "$(cat "$WORK/before")"

expect_exit "--keep keeps a regression" 0 validate --keep
expect_contains "and says so" "$WORK/out" "Verdict: worse. Kept with --keep as transaction"
expect_exit "rollback after --keep" 0 T rollback --last
expect_eq "rolled back after --keep" "$(snapshot)" "$(cat "$WORK/before")"

expect_exit "a looser threshold (20%) still catches a loss of half" 4 validate --max-regression 20
finish
