#!/bin/bash
# Inside the virtual machine (run_vm_test.sh boots it with this script as
# vm_test.sh and tune's .deb beside it): the Debian package's whole life on a
# host with systemd as PID 1, in one boot.
#   a broken /etc/tune/tune.toml does not fail the installation; purge
#   a clean install: the files where the layout says, the conffile, nothing applied
#   tune.toml asks for a profile: the post-install hook applies it and logs it
#   a reinstall (an upgrade to the same version) neither fails nor applies twice
#   remove: the values come back and the package's files go; purge: the state goes
#   and then every recorded value and every file is as before the package.
# Lines starting ok:, FAIL:, note:, phase: and TUNE-VM-RESULT: are what the
# host reads from the serial console.
set -u
payload=$(dirname "$0")
state=/var/lib/tune-deb-vm
mkdir -p "$state"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
expect_eq() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: got '$2', expected '$3'"; fi; }
# Runs a command, its output kept in $state/out and shown when the exit code is not the one expected.
expect_exit() {
  local what=$1 expected=$2
  shift 2
  "$@" >"$state/out" 2>&1 </dev/null
  local code=$?
  if [ "$code" = "$expected" ]; then pass "$what (exit $code)"; else fail "$what: exit $code, expected $expected"; fi
  if [ "$code" != "$expected" ] || [ -n "${SHOW:-}" ]; then sed 's/^/  | /' "$state/out"; fi
}
finish() {
  if [ "$failures" -gt 0 ]; then echo "TUNE-VM-RESULT: FAIL ($failures checks)"; else echo "TUNE-VM-RESULT: PASS"; fi
  systemctl poweroff
  exit 0
}
expect_file() { if [ -f "$2" ]; then pass "$1 ($2)"; else fail "$1: $2 is missing"; fi; }
expect_gone() { if [ ! -e "$1" ]; then pass "$1 is gone"; else fail "$1 is still there: $(ls -ld "$1")"; fi; }

# The values the test profile changes.
values() {
  echo "net.core.somaxconn $(sysctl -n net.core.somaxconn)"
  echo "vm.swappiness $(sysctl -n vm.swappiness)"
}
# Every file under /etc by content and every link by its target; what exists
# under /usr and /var by path (dpkg's own database, logs and caches change
# with any package, and are left out), and whether tune's state is there.
files() {
  find /etc -type f -print0 | sort -z | xargs -0 sha256sum 2>/dev/null
  find /etc -type l -printf '%p -> %l\n' | sort
  find /etc -type d | sort
  find /usr /var -path /var/lib/dpkg -prune -o -path /var/log -prune -o -path /var/cache -prune \
    -o -path /var/lib/systemd -prune -o -path /var/tmp -prune -o -path "$state" -prune -o -print | sort
}
transactions() { find /var/lib/tune/journal -name '*.jsonl' 2>/dev/null | wc -l; }
hook_lines() { journalctl --sync 2>/dev/null; journalctl -q -o cat -t tune "TUNE_HOOK=$1" 2>/dev/null; }

deb=$(find "$payload" -maxdepth 1 -name 'tune_*.deb' | head -n 1)
[ -n "$deb" ] || { fail "no tune_*.deb on the payload disk"; finish; }
echo "phase: package $(basename "$deb")"
dpkg-query -W tune >/dev/null 2>&1 && { fail "tune is installed in the image already"; finish; }
values >"$state/values.before"
files >"$state/files.before"
sed 's/^/  before: /' "$state/values.before"

echo "phase: a broken tune.toml"
mkdir -p /etc/tune
printf '[hook]\npost_install = "always"\n' >/etc/tune/tune.toml
# The operator's file wins over the package's conffile (dpkg would ask on a terminal).
expect_exit "dpkg -i with a broken tune.toml" 0 dpkg -i --force-confold "$deb"
expect_eq "the package is installed" "$(dpkg-query -W -f='${Status}' tune 2>&1)" "install ok installed"
expect_eq "the hook changed nothing" "$(values)" "$(cat "$state/values.before")"
if hook_lines post-install | grep -q 'failed: .*tune.toml'; then pass "the hook logged why it did nothing"; else
  fail "no 'failed: ... tune.toml' line from the post-install hook in the journal: $(hook_lines post-install | tail -n 3 | tr '\n' '|')"
fi
expect_exit "dpkg -P after the broken case" 0 dpkg -P tune
expect_gone /etc/tune

