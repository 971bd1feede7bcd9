#!/usr/bin/env bash
# `cmake --install` into a fresh prefix: every file the layout promises lands
# where it says (docs/CLI.md, "Installed files"), the installed tune finds the
# installed profiles relative to itself with no TUNE_* variable set, and man
# renders the installed tune.1 without a warning.
# Usage: install_layout_test.sh TUNE BUILD_DIR SOURCE_DIR
set -u
TUNE=${1:?usage: $0 PATH_TO_TUNE BUILD_DIR SOURCE_DIR}
BUILD=${2:?usage: $0 PATH_TO_TUNE BUILD_DIR SOURCE_DIR}
SOURCE=${3:?usage: $0 PATH_TO_TUNE BUILD_DIR SOURCE_DIR}
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# A prefix nothing else knows: the binary was configured for another one.
PREFIX=$WORK/opt/tune
if ! cmake --install "$BUILD" --prefix "$PREFIX" >"$WORK/install.log" 2>&1; then
  echo "FAIL: cmake --install: $(tail -5 "$WORK/install.log")"
  exit 1
fi
pass "cmake --install --prefix $PREFIX"

# expect_files WHAT FILE...: each is a non-empty regular file
expect_files() {
  local what=$1 missing=""
  shift
  for file in "$@"; do [ -f "$PREFIX/$file" ] && [ -s "$PREFIX/$file" ] || missing+=" $file"; done
  if [ -z "$missing" ]; then pass "$what ($# files)"; else fail "$what: missing$missing"; fi
}

[ -x "$PREFIX/bin/tune" ] && pass "bin/tune is executable" || fail "bin/tune is missing or not executable"
profiles=() templates=() knowledge=() pages=(share/man/man1/tune.1)
for f in "$SOURCE"/profiles/*.yaml; do profiles+=("share/tune/profiles/$(basename "$f")"); done
for f in "$SOURCE"/templates/*.service; do templates+=("share/tune/templates/$(basename "$f")"); done
for f in "$SOURCE"/data/knowledge/*.yaml; do knowledge+=("share/tune/knowledge/$(basename "$f")"); done
# One page per subcommand --help lists.
for sub in $("$TUNE" --help | awk '/^[^ ]/ { inside = ($0 == "Subcommands:"); next } inside && /^  [^ ]/ { print $1 }'); do
  pages+=("share/man/man1/tune-$sub.1")
done
expect_files "the shipped profiles in share/tune/profiles" "${profiles[@]}"
expect_files "the unit templates in share/tune/templates" "${templates[@]}"
expect_files "the knowledge base in share/tune/knowledge" "${knowledge[@]}"
expect_files "tune(1) and a page per subcommand in share/man/man1" "${pages[@]}"
expect_files "the completions where bash-completion, zsh (Debian) and fish look" \
  share/bash-completion/completions/tune share/zsh/vendor-completions/_tune share/fish/vendor_completions.d/tune.fish
stray=$(cd "$PREFIX" && find . -type f | grep -vE '^\./(bin/tune|share/(tune/(profiles|templates|knowledge)/|man/man1/tune[-a-z]*\.1$|bash-completion/completions/tune$|zsh/vendor-completions/_tune$|fish/vendor_completions\.d/tune\.fish$))')
[ -z "$stray" ] && pass "nothing installed outside the layout" || fail "installed outside the layout: $stray"

cmp -s "$PREFIX/share/bash-completion/completions/tune" <("$PREFIX/bin/tune" completion bash) &&
  pass "the installed bash completion is what the installed tune prints" ||
  fail "the installed bash completion differs from 'tune completion bash'"

# Relocated: a profile that exists only in the installed share/ must be found
# by the installed binary, with no TUNE_* variable and no --profiles-dir.
printf 'name: installed-only\nsummary: only in the installed tree\nsysctl:\n  vm.swappiness: 10\n' \
  >"$PREFIX/share/tune/profiles/installed-only.yaml"
env -i PATH=/usr/bin:/bin "$PREFIX/bin/tune" profiles list >"$WORK/list" 2>"$WORK/err"
code=$?
[ "$code" = 0 ] && pass "installed tune profiles list exits 0" || fail "profiles list exit $code: $(cat "$WORK/err")"
grep -qw installed-only "$WORK/list" && pass "it finds the profiles beside itself (bin/../share/tune/profiles)" ||
  fail "installed-only not listed: $(cat "$WORK/list")"
missing=""
for f in "$SOURCE"/profiles/*.yaml; do grep -qw "$(basename "$f" .yaml)" "$WORK/list" || missing+=" $(basename "$f" .yaml)"; done
[ -z "$missing" ] && pass "and lists every shipped profile" || fail "shipped profiles not listed:$missing"

warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$PREFIX/share/man/man1/tune.1" 2>&1 >/dev/null)
[ -z "$warnings" ] && pass "man -l renders the installed tune.1 without warnings" || fail "tune.1: $warnings"
LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$PREFIX/share/man/man1/tune.1" 2>/dev/null | grep -q "EXIT STATUS" &&
  pass "and it has an EXIT STATUS section" || fail "the rendered tune.1 has no EXIT STATUS"

if [ "$failures" -gt 0 ]; then echo "$failures check(s) failed"; exit 1; fi
echo "all checks passed"
