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
constexpr int kGeneratorVersion = 2;  // 2: the placeholder tokenizer llama.cpp needs

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
void fill_tensor(const TensorSpec& spec, WeightType type, uint64_t seed, float embedding_scale, uint8_t* out) {
  const size_t cols = spec.dims[0];
  const size_t rows = spec.dims.size() > 1 ? spec.dims[1] : 1;
  const WeightType stored = spec.is_matrix ? type : WeightType::kF32;
  const size_t stride = row_bytes(stored, cols);
  const uint64_t tensor_seed = hash_name(spec.name, seed);
  // Matrices keep activations at unit scale (variance 1/cols per weight);
  // norm weights sit near 1; the embedding table is unit scale.
  // Biases (qwen2) are small offsets around 0.
  const bool is_bias = spec.name.ends_with(".bias");
  const bool is_norm = !spec.is_matrix && !is_bias;
  const bool is_embedding = spec.name == "token_embd.weight";
  if (spec.name == "rope_freqs.weight") {
    // Divisors rising from 1 (the fastest pair) to 8 (the slowest), the
    // range of Llama 3.1's.
    std::vector<float> factors(cols);
    for (size_t i = 0; i < cols; ++i) {
      factors[i] = cols > 1 ? 1.0f + 7.0f * static_cast<float>(i) / static_cast<float>(cols - 1) : 1.0f;
    }
    quantize_row(WeightType::kF32, factors.data(), cols, out);
    return;
  }
  const float scale = is_bias        ? 0.5f
                      : is_embedding ? embedding_scale
                      : is_norm      ? 1.0f
                                     : std::sqrt(3.0f / static_cast<float>(cols));

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

// The embedding table is unit scale, but Gemma multiplies its rows by
// sqrt(dim): there they are 1 / sqrt(dim) so that the residual stream
// starts at the scale the layers add to (at unit scale the token's own row
// drowned every layer's output, and the model repeated its last token).
float embedding_scale(const ModelConfig& config) {
  return traits(config.architecture).gemma_block ? 1.0f / std::sqrt(static_cast<float>(config.dim)) : 1.0f;
}

size_t tensor_bytes(const TensorSpec& spec, WeightType type) {
  const size_t rows = spec.dims.size() > 1 ? spec.dims[1] : 1;
  return row_bytes(spec.is_matrix ? type : WeightType::kF32, spec.dims[0]) * rows;
}

}  // namespace

std::vector<std::string> synthetic_sizes() { return {"tiny", "small", "15m", "110m", "1b"}; }

namespace {

Result<ModelConfig> llama_shape(std::string_view size);

// Gemma's attention as llama.cpp reads it (gguf_reader.cpp). tiny's window
// of 8 positions is shorter than a test's prompt and generated tokens, so
// that the sliding really happens; its soft caps are small enough to bite
// on a synthetic model's small scores and logits (Gemma 2's own are 50 and
// 30); tiny Gemma 3 has six layers, so that one of them is global.
void gemma_attention(ModelConfig& c, bool tiny) {
  if (c.architecture == Architecture::kGemma2) {
    c.sliding_pattern = 2;
    c.sliding_window = tiny ? 8 : 4096;
    c.attention_softcap = tiny ? 2.0f : 50.0f;
    c.final_softcap = tiny ? 1.0f : 30.0f;
  } else {
    c.sliding_pattern = 6;
    c.sliding_window = tiny ? 8 : 512;
    c.rope_theta = 1000000.0f;
    c.rope_theta_sliding = 10000.0f;
    if (tiny) c.n_layers = 6;
  }
  c.norm_eps = 1e-6f;
  c.tied_embeddings = true;  // llama.cpp takes Gemma's classifier from token_embd.weight, always
}

}  // namespace

// SIZE, then optionally "-ARCH", "-tied", "-ropefreqs", "-ropelinear" (synthetic.h).
Result<ModelConfig> synthetic_config(std::string_view name) {
  const size_t dash = name.find('-');
  ModelConfig c;
  TUNE_ASSIGN_OR_RETURN(c, llama_shape(name.substr(0, dash)));
  bool architecture_named = false;
  bool tied_named = false;
  for (size_t from = dash; from != std::string_view::npos;) {
    const size_t next = name.find('-', from + 1);
    const std::string_view word = name.substr(from + 1, next == std::string_view::npos ? next : next - from - 1);
    from = next;
    if (word == "ropefreqs" && !c.rope_freq_factors) {
      c.rope_freq_factors = true;
    } else if (word == "ropelinear" && c.rope_linear_factor == 0) {
      c.rope_linear_factor = 8.0f;  // as Gemma 3 4B's
    } else if (word == "tied" && !tied_named) {
      c.tied_embeddings = tied_named = true;
    } else if (const auto architecture = parse_architecture(word); architecture && !architecture_named &&
                                                                    !tied_named) {
      c.architecture = *architecture;
      architecture_named = true;
      // Heads twice dim / n_heads wide, as in Qwen3 0.6B and 4B: the
      // queries and the attention output are then wider than the embedding.
      if (c.architecture == Architecture::kQwen3) c.head_size = 2 * c.head_dim();
      if (traits(c.architecture).gemma_block) gemma_attention(c, name.substr(0, dash) == "tiny");
    } else {
      return make_error("synthetic model '{}': '{}' is neither an architecture ({}) nor 'tied', 'ropefreqs', "
                        "'ropelinear' (as in tiny-qwen2-tied)",
                        name, word, supported_architecture_names());
    }
  }
  return c;
}

