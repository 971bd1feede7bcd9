#!/usr/bin/env bash
# The net domain on the real kernel, without touching the host's NICs: inside
# private network and mount namespaces (sysfs remounted, so /sys/class/net is
# the namespace's), a veth pair gets a profile that flips GRO and TSO and
# changes its channel count through the ethtool ioctl; the values are checked
# with ethtool's legacy get commands (a separate reader from tune's), then
# rolled back; and a kill -9 between two steps is rolled back too.
. "$(dirname "$0")/lib.sh"
enter_private_namespaces
make_workdir

command -v ip >/dev/null || skip "needs ip(8) to make a veth pair"
command -v python3 >/dev/null || skip "needs python3 to read the values back"
mount -t sysfs sysfs /sys 2>/dev/null || skip "cannot mount this namespace's sysfs"
MOUNTS="/sys $MOUNTS"
ip link add tunev0 type veth peer name tunev1 2>/dev/null || skip "this kernel cannot make veth pairs"
ip link set tunev0 up && ip link set tunev1 up
mount_tmpfs /etc/udev/rules.d
printf '# an operator rule that was here first\n' >/etc/udev/rules.d/81-tune-net.rules
STATE=$WORK/state
mount_tmpfs "$STATE"

# ETHTOOL_GGRO (0x2b) and ETHTOOL_GTSO (0x1e): one flag each, through SIOCETHTOOL.
ethtool_flag() {
  python3 - "$1" "$2" <<'PY_END'
import array, fcntl, socket, struct, sys
name, cmd = sys.argv[1], int(sys.argv[2], 0)
buf = array.array('B', struct.pack('II', cmd, 0))
request = struct.pack('16sP', name.encode(), buf.buffer_info()[0])
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
    fcntl.ioctl(s.fileno(), 0x8946, request)
print('on' if struct.unpack('II', buf.tobytes())[1] else 'off')
PY_END
}
gro() { ethtool_flag tunev0 0x2b; }
tso() { ethtool_flag tunev0 0x1e; }
queues() { ls /sys/class/net/tunev0/queues | grep -c '^rx-'; }
flip() { if [ "$1" = on ]; then echo off; else echo on; fi; }
snapshot() {
  printf 'gro=%s tso=%s rx-queues=%s\n' "$(gro)" "$(tso)" "$(queues)"
  sha256sum /etc/udev/rules.d/*
  stat -c '%n %a' /etc/udev/rules.d/*
}
snapshot >"$WORK/before"
GRO_WANTED=$(flip "$(gro)")
TSO_WANTED=$(flip "$(tso)")

# veth has channels since Linux 5.11 (rx and tx, up to the CPU count).
CHANNELS=""
if [ "$(nproc)" -ge 2 ]; then CHANNELS="    channels: { rx: 2 }"; fi
cat >"$WORK/p.yaml" <<YAML_END
name: e2e-net
net:
  tunev0:
    features: { gro: $GRO_WANTED, tso: $TSO_WANTED }
$CHANNELS
  all:
    features: { gro: $GRO_WANTED }
YAML_END
T() { "$TUNE" --state-dir "$STATE" "$@"; }

expect_exit "plan shows pending changes" 2 T plan --profile "$WORK/p.yaml" --detailed-exitcode
expect_contains "a veth is no NIC for all" "$WORK/out" "no network interface here is backed by a device"
expect_exit "dry run" 0 T apply --profile "$WORK/p.yaml" --dry-run
expect_eq "the dry run changed nothing" "$(snapshot)" "$(cat "$WORK/before")"

expect_exit "apply" 0 T apply --profile "$WORK/p.yaml" --yes
expect_eq "gro flipped" "$(gro)" "$GRO_WANTED"
expect_eq "tso flipped" "$(tso)" "$TSO_WANTED"
if [ -n "$CHANNELS" ]; then expect_eq "two receive queues" "$(queues)" 2; fi
expect_contains "the rule sets the features at boot" /etc/udev/rules.d/81-tune-net.rules \
  "KERNEL==\"tunev0\", RUN+=\"/usr/sbin/ethtool -K \$name rx-gro $GRO_WANTED tso $TSO_WANTED\""
expect_exit "verify finds no drift" 0 T verify --detailed-exitcode
expect_exit "a second apply" 0 T apply --profile "$WORK/p.yaml" --yes
expect_contains "changes nothing" "$WORK/out" "Nothing to change"
expect_exit "rollback --last" 0 T rollback --last
expect_eq "every value and the rule are back" "$(snapshot)" "$(cat "$WORK/before")"

# kill -9 between two steps, then rollback restores from the journal.
for pause_after in 1 2; do
  if ! start_paused_apply 10 TUNE_TEST_PAUSE_AFTER_STEP=$pause_after; then
    fail "the applier never reached the fault point after step $pause_after (built without TUNE_FAULT_POINTS?)"
    break
  fi
  kill -9 "$pid"
  wait "$pid" 2>/dev/null
  [ "$(snapshot)" != "$(cat "$WORK/before")" ] || fail "nothing had changed before the kill after step $pause_after"
  expect_exit "rollback after kill -9 after step $pause_after" 0 T rollback --last
  expect_eq "restored after a kill after step $pause_after" "$(snapshot)" "$(cat "$WORK/before")"
done

ip link del tunev0 2>/dev/null
finish
