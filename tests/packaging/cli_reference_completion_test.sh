#!/usr/bin/env bash
# The generated completions at work. bash: the script sourced under
# `bash --norc` with bash-completion, COMP_WORDS set as readline would, and
# COMPREPLY checked: subcommands, options, choices, profile names (shipped and
# from a --profiles-dir typed on the line) and transaction ids (from a rooted
# tree with two real transactions). fish: the same through `complete -C`.
# Usage: cli_reference_completion_test.sh TUNE REFERENCE_DIR
. "$(dirname "$0")/../e2e/lib.sh"
REF=${2:?usage: $0 PATH_TO_TUNE REFERENCE_DIR}
[ -f /usr/share/bash-completion/bash_completion ] || skip "bash-completion is not installed"
[ -s "$REF/completions/tune" ] || { echo "FAIL: $REF/completions/tune is missing (build tune_reference)"; exit 1; }
make_workdir

# As a user has it: `tune` on the PATH, which the scripts call for names.
mkdir "$WORK/bin" && ln -s "$(readlink -f "$TUNE")" "$WORK/bin/tune"
export PATH=$WORK/bin:$PATH
unset TUNE_PROFILES_PATH TUNE_TEMPLATES_PATH

# bash_complete WORD...: COMPREPLY, sorted, one a line, for the cursor at the
# end of the last word (give '' to complete a new word).
bash_complete() {
  bash --norc -c '
    . /usr/share/bash-completion/bash_completion
    . "$0"
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="${COMP_WORDS[*]}"
    COMP_POINT=${#COMP_LINE}
    _tune
    printf "%s\n" "${COMPREPLY[@]}"' "$REF/completions/tune" "$@" 2>"$WORK/bash-err" | sed '/^$/d' | sort | tr '\n' ' '
}
# expect_words WHAT ACTUAL WORD...: ACTUAL holds each WORD
expect_words() {
  local what=$1 actual=$2 word
  shift 2
  for word in "$@"; do
    [[ " $actual" == *" $word "* ]] || { fail "$what: '$word' not offered; got '$actual'"; return; }
  done
  pass "$what"
}

expect_eq "tune ap -> apply" "$(bash_complete tune ap)" "apply "
expect_eq "tune apply --pro -> its --profile and the global --profiles-dir" "$(bash_complete tune apply --pro)" "--profile --profiles-dir "
expect_eq "tune apply --dr -> --dry-run" "$(bash_complete tune apply --dr)" "--dry-run "
expect_eq "tune history -> show" "$(bash_complete tune history '')" "show "
expect_eq "tune plan --format -> its choices" "$(bash_complete tune plan --format '')" "diff json table "
expect_words "tune apply -p: the shipped profiles" "$(bash_complete tune apply -p '')" balanced latency throughput
expect_eq "tune profiles show th -> throughput" "$(bash_complete tune profiles show th)" "throughput "

mkdir "$WORK/profiles"
printf 'name: zz-local\nsummary: a local profile\nsysctl:\n  vm.swappiness: 10\n' >"$WORK/profiles/zz-local.yaml"
expect_words "tune --profiles-dir DIR apply -p: that directory's profiles too" \
  "$(bash_complete tune --profiles-dir "$WORK/profiles" apply -p '')" zz-local balanced
expect_eq "a global option after the subcommand is passed on too" \
  "$(bash_complete tune plan --profiles-dir "$WORK/profiles" --profile zz)" "zz-local "

# Two real transactions on a rooted tree; its state directory is the tree's.
ROOT=$WORK/root
make_rooted_host "$ROOT"
printf 'name: first\nsysctl:\n  vm.swappiness: 10\n' >"$WORK/first.yaml"
printf 'name: second\nsysctl:\n  vm.swappiness: 1\n' >"$WORK/second.yaml"
expect_exit "apply a first profile to the tree" 0 tune --root "$ROOT" apply -p "$WORK/first.yaml" --yes
expect_exit "and a second" 0 tune --root "$ROOT" apply -p "$WORK/second.yaml" --yes
expect_eq "tune --root TREE rollback -> its transaction ids" "$(bash_complete tune --root "$ROOT" rollback '')" "1 2 "
expect_eq "tune --root TREE history show -> the same" "$(bash_complete tune --root "$ROOT" history show '')" "1 2 "
expect_eq "no journal: no ids, and no error on the command line" \
  "$(bash_complete tune --root "$WORK/profiles" rollback '')$(cat "$WORK/bash-err")" ""
expect_exit "completion --list with an unreadable state directory exits 0" 0 \
  tune --state-dir /nonexistent/tune completion --list transactions
expect_eq "and prints nothing" "$(cat "$WORK/out" "$WORK/err")" ""

if command -v fish >/dev/null; then
  fish_complete() {
    fish --no-config -c "source $REF/completions/tune.fish; complete -C '$1'" 2>&1 | cut -f1 | sort | tr '\n' ' '
  }
  expect_eq "fish: tune ap -> apply" "$(fish_complete 'tune ap')" "apply "
  expect_eq "fish: tune history show (ids of the tree)" "$(fish_complete "tune --root $ROOT history show ")" "1 2 "
  expect_words "fish: tune apply -p" "$(fish_complete 'tune apply -p ')" balanced throughput
  expect_eq "fish: tune plan --format" "$(fish_complete 'tune plan --format ')" "diff json table "
else
  echo "SKIP: fish is not installed"
fi
finish
