#!/usr/bin/env bash
# Builds packaging/rpm/tune.spec with Debian's rpmbuild from a copy of the
# working tree (packaging/rpm/build-rpm.sh), then checks the package: its
# files against the install layout, that the binary runs and has no fault
# points, and its scriptlets (the hooks are called when they should be, and a
# failing hook never fails the transaction).
# Usage: rpm_build_test.sh WORKDIR (kept between runs: rpmbuild's tree).
# Exit 0 pass, 1 fail, 77 skip (no rpmbuild).
set -u

top=${1:?usage: $0 WORKDIR}
repo=$(cd "$(dirname "$0")/../.." && pwd)
spec=$repo/packaging/rpm/tune.spec
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

command -v rpmbuild >/dev/null || { echo "SKIP: rpmbuild is not installed"; exit 77; }
command -v git >/dev/null || { echo "SKIP: git is needed to list the working tree"; exit 77; }
command -v rpm2archive >/dev/null || { echo "SKIP: rpm2archive (from rpm) is needed to unpack the package"; exit 77; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# The spec's version is the project's: a release bumps both.
spec_version=$(rpmspec -q --srpm --qf '%{version}' "$spec" 2>/dev/null)
project_version=$(sed -n 's/^project(tune VERSION \([0-9.]*\).*/\1/p' "$repo/CMakeLists.txt")
if [ -n "$spec_version" ] && [ "$spec_version" = "$project_version" ]; then
  pass "spec version $spec_version is the project's"
else
  fail "spec version '$spec_version' is not CMakeLists.txt's '$project_version'"
fi

# Debian lacks Fedora's BuildRequires by those names: RPMBUILD_NODEPS.
start=$(date +%s)
if RPMBUILD_NODEPS=1 "$repo/packaging/rpm/build-rpm.sh" "$top" >"$WORK/build.out" 2>&1; then
  pass "build-rpm.sh built the package in $(($(date +%s) - start)) s"
else
  cat "$WORK/build.out"
  echo "FAIL: build-rpm.sh failed after $(($(date +%s) - start)) s (its log above)"
  exit 1
fi
rpm_file=$(tail -n 1 "$WORK/build.out")
[ -f "$rpm_file" ] || { echo "FAIL: build-rpm.sh named no .rpm: $(tail -n 1 "$WORK/build.out")"; exit 1; }

# The files land where the install layout says (README.md, "Files on a host").
rpm -qlp "$rpm_file" >"$WORK/files" 2>/dev/null
has_file() { if grep -qxE -- "$2" "$WORK/files"; then pass "$1"; else fail "$1: no file matching $2"; fi; }
has_file "the binary in /usr/bin" '/usr/bin/tune'
for profile in "$repo"/profiles/*.yaml; do
  has_file "profile $(basename "$profile")" "/usr/share/tune/profiles/$(basename "$profile")"
done
for template in "$repo"/templates/*.service; do
  [ -e "$template" ] || continue
  has_file "template $(basename "$template")" "/usr/share/tune/templates/$(basename "$template")"
done
has_file "the knowledge base" '/usr/share/tune/knowledge/.+\.yaml'
has_file "the man page tune(1)" '/usr/share/man/man1/tune\.1(\.gz)?'
has_file "the bash completion" '/usr/share/bash-completion/completions/tune'
has_file "the zsh completion in site-functions" '/usr/share/zsh/site-functions/_tune'
has_file "the fish completion" '/usr/share/fish/vendor_completions.d/tune\.fish'
# rpm adds /usr/lib/.build-id links to every package with an ELF file, so
# debuginfo can be found by the binary's build id: the only other place allowed.
outside=$(grep -vE '^/usr/(bin|share)/|^/usr/lib/\.build-id(/|$)' "$WORK/files" | head -n 3 | tr '\n' ' ')
if [ -n "$outside" ]; then
  fail "files outside /usr/bin, /usr/share and /usr/lib/.build-id: $outside"
else
  pass "nothing outside /usr/bin, /usr/share and /usr/lib/.build-id"
fi

# The packaged binary runs, and was configured with -DTUNE_FAULT_POINTS=OFF:
# the test-only fault point's variable is not in it.
mkdir -p "$WORK/root"
rpm2archive - <"$rpm_file" | tar -xzf - -C "$WORK/root"
if version=$("$WORK/root/usr/bin/tune" --version 2>&1); then
  pass "the packaged tune runs: $version"
else
  fail "the packaged tune --version failed: $version"
fi
if [ ! -f "$WORK/root/usr/bin/tune" ]; then
  fail "no usr/bin/tune in the package's payload"
elif grep -qa TUNE_TEST_PAUSE_AFTER_STEP "$WORK/root/usr/bin/tune"; then
  fail "the packaged binary has the test-only fault points"
else
  pass "the packaged binary has no fault points"
fi
# Built with -DTUNE_SOURCE_TREE_LOOKUP=OFF: as root it must not search the
# directory it was built in (gone after the build; anyone could plant profiles there).
if [ -f "$WORK/root/usr/bin/tune" ] && grep -qaF -e "$top" -e "$repo/profiles" "$WORK/root/usr/bin/tune"; then
  fail "the packaged binary names its build directory (a profile search path under $top or $repo)"
else
  pass "the packaged binary names no build directory"
fi

# Scriptlets: each one is run with sh against a stub tune that records its
# arguments and fails, and with /var/lib/tune redirected into the scratch
# directory, so what they do is observed here without touching this host.
scripts=$(rpm -qp --scripts "$rpm_file" 2>/dev/null)
scriptlet() {  # scriptlet NAME: the body rpm shows after "NAME scriptlet (using /bin/sh):"
  printf '%s\n' "$scripts" | awk -v name="$1" '
    /scriptlet \(using / { on = ($1 == name) ; next }
    on { print }'
}
printf '#!/bin/sh\necho "$*" >>"%s/calls"\nexit 1\n' "$WORK" >"$WORK/stub-tune"
chmod +x "$WORK/stub-tune"
run_scriptlet() {  # run_scriptlet NAME ARG: exit code; calls in $WORK/calls
  rm -f "$WORK/calls"
  scriptlet "$1" | sed -e "s,/usr/bin/tune,$WORK/stub-tune,g" -e "s,/var/lib/tune,$WORK/var-lib-tune,g" >"$WORK/$1.sh"
  sh -e "$WORK/$1.sh" "$2" >/dev/null 2>&1
}
calls() { cat "$WORK/calls" 2>/dev/null; }

run_scriptlet postinstall 1
code=$?
expect_hook() {  # expect_hook WHAT CODE WANTED_CALLS
  if [ "$2" = 0 ] && [ "$(calls)" = "$3" ]; then pass "$1"; else
    fail "$1: exit $2, tune called with '$(calls)', expected exit 0 and '$3'"
  fi
}
expect_hook "%post on install calls tune hook post-install, and its failure does not fail the install" $code "hook post-install"
run_scriptlet postinstall 2
expect_hook "%post on upgrade calls the hook too" $? "hook post-install"
run_scriptlet preuninstall 0
expect_hook "%preun on erase calls tune hook pre-remove, and its failure does not fail the erase" $? "hook pre-remove"
run_scriptlet preuninstall 1
expect_hook "%preun on upgrade leaves tune's changes alone" $? ""

mkdir -p "$WORK/var-lib-tune/journal"
if run_scriptlet postuninstall 1 && [ -d "$WORK/var-lib-tune/journal" ]; then pass "%postun on upgrade keeps /var/lib/tune"; else
  fail "%postun on upgrade removed /var/lib/tune or failed"
fi
if run_scriptlet postuninstall 0 && [ ! -e "$WORK/var-lib-tune" ]; then pass "%postun on erase removes /var/lib/tune"; else
  fail "%postun on erase left /var/lib/tune or failed"
fi

if [ "$failures" -gt 0 ]; then echo "$failures check(s) failed"; exit 1; fi
echo "all checks passed"
exit 0
