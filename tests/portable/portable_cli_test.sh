#!/usr/bin/env bash
# The portable Unix build (TUNE_PORTABLE_UNIX, the macOS build's sources) at
# work: apply and rollback through its door on a rooted tree, byte for byte;
# a symlink in the tree refused rather than followed; the runner and the
# Linux-only calls refused in one line; the Mac workstation profile planned.
. "$(dirname "$0")/../e2e/lib.sh"
make_workdir

ROOT=$WORK/root
make_rooted_host "$ROOT"
T() { "$TUNE" --root "$ROOT" --no-color "$@"; }
# The tree's files under /etc (the live values are compared as values: a
# rooted /proc file holds what was written, without the kernel's newline).
etc_state() { (cd "$ROOT" && find ./etc -type f | sort | xargs md5sum); }

printf 'name: portable\nsysctl:\n  vm.swappiness: 10\n  net.core.somaxconn: 8192\n' >"$WORK/p.yaml"
before=$(etc_state)
expect_exit "apply through the portable door" 0 T apply --profile "$WORK/p.yaml" --yes
expect_eq "vm.swappiness is set" "$(cat "$ROOT/proc/sys/vm/swappiness")" 10
expect_eq "net.core.somaxconn is set" "$(cat "$ROOT/proc/sys/net/core/somaxconn")" 8192
expect_exit "verify finds it as applied" 0 T verify
expect_exit "rollback" 0 T rollback
expect_eq "vm.swappiness is back" "$(cat "$ROOT/proc/sys/vm/swappiness")" 60
expect_eq "net.core.somaxconn is back" "$(cat "$ROOT/proc/sys/net/core/somaxconn")" 4096
expect_eq "the files under /etc are as before, byte for byte" "$(etc_state)" "$before"

# The portable door walks a path a component at a time and follows no
# symlink under a root: one that leads out is refused, and nothing is
# written where it points.
mkdir -p "$WORK/outside"
rm -rf "$ROOT/etc/sysctl.d"
ln -s "$WORK/outside" "$ROOT/etc/sysctl.d"
expect_exit "an apply through a symlink out of the tree is refused" 1 T apply --profile "$WORK/p.yaml" --yes
expect_contains "with the reason" "$WORK/err" "not followed under a root here"
expect_eq "and nothing was written outside" "$(ls -A "$WORK/outside")" ""
expect_eq "and the live values are untouched" "$(cat "$ROOT/proc/sys/vm/swappiness")" 60

expect_exit "tune bench is refused in one line" 1 "$TUNE" bench
expect_contains "saying why" "$WORK/err" "in the Linux build only"
expect_exit "the Mac workstation profile plans" 0 "$TUNE" --no-color plan -p workstation-macos
finish
