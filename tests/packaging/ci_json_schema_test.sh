#!/usr/bin/env bash
# The non-interactive mode docs/CI.md promises a pipeline: the JSON of plan,
# apply, verify, status, rollback and history validates against the schemas in
# docs/schema (and a renamed field does not), and the exit codes are the
# documented ones. On a rooted tree, so nothing of this host changes.
. "$(dirname "$0")/../e2e/lib.sh"
make_workdir

SCHEMAS=$(cd "$(dirname "$0")/../../docs/schema" && pwd)
VALIDATE=$(dirname "$0")/ci_validate_json.py
# Debian's python3-jsonschema first: it is what the package's CI installs.
PYTHON=""
for candidate in /usr/bin/python3 python3; do
  if "$candidate" -c 'import jsonschema' 2>/dev/null; then PYTHON=$candidate; break; fi
done
[ -n "$PYTHON" ] || skip "no python3 with jsonschema (Debian: python3-jsonschema)"

ROOT=$WORK/root
make_rooted_host "$ROOT"
mkdir -p "$ROOT/run/lock" "$ROOT/var/lib"
printf 'name: ci\nsysctl:\n  vm.swappiness: 10\n  net.core.somaxconn: 8192\n' >"$WORK/ci.yaml"
T() { "$TUNE" --root "$ROOT" "$@"; }

# valid NAME FILE WHAT: FILE validates against docs/schema/NAME.schema.json.
valid() {
  if "$PYTHON" -W ignore "$VALIDATE" "$SCHEMAS" "$1" "$2" 2>"$WORK/schema-err"; then pass "$3 matches $1.schema.json"; else
    fail "$3 does not match $1.schema.json: $(head -3 "$WORK/schema-err")"
  fi
}
# invalid NAME FILE WHAT: a document the schema must reject.
invalid() {
  "$PYTHON" -W ignore "$VALIDATE" "$SCHEMAS" "$1" "$2" 2>/dev/null
  local code=$?
  if [ "$code" = 1 ]; then pass "$3 is rejected by $1.schema.json"; else fail "$3: $1.schema.json gave $code, expected 1"; fi
}
# keep NAME: the stdout of the last expect_exit, kept as NAME.json.
keep() { cp "$WORK/out" "$WORK/$1.json"; }

expect_exit "plan with changes pending, --detailed-exitcode" 2 T plan -p "$WORK/ci.yaml" --format json --detailed-exitcode
keep plan && valid plan "$WORK/plan.json" "plan --format json"
expect_exit "the same plan with --json" 2 T --json plan -p "$WORK/ci.yaml" --detailed-exitcode
valid plan "$WORK/out" "--json plan"
sed 's/"target"/"setting"/' "$WORK/plan.json" >"$WORK/renamed.json"
invalid plan "$WORK/renamed.json" "a plan whose changes renamed 'target'"

expect_exit "apply --dry-run --json" 0 T --json apply --dry-run -p "$WORK/ci.yaml"
keep dry && valid apply "$WORK/dry.json" "apply --dry-run --json"
expect_exit "apply without --yes and without a terminal is refused" 1 T apply -p "$WORK/ci.yaml" </dev/null
expect_exit "apply --yes --json -p" 0 T --json apply --yes -p "$WORK/ci.yaml"
keep apply && valid apply "$WORK/apply.json" "apply --yes --json"
expect_contains "it recorded transaction 1" "$WORK/apply.json" '"transaction": 1'
sed 's/"applied"/"applyed"/' "$WORK/apply.json" >"$WORK/renamed.json"
invalid apply "$WORK/renamed.json" "an apply report with 'applied' renamed"
expect_exit "apply again, options in the documented order: nothing to do" 0 T apply --yes --json -p "$WORK/ci.yaml"
valid apply "$WORK/out" "apply with nothing to do"
expect_contains "it recorded nothing" "$WORK/out" '"transaction": 0'
expect_exit "plan once applied, --detailed-exitcode" 0 T plan -p "$WORK/ci.yaml" --detailed-exitcode

expect_exit "verify when clean, --detailed-exitcode" 0 T --json verify --detailed-exitcode
valid verify "$WORK/out" "verify --json (clean)"
expect_exit "status when clean, --detailed-exitcode" 0 T --json status --detailed-exitcode
valid status "$WORK/out" "status --json (clean)"
echo 33 >"$ROOT/proc/sys/vm/swappiness"
expect_exit "verify with drift, --detailed-exitcode" 2 T --json verify --detailed-exitcode
keep verify && valid verify "$WORK/verify.json" "verify --json (drift)"
expect_contains "it names the drifted setting" "$WORK/verify.json" '"target": "vm.swappiness"'
sed 's/"live"/"actual"/' "$WORK/verify.json" >"$WORK/renamed.json"
invalid verify "$WORK/renamed.json" "a drift entry with 'live' renamed"
expect_exit "status with drift, --detailed-exitcode" 2 T --json status --detailed-exitcode
keep status && valid status "$WORK/status.json" "status --json (drift)"
sed 's/"in_effect"/"active"/' "$WORK/status.json" >"$WORK/renamed.json"
invalid status "$WORK/renamed.json" "a status with 'in_effect' renamed"
echo 10 >"$ROOT/proc/sys/vm/swappiness"

