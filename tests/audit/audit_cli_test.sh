#!/usr/bin/env bash
# `tune audit` through the real binary, as a CI gate uses it: --strict exit
# codes (0 clean, 2 on a finding to act on, 1 when a file cannot be read),
# --format json|sarif and the global --json, and the JSON output against
# docs/schema/audit.schema.json.
. "$(dirname "$0")/../e2e/lib.sh"
make_workdir

HERE=$(cd "$(dirname "$0")" && pwd)
SCHEMAS=$HERE/../../docs/schema
VALIDATE_JSON=$HERE/../packaging/ci_validate_json.py

printf 'vm.swappiness = 10\n' >"$WORK/clean.conf"
printf 'vm.swappiness = 10\nvm.compressed_memory = 1\n' >"$WORK/bad.conf"
A() { "$TUNE" audit --no-host "$@"; }

expect_exit "a clean file passes --strict" 0 A --strict "$WORK/clean.conf"
expect_contains "and the report says --strict passes" "$WORK/out" "--strict would pass"
expect_exit "vm.compressed_memory fails --strict" 2 A --strict "$WORK/bad.conf"
expect_contains "the report still comes out" "$WORK/out" "bad.conf:2  nonexistent  sysctl vm.compressed_memory = 1"
expect_contains "and says --strict fails" "$WORK/out" "--strict would fail: 1 finding is"
expect_exit "without --strict the same file exits 0" 0 A "$WORK/bad.conf"
expect_exit "one failing file among several fails --strict" 2 A --strict "$WORK/clean.conf" "$WORK/bad.conf"
expect_exit "a missing file is an error" 1 A "$WORK/missing.conf"
expect_eq "told in one line" "$(wc -l <"$WORK/err")" 1
expect_contains "that names the file" "$WORK/err" "missing.conf"
expect_exit "a missing file is an error under --strict too" 1 A --strict "$WORK/clean.conf" "$WORK/missing.conf"
expect_exit "an unknown --format is a usage error" 64 A --format xml "$WORK/clean.conf"

expect_exit "--format sarif fails --strict the same way" 2 A --strict --format sarif "$WORK/bad.conf"
expect_contains "and writes SARIF 2.1.0" "$WORK/out" '"version": "2.1.0"'
expect_contains "with the finding on its line" "$WORK/out" '"ruleId": "tune.setting.nonexistent"'
expect_exit "tune --json audit --format sarif" 0 "$TUNE" --json audit --no-host --format sarif "$WORK/bad.conf"
expect_contains "gives SARIF: --format wins over --json" "$WORK/out" '"$schema": "https://json.schemastore.org/sarif-2.1.0.json"'

PYTHON=""
for candidate in /usr/bin/python3 python3; do
  if "$candidate" -c 'import jsonschema' 2>/dev/null; then PYTHON=$candidate; break; fi
done
for spelling in "--json audit" "audit --format json"; do
  # shellcheck disable=SC2086  # the spelling is two words on purpose
  expect_exit "tune $spelling" 0 "$TUNE" $spelling --no-host "$WORK/bad.conf"
  expect_contains "keeps the findings" "$WORK/out" '"verdict": "nonexistent"'
  expect_contains "and adds the summary" "$WORK/out" '"strict_failures": 1'
  if [ -n "$PYTHON" ]; then
    if "$PYTHON" -W ignore "$VALIDATE_JSON" "$SCHEMAS" audit "$WORK/out" 2>"$WORK/schema-err"; then
      pass "tune $spelling matches audit.schema.json"
    else
      fail "tune $spelling does not match audit.schema.json: $(head -3 "$WORK/schema-err")"
    fi
  fi
done
# A guide saved as Latin-1: the JSON shows the byte as U+FFFD instead of failing.
printf 'vm.swappiness = 10 # caf\351\n' >"$WORK/latin1.conf"
expect_exit "a guide that is not UTF-8 still gives SARIF" 0 A --format sarif "$WORK/latin1.conf"
expect_contains "with the byte replaced" "$WORK/out" "caf"$'\xef\xbf\xbd'
expect_exit "tune --json audit of a missing file" 1 "$TUNE" --json audit --no-host "$WORK/missing.conf"
expect_contains "is the JSON error" "$WORK/out" '"exit_code":1'

finish
