#!/usr/bin/env bash
# apply --validate can be trusted on this host: of 20 validations of a profile
# that cannot affect inference (net.* in a private network namespace), at
# most one rolls back; of 20 with decoding 10% slower while the profile's
# file exists (a test-only fault point), at least 19 roll back; of 20 with a
# 2% slowdown against the 5% allowance, none. The counts come from
# bench/validate_false_positives.sh, which prints them (and is the figure BENCH.md quotes).
. "$(dirname "$0")/../e2e/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root for private namespaces"
unshare -n -m true 2>/dev/null || skip "unshare -n -m is not permitted here"
make_workdir
"$(dirname "$0")/../../bench/validate_false_positives.sh" --runs 20 --model synthetic:tiny "$TUNE" >"$WORK/rates" 2>&1
code=$?
cat "$WORK/rates"
expect_eq "the rates script ran" "$code" 0
count() { sed -n "s/^$1=\([0-9]*\)\/20\$/\1/p" "$WORK/rates"; }
aa=$(count aa) slow10=$(count slow10) slow2=$(count slow2)
[ -n "$aa" ] && [ "$aa" -le 1 ] && pass "A/A: $aa of 20 rolled back (at most 1)" || fail "A/A: '$aa' of 20 rolled back"
[ -n "$slow10" ] && [ "$slow10" -ge 19 ] && pass "10% slower: $slow10 of 20 rolled back (at least 19)" ||
  fail "10% slower: '$slow10' of 20 rolled back"
[ -n "$slow2" ] && [ "$slow2" -eq 0 ] && pass "2% slower, 5% allowed: none rolled back" ||
  fail "2% slower: '$slow2' of 20 rolled back"
finish