expect_exit "rollback --dry-run --json" 0 T --json rollback --dry-run
keep dry-rollback && valid rollback "$WORK/dry-rollback.json" "rollback --dry-run --json"
expect_exit "rollback --json" 0 T --json rollback --last
keep rollback && valid rollback "$WORK/rollback.json" "rollback --json"
sed 's/"restored"/"restores"/' "$WORK/rollback.json" >"$WORK/renamed.json"
invalid rollback "$WORK/renamed.json" "a rollback report with 'restored' renamed"
expect_exit "rollback --all --json with nothing in effect" 0 T --json rollback --all
valid rollback "$WORK/out" "rollback --all --json (nothing to do)"

expect_exit "history --json" 0 T --json history
keep history && valid history "$WORK/history.json" "history --json"
sed 's/"rolled_back_by"/"undone_by"/' "$WORK/history.json" >"$WORK/renamed.json"
invalid history "$WORK/renamed.json" "a history with 'rolled_back_by' renamed"
for id in 1 2; do
  expect_exit "history show $id --json" 0 T --json history show "$id"
  valid history-show "$WORK/out" "history show $id --json"
done

# A step the kernel refuses: exit 3, the report says which and that the rest
# was put back. The tree's ip_local_port_range is, for that run, the real file
# of a private network namespace, so the host's own value is never touched.
if [ "$(id -u)" = 0 ] && unshare -n -m true 2>/dev/null; then
  mkdir -p "$ROOT/proc/sys/net/ipv4" && printf '32768\t60999\n' >"$ROOT/proc/sys/net/ipv4/ip_local_port_range"
  printf 'name: refused\nsysctl:\n  vm.swappiness: 5\n  net.ipv4.ip_local_port_range: "5000 100"\n' >"$WORK/refused.yaml"
  unshare -n -m --propagation private sh -c \
    'mount --bind /proc/sys/net/ipv4/ip_local_port_range "$1" && shift && exec "$@"' \
    sh "$ROOT/proc/sys/net/ipv4/ip_local_port_range" "$TUNE" --root "$ROOT" --json apply --yes -p "$WORK/refused.yaml" \
    >"$WORK/out" 2>"$WORK/err"
  expect_eq "apply with a step the kernel refuses exits 3" "$?" 3
  # stdout is the report alone (json.load refuses a second document); the error line is on stderr.
  "$PYTHON" -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))))' "$WORK/out" >"$WORK/failed.json"
  valid apply "$WORK/failed.json" "the report of a failed apply"
  expect_contains "it says the apply failed" "$WORK/failed.json" '"failed": true'
  expect_contains "and where" "$WORK/failed.json" '"failure": "sysctl net.ipv4.ip_local_port_range: writing'
  expect_contains "the error's line is on stderr" "$WORK/err" 'tune: '
  expect_eq "vm.swappiness was put back" "$(cat "$ROOT/proc/sys/vm/swappiness")" 60
else
  echo "skip: a step the kernel refuses needs root and unshare -n -m"
fi

# apply --validate adds the validation to the report, and status then shows its
# verdict. The smallest measurement the policy allows, on a tree of its own; a
# 100% allowance, so the verdict never rolls back whatever the load here.
VROOT=$WORK/validated
make_rooted_host "$VROOT"
mkdir -p "$VROOT/run/lock" "$VROOT/etc/tune"
printf '[validation]\nrepeats = 1\npairs = 6\ncalibration_pairs = 0\nmax_regression_pct = 100\n' >"$VROOT/etc/tune/tune.toml"
expect_exit "apply --validate --json" 0 "$TUNE" --root "$VROOT" --json apply --yes --validate \
  --bench-model synthetic:tiny -p "$WORK/ci.yaml"
keep validated && valid apply "$WORK/validated.json" "apply --validate --json"
expect_exit "status --json after a validation" 0 "$TUNE" --root "$VROOT" --json status
valid status "$WORK/out" "status --json with the last validation"
expect_contains "which it holds" "$WORK/out" '"threshold_pct": 100'

# Errors: one object on stdout with the exit code, whatever the command.
expect_exit "apply of a profile that does not exist" 1 T --json apply --yes -p no-such-profile
valid error "$WORK/out" "the error of apply --json"
mkdir -p "$ROOT/etc/tune" && printf 'journal_dir = "relative"\n' >"$ROOT/etc/tune/tune.toml"
expect_exit "verify with a broken tune.toml" 1 T --json verify
valid error "$WORK/out" "the error of verify --json"
rm -r "$ROOT/etc/tune"
expect_exit "a wrong command line" 64 T apply --no-such-flag

finish
