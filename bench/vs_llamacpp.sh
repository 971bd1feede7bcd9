#!/usr/bin/env bash
# tune against llama.cpp (node-llama-cpp's prebuilt CPU build, from
# .deps/npm-llama: scripts/install-deps.sh) on the same GGUF file, prompt
# token ids and threads: prefill and decode tokens/s of each, and the ratio
# tune / llama.cpp. Not a test. The two run alternated, ROUNDS times each,
# one process a run (the load is not timed), so a drift of the host over the
# sitting falls on both alike; the figures are medians over the rounds.
#
# llama.cpp's prefill is the prompt evaluated as one batch and its first
# token picked; its decode, each later token evaluated and picked (greedy,
# no probabilities), timed in node around each call: a few microseconds of
# JavaScript a token are counted against it.
#
# Usage: bench/vs_llamacpp.sh [PATH_TO_TUNE] [SIZE] [THREADS] [ROUNDS]
#   defaults: build/release/tune, 110m, 2, 5. Environment: TYPES (default
#   "f32 f16 q8_0"), PROMPT (128 tokens), GENERATE (64 tokens).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
tune=${1:-$repo/build/release/tune}
size=${2:-110m}
threads=${3:-2}
rounds=${4:-5}
read -r -a types <<<"${TYPES:-f32 f16 q8_0}"
prompt_count=${PROMPT:-128}
generate=${GENERATE:-64}
packages=${TUNE_NPM_LLAMA:-$repo/.deps/npm-llama}
greedy=$repo/tests/bench/llamacpp/greedy.mjs
[ -x "$tune" ] || { echo "vs_llamacpp: build tune first (give its path)" >&2; exit 1; }
[ -f "$packages/node_modules/node-llama-cpp/package.json" ] ||
  { echo "vs_llamacpp: node-llama-cpp is not in $packages (run scripts/install-deps.sh)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The prompt: ids drawn once, the same for both (no BOS), below 261 so that
# every synthetic size has them.
python3 -c "import random; r = random.Random(7); print(' '.join(str(r.randrange(3, 261)) for _ in range($prompt_count)))" \
  >"$work/prompt.txt"

echo "tune vs llama.cpp: synthetic:$size, prompt $prompt_count tokens, $generate generated, $threads threads, $rounds rounds alternated"
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
printf '%-6s %14s %14s %7s   %14s %14s %7s\n' type "tune prefill" "llama prefill" ratio "tune decode" "llama decode" ratio
for type in "${types[@]}"; do
  model=$work/$type.gguf
  "$tune" --quiet bench --model "synthetic:$size" --dtype "$type" --write-model "$model" >/dev/null
  : >"$work/$type.tune"
  : >"$work/$type.llama"
  for _ in $(seq "$rounds"); do
    "$tune" --quiet --json bench --model "$model" --prompt-tokens "$work/prompt.txt" --generate "$generate" \
      --threads "$threads" --repeat 1 --warmup 1 --no-cold --no-probes >>"$work/$type.tune"
    TUNE_NPM_LLAMA=$packages node "$greedy" "$model" "$work/prompt.txt" "$((generate + 1))" "$threads" --timing \
      >>"$work/$type.llama"
  done
  python3 - "$type" "$work/$type.tune" "$work/$type.llama" "$prompt_count" "$generate" <<'EOF'
import json, statistics, sys
kind, tune_path, llama_path, prompt, generate = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
decoder = json.JSONDecoder()
text, at, tune_runs = open(tune_path).read(), 0, []
while at < len(text):  # one JSON document a round, concatenated
    while at < len(text) and text[at].isspace():
        at += 1
    if at == len(text):
        break
    run, at = decoder.raw_decode(text, at)
    tune_runs.append({m["name"]: m["samples"][0] for m in run["metrics"]})
llama_runs = [json.loads(line) for line in open(llama_path) if line.strip()]
tune_prefill = statistics.median(r["prefill_tokens_per_s"] for r in tune_runs)
tune_decode = statistics.median(r["decode_tokens_per_s"] for r in tune_runs)
llama_prefill = statistics.median(prompt / r["prefill_s"] for r in llama_runs)
llama_decode = statistics.median(generate / r["decode_s"] for r in llama_runs)
print(f"{kind:<6} {tune_prefill:14.1f} {llama_prefill:14.1f} {tune_prefill / llama_prefill:7.2f}   "
      f"{tune_decode:14.1f} {llama_decode:14.1f} {tune_decode / llama_decode:7.2f}")
EOF
done
echo "tokens/s, medians; ratio = tune / llama.cpp (above 1: tune faster)"
