// One benchmark run: resolve the model (a synthetic one is written to the
// cache once), probe the host's bandwidth and FMA peak, time cold and warm
// loads, then run prompt + greedy decode `repeat` times, keeping every
// sample.
#pragma once

#include "bench/bench_result.h"
#include "bench/transformer.h"
#include "bench/weight_storage.h"
#include "bench/type_mix.h"
#include "bench/weight_type.h"

#include <functional>
#include <string>
#include <vector>

namespace tune::bench {

struct BenchOptions {
  std::string model = "synthetic:110m";  // synthetic:SIZE, FILE.gguf, or a llama2.c FILE.bin
  WeightType weight_type = WeightType::kQ8_0;  // of a synthetic model
  TypeMix weight_mix = TypeMix::kUniform;       // ... or its _M mix (q4_k_m)
  uint64_t seed = 1;                           // of a synthetic model and of the prompt
  int threads = 0;                             // 0: one per physical core
  bool pin = true;
  int prompt_tokens = 128;           // of a prompt drawn from the seed
  // An explicit prompt (token ids, e.g. from --prompt-tokens FILE) instead
  // of one drawn from the seed; prompt_source names it in errors.
  std::vector<int> prompt;
  std::string prompt_source;
  int generate_tokens = 64;
  int repeat = 5;
  int warmup = 1;
  KvCache kv_cache = KvCache::kF16;  // as common CPU runners keep it
  LoadOptions load{WeightMemory::kAuto, false};  // huge pages when the host allows them
  bool cold_load = true;   // also time loads with the file dropped from the page cache
  bool probes = true;      // measure bandwidth and FMA peaks (needed for the roofline shares)
  size_t probe_bytes = size_t{512} << 20;
  int probe_passes = 5;              // of the peak probes before the runs (the best pass counts)
  double fma_probe_seconds = 0.1;    // per pass
  bool probe_each_run = true;        // probe again before every timed run (fairer shares on a drifting host)
  std::string cache_dir;   // for synthetic models; empty: synthetic_cache_dir()
  std::string tune_version;
  // Called as the run moves on: what it is doing, and how far (0..1) overall.
  std::function<void(const std::string& stage, double done)> progress;
};

// Resolves --model to a file, writing a synthetic model into the cache first
// when needed.
Result<std::string> resolve_model_file(const BenchOptions& options);

Result<BenchResult> run_benchmark(const BenchOptions& options);

}  // namespace tune::bench
