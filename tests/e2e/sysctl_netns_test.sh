#!/usr/bin/env bash
# End to end on the real kernel, without touching the host: inside private
# network and mount namespaces, with tmpfs over /etc/sysctl.d and over the
# state directory, apply a profile of per-namespace net.* keys, verify,
# re-apply (no change), roll back, and check every value and file is back
# byte for byte. Also: a value the kernel refuses undoes the steps before it.
. "$(dirname "$0")/lib.sh"
enter_private_namespaces
make_workdir

# From here on we are in the private namespaces: sysctl writes to net.* and
# mounts are invisible to the host.
mount_tmpfs /etc/sysctl.d
STATE=$WORK/state
mount_tmpfs "$STATE"
printf '# an operator file that was here first\nnet.core.somaxconn = 512\n' >/etc/sysctl.d/90-tune.conf
chmod 0640 /etc/sysctl.d/90-tune.conf
printf 'kernel.core_pattern = core\n' >/etc/sysctl.d/50-other.conf

KEYS="net.core.somaxconn net.ipv4.tcp_fin_timeout net.ipv4.ip_local_port_range net.ipv4.tcp_keepalive_time net.ipv4.tcp_syn_retries"
snapshot() {
  for key in $KEYS; do printf '%s=%s\n' "$key" "$(sysctl -n "$key" | tr -s '\t ' ' ')"; done
  sha256sum /etc/sysctl.d/*
  stat -c '%n %a %U' /etc/sysctl.d/*
}
snapshot >"$WORK/before"

cat >"$WORK/e2e.yaml" <<'YAML'
name: e2e-net
summary: per-namespace network keys for the end-to-end test
sysctl:
  net.core.somaxconn: { at_least: 8192 }
  net.ipv4.tcp_fin_timeout: 15
  net.ipv4.ip_local_port_range: "10000 65000"
  net.ipv4.tcp_keepalive_time: 600
  net.ipv4.tcp_syn_retries: 6
  net.ipv4.tcp_tw_recycle: 1
YAML
T() { "$TUNE" --state-dir "$STATE" "$@"; }

expect_exit "plan shows pending changes" 2 T plan --profile "$WORK/e2e.yaml" --detailed-exitcode
expect_contains "plan reports the removed key as unsupported" "$WORK/out" "net.ipv4.tcp_tw_recycle"
expect_contains "plan says why it is skipped" "$WORK/out" "unsupported here: no such key on this kernel"
expect_exit "dry run succeeds" 0 T apply --profile "$WORK/e2e.yaml" --dry-run
expect_contains "dry run shows the diff of the persisted file" "$WORK/out" "+++ /etc/sysctl.d/90-tune.conf"
expect_eq "dry run changed nothing" "$(snapshot)" "$(cat "$WORK/before")"

expect_exit "apply" 0 T apply --profile "$WORK/e2e.yaml" --yes
expect_eq "somaxconn raised" "$(sysctl -n net.core.somaxconn)" 8192
expect_eq "fin_timeout set" "$(sysctl -n net.ipv4.tcp_fin_timeout)" 15
expect_eq "port range set" "$(sysctl -n net.ipv4.ip_local_port_range | tr -s '\t ' ' ')" "10000 65000"
expect_contains "persisted file names tune and the profile" /etc/sysctl.d/90-tune.conf "Written by tune for profile 'e2e-net'"
expect_contains "persisted file holds the values" /etc/sysctl.d/90-tune.conf "net.ipv4.tcp_keepalive_time = 600"

expect_exit "verify finds no drift" 0 T verify --detailed-exitcode
expect_exit "second apply" 0 T apply --profile "$WORK/e2e.yaml" --yes
expect_contains "second apply changes nothing and says so" "$WORK/out" "Nothing to change"
expect_eq "second apply recorded no transaction" "$(T history --json | grep -c '"id"')" 1

sysctl -qw net.ipv4.tcp_fin_timeout=42
expect_exit "verify reports drift" 2 T verify --detailed-exitcode
expect_contains "drift names the key" "$WORK/out" "net.ipv4.tcp_fin_timeout"
sysctl -qw net.ipv4.tcp_fin_timeout=15

expect_exit "rollback --last" 0 T rollback --last
expect_eq "every value and file is back byte for byte" "$(snapshot)" "$(cat "$WORK/before")"
expect_exit "a second rollback has nothing to do" 1 T rollback --last
expect_contains "and says so" "$WORK/err" "nothing to roll back"

# A saved plan is applied exactly, and refused once the host moved.
expect_exit "plan --out" 0 T plan --profile "$WORK/e2e.yaml" --out "$WORK/plan.json"
sysctl -qw net.ipv4.tcp_keepalive_time=7000
expect_exit "a stale plan is refused" 1 T apply "$WORK/plan.json" --yes
expect_contains "the refusal names what moved" "$WORK/err" "net.ipv4.tcp_keepalive_time is '7000', the plan expected"
expect_eq "the refused plan changed nothing" "$(sysctl -n net.ipv4.tcp_fin_timeout)" 60
sysctl -qw net.ipv4.tcp_keepalive_time=7200
expect_exit "a current plan applies" 0 T apply "$WORK/plan.json" --yes
expect_eq "the saved plan's value is live" "$(sysctl -n net.ipv4.tcp_fin_timeout)" 15
expect_exit "rollback by id" 0 T rollback 3
expect_eq "rolled back by id" "$(snapshot)" "$(cat "$WORK/before")"

# A value the kernel refuses: the steps before it are put back, exit 3.
cat >"$WORK/bad.yaml" <<'YAML'
name: e2e-bad
sysctl:
  net.core.somaxconn: 9000
  net.ipv4.tcp_fin_timeout: 20
  net.ipv4.ip_local_port_range: "5000 100"
YAML
expect_exit "apply with a value the kernel refuses" 3 T apply --profile "$WORK/bad.yaml" --yes
expect_contains "the error names the key and the kernel's reason" "$WORK/err" "net.ipv4.ip_local_port_range"
expect_contains "the error carries the kernel's reason" "$WORK/err" "Invalid argument"
expect_eq "the earlier steps were put back" "$(snapshot)" "$(cat "$WORK/before")"
expect_contains "history shows it failed and undone" <(T history) "failed and undone"

finish
