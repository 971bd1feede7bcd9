#!/usr/bin/env bash
# How often `tune apply --validate` rolls back, on this host, for changes
# whose effect is known:
#   A/A   a profile of net.* settings, applied in a private network namespace:
#         it cannot affect inference, so every rollback is a false one;
#   -10%  the same, with tune's test fault point slowing decoding by 10% while
#         the profile's file exists: every validation should roll it back;
#   -2%   a 2% slowdown against the 5% allowance: none should.
# Prints the counts, one "NAME=ROLLED_BACK/RUNS" line each, then a summary.
# Needs root (namespaces, private mounts) and a tune built with fault points
# (the default build). Leaves nothing behind: /etc/sysctl.d, /etc/tune and the
# state directory are private tmpfs mounts of a private mount namespace, and an
# /etc/tune made as their mount point is removed again.
#
# Usage: bench/validate_false_positives.sh [--runs N] [--model synthetic:SIZE] [--pairs N] [--repeats N]
#                                          [--only aa|slow10|slow2] [TUNE]
# (--pairs and --repeats set [validation] in a private /etc/tune/tune.toml;
# without them the policy's defaults apply. TUNE_RATES_KEEP=DIR keeps every
# validation's JSON there.)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
runs=20
model=synthetic:15m
only=""
pairs=""
repeats=""
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --pairs) pairs=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --model) model=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    *) break ;;
  esac
done
tune=$(readlink -f "${1:-$here/../build/release/tune}")
[ -x "$tune" ] || { echo "validate_false_positives: build tune first (scripts/dry-run.sh)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "validate_false_positives: needs root for private namespaces" >&2; exit 1; }

if [ "${TUNE_RATES_INSIDE:-}" != 1 ]; then
  export TUNE_RATES_INSIDE=1
  exec unshare -n -m --propagation private "$0" --runs "$runs" --model "$model" ${only:+--only "$only"} \
    ${pairs:+--pairs "$pairs"} ${repeats:+--repeats "$repeats"} "$tune"
fi

work=$(mktemp -d)
# The mount point is made on the host's own file system (a mount namespace
# does not make mkdir private): made here, it goes again at exit.
made_etc_tune=""
[ -d /etc/tune ] || made_etc_tune=1
trap 'umount /etc/sysctl.d /etc/tune "$work/state" /run/lock 2>/dev/null; [ -z "$made_etc_tune" ] || rmdir /etc/tune;
  rm -rf "$work"' EXIT
mkdir -p /etc/tune "$work/state" "$work/cache"
for dir in /etc/sysctl.d /etc/tune "$work/state" /run/lock; do mount -t tmpfs -o mode=0755 tmpfs "$dir"; done
export TUNE_BENCH_CACHE=$work/cache
{
  echo "[validation]"
  [ -z "$pairs" ] || echo "pairs = $pairs"
  [ -z "$repeats" ] || echo "repeats = $repeats"
} >/etc/tune/tune.toml
cat >"$work/net.yaml" <<'YAML'
name: validate-rates
summary: two per-namespace settings that cannot change inference speed
sysctl:
  net.core.somaxconn: 4321
  net.ipv4.tcp_fin_timeout: 17
YAML

# series NAME SLOWDOWN_PCT: RUNS validations; prints NAME=ROLLED_BACK/RUNS.
series() {
  local name=$1 slow=$2 rolled=0 code
  for _ in $(seq "$runs"); do
    code=0
    if [ "$slow" = 0 ]; then
      "$tune" --state-dir "$work/state" --json apply --profile "$work/net.yaml" --yes --validate \
        --bench-model "$model" >"$work/out" 2>"$work/err" || code=$?
    else
      TUNE_TEST_BENCH_SLOW_IF_EXISTS=/etc/sysctl.d/90-tune.conf TUNE_TEST_BENCH_SLOW_PCT=$slow \
        "$tune" --state-dir "$work/state" --json apply --profile "$work/net.yaml" --yes --validate \
        --bench-model "$model" >"$work/out" 2>"$work/err" || code=$?
    fi
    case $code in
      0) "$tune" --state-dir "$work/state" rollback --last >/dev/null ;;
      4) rolled=$((rolled + 1)) ;;
      *) echo "validate_false_positives: a validation failed (exit $code): $(cat "$work/err")" >&2; exit 1 ;;
    esac
    # Why: each run's verdict line, for whoever reads the figures.
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["validation"]["verdict"])' "$work/out" \
      >>"$work/verdicts-$name"
    [ -z "${TUNE_RATES_KEEP:-}" ] || cp "$work/out" "$TUNE_RATES_KEEP/$name-$(wc -l <"$work/verdicts-$name").json"
  done
  echo "$name=$rolled/$runs"
  echo "  verdicts: $(sort "$work/verdicts-$name" | uniq -c | awk '{c=$1; $1=""; printf "%s%s x%d", sep, substr($0,2), c; sep=", "}')"
}

echo "tune apply --validate, $runs runs per series, $model, pairs ${pairs:-default}, repeats ${repeats:-default}, $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
start=$(date +%s)
[ -z "$only" ] || [ "$only" = aa ] && series aa 0
[ -z "$only" ] || [ "$only" = slow10 ] && series slow10 10
[ -z "$only" ] || [ "$only" = slow2 ] && series slow2 2
echo "took $(($(date +%s) - start)) s"
echo "want: aa at most 5% (1 of 20), slow10 at least 95% (19 of 20), slow2 none"
