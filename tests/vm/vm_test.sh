#!/bin/bash
# Inside the virtual machine, at every boot (tune-vm-test.service): one phase
# of the whole-system test per boot, the phase kept in /var/lib/tune-vm.
#   0: record the state, apply the profile, reboot
#   1: verify, check the values took after the reboot, roll back all, reboot
#   2: check everything is as recorded, kill -9 an apply half-way, reboot
#   3: roll back the interrupted transaction, check everything again, done
# Lines starting ok:, FAIL:, note:, phase: and TUNE-VM-RESULT: are what the
# host reads from the serial console.
set -u
payload=$(dirname "$0")
state=/var/lib/tune-vm
mkdir -p "$state"
phase=$(cat "$state/phase" 2>/dev/null || echo 0)
# tune's unit templates travel with it on the payload disk.
export TUNE_TEMPLATES_PATH=$payload/templates
T() { "$payload/tune" --no-color "$@"; }
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
expect_eq() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', expected '$3'"; fi; }
expect_exit() {
  local what=$1 expected=$2
  shift 2
  "$@" >"$state/out" 2>&1
  local code=$?
  if [ "$code" = "$expected" ]; then pass "$what (exit $code)"; else fail "$what: exit $code, expected $expected"; sed 's/^/  | /' "$state/out"; fi
}
# The command line GRUB would boot next: the first entry's linux line in the
# grub.cfg update-grub wrote, for the host to start the next boot with.
next_cmdline() {
  awk '$1 == "linux" { $1 = ""; $2 = ""; sub(/^ +/, ""); print; exit }' /boot/grub/grub.cfg
}
next_boot() {
  echo "$1" >"$state/phase"
  sync
  if [ "$failures" -gt 0 ]; then finish; fi
  echo "phase: rebooting into phase $1"
  echo "TUNE-VM-NEXT-CMDLINE: $(next_cmdline)"
  systemctl reboot
  exit 0
}
finish() {
  if [ "$failures" -gt 0 ]; then echo "TUNE-VM-RESULT: FAIL ($failures in phase $phase)"; else echo "TUNE-VM-RESULT: PASS"; fi
  systemctl poweroff
  exit 0
}
values() {
  echo "somaxconn $(sysctl -n net.core.somaxconn)"
  echo "vda read_ahead_kb $(cat /sys/block/vda/queue/read_ahead_kb)"
  echo "thp defrag $(cat /sys/kernel/mm/transparent_hugepage/defrag)"
  echo "2M pages $(cat /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages)"
  echo "swap $(grep -vc '^Filename' /proc/swaps)"
  echo "session nofile $(runuser -u nobody -- sh -c 'ulimit -Hn')"
  systemctl show -p LimitNOFILE -p Environment -p ActiveState inference.service
  echo "inference main pid environment $(tr '\0' ' ' </proc/"$(systemctl show -p MainPID --value inference.service)"/environ 2>/dev/null | grep -o 'OLLAMA_KEEP_ALIVE=[^ ]*')"
  systemctl show -p LoadState -p ActiveState -p UnitFileState llama-server.service
  case " $(cat /proc/cmdline) " in
  *" nosoftlockup "*) echo "cmdline nosoftlockup 1" ;;
  *) echo "cmdline nosoftlockup 0" ;;
  esac
}
# Every file under /etc by content, and every link by its target; the boot
# loader's generated configuration is checked too.
files() {
  find /etc /boot/grub/grub.cfg -type f -print0 | sort -z | xargs -0 sha256sum 2>/dev/null
  # Links by where they point (enablement is links), not by what they read now (/etc/mtab).
  find /etc -type l -printf '%p -> %l\n' | sort
}

echo "phase: $phase"
case "$phase" in
0)
  "$payload/tune" --version >/dev/null || { fail "tune does not run here (a library missing?)"; finish; }
  # The boot loader's configuration as the machine has it before tune: GRUB's defaults, generated.
  update-grub >/dev/null 2>&1 || { fail "update-grub does not run here"; finish; }
  [ -n "$(next_cmdline)" ] || { fail "update-grub wrote no linux line"; finish; }
  install -m 0644 "$payload/inference.service" /etc/systemd/system/inference.service
  systemctl daemon-reload && systemctl enable --now inference.service
  # The program the llama-server template runs (a stand-in that waits).
  printf '#!/bin/sh\nexec sleep infinity\n' >/usr/local/bin/llama-server && chmod 0755 /usr/local/bin/llama-server
  values >"$state/values.before"
  files >"$state/files.before"
  expect_exit "plan" 2 T plan --profile "$payload/vm_profile.yaml" --detailed-exitcode
  sed 's/^/  | /' "$state/out"
  expect_exit "apply" 0 T apply --profile "$payload/vm_profile.yaml" --yes
  if grep -q "reboot" "$state/out"; then pass "apply says a reboot is needed"; else fail "apply did not say a reboot is needed"; fi
  values >"$state/values.now"
  grep -q "^inference main pid environment OLLAMA_KEEP_ALIVE=24h$" "$state/values.now" &&
    pass "the server was restarted into its new environment (restart: on-change)" || fail "the server was not restarted"
  [ "$(systemctl is-active llama-server.service)" = active ] && pass "the unit from the template runs" ||
    fail "llama-server did not start: $(systemctl status llama-server.service 2>&1 | tail -n 5 | tr '\n' '|')"
  next_boot 1
  ;;
