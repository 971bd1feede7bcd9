#!/usr/bin/env bash
# scripts/reliability-report.sh [--fuzz-seconds N] [--vm] [OUTPUT]: run the
# reliability evidence (hostile inputs by class, the property and fault
# suites, the kill -9 tests on the real kernel, the fuzz targets) against
# build/release and write what they showed to OUTPUT (docs/RELIABILITY.md).
# Every figure in the page comes from this run; nothing is typed in by hand.
#   --fuzz-seconds N  explore each fuzz target for N seconds with a random
#                     seed (for a release); without it, CI's fixed-seed run
#   --vm              also run the whole-system test in a virtual machine
# Needs root for the real-kernel tests (they skip without it, and the page
# says so). Exits non-zero when any of it failed; the page is written anyway.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
fuzz_mode=--ci
vm=0
out=docs/RELIABILITY.md
while [ $# -gt 0 ]; do
  case $1 in
    --fuzz-seconds) fuzz_mode=$2; shift 2 ;;
    --vm) vm=1; shift ;;
    -*) echo "reliability-report.sh: unknown option $1" >&2; exit 2 ;;
    *) out=$1; shift ;;
  esac
done
build=build/release
[ -x "$build/tune" ] || { echo "reliability-report.sh: build $build first (scripts/test.sh does)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/tune-reliability-XXXXXX")
trap 'rm -rf "$work"' EXIT
status=0

