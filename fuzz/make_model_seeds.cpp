// Writes the seed inputs of gguf_fuzz and llama2c_fuzz into two directories:
// valid model files of a shape small enough for the fuzzer's length limit,
// so mutations start from files that get all the way through the readers.
#include "bench/llama2c.h"
#include "bench/synthetic.h"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace {

using tune::bench::ModelConfig;

ModelConfig small_config(int dim) {
  ModelConfig c;
  c.dim = dim;
  c.hidden_dim = dim;
  c.n_layers = 1;
  c.n_heads = 2;
  c.n_kv_heads = 1;  // grouped-query attention, so both head counts are read
  c.vocab_size = 5;
  c.max_seq_len = 4;
  return c;
}

void put_int(std::vector<uint8_t>& out, int32_t value) {
  uint8_t bytes[4];
  std::memcpy(bytes, &value, 4);
  out.insert(out.end(), bytes, bytes + 4);
}

bool write_llama2c(const ModelConfig& c, bool tied, const std::string& path) {
  std::vector<uint8_t> out;
  for (int32_t v : {c.dim, c.hidden_dim, c.n_layers, c.n_heads, c.n_kv_heads, tied ? c.vocab_size : -c.vocab_size,
                    c.max_seq_len})
    put_int(out, v);
  const size_t floats = (tune::bench::llama2c_file_bytes(c, tied) - tune::bench::kLlama2cHeaderBytes) / 4;
  for (size_t i = 0; i < floats; ++i) {
    const float value = 0.01f * static_cast<float>(i % 97);
    uint8_t bytes[4];
    std::memcpy(bytes, &value, 4);
    out.insert(out.end(), bytes, bytes + 4);
  }
  std::ofstream file(path, std::ios::binary);
  file.write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size()));
  return static_cast<bool>(file);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_model_seeds GGUF_DIR LLAMA2C_DIR\n");
    return 2;
  }
  const std::string gguf_dir = argv[1], llama2c_dir = argv[2];
  using tune::bench::WeightType;
  const struct {
    WeightType type;
    const char* name;
  } types[] = {{WeightType::kF32, "f32"},   {WeightType::kF16, "f16"},   {WeightType::kQ8_0, "q8_0"},
               {WeightType::kQ4_0, "q4_0"}, {WeightType::kQ5_0, "q5_0"}, {WeightType::kBF16, "bf16"}};
  // Every architecture's own keys and tensors (biases, Q/K norms, post-norms,
  // soft caps, sliding windows, rope factors, tied embeddings), in q8_0 so
  // the files fit the fuzzer's length limit; K-quant rows (256 values) do not.
  using tune::bench::Architecture;
  auto with = [](Architecture architecture, void (*adjust)(ModelConfig&)) {
    ModelConfig c = small_config(32);
    c.architecture = architecture;
    adjust(c);
    return c;
  };
  const struct {
    ModelConfig config;
    const char* name;
  } architectures[] = {
      {with(Architecture::kLlama, [](ModelConfig& c) { c.tied_embeddings = c.rope_freq_factors = true; }), "llama3"},
      {with(Architecture::kQwen2, [](ModelConfig& c) { c.rope_linear_factor = 2.0f; }), "qwen2"},
      {with(Architecture::kQwen3, [](ModelConfig& c) { c.head_size = 32; }), "qwen3"},
      {with(Architecture::kGemma2,
            [](ModelConfig& c) {
              c.tied_embeddings = true;
              c.attention_softcap = 50.0f;
              c.final_softcap = 30.0f;
              c.sliding_window = 2;
              c.sliding_pattern = 2;
            }),
       "gemma2"},
      {with(Architecture::kGemma3,
            [](ModelConfig& c) {
              c.tied_embeddings = true;
              c.sliding_window = 2;
              c.sliding_pattern = 6;
              c.rope_theta_sliding = 10000.0f;
            }),
       "gemma3"},
  };
  auto write = [&gguf_dir](const ModelConfig& config, WeightType type, const std::string& name) {
    auto status = tune::bench::write_synthetic_gguf(config, type, 1, "seed", gguf_dir + "/seed-" + name + ".gguf");
    if (!status) std::fprintf(stderr, "make_model_seeds: %s: %s\n", name.c_str(), status.error().message.c_str());
    return static_cast<bool>(status);
  };
  // Block types' rows of 32 values are one block each.
  for (const auto& t : types) {
    if (!write(small_config(32), t.type, t.name)) return 1;
  }
  for (const auto& a : architectures) {
    if (!write(a.config, WeightType::kQ8_0, std::string(a.name) + "-q8_0")) return 1;
  }
  if (!write_llama2c(small_config(8), true, llama2c_dir + "/tied.bin") ||
      !write_llama2c(small_config(8), false, llama2c_dir + "/untied.bin")) {
    std::fprintf(stderr, "make_model_seeds: cannot write into %s\n", llama2c_dir.c_str());
    return 1;
  }
  return 0;
}