namespace {

Result<ModelConfig> llama_shape(std::string_view size) {
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
  } else if (size == "small") {
    // The smallest whose widths hold whole 256-value K-quant blocks, for the
    // tests of those types (tiny's 64 do not).
    shape(256, 512, 2, 4, 2, 517, 256);
  } else if (size == "15m") {
    shape(288, 768, 6, 6, 6, 32000, 256);
  } else if (size == "110m") {
    shape(768, 2048, 12, 12, 12, 32000, 1024);
  } else if (size == "1b") {
    shape(2048, 5632, 22, 32, 4, 32000, 2048);
  } else {
    return make_error("unknown synthetic model size '{}' (one of: tiny, small, 15m, 110m, 1b)", size);
  }
  return c;
}

}  // namespace

Model build_synthetic(const ModelConfig& config, WeightType type, uint64_t seed, const std::string& name) {
  const auto specs = llama_tensors(config, config.tied_embeddings);
  std::vector<size_t> offsets;
  size_t total = 0;
  for (const auto& spec : specs) {
    offsets.push_back(total);
    total += (tensor_bytes(spec, type) + 63) / 64 * 64;
  }
  std::vector<uint8_t> bytes(total);
  for (size_t i = 0; i < specs.size(); ++i) {
    fill_tensor(specs[i], type, seed, embedding_scale(config), bytes.data() + offsets[i]);
  }
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

namespace {

// How tensor `spec` is stored: its matrix type, or f32 for vectors.
WeightType stored_type(const TensorSpec& spec, const SyntheticTypes& types, const ModelConfig& config) {
  if (!spec.is_matrix) return WeightType::kF32;
  return matrix_type(types, spec.name, config.n_layers, config.tied_embeddings);
}

// Every matrix of the model must hold whole blocks of its type per row: the
// K-quants' 256-value blocks do not divide tiny's or 15m's widths.
Status check_blocks_fit(const std::vector<TensorSpec>& specs, const SyntheticTypes& types, const ModelConfig& config,
                        const std::string& name) {
  for (const TensorSpec& spec : specs) {
    const WeightType type = stored_type(spec, types, config);
    const auto per_block = static_cast<uint64_t>(block_values(type));
    if (spec.is_matrix && spec.dims[0] % per_block != 0) {
      return make_error("{} has rows of {} values ({}), and {} stores rows in {}-value blocks: pick a larger size "
                        "or a 32-value type (q8_0, q4_0, q4_1, q5_0)",
                        name, spec.dims[0], spec.name, weight_type_name(type), per_block);
    }
  }
  return {};
}

}  // namespace

Status write_synthetic_gguf(const ModelConfig& config, SyntheticTypes types, uint64_t seed, const std::string& name,
                            const std::string& path) {
  TUNE_RETURN_IF_ERROR(validate_config(config));
  const auto specs = llama_tensors(config, config.tied_embeddings);
  TUNE_RETURN_IF_ERROR(check_blocks_fit(specs, types, config, name));
  GgufWriteSpec spec;
  spec.metadata = llama_metadata(config, name);
  for (const auto& tensor : specs) spec.tensors.push_back({tensor.name, tensor.dims, stored_type(tensor, types, config)});
  spec.fill = [&](size_t index, uint8_t* out, size_t) {
    fill_tensor(specs[index], stored_type(specs[index], types, config), seed, embedding_scale(config), out);
  };
  return write_gguf(spec, path);
}

std::string synthetic_cache_dir() {
  if (const char* dir = std::getenv("TUNE_BENCH_CACHE"); dir && *dir) return dir;
  if (const char* dir = std::getenv("XDG_CACHE_HOME"); dir && *dir) return std::string(dir) + "/tune";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/tune";
  return "/var/tmp/tune";
}

Result<std::string> synthetic_model_file(std::string_view size, SyntheticTypes types, uint64_t seed,
                                         const std::string& cache_dir) {
  ModelConfig config;
  TUNE_ASSIGN_OR_RETURN(config, synthetic_config(size));
  const std::string path = fmt::format("{}/synthetic-{}-{}-seed{}-v{}.gguf", cache_dir, size,
                                       synthetic_types_name(types), seed, kGeneratorVersion);
  std::error_code error;
  if (std::filesystem::is_regular_file(path, error)) return path;  // written whole (renamed into place) earlier
  std::filesystem::create_directories(cache_dir, error);
  if (error) return make_error("{}: cannot create the model cache: {}", cache_dir, error.message());
  TUNE_RETURN_IF_ERROR(write_synthetic_gguf(config, types, seed, fmt::format("synthetic:{}", size), path));
  return path;
}

}  // namespace tune::bench
