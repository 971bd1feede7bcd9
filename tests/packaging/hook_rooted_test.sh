#!/usr/bin/env bash
# `tune hook post-install` and `tune hook pre-remove`, what the package's
# maintainer scripts run, on a rooted tree: they exit 0 whatever happens, apply
# only what /etc/tune/tune.toml asks for, are idempotent on upgrade, and
# pre-remove leaves the tree byte for byte as it was before the first apply.
. "$(dirname "$0")/../e2e/lib.sh"
make_workdir

ROOT=$WORK/root
make_rooted_host "$ROOT"
# No sysctl.d yet: the apply creates it, so pre-remove must remove it again.
rmdir "$ROOT/etc/sysctl.d"
# What every Debian host has, so that a directory tune creates shows up as a difference.
mkdir -p "$ROOT/run/lock" "$ROOT/var/lib" "$ROOT/etc/tune" "$ROOT/proc/sys/net/ipv4"
printf '32768\t60999\n' >"$ROOT/proc/sys/net/ipv4/ip_local_port_range"
mkdir -p "$WORK/profiles"
printf 'name: hooktest\nsysctl:\n  vm.swappiness: 10\n  net.core.somaxconn: 8192\n' >"$WORK/profiles/hooktest.yaml"
printf 'name: halfway\nsysctl:\n  vm.swappiness: 5\n  net.ipv4.ip_local_port_range: "5000 100"\n' >"$WORK/profiles/halfway.yaml"
T() { "$TUNE" --root "$ROOT" --profiles-dir "$WORK/profiles" "$@"; }
POLICY=$ROOT/etc/tune/tune.toml
# Every entry of the tree with its type and mode, every file's checksum, and
# the value of every kernel setting (as the kernel shows it: a rooted write
# leaves no newline after it), leaving out the policy the test writes and the
# journal, which stays by design (the package's postrm purge removes
# /var/lib/tune). A lock's content is the pid of the last tune that took it, so
# only its name counts.
tree_state() {
  (cd "$ROOT" && find . \( -path ./etc/tune -o -path ./var/lib/tune \) -prune -o -printf '%y %m %p\n' | sort &&
    find . \( -path ./etc/tune -o -path ./var/lib/tune -o -path ./proc \) -prune -o -type f ! -name '*lock' -print0 |
    sort -z | xargs -0 md5sum &&
    find ./proc -type f | sort | while read -r file; do echo "$file = $(cat "$file")"; done)
}
journal_files() { find "$ROOT/var/lib/tune/journal" -name '*.jsonl' 2>/dev/null | wc -l; }
swappiness() { cat "$ROOT/proc/sys/vm/swappiness"; }
# one_line WHAT: stderr of the last command is exactly one line.
one_line() { expect_eq "$1" "$(wc -l <"$WORK/err")" 1; }

before=$(tree_state)

expect_exit "the hook command alone is a usage error" 64 T hook
expect_exit "an unknown hook is a usage error" 64 T hook post-upgrade

# No policy: installing the package changes nothing.
expect_exit "post-install without tune.toml" 0 T hook post-install
expect_contains "says the policy does not ask" "$WORK/err" "nothing to do: there is no /etc/tune/tune.toml asking for a profile"
one_line "in one line"
expect_eq "the tree is as it was" "$(tree_state)" "$before"
expect_eq "no transaction was recorded" "$(journal_files)" 0

printf 'profile = "hooktest"\n[hook]\npost_install = "none"\n' >"$POLICY"
expect_exit "post-install with post_install = \"none\"" 0 T hook post-install
expect_contains "says so" "$WORK/err" "does not ask ([hook] post_install is \"none\")"
expect_eq "the tree is as it was" "$(tree_state)" "$before"

# A broken policy: the package transaction still succeeds, with one clear line.
printf 'profile = "hooktest"\n[hook]\npost_install = "aply"\n' >"$POLICY"
expect_exit "post-install with an unknown post_install value" 0 T hook post-install
expect_contains "names file, line and column, and the likely value" "$WORK/err" \
  'failed: /etc/tune/tune.toml:3:16: post_install must be "none" or "apply" (did you mean '"'apply'"'?); nothing was changed'
one_line "in one line"
printf 'profile = "hooktest"\n[hook\npost_install = "apply"\n' >"$POLICY"
expect_exit "post-install with a tune.toml that does not parse" 0 T hook post-install
expect_contains "names where" "$WORK/err" "failed: /etc/tune/tune.toml:2:"
one_line "in one line"
expect_eq "the tree is as it was" "$(tree_state)" "$before"
expect_eq "no transaction was recorded" "$(journal_files)" 0