# One row per class of hostile input: the tests that try it, and how many passed.
classes=(
  "Saved plans tampered with (targets outside tune's files, modes, control bytes)|OwnedFiles\.ATamperedPlan|PlanJson\.|^Plan\.(Rejects|NamesTheBroken)|SysctlKnob\."
  "Journals forged, damaged or owned by someone else|^Journal\.|OwnedFiles\.AForgedJournal"
  "Trees whose symlinks, FIFOs or devices lead out of --root|ConfinedPaths\.|LocalSystem\.WriteFileRefusesToFollow|FileKnob\.RefusesToManageASymlink"
  "State directories others can write, and two tunes at once|EngineTest\.(TwoStateDirectories|AStateDirectoryOthers)|LocalSystem\.SecondLock"
  "Oversized, endless and deeply nested inputs|Resolution\.(AnEndlessChain|InputsAreRegular)|ProfileValidation\.(DeepNesting|VariablesThatMultiply|TextYamlCpp)|TunedFixture\.IncludeCycles"
  "Control bytes, escape sequences and text that is not UTF-8|ControlBytes|ControlCharacters|^Text\.(ATerminal|Utf8)"
  "Numbers and fields of the wrong type or size|FactsJson\.(ANumberPast|Truncated)|Journal\.AFieldOfTheWrongType|Want\.Numbers|Knowledge\.Damaged"
  "Failures half-way: a failed step, a failed undo, a journal that cannot be written|EngineTest\.(AFailedUndo|AJournalThatCannot|AnInterrupted|Refuses)"
  "The command line: bad options, non-root runs, damaged files named on it|^e2e\.cli_errors$"
)
hostile_rows=""
for entry in "${classes[@]}"; do
  label=${entry%%|*}
  regex=${entry#*|}
  ctest --test-dir "$build" -R "$regex" -j2 -V >"$work/class.log" 2>&1
  total=$(sed -n 's/.* tests* failed out of \([0-9]*\).*/\1/p' "$work/class.log")
  failed=$(sed -n 's/.* \([0-9]*\) tests* failed out of.*/\1/p' "$work/class.log")
  checks=$(grep -cE '^[0-9]+: ok: ' "$work/class.log")
  [ "${failed:-1}" = 0 ] || status=1
  extra=""
  [ "$checks" -gt 0 ] && extra=" ($checks checks in scripts)"
  hostile_rows+="| $label | ${total:-0}$extra | $(( ${total:-0} - ${failed:-0} )) |"$'\n'
done

# The property and fault suites: counts recorded by the tests themselves.
"$build/tests/tune_platform_linux_tests" --gtest_filter='FixtureHosts/ApplyProperties.*' \
  --gtest_output="xml:$work/properties.xml" >"$work/properties.log" 2>&1 || status=1
sum_property() {  # sum_property TESTCASE-PREFIX PROPERTY
  awk -v prefix="$1" -v name="$2" '
    /<testcase / { inside = index($0, "name=\"" prefix) > 0 }
    inside && index($0, "<property name=\"" name "\"") {
      match($0, /value="[0-9]+"/); total += substr($0, RSTART + 7, RLENGTH - 8)
    }
    END { print total + 0 }' "$work/properties.xml"
}
property_cases=$(sum_property RollbackIsTheIdentity cases)
property_steps=$(sum_property RollbackIsTheIdentity steps)
apply_faults=$(sum_property AFaultAtAnyCallOfApply faults)
rollback_faults=$(sum_property AFaultAtAnyCallOfRollback faults)
property_failures=$(grep -c '<failure' "$work/properties.xml")
[ "$property_failures" = 0 ] || status=1

# kill -9 at every step, on the real kernel (private namespaces, loop devices).
ctest --test-dir "$build" -R '^e2e\.kill_' -V >"$work/kill.log" 2>&1 || status=1
kill_points=$(grep -cE 'ok: .*(back|restored).* after (a )?kill' "$work/kill.log")
kill_notes=""
kill_skipped=$(grep -c 'SKIP: ' "$work/kill.log")
kill_failed=$(grep -c 'FAIL: ' "$work/kill.log")
[ "$kill_skipped" -gt 0 ] && kill_notes+="; $kill_skipped test(s) skipped here (they need root, loop devices and namespaces)"
[ "$kill_failed" -gt 0 ] && kill_notes+="; $kill_failed check(s) FAILED"

vm_line="not run here (scripts/reliability-report.sh --vm runs it)"
if [ "$vm" = 1 ]; then
  if ! ctest --test-dir "$build" -R '^vm\.systemd_reboots$' --output-on-failure >"$work/vm.log" 2>&1; then
    vm_line="FAILED (see the test's output)"
    status=1
  elif grep -q 'Skipped' "$work/vm.log"; then
    vm_line="skipped here ($(grep -o 'SKIP: .*' "$work/vm.log" | head -n 1))"
  else
    vm_line="passed: four boots under systemd; values held across a reboot and every file under /etc byte-identical after rollback and after a kill -9"
  fi
fi

# The fuzz targets (their own build with clang, ASan and UBSan).
if [ "$fuzz_mode" = --ci ]; then
  fuzz_how="CI's, a fixed seed and a fixed number of inputs per target"
else
  fuzz_how="an exploration of $fuzz_mode seconds per target from a random seed"
fi
fuzz/run.sh "$fuzz_mode" >"$work/fuzz.log" 2>&1 || status=1
fuzz_rows=$(awk '
  /^== / { target = $2 }
  /^FAIL: / { split($2, t, ":"); rows = rows "| " t[1] " | found a problem |\n" }
  /^stat::number_of_executed_units/ { rows = rows "| " target " | " $2 " |\n" }
  END { printf "%s", rows }' "$work/fuzz.log")
regressions=$(find fuzz/regressions -type f 2>/dev/null | wc -l)

cat >"$out" <<EOF
# Reliability: the evidence

Written by \`scripts/reliability-report.sh\` from one run of the tests on
$(date -u +%Y-%m-%d) at commit $(git rev-parse --short HEAD 2>/dev/null || echo "(not a git checkout)"), on Linux $(uname -r) ($(nproc) CPUs).
Nothing here is typed in by hand: run the script again to check it.
$([ "$status" = 0 ] || echo $'\n**This run had failures**: the figures below are what it saw.\n')
## Hostile inputs, by class

What an attacker or a careless pipeline can hand tune (running as root), and
the tests that hand it exactly that. Each test fails on the behaviour that
the class allowed before it was fixed at its root (docs/ARCHITECTURE.md,
"Confinement and trusted state").

| class | tests | passed |
|---|---|---|
${hostile_rows}
## Faults at every step

- **In-process, every call that changes the host**: for random profiles on
  the six fixture hosts, each write, removal, swapon, directory, journal
  append and systemd call of an apply was made to fail in turn (${apply_faults} faults), and
  each call of a rollback (${rollback_faults} faults). After a failed apply
  the tree was as before, byte for byte and mode for mode, with nothing in
  effect; after a failed rollback the next rollback put everything back.
- **kill -9 on the real kernel**: the applier was killed after each step of
  profiles spanning sysctl, block, memory, swap and limits, and inside its
  writes (before fsync, between fsync and rename):
  ${kill_points} kill points, each followed by \`tune rollback --last\` that
  restored every value and file with no temporary left${kill_notes}.
- **Under systemd, across reboots** (tests/vm): ${vm_line}.

## Properties

${property_cases} random profiles (seed 20261207; \`TUNE_PROPERTY_SEED\` and
\`TUNE_PROPERTY_CASES\` choose others) over the fixture hosts applied
${property_steps} steps in all: for every one, rollback gave back the tree
byte for byte, a second apply planned nothing and changed nothing, and verify
found no drift. Failures: ${property_failures}.

## Fuzzing

libFuzzer with AddressSanitizer and UndefinedBehaviorSanitizer, seeded with
fuzz/corpus/, the shipped profiles, generated model files and the
${regressions} inputs in fuzz/regressions/ that once broke tune (each fixed at
its root, with a unit test). This run: ${fuzz_how}.

| target | inputs executed |
|---|---|
${fuzz_rows}

## Nothing lost

Every rollback above was checked against a snapshot taken before the apply:
all files of the tree with their bytes and modes (in-process), or the live
kernel values, /proc/swaps and the directories tune writes (real kernel). A
failed apply is put back before tune exits; what cannot be put back leaves
its transaction in effect, with \`tune rollback --last\` named in the error,
never recorded as undone.
EOF
echo "wrote $out$([ "$status" = 0 ] || echo ' (with failures)')"
exit "$status"
