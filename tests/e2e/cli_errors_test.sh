#!/usr/bin/env bash
# The command line's promises on bad input: one clear line on stderr, the
# documented exit code, and nothing changed. Runs on rooted trees (--root),
# so it needs no privileges except for the non-root check itself.
. "$(dirname "$0")/lib.sh"
make_workdir

ROOT=$WORK/root
make_rooted_host "$ROOT"
T() { "$TUNE" --root "$ROOT" "$@"; }

cat >"$WORK/good.yaml" <<'YAML'
name: good
sysctl:
  vm.swappiness: 10
YAML
printf 'name: broken\nsysctl:\n  vm.swappiness: [1, 2\n' >"$WORK/broken.yaml"
printf 'name: typo\nsysclt:\n  vm.swappiness: 10\n' >"$WORK/typo.yaml"

expect_exit "a malformed profile is an error" 1 T plan --profile "$WORK/broken.yaml"
expect_contains "its message gives file:line:col" "$WORK/err" "broken.yaml:4:1:"
expect_eq "the error is one line" "$(wc -l <"$WORK/err")" 1
expect_exit "an unknown key is an error" 1 T profiles check "$WORK/typo.yaml"
expect_contains "with a did-you-mean" "$WORK/err" "typo.yaml:2:1: unknown key 'sysclt' in the profile (did you mean 'sysctl'?)"
expect_exit "an unknown profile name is an error" 1 T plan --profile no-such-profile
expect_contains "that says so" "$WORK/err" "no profile named 'no-such-profile'"

expect_exit "history without a journal" 0 T history
expect_contains "says there is none" "$WORK/out" "No transactions yet."
expect_exit "rollback with no journal at all" 1 T rollback --last
expect_contains "says there is nothing" "$WORK/err" "nothing to roll back: no applied transaction is in effect"
expect_exit "a rollback id that is not a number" 64 T rollback seven
expect_exit "an unknown option is a usage error" 64 T plan --frobnicate

expect_exit "apply without a terminal and without --yes is refused" 1 T apply --profile "$WORK/good.yaml" </dev/null
expect_contains "and says what to add" "$WORK/err" "add --yes"
expect_eq "the refused apply changed nothing" "$(cat "$ROOT/proc/sys/vm/swappiness")" 60

expect_exit "apply on a rooted tree" 0 T apply --profile "$WORK/good.yaml" --yes
expect_eq "it changed the tree" "$(cat "$ROOT/proc/sys/vm/swappiness")" 10
expect_exit "rollback of an id that does not exist" 1 T rollback 7
expect_contains "names the id" "$WORK/err" "there is no transaction 7"

# A corrupt journal is reported with its file and line, and nothing is lost.
journal=$ROOT/var/lib/tune/journal/000001.jsonl
cp "$journal" "$WORK/journal.bak"
sed -i '2s/.*/{broken/' "$journal"
expect_exit "a corrupt journal is an error" 1 T rollback --last
expect_contains "naming file and line" "$WORK/err" "corrupt journal /var/lib/tune/journal/000001.jsonl:2"
expect_eq "nothing was changed by the refused rollback" "$(cat "$ROOT/proc/sys/vm/swappiness")" 10
cp "$WORK/journal.bak" "$journal"
expect_exit "rollback once the journal is repaired" 0 T rollback --last
expect_eq "restored" "$(cat "$ROOT/proc/sys/vm/swappiness")" 60

# Saved plans: refused on another machine.
expect_exit "plan --out" 0 T plan --profile "$WORK/good.yaml" --out "$WORK/plan.json"
echo fedcba9876543210 >"$ROOT/etc/machine-id"
expect_exit "a plan made for another machine is refused" 1 T apply "$WORK/plan.json" --yes
expect_contains "saying whose it was" "$WORK/err" "this plan was made for host 'rooted'"
echo '{"kind": "tune-plan", "format": 1}' >"$WORK/halfplan.json"
expect_exit "a damaged plan file is refused" 1 T apply "$WORK/halfplan.json" --yes
expect_contains "naming the missing field" "$WORK/err" "plan.created_at: expected a string"

# The host policy can move the journal.
mkdir -p "$ROOT/etc/tune"
printf 'journal_dir = "/srv/tune-journal"\n' >"$ROOT/etc/tune/tune.toml"
expect_exit "apply with the journal moved by tune.toml" 0 T apply --profile "$WORK/good.yaml" --yes
expect_eq "the journal is where the policy says" "$(ls "$ROOT/srv/tune-journal")" "000001.jsonl"
expect_exit "rollback reads it there" 0 T rollback --last
printf 'journl_dir = "/x"\n' >"$ROOT/etc/tune/tune.toml"
expect_exit "a bad tune.toml is an error" 1 T history
expect_contains "naming the file and the key" "$WORK/err" "/etc/tune/tune.toml:1:1"
rm "$ROOT/etc/tune/tune.toml"

expect_exit "--json errors are JSON on stdout too" 1 T --json plan --profile no-such-profile
expect_contains "with the message" "$WORK/out" '"error":'

# Changing the real host needs root; planning does not.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  chmod 755 "$WORK" && chmod 644 "$WORK/good.yaml"
  expect_exit "apply as a normal user is refused" 1 setpriv --reuid=65534 --regid=65534 --clear-groups "$TUNE" apply --profile "$WORK/good.yaml" --yes
  expect_contains "with a clear message" "$WORK/err" "needs root"
  expect_exit "dry run as a normal user works" 0 setpriv --reuid=65534 --regid=65534 --clear-groups "$TUNE" --state-dir "$WORK/nostate" apply --profile "$WORK/good.yaml" --dry-run
else
  echo "note: the non-root check needs root and setpriv; skipped"
fi

finish
