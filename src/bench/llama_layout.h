// The tensors of a Llama-family model under their GGUF names, with GGUF's shape
// convention (dims[0] is the row width, dims[1] the row count), and the
// assembly of a Model from them. Every file format ends here, so every
// format gets the same shape checks.
#pragma once

#include "bench/model.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tune::bench {

struct TensorRef {
  WeightType type = WeightType::kF32;
  std::vector<uint64_t> dims;
  const uint8_t* data = nullptr;
};

using TensorTable = std::map<std::string, TensorRef>;

struct TensorSpec {
  std::string name;
  std::vector<uint64_t> dims;
  bool is_matrix = false;  // stored in the model's weight type; vectors stay f32
};

// Every tensor a model with this config has, in file order, with its
// architecture's extras (biases, Q/K norms). With tied_classifier,
// output.weight is left out (token_embd.weight serves).
std::vector<TensorSpec> llama_tensors(const ModelConfig& config, bool tied_classifier);

// Checks that every tensor is present with its expected shape, then builds
// the Model's views into storage. An absent output.weight means the
// classifier shares the embedding table.
Result<Model> assemble_llama(const ModelConfig& config, const TensorTable& tensors,
                             std::shared_ptr<WeightStorage> storage, std::string source);

}  // namespace tune::bench