echo "phase: install"
expect_exit "dpkg -i" 0 dpkg -i "$deb"
expect_eq "the package is installed" "$(dpkg-query -W -f='${Status}' tune 2>&1)" "install ok installed"
if [ -x /usr/bin/tune ]; then pass "/usr/bin/tune is executable"; else fail "/usr/bin/tune is missing"; fi
expect_exit "tune runs (its libraries are there)" 0 tune --version
expect_file "a shipped profile" /usr/share/tune/profiles/balanced.yaml
expect_file "a unit template" /usr/share/tune/templates/llama-server.service
expect_file "the man page, compressed" /usr/share/man/man1/tune.1.gz
pages=$(find /usr/share/man/man1 -name 'tune-*.1.gz' | wc -l)
if [ "$pages" -gt 0 ]; then pass "$pages subcommand man pages"; else fail "no tune-*.1.gz subcommand man pages"; fi
expect_file "bash completion" /usr/share/bash-completion/completions/tune
expect_file "zsh completion" /usr/share/zsh/vendor-completions/_tune
expect_file "fish completion" /usr/share/fish/vendor_completions.d/tune.fish
expect_file "the copyright file" /usr/share/doc/tune/copyright
expect_file "the conffile" /etc/tune/tune.toml
if dpkg-query -W -f='${Conffiles}\n' tune | grep -q '^ /etc/tune/tune.toml '; then pass "dpkg knows /etc/tune/tune.toml as a conffile"; else
  fail "/etc/tune/tune.toml is not a conffile: $(dpkg-query -W -f='${Conffiles}' tune | tr '\n' '|')"
fi
# The shipped tune.toml is all comments: tune must read it as the defaults.
expect_exit "tune reads the shipped tune.toml" 0 tune plan -p balanced --format table
expect_eq "installing applied nothing" "$(values)" "$(cat "$state/values.before")"
expect_eq "no transaction after a plain install" "$(transactions)" 0
if hook_lines post-install | grep -q 'nothing to do'; then pass "the hook logged that it had nothing to do"; else
  fail "no 'nothing to do' line from the post-install hook: $(hook_lines post-install | tail -n 3 | tr '\n' '|')"
fi

echo "phase: the hook applies a profile"
mkdir -p /etc/tune/profiles
cat >/etc/tune/profiles/deb-vm.yaml <<'PROFILE'
name: deb-vm
summary: Two kernel values the package test sees change and come back
sysctl:
  net.core.somaxconn: 8192
  vm.swappiness: 10
PROFILE
cat >/etc/tune/tune.toml <<'TOML'
profile = "deb-vm"

[hook]
post_install = "apply"
TOML
SHOW=1 expect_exit "tune hook post-install" 0 tune hook post-install
expect_eq "the profile's values are live" "$(values)" "$(printf 'net.core.somaxconn 8192\nvm.swappiness 10')"
expect_file "and persisted" /etc/sysctl.d/90-tune.conf
expect_eq "one transaction" "$(transactions)" 1
expect_exit "tune verify" 0 tune verify --detailed-exitcode
if hook_lines post-install | grep -q "applied .*profile 'deb-vm' as transaction"; then pass "the system log has the hook's line"; else
  fail "no 'applied ... deb-vm' line from the post-install hook in the journal: $(hook_lines post-install | tail -n 3 | tr '\n' '|')"
fi

echo "phase: reinstall"
expect_exit "dpkg -i again (an upgrade to the same version)" 0 dpkg -i --force-confold "$deb"
expect_eq "still one transaction: the hook did not apply twice" "$(transactions)" 1
expect_eq "the values still hold" "$(values)" "$(printf 'net.core.somaxconn 8192\nvm.swappiness 10')"
expect_exit "tune verify after the upgrade" 0 tune verify --detailed-exitcode

echo "phase: remove"
SHOW=1 expect_exit "dpkg -r tune" 0 dpkg -r tune
expect_eq "the package's configuration stays" "$(dpkg-query -W -f='${Status}' tune 2>&1)" "deinstall ok config-files"
expect_eq "every value is back" "$(values)" "$(cat "$state/values.before")"
expect_gone /etc/sysctl.d/90-tune.conf
expect_gone /usr/bin/tune
expect_gone /usr/share/tune
expect_gone /usr/share/man/man1/tune.1.gz
if hook_lines pre-remove | grep -q 'rolled back transaction'; then pass "the system log has the pre-remove hook's line"; else
  fail "no 'rolled back' line from the pre-remove hook: $(hook_lines pre-remove | tail -n 3 | tr '\n' '|')"
fi
# The test's own profile is not the package's; the operator who wrote it removes it.
rm -f /etc/tune/profiles/deb-vm.yaml
rmdir /etc/tune/profiles

echo "phase: purge"
expect_exit "dpkg -P tune" 0 dpkg -P tune
expect_eq "the package is gone" "$(dpkg-query -W -f='${Status}' tune 2>&1 | grep -c 'ok installed\|config-files')" 0
expect_gone /var/lib/tune
expect_gone /etc/tune

values >"$state/values.after"
files >"$state/files.after"
expect_eq "every value is as before the package" "$(diff "$state/values.before" "$state/values.after")" ""
expect_eq "every file under /etc, /usr and /var is as before" "$(diff "$state/files.before" "$state/files.after")" ""
finish
