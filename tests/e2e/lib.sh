# Shared helpers for tune's end-to-end tests (sourced, not run).
# Each test gets TUNE (the binary) as $1 and exits 0 (pass), 1 (fail) or 77 (skip).
set -u

TUNE=${1:?usage: $0 PATH_TO_TUNE}
failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
skip() { echo "SKIP: $*"; exit 77; }

# expect_eq WHAT ACTUAL EXPECTED
expect_eq() {
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', expected '$3'"; fi
}

# expect_exit WHAT EXPECTED_CODE command...
expect_exit() {
  local what=$1 expected=$2
  shift 2
  "$@" >"$WORK/out" 2>"$WORK/err"
  local code=$?
  if [ "$code" = "$expected" ]; then pass "$what (exit $code)"; else
    fail "$what: exit $code, expected $expected; stderr: $(cat "$WORK/err")"
  fi
}

# expect_contains WHAT FILE TEXT
expect_contains() {
  if grep -qF -- "$3" "$2"; then pass "$1"; else fail "$1: '$3' not in $(cat "$2")"; fi
}

# Re-run this script inside private network and mount namespaces: its sysctl
# writes to net.* and its mounts are then invisible to the host.
enter_private_namespaces() {
  [ "$(id -u)" = 0 ] || skip "needs root for private namespaces"
  unshare -n -m true 2>/dev/null || skip "unshare -n -m is not permitted here"
  if [ "${TUNE_E2E_INSIDE:-}" != 1 ]; then
    export TUNE_E2E_INSIDE=1
    exec unshare -n -m --propagation private "$0" "$TUNE"
  fi
}

# mount_tmpfs DIR: a private tmpfs over DIR, unmounted again on exit.
MOUNTS=""
MADE_DIRS=""
# mount_tmpfs DIR: a private tmpfs over DIR, made first when missing; cleanup
# unmounts it and removes the directories it had to make, so a test leaves no
# empty /etc/modprobe.d behind on a host that had none.
mount_tmpfs() {
  local outermost=$1
  if [ ! -d "$1" ]; then
    while [ ! -d "$(dirname "$outermost")" ]; do outermost=$(dirname "$outermost"); done
    mkdir -p "$1" || skip "cannot make $1"
    MADE_DIRS="$outermost $MADE_DIRS"
  fi
  mount -t tmpfs -o mode=0755 tmpfs "$1" || skip "cannot mount tmpfs over $1"
  MOUNTS="$1 $MOUNTS"
}

finish() {
  if [ "$failures" -gt 0 ]; then echo "$failures check(s) failed" >&2; exit 1; fi
  echo "all checks passed"
  exit 0
}

cleanup() {
  for mount_point in $MOUNTS; do umount "$mount_point" 2>/dev/null; done
  for made in $MADE_DIRS; do [ -d "$made" ] && find "$made" -depth -type d -empty -delete 2>/dev/null; done
  rm -rf "$WORK"
}
WORK=""
# Call after enter_private_namespaces, so only the process that stays makes one.
# start_paused_apply SECONDS FAULT=VALUE...: apply $WORK/p.yaml (state in
# $STATE) in the background with a test-only fault point set, and wait up to
# SECONDS for it to pause there. Leaves its pid in $pid for the caller to kill;
# returns 1, having killed it, when it never got there.
start_paused_apply() {
  local seconds=$1
  shift
  rm -f "$WORK/paused"
  env "$@" TUNE_TEST_PAUSE_FILE="$WORK/paused" \
    "$TUNE" --state-dir "$STATE" apply --profile "$WORK/p.yaml" --yes >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq $((seconds * 10))); do [ -e "$WORK/paused" ] && return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null
  return 1
}

# make_rooted_host DIR: a tree for --root with two sysctl keys at their
# defaults (vm.swappiness 60, net.core.somaxconn 4096), a host name, a kernel
# release and a machine id: enough for plan, apply, verify and rollback.
make_rooted_host() {
  mkdir -p "$1/proc/sys/vm" "$1/proc/sys/net/core" "$1/proc/sys/kernel" "$1/etc/sysctl.d"
  echo 60 >"$1/proc/sys/vm/swappiness"
  echo 4096 >"$1/proc/sys/net/core/somaxconn"
  echo rooted >"$1/proc/sys/kernel/hostname"
  echo 6.1.0 >"$1/proc/sys/kernel/osrelease"
  echo 0123456789abcdef >"$1/etc/machine-id"
}

make_workdir() {
  WORK=$(mktemp -d)
  trap cleanup EXIT
  # tune locks the whole host (/run/lock/tune.lock); tests that run side by side
  # in their own namespaces are separate hosts, each with its own lock.
  if [ "${TUNE_E2E_INSIDE:-}" = 1 ] && [ -d /run/lock ]; then mount_tmpfs /run/lock; fi
}
