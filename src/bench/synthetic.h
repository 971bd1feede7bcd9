// Built-in synthetic models: Llama shapes named by size, with weights drawn
// deterministically from a seed, so every host benchmarks the same bytes
// without downloading anything.
#pragma once

#include "bench/model.h"
#include "bench/weight_storage.h"

#include <string>
#include <string_view>
#include <vector>

namespace tune::bench {

// tiny (tests), 15m, 110m, 1b.
std::vector<std::string> synthetic_sizes();
Result<ModelConfig> synthetic_config(std::string_view size);

// The model built directly in memory (no file).
Model build_synthetic(const ModelConfig& config, WeightType type, uint64_t seed, const std::string& name);

// The model written as a GGUF file.
Status write_synthetic_gguf(const ModelConfig& config, WeightType type, uint64_t seed, const std::string& name,
                            const std::string& path);

// Where synthetic models are kept between runs: $TUNE_BENCH_CACHE,
// else $XDG_CACHE_HOME/tune, else ~/.cache/tune, else /var/tmp/tune.
std::string synthetic_cache_dir();

// The cached GGUF file of a synthetic model, written first if absent.
Result<std::string> synthetic_model_file(std::string_view size, WeightType type, uint64_t seed,
                                         const std::string& cache_dir);

}  // namespace tune::bench
