#!/usr/bin/env bash
# `tune explain KEY`: the knowledge base's entry, the value on this host (a
# rooted tree here), the stale advice, the profiles that set it with the
# comment that says why and who inherits it; --json; unknown keys with a
# did-you-mean. Reads only: the tree is the same afterwards.
. "$(dirname "$0")/lib.sh"
make_workdir

ROOT=$WORK/root
make_rooted_host "$ROOT"
echo 33 >"$ROOT/proc/sys/vm/swappiness"
mkdir -p "$WORK/profiles"
cat >"$WORK/profiles/mine.yaml" <<'YAML'
name: mine
summary: a test profile
sysctl:
  # Because the explain test says so.
  vm.swappiness: 7
YAML
printf 'name: child\nsummary: inherits mine\nextends: [mine]\n' >"$WORK/profiles/child.yaml"
T() { "$TUNE" --root "$ROOT" --profiles-dir "$WORK/profiles" --no-color "$@"; }
json_field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$WORK/out" "$1"; }
before=$(cd "$ROOT" && find . -type f | sort | xargs md5sum)

expect_exit "explain a sysctl key" 0 T explain vm.swappiness
expect_contains "says what it does" "$WORK/out" "How readily the kernel swaps anonymous memory"
expect_contains "gives the kernel default" "$WORK/out" "default:       60"
expect_contains "gives the range" "$WORK/out" "range:         0 to 200"
expect_contains "reads the value on this host" "$WORK/out" "on this host:  33"
expect_contains "shows the stale advice" "$WORK/out" "0 does not turn swap off"
expect_contains "as risky" "$WORK/out" "risky"
expect_contains "lists a profile that sets it" "$WORK/out" "mine                 vm.swappiness = 7"
expect_contains "with the comment that says why" "$WORK/out" "why: Because the explain test says so."
expect_contains "and who inherits it" "$WORK/out" "inherited by: child"
expect_contains "and the shipped profiles" "$WORK/out" "balanced             vm.swappiness = 10"

expect_exit "the /proc/sys path names the same setting" 0 T explain /proc/sys/vm/swappiness
expect_contains "the same entry" "$WORK/out" "sysctl vm.swappiness"

expect_exit "explain --json" 0 T --json explain vm.swappiness
expect_eq "json: the key" "$(json_field 'd["entries"][0]["key"]')" "vm.swappiness"
expect_eq "json: the default" "$(json_field 'd["entries"][0]["default"]')" "60"
expect_eq "json: the live value" "$(json_field 'd["entries"][0]["live"]')" "33"
expect_eq "json: the risky advice first" "$(json_field 'd["entries"][0]["advice"][0]["verdict"]')" "risky"
expect_eq "json: the profile's reason" \
  "$(json_field '[p["why"] for p in d["entries"][0]["profiles"] if p["profile"]=="mine"][0]')" \
  "Because the explain test says so."
expect_eq "json: who inherits it" \
  "$(json_field '[p["inherited_by"] for p in d["entries"][0]["profiles"] if p["profile"]=="mine"][0]')" "['child']"

expect_exit "an obsolete key" 0 T explain net.ipv4.tcp_tw_recycle
expect_contains "says it is obsolete and why" "$WORK/out" "obsolete: Removed in Linux 4.12"
expect_contains "names the replacement" "$WORK/out" "Use sysctl:net.ipv4.tcp_tw_reuse instead."
expect_contains "and that this kernel lacks it" "$WORK/out" "not there: this kernel does not have it"

expect_exit "a block setting by domain" 0 T explain block:scheduler
expect_contains "maps the stale scheduler name" "$WORK/out" "mapped (use none)"

expect_exit "a misspelled key" 1 T explain vm.swapiness
expect_contains "one line with a did-you-mean" "$WORK/err" "tune: unknown setting 'vm.swapiness' (did you mean 'vm.swappiness'?)"
expect_eq "on one line" "$(wc -l <"$WORK/err")" "1"
expect_exit "a misspelled key, --json" 1 T --json explain vm.swapiness
expect_eq "json: the error" "$(json_field 'd["error"]')" "unknown setting 'vm.swapiness' (did you mean 'vm.swappiness'?)"
expect_exit "a key nobody describes" 1 T explain zz.completely.unknown
expect_contains "says the knowledge base does not describe it" "$WORK/err" "tune's knowledge base does not describe it"
expect_exit "no key is a usage error" 64 T explain

expect_eq "the tree is unchanged" "$(cd "$ROOT" && find . -type f | sort | xargs md5sum)" "$before"
finish
