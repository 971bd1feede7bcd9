#!/usr/bin/env bash
# `tune audit --format sarif` on each of the five seed guides validates
# against the SARIF 2.1.0 schema (the copy in tests/fixtures/sarif), with
# Debian's python3-jsonschema; and a document the schema must reject is
# rejected, so a validator that passes everything cannot pass this test.
. "$(dirname "$0")/../e2e/lib.sh"
make_workdir

HERE=$(cd "$(dirname "$0")" && pwd)
SCHEMA=$HERE/../fixtures/sarif/sarif-schema-2.1.0.json
OASIS_SCHEMA=$HERE/../fixtures/sarif/sarif-schema-2.1.0.oasis.json
SEEDS=$HERE/../fixtures/seeds
VALIDATE=$HERE/validate_sarif.py
PYTHON=""
for candidate in /usr/bin/python3 python3; do
  if "$candidate" -c 'import jsonschema' 2>/dev/null; then PYTHON=$candidate; break; fi
done
[ -n "$PYTHON" ] || skip "no python3 with jsonschema (Debian: python3-jsonschema)"

guides=0
for guide in "$SEEDS"/00*.txt; do
  name=$(basename "$guide" .txt)
  expect_exit "audit --format sarif of $name" 0 "$TUNE" audit --no-host --format sarif "$guide"
  cp "$WORK/out" "$WORK/$name.sarif"
  # Both copies: the OASIS standard's own file (draft-04) and the SARIF
  # SDK's recast of it (draft 2020-12); see tests/fixtures/sarif/README.md.
  for schema in "$OASIS_SCHEMA" "$SCHEMA"; do
    if "$PYTHON" -W ignore "$VALIDATE" "$schema" "$WORK/$name.sarif" 2>"$WORK/schema-err"; then
      pass "$name's SARIF validates against $(basename "$schema")"
    else
      fail "$name's SARIF does not validate against $(basename "$schema"): $(head -5 "$WORK/schema-err")"
    fi
  done
  guides=$((guides + 1))
done
expect_eq "all five guides were audited" "$guides" 5

# The same output, broken the way a careless change would break it (a level
# SARIF does not have, the version gone), must fail validation.
sarif_files=("$WORK"/*.sarif)
"$PYTHON" - "${sarif_files[0]}" "$WORK/broken.sarif" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
del log["version"]
log["runs"][0]["results"].append({"ruleId": "x", "level": "fatal", "message": {"text": "x"}})
json.dump(log, open(sys.argv[2], "w"))
PY
"$PYTHON" -W ignore "$VALIDATE" "$SCHEMA" "$WORK/broken.sarif" 2>"$WORK/schema-err"
expect_eq "a broken SARIF document is rejected" "$?" 1
expect_contains "because its version is missing" "$WORK/schema-err" "'version' is a required property"
expect_contains "and its level is not one of SARIF's" "$WORK/schema-err" "'fatal' is not one of"
"$PYTHON" -W ignore "$VALIDATE" "$OASIS_SCHEMA" "$WORK/broken.sarif" 2>"$WORK/schema-err"
expect_eq "the OASIS schema rejects it too" "$?" 1

finish
