#!/bin/sh
# fuzz/run.sh [SECONDS | --ci]: build tune's fuzz targets with clang (in
# build-fuzz/, or $TUNE_FUZZ_BUILD) and run each, seeded with the shipped
# profiles, fuzz/corpus/ and fuzz/regressions/ (every input a fuzzer once
# broke tune with).
#   SECONDS (default 60): explore for that long per target with a random seed;
#                         what it finds goes into fuzz/regressions/ once fixed.
#   --ci:                 a fixed seed and a fixed number of inputs per target
#                         ($TUNE_FUZZ_RUNS, default 20000), so the same commit
#                         gives the same verdict on every run: a gate must not
#                         fail at random on a bug nobody's change introduced.
# Exits non-zero on any crash, hang or sanitizer report; the reproducer is
# left in the work directory it names.
set -eu
mode=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TUNE_FUZZ_BUILD:-$root/build-fuzz}
jobs=${TUNE_FUZZ_JOBS:-2}
if [ "$mode" = --ci ]; then
  limits="-seed=1 -runs=${TUNE_FUZZ_RUNS:-20000}"
else
  limits="-max_total_time=$mode"
fi

# ccache, keyed on paths relative to this checkout (see scripts/test.sh).
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=true
launcher=""
command -v ccache >/dev/null && launcher=-DCMAKE_CXX_COMPILER_LAUNCHER=ccache
# shellcheck disable=SC2086
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DTUNE_FUZZ=ON -DTUNE_BUILD_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo $launcher >/dev/null
targets="profile_loader_fuzz advice_fuzz tuned_conf_fuzz policy_fuzz plan_fuzz journal_fuzz facts_fuzz gguf_fuzz llama2c_fuzz"
# shellcheck disable=SC2086
cmake --build "$build" -j"$jobs" --target $targets make_model_seeds

work=$(mktemp -d "${TMPDIR:-/tmp}/tune-fuzz-XXXXXX")
for target in $targets; do mkdir -p "$work/$target"; done
cp "$root"/profiles/*.yaml "$work/profile_loader_fuzz/"
for corpus in advice:advice_fuzz tuned:tuned_conf_fuzz policy:policy_fuzz plan:plan_fuzz journal:journal_fuzz facts:facts_fuzz; do
  cp "$root/fuzz/corpus/${corpus%%:*}"/* "$work/${corpus#*:}/"
done
for target in $targets; do
  if [ -d "$root/fuzz/regressions/$target" ]; then cp "$root/fuzz/regressions/$target"/* "$work/$target/"; fi
done
"$build/fuzz/make_model_seeds" "$work/gguf_fuzz" "$work/llama2c_fuzz"

status=0
for target in $targets; do
  dict=""
  [ "$target" = profile_loader_fuzz ] && dict="-dict=$root/fuzz/profile.dict"
  echo "== $target ($limits)"
  # shellcheck disable=SC2086
  if ! (cd "$work" && "$build/fuzz/$target" $dict $limits -timeout=10 -rss_limit_mb=2048 \
        -max_len=16384 -print_final_stats=1 "$work/$target" 2>"$work/$target.log"); then
    echo "FAIL: $target found a problem; see $work/$target.log and the crash-* file in $work" >&2
    tail -n 40 "$work/$target.log" >&2
    status=1
  else
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$work/$target.log" || true
  fi
done
[ "$status" -eq 0 ] && rm -rf "$work"
exit "$status"
