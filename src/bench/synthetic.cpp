#include "bench/synthetic.h"

#include "bench/gguf.h"
#include "bench/llama_layout.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <thread>

namespace tune::bench {
namespace {

// Bump when the generated values change, so stale cached files are not reused.
constexpr int kGeneratorVersion = 1;

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint64_t hash_name(const std::string& name, uint64_t seed) {
  uint64_t hash = 0xcbf29ce484222325ull ^ seed;
  for (unsigned char c : name) hash = (hash ^ c) * 0x100000001b3ull;
  return hash;
}

// Uniform in [-1, 1).
float uniform(uint64_t& state) {
  return static_cast<float>(static_cast<double>(splitmix64(state) >> 40) / static_cast<double>(1ull << 23) - 1.0);
}

// One tensor's values, row by row (each row seeded on its own, so rows can be
// made in parallel and the result never depends on the thread count).
void fill_tensor(const TensorSpec& spec, WeightType type, uint64_t seed, uint8_t* out) {
  const size_t cols = spec.dims[0];
  const size_t rows = spec.dims.size() > 1 ? spec.dims[1] : 1;
  const WeightType stored = spec.is_matrix ? type : WeightType::kF32;
  const size_t stride = row_bytes(stored, cols);
  const uint64_t tensor_seed = hash_name(spec.name, seed);
  // Matrices keep activations at unit scale (variance 1/cols per weight);
  // norm weights sit near 1; the embedding table is unit scale.
  const bool is_norm = !spec.is_matrix;
  const bool is_embedding = spec.name == "token_embd.weight";
  const float scale = is_norm || is_embedding ? 1.0f : std::sqrt(3.0f / static_cast<float>(cols));

  auto make_rows = [&](size_t begin, size_t end) {
    std::vector<float> values(cols);
    for (size_t r = begin; r < end; ++r) {
      uint64_t state = tensor_seed ^ (r * 0xd1342543de82ef95ull);
      for (size_t i = 0; i < cols; ++i) {
        values[i] = is_norm ? 1.0f + 0.2f * uniform(state) : scale * uniform(state);
      }
      quantize_row(stored, values.data(), cols, out + r * stride);
    }
  };
  const size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 16);
  if (rows < 256 || threads == 1) {
    make_rows(0, rows);
    return;
  }
  std::vector<std::thread> workers;
  for (size_t t = 0; t < threads; ++t) workers.emplace_back(make_rows, rows * t / threads, rows * (t + 1) / threads);
  for (auto& worker : workers) worker.join();
}

size_t tensor_bytes(const TensorSpec& spec, WeightType type) {
  const size_t rows = spec.dims.size() > 1 ? spec.dims[1] : 1;
  return row_bytes(spec.is_matrix ? type : WeightType::kF32, spec.dims[0]) * rows;
}

}  // namespace

std::vector<std::string> synthetic_sizes() { return {"tiny", "15m", "110m", "1b"}; }

Result<ModelConfig> synthetic_config(std::string_view size) {
  ModelConfig c;
  auto shape = [&c](int dim, int hidden, int layers, int heads, int kv_heads, int vocab, int context) {
    c.dim = dim;
    c.hidden_dim = hidden;
    c.n_layers = layers;
    c.n_heads = heads;
    c.n_kv_heads = kv_heads;
    c.vocab_size = vocab;
    c.max_seq_len = context;
  };
  if (size == "tiny") {
    // Small enough for sanitizer builds; grouped-query attention and an odd
    // vocabulary so every code path (and every tile remainder) runs.
    shape(64, 192, 2, 4, 2, 261, 256);
  } else if (size == "15m") {
    shape(288, 768, 6, 6, 6, 32000, 256);
  } else if (size == "110m") {
    shape(768, 2048, 12, 12, 12, 32000, 1024);
  } else if (size == "1b") {
    shape(2048, 5632, 22, 32, 4, 32000, 2048);
  } else {
    return make_error("unknown synthetic model size '{}' (one of: tiny, 15m, 110m, 1b)", size);
  }
  return c;
}

Model build_synthetic(const ModelConfig& config, WeightType type, uint64_t seed, const std::string& name) {
  const auto specs = llama_tensors(config, false);
  std::vector<size_t> offsets;
  size_t total = 0;
  for (const auto& spec : specs) {
    offsets.push_back(total);
    total += (tensor_bytes(spec, type) + 63) / 64 * 64;
  }
  std::vector<uint8_t> bytes(total);
  for (size_t i = 0; i < specs.size(); ++i) fill_tensor(specs[i], type, seed, bytes.data() + offsets[i]);
  auto storage = memory_storage(std::move(bytes));
  TensorTable tensors;
  for (size_t i = 0; i < specs.size(); ++i) {
    tensors[specs[i].name] = {specs[i].is_matrix ? type : WeightType::kF32, specs[i].dims,
                              storage->data() + offsets[i]};
  }
  auto model = assemble_llama(config, tensors, storage, name);
  // The specs and the assembly come from the same layout: a failure here is a bug.
  if (!model) std::abort();
  return std::move(*model);
}

Status write_synthetic_gguf(const ModelConfig& config, WeightType type, uint64_t seed, const std::string& name,
                            const std::string& path) {
  TUNE_RETURN_IF_ERROR(validate_config(config));
  const auto specs = llama_tensors(config, false);
  GgufWriteSpec spec;
  spec.metadata = llama_metadata(config, name);
  for (const auto& tensor : specs) {
    spec.tensors.push_back({tensor.name, tensor.dims, tensor.is_matrix ? type : WeightType::kF32});
  }
  spec.fill = [&](size_t index, uint8_t* out, size_t) { fill_tensor(specs[index], type, seed, out); };
  return write_gguf(spec, path);
}

std::string synthetic_cache_dir() {
  if (const char* dir = std::getenv("TUNE_BENCH_CACHE"); dir && *dir) return dir;
  if (const char* dir = std::getenv("XDG_CACHE_HOME"); dir && *dir) return std::string(dir) + "/tune";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/tune";
  return "/var/tmp/tune";
}

Result<std::string> synthetic_model_file(std::string_view size, WeightType type, uint64_t seed,
                                         const std::string& cache_dir) {
  ModelConfig config;
  TUNE_ASSIGN_OR_RETURN(config, synthetic_config(size));
  const std::string path = fmt::format("{}/synthetic-{}-{}-seed{}-v{}.gguf", cache_dir, size, weight_type_name(type),
                                       seed, kGeneratorVersion);
  std::error_code error;
  if (std::filesystem::is_regular_file(path, error)) return path;  // written whole (renamed into place) earlier
  std::filesystem::create_directories(cache_dir, error);
  if (error) return make_error("{}: cannot create the model cache: {}", cache_dir, error.message());
  TUNE_RETURN_IF_ERROR(write_synthetic_gguf(config, type, seed, fmt::format("synthetic:{}", size), path));
  return path;
}

}  // namespace tune::bench
