#!/usr/bin/env bash
# Limits end to end: in a private mount namespace with tmpfs over
# /etc/security/limits.d and /etc/systemd/system.conf.d, apply a profile that
# raises the soft nofile limit for everyone, then open a real PAM session
# (runuser, whose PAM stack runs pam_limits) and read the limit it got;
# verify reports what a new session gets; a file read after tune's overrides
# it (drift); rollback, and the session gets what it got before. Only the
# soft limit is raised, within a hard limit an operator's file sets to this
# shell's own: pam_limits takes unset parts from PID 1, and root here may lack
# CAP_SYS_RESOURCE to go above the hard limit it has.
. "$(dirname "$0")/lib.sh"
enter_private_namespaces
make_workdir
command -v runuser >/dev/null || skip "runuser is not installed"
grep -qs pam_limits /etc/pam.d/runuser || skip "runuser's PAM stack does not run pam_limits here"
id nobody >/dev/null 2>&1 || skip "there is no user nobody"

# mount_tmpfs makes a missing directory itself and removes it afterwards.
mount_tmpfs /etc/security/limits.d
mount_tmpfs /etc/systemd/system.conf.d
STATE=$WORK/state
mount_tmpfs "$STATE"
T() { "$TUNE" --state-dir "$STATE" "$@"; }
session_nofile() { runuser -u nobody -- sh -c 'ulimit -Sn'; }
BEFORE=$(session_nofile)
HARD=$(ulimit -Hn)
[ "$HARD" = unlimited ] && HARD=$(cat /proc/sys/fs/nr_open)
WANT=$((HARD / 2))
[ "$WANT" -gt "$BEFORE" ] || skip "the hard nofile limit here ($HARD) leaves no room above the soft one ($BEFORE)"
printf '# an operator file that was here first\n*  hard  nofile  %s\n' "$HARD" >/etc/security/limits.d/10-site.conf
BEFORE=$(session_nofile)
printf 'name: e2e-limits\nlimits:\n  "*":\n    nofile: { soft: { at_least: %s } }\n' "$WANT" >"$WORK/p.yaml"
expect_exit "plan shows what a new login session would get" 2 T plan --profile "$WORK/p.yaml" --detailed-exitcode
expect_contains "as soft:hard" "$WORK/out" "*/nofile"
expect_exit "apply" 0 T apply --profile "$WORK/p.yaml" --yes
expect_eq "a new PAM session gets the raised limit" "$(session_nofile)" "$WANT"
expect_contains "the limits.d file says it" /etc/security/limits.d/90-tune.conf "nofile"
expect_contains "services get it too, from the manager's defaults" /etc/systemd/system.conf.d/90-tune.conf "DefaultLimitNOFILE=$WANT:"
expect_exit "verify finds no drift" 0 T verify --detailed-exitcode

printf '*  soft  nofile  4096\n' >/etc/security/limits.d/99-later.conf
expect_eq "a later file does win in a real session" "$(session_nofile)" 4096
expect_exit "verify reports what a session now gets" 2 T verify --detailed-exitcode
expect_contains "naming the limit" "$WORK/out" "*/nofile"
rm /etc/security/limits.d/99-later.conf

expect_exit "rollback" 0 T rollback --last
expect_eq "a new session gets what it got before" "$(session_nofile)" "$BEFORE"
expect_eq "tune's files are gone" "$(ls -A /etc/security/limits.d /etc/systemd/system.conf.d | tr -d '\n')" \
  "/etc/security/limits.d:10-site.conf/etc/systemd/system.conf.d:"

finish