# The policy asks: the profile is applied as an ordinary transaction.
printf 'profile = "hooktest"\n[hook]\npost_install = "apply"\n' >"$POLICY"
expect_exit "post-install with post_install = \"apply\"" 0 T hook post-install
expect_contains "says what it applied" "$WORK/err" "applied 3 changes of profile 'hooktest' as transaction 1"
one_line "in one line"
expect_eq "vm.swappiness is the profile's" "$(swappiness)" 10
expect_eq "net.core.somaxconn is the profile's" "$(cat "$ROOT/proc/sys/net/core/somaxconn")" 8192
expect_contains "the values persist" "$ROOT/etc/sysctl.d/90-tune.conf" "vm.swappiness = 10"
expect_exit "tune verify agrees" 0 T verify --detailed-exitcode
T --json history >"$WORK/history.json"
expect_eq "the journal holds one committed apply of the profile" \
  "$(python3 -c 'import json,sys; print([(t["kind"], t["profile"], t["state"], t["origin"]) for t in json.load(open(sys.argv[1]))])' "$WORK/history.json")" \
  "[('apply', 'hooktest', 'committed', 'hook post-install')]"

# dpkg runs postinst again on every upgrade: nothing drifted, nothing to do.
applied=$(tree_state)
expect_exit "post-install again (an upgrade)" 0 T hook post-install
expect_contains "finds nothing to do" "$WORK/err" "nothing to do: the host already matches profile 'hooktest'"
expect_eq "the tree is as the first run left it" "$(tree_state)" "$applied"
expect_eq "no new transaction" "$(journal_files)" 1

# Drift since: an upgrade puts back only the setting that moved.
echo 33 >"$ROOT/proc/sys/vm/swappiness"
expect_exit "post-install after vm.swappiness drifted" 0 T hook post-install
expect_contains "applies only the difference" "$WORK/err" "applied 1 change of profile 'hooktest' as transaction 2"
expect_eq "vm.swappiness is the profile's again" "$(swappiness)" 10
applied=$(tree_state)

# A profile that fails half-way: its second value is one the kernel refuses.
# The tree's ip_local_port_range is, for that one run, the real file of a
# private network namespace, so the host's own value is never touched.
printf 'profile = "halfway"\n[hook]\npost_install = "apply"\n' >"$POLICY"
if [ "$(id -u)" = 0 ] && unshare -n -m true 2>/dev/null; then
  unshare -n -m --propagation private sh -c \
    'mount --bind /proc/sys/net/ipv4/ip_local_port_range "$1" && shift && exec "$@"' \
    sh "$ROOT/proc/sys/net/ipv4/ip_local_port_range" "$TUNE" --root "$ROOT" --profiles-dir "$WORK/profiles" \
    hook post-install >"$WORK/out" 2>"$WORK/err"
  expect_eq "post-install whose profile fails half-way exits 0" "$?" 0
  expect_contains "says it failed, and where" "$WORK/err" \
    "failed: profile 'halfway': apply failed at sysctl net.ipv4.ip_local_port_range"
  expect_contains "and what was put back" "$WORK/err" "the 1 changes made before it were put back (transaction 3)"
  expect_eq "the tree is as before the failed apply" "$(tree_state)" "$applied"
  expect_eq "vm.swappiness is back" "$(swappiness)" 10
  T history >"$WORK/history"
  expect_contains "the journal records the failed transaction" "$WORK/history" "failed and undone"
else
  echo "skip: the half-way failure needs root and unshare -n -m"
fi

# pre-remove: every transaction in effect rolled back, newest first, tune's locks removed.
printf 'profile = "hooktest"\n[hook]\npost_install = "apply"\n' >"$POLICY"
expect_exit "pre-remove" 0 T hook pre-remove
expect_contains "names what it rolled back, newest first" "$WORK/err" "rolled back transactions 2 ('hooktest', as"
expect_contains "then the first" "$WORK/err" "), 1 ('hooktest', as"
one_line "in one line"
expect_eq "every file and value is as before the first apply" "$(tree_state)" "$before"
expect_eq "the journal stays, for postrm purge to remove" "$([ "$(journal_files)" -gt 0 ] && echo kept)" kept
expect_exit "nothing is in effect" 0 T verify --detailed-exitcode
T history >"$WORK/history"
expect_contains "history says the hook rolled it back" "$WORK/history" "(by hook pre-remove)"
expect_contains "verify agrees" "$WORK/out" "Nothing to verify"

expect_exit "pre-remove with nothing applied" 0 T hook pre-remove
expect_contains "says there was nothing" "$WORK/err" "nothing to roll back: no transaction of tune is in effect"
expect_eq "and changes nothing" "$(tree_state)" "$before"

# A policy broken after the apply does not keep pre-remove from rolling back.
expect_exit "apply once more" 0 T hook post-install
printf '[hook]\npost_install = "sometimes"\n' >"$POLICY"
expect_exit "pre-remove with a broken tune.toml" 0 T hook pre-remove
expect_contains "warns about the policy" "$WORK/err" "/etc/tune/tune.toml:2:16: post_install must be"
expect_contains "and still rolls back" "$WORK/err" "rolled back transaction "
expect_eq "every file and value is as before the first apply" "$(tree_state)" "$before"

# A tree tune never touched.
EMPTY=$WORK/empty
make_rooted_host "$EMPTY"
expect_exit "pre-remove on a host tune never changed" 0 "$TUNE" --root "$EMPTY" hook pre-remove
expect_contains "says there was nothing" "$WORK/err" "nothing to roll back: tune never applied anything here"
expect_eq "and leaves no state directory" "$([ -e "$EMPTY/var/lib/tune" ] && echo left || echo none)" none

finish
