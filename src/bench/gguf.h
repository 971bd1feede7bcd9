// GGUF, the model file format of llama.cpp (version 2 and 3): a header,
// typed key/value metadata, tensor infos, then tensor data at aligned
// offsets. The reader checks every count, length and offset against the
// file before it uses it; the writer streams tensors one at a time.
#pragma once

#include "bench/llama_layout.h"
#include "bench/model.h"
#include "bench/weight_storage.h"

#include <functional>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace tune::bench {

inline constexpr uint32_t kGgufMagic = 0x46554747;  // "GGUF" read as little-endian
inline constexpr uint32_t kGgufDefaultAlignment = 32;

// GGML's numbers for the tensor types this runner reads.
inline constexpr uint32_t kGgmlF32 = 0;
inline constexpr uint32_t kGgmlF16 = 1;
inline constexpr uint32_t kGgmlQ8_0 = 8;
inline constexpr uint32_t kGgmlQ4_0 = 2;
inline constexpr uint32_t kGgmlQ4_1 = 3;
inline constexpr uint32_t kGgmlQ5_0 = 6;
inline constexpr uint32_t kGgmlQ4_K = 12;
inline constexpr uint32_t kGgmlQ5_K = 13;
inline constexpr uint32_t kGgmlQ6_K = 14;
inline constexpr uint32_t kGgmlBF16 = 30;

// Each weight type and its GGML number: the one table the reader (number to
// type) and the writer (type to number) both read.
struct GgmlTypeNumber {
  WeightType type;
  uint32_t number;
};
inline constexpr GgmlTypeNumber kGgmlTypeNumbers[] = {
    {WeightType::kF32, kGgmlF32},   {WeightType::kF16, kGgmlF16},   {WeightType::kBF16, kGgmlBF16},
    {WeightType::kQ8_0, kGgmlQ8_0}, {WeightType::kQ4_0, kGgmlQ4_0}, {WeightType::kQ4_1, kGgmlQ4_1},
    {WeightType::kQ5_0, kGgmlQ5_0}, {WeightType::kQ4_K, kGgmlQ4_K}, {WeightType::kQ5_K, kGgmlQ5_K},
    {WeightType::kQ6_K, kGgmlQ6_K},
};

// A metadata value: integers of any width arrive as int64/uint64, floats as
// double; arrays keep their element type and length (strings arrays too).
struct GgufArray {
  uint32_t element_type = 0;
  uint64_t length = 0;
  std::vector<std::string> strings;  // filled for small string arrays only
  // The writer's numeric arrays (element_type kGgufArrayF32 or kGgufArrayI32);
  // the reader skips numeric arrays and leaves this empty.
  std::vector<double> numbers;
};
// Element types of the arrays the writer makes (GGUF's value type numbers).
inline constexpr uint32_t kGgufArrayI32 = 5;
inline constexpr uint32_t kGgufArrayF32 = 6;
inline constexpr uint32_t kGgufArrayString = 8;
using GgufValue = std::variant<uint64_t, int64_t, double, bool, std::string, GgufArray>;

struct GgufTensorInfo {
  std::string name;
  std::vector<uint64_t> dims;
  uint32_t ggml_type = 0;
  uint64_t offset = 0;  // from the start of the data section
};

struct GgufFile {
  uint32_t version = 0;
  std::map<std::string, GgufValue> metadata;
  std::vector<GgufTensorInfo> tensors;
  uint32_t alignment = kGgufDefaultAlignment;
  uint64_t data_offset = 0;  // where the data section starts in the file
};

// Parses the header of a GGUF file held in [data, data + size).
Result<GgufFile> parse_gguf(const uint8_t* data, size_t size);

// A Llama model from a parsed GGUF file whose bytes are storage.
Result<Model> llama_from_gguf(const GgufFile& file, std::shared_ptr<WeightStorage> storage, std::string source);

// Writing: metadata, tensor specs, and a function that fills tensor i's bytes.
struct GgufWriteSpec {
  std::vector<std::pair<std::string, GgufValue>> metadata;
  struct Tensor {
    std::string name;
    std::vector<uint64_t> dims;
    WeightType type;
  };
  std::vector<Tensor> tensors;
  std::function<void(size_t index, uint8_t* out, size_t bytes)> fill;
};

// Writes the file through a temporary name and renames it into place.
Status write_gguf(const GgufWriteSpec& spec, const std::string& path);

// The metadata a llama.cpp-compatible reader expects for this config: the
// hyperparameters, and a placeholder tokenizer of vocab_size tokens
// (llama.cpp refuses a file without tokenizer.ggml.model and its tokens).
std::vector<std::pair<std::string, GgufValue>> llama_metadata(const ModelConfig& config, const std::string& name);

// The placeholder vocabulary's special tokens (SentencePiece's numbering, as
// llama.cpp assumes for tokenizer.ggml.model "llama").
inline constexpr int kPlaceholderUnk = 0;
inline constexpr int kPlaceholderBos = 1;
inline constexpr int kPlaceholderEos = 2;

}  // namespace tune::bench
