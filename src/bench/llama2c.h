// llama2.c checkpoints (the original "legacy" export): a header of seven
// int32 (dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size,
// seq_len; a negative vocab_size means the classifier has its own weights),
// then every weight as f32 in a fixed order. No magic number: the header's
// numbers and the file size must agree exactly.
#pragma once

#include "bench/model.h"

#include <memory>
#include <string>

namespace tune::bench {

inline constexpr size_t kLlama2cHeaderBytes = 7 * 4;

// A Llama model from a llama2.c checkpoint whose bytes are storage.
Result<Model> llama_from_llama2c(std::shared_ptr<WeightStorage> storage, std::string source);

// The file's bytes for a model (f32, any config): for tests and conversions.
// classifier: nullptr when it is tied to the embedding table.
size_t llama2c_file_bytes(const ModelConfig& config, bool tied_classifier);

}  // namespace tune::bench
