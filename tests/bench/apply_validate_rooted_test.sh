#!/usr/bin/env bash
# `tune apply --validate` on a rooted tree (--root DIR), which needs no root:
# the [validation] table of the tree's /etc/tune/tune.toml sets threshold,
# repeats, pairs, calibration and confidence; --max-regression overrides the
# threshold; a regression (a test-only fault point slows decoding while the
# applied file exists) is rolled back with exit 4 and the tree is as it was;
# on_inconclusive = "rollback" rolls back what the noise cannot judge.
. "$(dirname "$0")/../e2e/lib.sh"
make_workdir

TREE=$WORK/tree
mkdir -p "$TREE/proc/sys/net/core" "$TREE/etc/sysctl.d" "$TREE/etc/tune" "$TREE/var/lib/tune"
printf '4096\n' >"$TREE/proc/sys/net/core/somaxconn"
cat >"$TREE/etc/tune/tune.toml" <<'TOML'
[validation]
max_regression_pct = 42
repeats = 2
pairs = 6
calibration_pairs = 1
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
expect_eq "so do the repeats" "$(field repeats)" 2
expect_eq "the pairs" "$(field pairs)" 6
expect_eq "and the calibration" "$(field calibration_pairs)" 1
expect_eq "which is the order measured" "$(field order)" '"w aa AB BA AB BA AB BA"' 
expect_eq "and the confidence" "$(field confidence_pct)" 90.0
expect_eq "the value was applied in the tree" "$(head -1 "$TREE/proc/sys/net/core/somaxconn")" 4321
# Six pairs, A B first: six switches, and one more apply at the end to keep the change.
expect_eq "the change is kept as the seventh transaction" "$(field transaction)" 7
expect_exit "status after a kept validation" 0 "$TUNE" --root "$TREE" --state-dir /var/lib/tune status
expect_contains "names the transaction and profile" "$WORK/out" "Last validation: transaction 7 (profile 'rooted-validate')"
expect_exit "rollback" 0 "$TUNE" --root "$TREE" --state-dir /var/lib/tune rollback --last
expect_eq "the tree is as before" "$(snapshot)" "$(cat "$WORK/before")"

# A profile names the metric that decides for its workload.
printf 'name: rooted-ttft\nvalidate_on: [ttft_ms]\nsysctl:\n  net.core.somaxconn: 4322\n' >"$WORK/ttft.yaml"
expect_exit "validate a profile that decides on time to first token" 0 "$TUNE" --root "$TREE" --state-dir /var/lib/tune \
  apply --profile "$WORK/ttft.yaml" --yes --validate --keep --bench-model synthetic:tiny --json
expect_eq "the profile's metric decides" \
  "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["validation"]["deciding_metrics"])' "$WORK/out")" \
  "['ttft_ms']"
expect_exit "rollback" 0 "$TUNE" --root "$TREE" --state-dir /var/lib/tune rollback --last
expect_eq "the tree is as before" "$(snapshot)" "$(cat "$WORK/before")"

# The noise floor before applying: A/A blocks as the validation takes them, per the tree's policy.
expect_exit "bench --calibrate" 0 "$TUNE" --root "$TREE" --json bench --calibrate --calibrate-pairs 3 --model synthetic:tiny
expect_eq "it measured three A/A pairs after a warm-up" "$(field order)" '"w aa aa aa"'
expect_eq "and projects onto the policy's pairs" "$(field validation_pairs)" 6
expect_contains "and says whether the allowance can be resolved" "$WORK/out" '"resolves_allowance": '
expect_contains "with each metric's noise" "$WORK/out" '"noise": '
expect_exit "bench --calibrate as text" 0 "$TUNE" --root "$TREE" bench --calibrate --calibrate-pairs 2 --model synthetic:tiny
expect_contains "names the deciding metric" "$WORK/out" "decode (decides)"

export TUNE_TEST_BENCH_SLOW_IF_EXISTS=$TREE/etc/sysctl.d/90-tune.conf
expect_exit "a regression is rolled back with exit 4" 4 validate --max-regression 10
expect_eq "--max-regression overrides the policy" "$(field threshold_pct)" 10.0
expect_eq "regression reported" "$(field regression)" true
expect_eq "rolled back" "$(field rolled_back)" true
expect_eq "the tree is as before again" "$(snapshot)" "$(cat "$WORK/before")"
expect_exit "status after the rolled-back validation" 0 "$TUNE" --root "$TREE" --state-dir /var/lib/tune status
expect_contains "gives its verdict" "$WORK/out" ": worse, rolled back."
expect_contains "and the deciding metric's figures" "$WORK/out" "  decode: "
expect_contains "with nothing in effect" "$WORK/out" "No profile applied"

# A 10% loss against a 10% allowance: the interval nearly always reaches
# across the line (the verdict rules themselves are unit tests); when it
# does, the policy says roll back, and the exit code must say so.
printf '[validation]\nmax_regression_pct = 10\nrepeats = 1\npairs = 6\ncalibration_pairs = 0\non_inconclusive = "rollback"\n' \
  >"$TREE/etc/tune/tune.toml"
export TUNE_TEST_BENCH_SLOW_PCT=10
validate >"$WORK/out" 2>"$WORK/err"
code=$?
verdict=$(sed -n 's/^    "verdict": "\(.*\)",$/\1/p' "$WORK/out" | head -n 1)
if [ "$verdict" = inconclusive ]; then
  expect_eq "an inconclusive verdict is rolled back under on_inconclusive = rollback" "$code" 4
else
  pass "the verdict was $verdict, not inconclusive: the policy had nothing to do this time"
  [ "$code" = 0 ] && "$TUNE" --root "$TREE" --state-dir /var/lib/tune rollback --last >/dev/null
fi
expect_eq "the tree is as before at the end" "$(snapshot)" "$(cat "$WORK/before")"
finish
