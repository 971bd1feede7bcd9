#!/bin/sh
# fuzz/run.sh SECONDS: build tune's fuzz targets with clang (in build-fuzz/,
# or $TUNE_FUZZ_BUILD) and run each for SECONDS (default 60), seeded with the
# shipped profiles and fuzz/corpus/. Exits non-zero on any crash, hang or
# sanitizer report; the reproducer is left in the work directory it names.
set -eu
seconds=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${TUNE_FUZZ_BUILD:-$root/build-fuzz}
jobs=${TUNE_FUZZ_JOBS:-2}

# ccache, keyed on paths relative to this checkout (see scripts/test.sh).
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=true
launcher=""
command -v ccache >/dev/null && launcher=-DCMAKE_CXX_COMPILER_LAUNCHER=ccache
# shellcheck disable=SC2086
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DTUNE_FUZZ=ON -DTUNE_BUILD_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo $launcher >/dev/null
targets="profile_loader_fuzz advice_fuzz tuned_conf_fuzz policy_fuzz"
# shellcheck disable=SC2086
cmake --build "$build" -j"$jobs" --target $targets

work=$(mktemp -d "${TMPDIR:-/tmp}/tune-fuzz-XXXXXX")
mkdir -p "$work/profile_loader_fuzz" "$work/advice_fuzz" "$work/tuned_conf_fuzz" "$work/policy_fuzz"
cp "$root"/profiles/*.yaml "$work/profile_loader_fuzz/"
cp "$root"/fuzz/corpus/advice/* "$work/advice_fuzz/"
cp "$root"/fuzz/corpus/tuned/* "$work/tuned_conf_fuzz/"
cp "$root"/fuzz/corpus/policy/* "$work/policy_fuzz/"

status=0
for target in $targets; do
  dict=""
  [ "$target" = profile_loader_fuzz ] && dict="-dict=$root/fuzz/profile.dict"
  echo "== $target for ${seconds}s"
  # shellcheck disable=SC2086
  if ! (cd "$work" && "$build/fuzz/$target" $dict -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
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
