#!/usr/bin/env bash
# The report page in a real browser: `tune bench compare --html` and `tune
# apply --validate --report` (on a rooted tree, no privileges) write pages
# that Debian's headless Chromium opens with no console error and no network
# request, with every metric of the comparison drawn, the latency and roofline
# charts, and the applied diff. Screenshots are kept in ARTIFACTS_DIR. The
# checker is first shown a damaged page, to prove it can fail.
# usage: report_page_browser_test.sh TUNE ARTIFACTS_DIR
. "$(dirname "$0")/../e2e/lib.sh"
ARTIFACTS=${2:?usage: $0 TUNE ARTIFACTS_DIR}
CHECK=$(dirname "$0")/report_page_check.py
CHROMIUM=${TUNE_TEST_CHROMIUM:-$(command -v chromium || true)}
PYTHON=$(command -v /usr/bin/python3 python3 | head -n 1)
[ -n "$CHROMIUM" ] || skip "Chromium is not installed (scripts/install-deps.sh installs Debian's chromium)"
[ -n "$PYTHON" ] || skip "python3 is not installed"
make_workdir
mkdir -p "$ARTIFACTS"
export TUNE_BENCH_CACHE=$WORK/cache

# metric_names JSON PYTHON_PATH: the comparison's metric names, comma-separated.
metric_names() {
  "$PYTHON" -c "import json,sys; d=json.load(open(sys.argv[1])); print(','.join(m['name'] for m in eval(sys.argv[2])))" "$1" "$2"
}
check_page() { "$PYTHON" "$CHECK" --chromium "$CHROMIUM" "$@"; }

bench() { "$TUNE" bench --model synthetic:tiny --repeat 5 --no-cold -o "$1" >/dev/null; }
expect_exit "a first benchmark result" 0 bench "$WORK/a.json"
expect_exit "a second one" 0 bench "$WORK/b.json"
expect_exit "bench compare --html" 0 "$TUNE" --json bench compare "$WORK/a.json" "$WORK/b.json" --html "$WORK/compare.html"
cp "$WORK/out" "$WORK/compare.json"
metrics=$(metric_names "$WORK/compare.json" 'd["metrics"]')
expect_eq "the comparison has its metrics" "$(echo "$metrics" | tr , '\n' | grep -c decode_tokens_per_s)" 1

# The checker must be able to fail: a page that fetches an image, lost a
# metric's figure and the latency chart.
sed -e 's|<footer>|<img src="http://192.0.2.1/x.png"><footer>|' -e 's|data-metric="decode_tokens_per_s"|data-metric="x"|g' \
  -e 's|data-chart="itl"|data-chart="x"|' "$WORK/compare.html" >"$WORK/damaged.html"
expect_exit "the checker fails a damaged page" 1 check_page --page "$WORK/damaged.html" \
  --screenshot "$WORK/damaged.png" --metrics "$metrics" --charts itl,roofline
expect_contains "on the blocked fetch" "$WORK/err" "the page asked for http://192.0.2.1/x.png"
expect_contains "on the console error it caused" "$WORK/err" "console error (security)"
expect_contains "on the missing figure" "$WORK/err" "metric decode_tokens_per_s: no figure"
expect_contains "on the missing chart" "$WORK/err" "chart itl: missing or not drawn"

expect_exit "the comparison page in Chromium" 0 check_page --page "$WORK/compare.html" \
  --screenshot "$ARTIFACTS/bench-compare.png" --metrics "$metrics" --charts itl,roofline \
  --text "Benchmark comparison" --text "Inter-token latency" --text "Roofline shares"
[ -s "$ARTIFACTS/bench-compare.png" ] && pass "its screenshot is kept" || fail "no screenshot in $ARTIFACTS"

# apply --validate --report on a rooted tree.
TREE=$WORK/tree
mkdir -p "$TREE/proc/sys/net/core" "$TREE/etc/sysctl.d" "$TREE/var/lib/tune"
echo 4096 >"$TREE/proc/sys/net/core/somaxconn"
printf 'name: report-page\nsysctl:\n  net.core.somaxconn: 4321\n' >"$WORK/p.yaml"
expect_exit "--report without --validate is a usage error" 64 \
  "$TUNE" --root "$TREE" apply -p "$WORK/p.yaml" --yes --report "$WORK/nothing.html"
expect_exit "--report into a directory that does not exist fails before anything changes" 1 \
  "$TUNE" --root "$TREE" apply -p "$WORK/p.yaml" --yes --validate --bench-model synthetic:tiny \
  --report "$WORK/no/such/dir/v.html"
expect_eq "so the tree is unchanged" "$(cat "$TREE/proc/sys/net/core/somaxconn")" 4096
expect_exit "apply --validate --report" 0 "$TUNE" --root "$TREE" --json apply -p "$WORK/p.yaml" --yes --validate \
  --keep --bench-model synthetic:tiny --report "$WORK/validate.html"
metrics=$(metric_names "$WORK/out" 'd["validation"]["comparison"]["metrics"]')
expect_exit "the validation page in Chromium" 0 check_page --page "$WORK/validate.html" \
  --screenshot "$ARTIFACTS/apply-validate.png" --metrics "$metrics" --charts itl,roofline \
  --text "Validation of profile 'report-page'" --text "Applied changes" --text "+net.core.somaxconn = 4321" \
  --text "decides"
expect_exit "roll the tree back" 0 "$TUNE" --root "$TREE" rollback --last
finish
