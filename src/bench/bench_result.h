// What one `tune bench` run measured, and its JSON form (the input of
// `tune bench compare`). Every metric keeps its raw samples, one per
// repetition, so a comparison can test them rather than trust a summary.
#pragma once

#include "util/result.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace tune::bench {

inline constexpr int kResultFormat = 1;

struct Metric {
  std::string name;   // "decode_tokens_per_s"
  std::string label;  // "decode"
  std::string unit;   // "tok/s"
  bool higher_is_better = true;
  std::vector<double> samples;
};

struct BenchResult {
  std::string tune_version;
  std::string started_at;  // UTC, ISO 8601

  // Host
  std::string cpu;
  int cores = 0;
  int threads = 0;
  bool pinned = false;
  std::string pin_note;
  std::string kernels;
  std::string thp_mode;       // /sys/kernel/mm/transparent_hugepage/enabled, the chosen one
  long long hugepages_total = 0;

  // Model
  std::string model;          // as asked: synthetic:110m or a path
  std::string model_file;     // the file loaded
  std::string weight_type;
  std::string weight_memory;  // what backs the weights: mmap, thp, hugetlb+mlock...
  size_t file_bytes = 0;
  size_t weight_bytes_per_token = 0;
  size_t huge_page_bytes = 0;  // of the weights, backed by huge pages
  int dim = 0, layers = 0, heads = 0, kv_heads = 0, hidden = 0, vocab = 0;

  // Workload
  int prompt_tokens = 0;
  std::string kv_cache;  // f32 or f16
  int generate_tokens = 0;
  int repeat = 0;
  std::string prompt_source;  // "seed" (drawn from --seed), or the --prompt-tokens file

  // The token ids the first timed repetition generated (greedy), in order:
  // the same file and prompt in another runtime should give the same ones.
  std::vector<int> tokens;

  // Probes
  double read_bandwidth_gbs = 0;  // peak
  double fma_gflops = 0;          // peak

  std::vector<Metric> metrics;
  std::vector<std::string> notes;

  const Metric* metric(const std::string& name) const;
};

nlohmann::json result_to_json(const BenchResult& result);
// Reads a result written by result_to_json; errors name the field.
Result<BenchResult> result_from_json(const nlohmann::json& json);

}  // namespace tune::bench
