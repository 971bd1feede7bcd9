#!/usr/bin/env bash
# tune and llama.cpp on the same GGUF file: for each weight type below, a
# synthetic Llama model written by `tune bench --write-model` is decoded
# greedily by `tune bench --tokens` and by llama.cpp (greedy.mjs, through the
# node-llama-cpp that scripts/install-deps.sh puts in .deps/npm-llama), from
# the same prompt token ids and with the same threads.
#
# Pass: the 32 tokens are identical; or, at the first step where they differ,
# tune picked llama.cpp's runner-up and llama.cpp's top-1 and runner-up
# logits are within the type's tolerance of each other (after that step the
# two continue from different tokens, so nothing later can be compared).
#
# The tolerances: what the two runtimes' logit gaps (top-1 minus runner-up)
# were seen to differ by on these models, over 32 steps where both had the
# same two tokens on top, times about ten (tiny, seed 7, llama.cpp of
# node-llama-cpp 3.21.1 on a Zen 4):
#   f32   median 0.0002, largest 0.0006: sums in another order
#   f16   median 0.0009, largest 0.0022: llama.cpp also rounds the
#         activations of f16 products to f16
#   q8_0  median 0.014,  largest 0.05: the q8_0 products differ by more
#         than float order. With only output.weight in q8_0 (all else f32),
#         llama.cpp's logits from the same input differ from tune's by 0.008
#         on average; computed offline from that input, float activations,
#         q8 activations with f32 scales (tune) and with f16 scales (ggml's
#         block_q8_0) all miss llama.cpp's by as much: its CPU build's q8_0
#         product does something else -- left to find out
# A real difference in what is computed moves the logits by far more and
# picks a token that is not the runner-up: with tune's rope rotating halves
# instead of adjacent pairs, the tokens part at the third step, where
# llama.cpp's gap is 0.06 and tune's token is not its runner-up.
#
# Usage: compare.sh TUNE_BINARY
# Environment: TUNE_NPM_LLAMA (default .deps/npm-llama), LLAMACPP_TYPES
# (a subset of the types below, e.g. "f16 q8_0").
# Exit 77 (skipped) when node-llama-cpp or Node.js is missing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
tune=${1:?usage: compare.sh TUNE_BINARY}
packages=${TUNE_NPM_LLAMA:-$repo/.deps/npm-llama}

# What is compared, one line a case: weight type, tie tolerance (above), and
# the synthetic size (tiny: grouped-query attention, two layers, an odd
# vocabulary; a type whose blocks do not divide tiny's rows needs a larger
# one). A type the runner gains joins here. The size may name an
# architecture and a tied classifier (synthetic.h: tiny-qwen2, tiny-tied;
# Gemma's classifier is always tied). tiny-gemma2 and tiny-gemma3 slide an
# 8-position window, shorter than the 12-token prompt and the 32 tokens.
cases=(
  "f32 0.005 tiny"
  "f16 0.01 tiny"
  "q8_0 0.1 tiny"
  "f32 0.005 tiny-tied"
  "f32 0.005 tiny-qwen2"
  "q8_0 0.1 tiny-qwen2-tied"
  "f32 0.005 tiny-qwen3"
  "q8_0 0.1 tiny-qwen3-tied"
  "f32 0.005 tiny-ropefreqs"
  "f32 0.005 tiny-gemma2"
  "q8_0 0.1 tiny-gemma2"
  "f32 0.005 tiny-gemma3"
  "q8_0 0.1 tiny-gemma3"
  "f32 0.005 tiny-gemma3-ropelinear"
  "f32 0.005 tiny-qwen2-ropelinear"
  "bf16 0.1 tiny"
  "q4_0 0.1 tiny"
  "q4_1 0.1 tiny"
  "q5_0 0.1 tiny"
  "q4_k 0.1 small"
  "q5_k 0.1 small"
  "q6_k 0.1 small"
  "q4_k 0.1 small-qwen2"
  "q4_k_m 0.1 small"
  "q4_k_m 0.1 small-qwen3-tied"
  "q4_k_m 0.1 small-gemma3"
)
if [ -n "${LLAMACPP_TYPES:-}" ]; then  # a subset, by type
  selected=()
  for case in "${cases[@]}"; do
    for type in $LLAMACPP_TYPES; do [ "${case%% *}" = "$type" ] && selected+=("$case"); done
  done
  cases=("${selected[@]}")
fi
count=32
threads=2

if ! command -v node >/dev/null; then
  echo "SKIP: Node.js is not installed (scripts/install-deps.sh installs it)"
  exit 77
fi
if [ ! -f "$packages/node_modules/node-llama-cpp/package.json" ]; then
  echo "SKIP: node-llama-cpp is not installed in $packages (run scripts/install-deps.sh)"
  exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A fixed prompt: no BOS in front (neither runtime adds one to token ids).
echo "17 3 250 101 42 42 7 199 64 5 260 88" >"$work/prompt.txt"

failed=0
for case in "${cases[@]}"; do
  read -r type tie_tolerance size <<<"$case"
  label=$type-$size  # one case a file: a type may come in several sizes and architectures
  model=$work/$label.gguf
  "$tune" --quiet bench --model "synthetic:$size" --dtype "$type" --seed 7 --write-model "$model" >/dev/null
  "$tune" --quiet bench --model "$model" --prompt-tokens "$work/prompt.txt" --generate "$count" \
    --threads "$threads" --no-pin --repeat 1 --warmup 0 --no-cold --no-probes --tokens >"$work/$label.tune"
  TUNE_NPM_LLAMA=$packages node "$here/greedy.mjs" "$model" "$work/prompt.txt" "$count" "$threads" >"$work/$label.llama"
  if ! python3 - "$label" "$work/$label.tune" "$work/$label.llama" "$tie_tolerance" <<'EOF'; then
import json, sys
kind, tune_path, llama_path, tolerance = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
tune = [int(word) for word in open(tune_path).read().split()]
llama = json.load(open(llama_path))
theirs = llama["tokens"]
if len(tune) != len(theirs):
    print(f"{kind}: tune gave {len(tune)} tokens, llama.cpp {len(theirs)}")
    sys.exit(1)
first = next((i for i, (a, b) in enumerate(zip(tune, theirs)) if a != b), None)
if first is None:
    print(f"{kind}: {len(tune)} tokens identical (llama.cpp {llama['llama_cpp']}); "
          f"smallest top-1 gap {min(s['gap'] for s in llama['steps']):.4f}")
    sys.exit(0)
step = llama["steps"][first]
near_tie = step["gap"] < tolerance and tune[first] == step["runner_up"]
verdict = ("a near tie: passes" if near_tie else
           "a real difference" + ("" if tune[first] == step["runner_up"] else " (tune's token is not the runner-up)"))
print(f"{kind}: first difference at token {first}: tune {tune[first]}, llama.cpp {theirs[first]} "
      f"(runner-up {step['runner_up']}, gap {step['gap']:.4f}, tolerance {tolerance}): {verdict}")
print(f"  tune:      {' '.join(map(str, tune))}")
print(f"  llama.cpp: {' '.join(map(str, theirs))}")
sys.exit(0 if near_tie else 1)
EOF
    failed=1
  fi
done
exit $failed
