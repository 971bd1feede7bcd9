#!/usr/bin/env bash
# The man pages and the three completion scripts the build wrote against the
# CLI itself: every subcommand and every option that `tune ... --help` prints
# (parsed from the help text, not from the generator's data) appears in the
# man page of its command and in each script under its command; the scripts
# pass each shell's syntax check; every page renders without a warning.
# Usage: cli_reference_test.sh TUNE REFERENCE_DIR (the build's reference/)
set -u
TUNE=${1:?usage: $0 PATH_TO_TUNE REFERENCE_DIR}
REF=${2:?usage: $0 PATH_TO_TUNE REFERENCE_DIR}
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

BASH_SCRIPT=$REF/completions/tune ZSH_SCRIPT=$REF/completions/_tune FISH_SCRIPT=$REF/completions/tune.fish
for file in "$BASH_SCRIPT" "$ZSH_SCRIPT" "$FISH_SCRIPT" "$REF/man/tune.1"; do
  [ -s "$file" ] || { echo "FAIL: $file is missing or empty (build the tune_reference target)"; exit 1; }
done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# A page as plain text: roff's minus signs and font changes undone.
plain() { sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$1"; }

# help_section PATH... SECTION: the first words of the lines under "SECTION:" in
# `tune PATH --help`; for Options, every spelling ("-p" and "--profile").
help_section() {
  local section=${*: -1}
  "$TUNE" "${@:1:$#-1}" --help 2>/dev/null | awk -v section="$section:" '
    /^[^ ]/ { inside = ($0 == section); next }
    inside && /^  [^ ]/ { print $1 }' | if [ "$section" = Options ]; then tr ',' '\n'; else cat; fi
}

# The command paths, breadth first from tune itself: "", "profiles", "profiles show"...
paths=("")
for ((i = 0; i < ${#paths[@]}; i++)); do
  read -r -a words <<<"${paths[i]}"
  for sub in $(help_section "${words[@]}" Subcommands); do
    paths+=("${paths[i]:+${paths[i]} }$sub")
  done
done
[ "${#paths[@]}" -gt 10 ] && pass "found ${#paths[@]} commands in --help" || fail "only ${#paths[@]} commands in --help"

# zsh: the body of a command's function (_tune_cmd_history_show).
zsh_function() {
  local name=${1//[^a-zA-Z0-9 ]/_}
  awk -v name="_tune_cmd${name:+_${name// /_}}() {" '$0 == name { inside = 1 } inside { print } inside && /^}$/ { exit }' "$ZSH_SCRIPT"
}

for path in "${paths[@]}"; do
  read -r -a words <<<"$path"
  label="tune${path:+ $path}"
  top=${words[0]:-}
  page=$REF/man/${top:+tune-$top.1}
  [ -z "$top" ] && page=$REF/man/tune.1
  if [ ! -f "$page" ]; then fail "$label: no man page $(basename "$page")"; continue; fi
  plain "$page" >"$WORK/page"
  zsh_function "$path" >"$WORK/zsh"
  [ -s "$WORK/zsh" ] || fail "$label: no function in the zsh script"
  grep -F "__tune_at $path'" "$FISH_SCRIPT" >"$WORK/fish"
  bash_options=$(awk '/^_tune_options\(\)/ { inside = 1 } inside { print } inside && /^}$/ { exit }' "$BASH_SCRIPT" |
    grep -F "    \"$path\") echo" | sed 's/.*echo "\(.*\)" ;;$/\1/')
  # tune's own: the lines with no condition (global options) and those at the empty path.
  [ -z "$path" ] && grep -E "^complete -c tune( -[^n]|$)|__tune_at '" "$FISH_SCRIPT" >"$WORK/fish"

  # Nested commands have their section in the parent's page.
  if [ "${#words[@]}" -gt 1 ]; then
    grep -qF ".SS \"tune $path\"" "$page" && pass "$label: a section of $(basename "$page")" ||
      fail "$label: no section in $(basename "$page")"
  fi
  missing=""
  for sub in $(help_section "${words[@]}" Subcommands); do
    grep -q "^    \"$path\") echo \".*\b$sub\b" "$BASH_SCRIPT" || missing+=" bash:$sub"
    grep -qF "'$sub:" "$WORK/zsh" || missing+=" zsh:$sub"
    grep -qF -- "-a '$sub'" "$WORK/fish" || missing+=" fish:$sub"
    if [ -z "$path" ]; then
      [ -f "$REF/man/tune-$sub.1" ] || missing+=" man:tune-$sub.1"
      grep -qE "^\\\\fB$sub\\\\fR$" "$REF/man/tune.1" || missing+=" tune.1:$sub"
    fi
  done
  for option in $(help_section "${words[@]}" Options); do
    grep -qwF -- "$option" "$WORK/page" || missing+=" man:$option"
    [[ " $bash_options " == *" $option "* ]] || missing+=" bash:$option"
    grep -qE -- "'\*?$option\[" "$WORK/zsh" || missing+=" zsh:$option"
    if [[ $option == --* ]]; then flag="-l ${option#--}"; else flag="-s ${option#-}"; fi
    grep -qE -- "$flag( |$)" "$WORK/fish" || missing+=" fish:$option"
  done
  if [ -z "$missing" ]; then pass "$label: subcommands and options in the man page and all three scripts"; else
    fail "$label: missing$missing"
  fi
done

bash -n "$BASH_SCRIPT" 2>"$WORK/err" && pass "bash -n accepts the bash script" || fail "bash -n: $(cat "$WORK/err")"
if command -v zsh >/dev/null; then
  zsh -n "$ZSH_SCRIPT" 2>"$WORK/err" && pass "zsh -n accepts _tune" || fail "zsh -n: $(cat "$WORK/err")"
else
  echo "SKIP: zsh is not installed"
fi
if command -v fish >/dev/null; then
  fish --no-execute "$FISH_SCRIPT" 2>"$WORK/err" && pass "fish --no-execute accepts tune.fish" ||
    fail "fish --no-execute: $(cat "$WORK/err")"
else
  echo "SKIP: fish is not installed"
fi

# man's own check (groff -ww through man), as lintian runs it.
for page in "$REF"/man/*.1; do
  warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null)
  [ -z "$warnings" ] || fail "$(basename "$page") renders with warnings: $warnings"
done
[ "$failures" = 0 ] && pass "every man page renders without a warning"

if [ "$failures" -gt 0 ]; then echo "$failures check(s) failed"; exit 1; fi
echo "all checks passed"