1)
  expect_exit "verify after the reboot" 0 T verify --detailed-exitcode
  sed 's/^/  | /' "$state/out"
  values >"$state/values.applied"
  grep -q "^somaxconn 8192$" "$state/values.applied" && pass "the sysctl value came back at boot" || fail "somaxconn after reboot: $(grep somaxconn "$state/values.applied")"
  grep -q "^vda read_ahead_kb 1024$" "$state/values.applied" && pass "udev set the disk's read-ahead at boot" || fail "read-ahead after reboot"
  grep -q "\[defer\]" "$state/values.applied" && pass "tmpfiles set THP defrag at boot" || fail "THP defrag after reboot"
  grep -q "^2M pages 16$" "$state/values.applied" && pass "tmpfiles reserved the hugepages at boot" || fail "hugepages after reboot"
  grep -q "^swap 1$" "$state/values.applied" && pass "the swap file is on after the reboot" || fail "swap after reboot"
  grep -q "^LimitNOFILE=65536$" "$state/values.applied" && pass "the unit's drop-in holds" || fail "LimitNOFILE: $(grep LimitNOFILE "$state/values.applied")"
  grep -q "OLLAMA_KEEP_ALIVE=24h" "$state/values.applied" && pass "systemd gives the unit the profile's environment" || fail "Environment: $(grep Environment "$state/values.applied")"
  grep -q "^inference main pid environment OLLAMA_KEEP_ALIVE=24h$" "$state/values.applied" && pass "the restarted server runs with it" ||
    fail "the server's own environment: $(grep '^inference main pid' "$state/values.applied")"
  grep -q "^UnitFileState=enabled$" "$state/values.applied" && pass "the unit from the template is enabled" || fail "llama-server not enabled"
  [ "$(systemctl is-active llama-server.service)" = active ] && pass "and running" || fail "llama-server is not running"
  grep -q "^cmdline nosoftlockup 1$" "$state/values.applied" && pass "the kernel booted with the new parameter" ||
    fail "nosoftlockup not on the kernel command line: $(od -c /proc/cmdline | tail -n 3 | tr '\n' '|')"
  expect_exit "rollback --all" 0 T rollback --all
  next_boot 2
  ;;
2)
  values >"$state/values.now"
  files >"$state/files.now"
  expect_eq "every value is as before, after a rollback and a reboot" "$(diff "$state/values.before" "$state/values.now")" ""
  expect_eq "every file under /etc is byte-identical" "$(diff "$state/files.before" "$state/files.now")" ""
  # A kill -9 half-way through an apply, then a reboot.
  rm -f "$state/paused"
  TUNE_TEST_PAUSE_AFTER_STEP=6 TUNE_TEST_PAUSE_FILE="$state/paused" \
    "$payload/tune" --no-color apply --profile "$payload/vm_profile.yaml" --yes >"$state/killed.out" 2>&1 &
  pid=$!
  for _ in $(seq 600); do [ -e "$state/paused" ] && break; sleep 0.2; done
  if [ -e "$state/paused" ]; then pass "the apply reached its sixth step"; else fail "the apply never reached the fault point"; fi
  kill -9 $pid
  wait $pid 2>/dev/null
  next_boot 3
  ;;
3)
  expect_exit "verify reports the interrupted transaction" 2 T verify --detailed-exitcode
  expect_exit "rollback --last after the kill and a reboot" 0 T rollback --last
  sed 's/^/  | /' "$state/out"
  # The kernel running now booted with whatever the half-done apply left on
  # its command line; the rollback regenerated the boot loader's file.
  values | grep -v '^cmdline' >"$state/values.now"
  files >"$state/files.now"
  expect_eq "every value is as before" "$(grep -v '^cmdline' "$state/values.before" | diff - "$state/values.now")" ""
  expect_eq "every file under /etc is byte-identical" "$(diff "$state/files.before" "$state/files.now")" ""
  finish
  ;;
*)
  fail "unknown phase $phase"
  finish
  ;;
esac
