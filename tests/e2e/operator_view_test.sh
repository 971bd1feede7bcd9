#!/usr/bin/env bash
# The operator's view of a host: `tune status`; `tune rollback --dry-run`, the
# restore as a plan and diff, refused exactly where the real rollback is,
# changing nothing, and showing what the real rollback then does; `tune
# history show` of what was done. On a rooted tree, so it needs no privileges.
. "$(dirname "$0")/lib.sh"
make_workdir

ROOT=$WORK/root
make_rooted_host "$ROOT"
echo 0 >"$ROOT/proc/sys/vm/overcommit_memory"
T() { "$TUNE" --root "$ROOT" --no-color "$@"; }
# Every file but the locks, which hold the pid of the last tune that took them.
tree_state() { (cd "$ROOT" && find . -type f ! -path './run/*' ! -name lock | sort | xargs md5sum); }
sysctl_path() { echo "$ROOT/proc/sys/$(echo "$1" | tr . /)"; }

printf 'name: first\nsysctl:\n  vm.swappiness: 10\n  net.core.somaxconn: 8192\n' >"$WORK/first.yaml"
printf 'name: second\nsysctl:\n  vm.overcommit_memory: 1\n  vm.swappiness: 1\n' >"$WORK/second.yaml"

expect_exit "a dry run with nothing applied is refused as the rollback is" 1 T rollback --dry-run
expect_contains "with the same reason" "$WORK/err" "nothing to roll back: no applied transaction is in effect"

expect_exit "status with nothing applied" 0 T status --detailed-exitcode
expect_contains "says so" "$WORK/out" "No profile applied"
expect_contains "and that nothing was validated" "$WORK/out" "Last validation: none recorded"

expect_exit "apply the first profile" 0 T apply --profile "$WORK/first.yaml" --yes
expect_exit "apply the second on top" 0 T apply --profile "$WORK/second.yaml" --yes

# status: both transactions, drift as verify sees it, the exit code a script gates on.
expect_exit "status when clean" 0 T status --detailed-exitcode
expect_contains "lists the first profile" "$WORK/out" "profile 'first'"
expect_contains "and the second" "$WORK/out" "profile 'second'"
expect_contains "with no drift" "$WORK/out" "Drift: none; 4 settings are as applied."
echo 33 >"$ROOT/proc/sys/vm/swappiness"
expect_exit "status with drift, --detailed-exitcode" 2 T status --detailed-exitcode
expect_contains "names the setting" "$WORK/out" "~ sysctl vm.swappiness: expected 1, live 33"
expect_exit "status --json" 0 T --json status
expect_contains "is not clean" "$WORK/out" '"clean": false'
echo 1 >"$ROOT/proc/sys/vm/swappiness"
echo '{"kind": "tune-validation", "transaction": "two"}' >"$ROOT/var/lib/tune/last-validation.json"
expect_exit "status with a damaged validation record" 1 T status
expect_contains "names the file" "$WORK/err" "/var/lib/tune/last-validation.json: not a validation record tune wrote"
rm "$ROOT/var/lib/tune/last-validation.json"
before=$(tree_state)
history_before=$(T history)

# Refused where the real rollback is refused, with the same message.
expect_exit "an unknown id" 1 T rollback --dry-run 7
expect_contains "is named" "$WORK/err" "there is no transaction 7"
expect_exit "a transaction under a newer one, dry" 1 T rollback --dry-run 1
cp "$WORK/err" "$WORK/dry-refusal"
expect_exit "the same, for real" 1 T rollback 1
expect_eq "the dry run is refused with the real rollback's message" "$(cat "$WORK/dry-refusal")" "$(cat "$WORK/err")"

# The newest transaction's restore, reviewed.
expect_exit "rollback --dry-run" 0 T rollback --dry-run
cp "$WORK/out" "$WORK/review"
expect_contains "names what it undoes" "$WORK/review" "Rollback of transaction 2 (profile 'second') on rooted:"
expect_contains "as a plan line" "$WORK/review" "~ sysctl  vm.swappiness"
expect_contains "with the diff" "$WORK/review" "+vm.swappiness = 10"
expect_contains "and says nothing changed" "$WORK/review" "Dry run: 3 settings would be restored; nothing was changed."
expect_eq "the tree is as it was" "$(tree_state)" "$before"
expect_eq "the journal is as it was" "$(T history)" "$history_before"
expect_exit "rollback --dry-run --json" 0 T --json rollback --dry-run
expect_contains "lists the changes" "$WORK/out" '"dry_run": true'

# What the review showed is what the real rollback does.
expect_exit "the real rollback" 0 T rollback --last
expect_contains "restores as many settings" "$WORK/out" "3 settings restored"
while read -r _ domain target from _ to _; do
  [ "$domain" = sysctl ] || continue
  expect_eq "$target is what the dry run said ($from -> $to)" "$(cat "$(sysctl_path "$target")")" "$to"
done < <(grep -E '^  ~ sysctl ' "$WORK/review")
expect_contains "the persisted file is back to the first profile's" "$ROOT/etc/sysctl.d/90-tune.conf" "vm.swappiness = 10"

# history show: what a transaction changed, and what its rollback restored.
expect_exit "history show of the second apply" 0 T history show 2
expect_contains "says what it was" "$WORK/out" "Transaction 2: apply of profile 'second'"
expect_contains "with its steps, before -> after" "$WORK/out" "~ sysctl  vm.overcommit_memory        0 -> 1"
expect_exit "history show of its rollback" 0 T history show 3
expect_contains "says what it undid" "$WORK/out" "rollback of 2"
expect_contains "and what it restored" "$WORK/out" "~ sysctl  vm.overcommit_memory        1 -> 0"
expect_exit "history show --json" 0 T --json history show 3
expect_contains "gives the changes" "$WORK/out" '"changes": ['
expect_exit "history show of an unknown id" 1 T history show 9
expect_contains "names it" "$WORK/err" "there is no transaction 9"
expect_exit "history show of a word" 64 T history show seven

# --all: every transaction in effect, newest first.
expect_exit "apply the second again" 0 T apply --profile "$WORK/second.yaml" --yes
before=$(tree_state)
expect_exit "rollback --all --dry-run" 0 T rollback --all --dry-run
cp "$WORK/out" "$WORK/review-all"
expect_contains "shows the newest first" "$WORK/review-all" "Rollback of transaction 4 (profile 'second')"
expect_contains "then the one under it" "$WORK/review-all" "Rollback of transaction 1 (profile 'first')"
expect_contains "with the file removed last" "$WORK/review-all" "- file    /etc/sysctl.d/90-tune.conf"
expect_eq "the tree is as it was after --all --dry-run" "$(tree_state)" "$before"
expect_exit "the real rollback --all" 0 T rollback --all
expect_eq "swappiness is back" "$(cat "$ROOT/proc/sys/vm/swappiness")" 60
expect_eq "somaxconn is back" "$(cat "$ROOT/proc/sys/net/core/somaxconn")" 4096
expect_eq "the persisted file is gone" "$(ls "$ROOT/etc/sysctl.d")" ""
expect_exit "then a dry run of --all has nothing to do" 0 T rollback --dry-run --all
expect_contains "and says so" "$WORK/out" "Nothing to roll back."
finish
