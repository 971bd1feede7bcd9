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
  } types[] = {{WeightType::kF32, "f32"}, {WeightType::kF16, "f16"}, {WeightType::kQ8_0, "q8_0"}};
  for (const auto& t : types) {
    // Q8_0 rows are blocks of 32 values.
    auto status = tune::bench::write_synthetic_gguf(small_config(32), t.type, 1, "seed",
                                                    gguf_dir + "/seed-" + t.name + ".gguf");
    if (!status) {
      std::fprintf(stderr, "make_model_seeds: %s\n", status.error().message.c_str());
      return 1;
    }
  }
  if (!write_llama2c(small_config(8), true, llama2c_dir + "/tied.bin") ||
      !write_llama2c(small_config(8), false, llama2c_dir + "/untied.bin")) {
    std::fprintf(stderr, "make_model_seeds: cannot write into %s\n", llama2c_dir.c_str());
    return 1;
  }
  return 0;
}
