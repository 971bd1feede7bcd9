// Built-in synthetic models: Llama shapes named by size, with weights drawn
// deterministically from a seed, so every host benchmarks the same bytes
// without downloading anything.
#pragma once

#include "bench/model.h"
#include "bench/type_mix.h"
#include "bench/weight_storage.h"

#include <string>
#include <string_view>
#include <vector>

namespace tune::bench {

// tiny (tests), 15m, 110m, 1b.
std::vector<std::string> synthetic_sizes();
// A size, then optionally "-ARCH" (an architecture.h name; llama when
// absent), "-tied" (no output.weight: the embedding table classifies;
// Gemma's always is) and "-ropefreqs" (a rope_freqs.weight tensor, Llama
// 3.1's rope frequency scaling), "-ropelinear" (rope.scaling linear, factor
// 8, as Gemma 3 4B's): "tiny", "tiny-qwen2", "1b-tied",
// "tiny-qwen3-tied", "tiny-tied-ropefreqs". An architecture comes first.
Result<ModelConfig> synthetic_config(std::string_view name);

// The model built directly in memory (no file).
Model build_synthetic(const ModelConfig& config, WeightType type, uint64_t seed, const std::string& name);

// The model written as a GGUF file, every matrix in `types` (one type, or a
// llama.cpp-style mix: type_mix.h).
Status write_synthetic_gguf(const ModelConfig& config, SyntheticTypes types, uint64_t seed, const std::string& name,
                            const std::string& path);
inline Status write_synthetic_gguf(const ModelConfig& config, WeightType type, uint64_t seed, const std::string& name,
                                   const std::string& path) {
  return write_synthetic_gguf(config, SyntheticTypes{type, TypeMix::kUniform}, seed, name, path);
}

// Where synthetic models are kept between runs: $TUNE_BENCH_CACHE,
// else $XDG_CACHE_HOME/tune, else ~/.cache/tune, else /var/tmp/tune.
std::string synthetic_cache_dir();

// The cached GGUF file of a synthetic model, written first if absent.
Result<std::string> synthetic_model_file(std::string_view size, SyntheticTypes types, uint64_t seed,
                                         const std::string& cache_dir);
inline Result<std::string> synthetic_model_file(std::string_view size, WeightType type, uint64_t seed,
                                                const std::string& cache_dir) {
  return synthetic_model_file(size, SyntheticTypes{type, TypeMix::kUniform}, seed, cache_dir);
}

}  // namespace tune::bench
