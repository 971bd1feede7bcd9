#include "bench/llama2c.h"

#include "bench/llama_layout.h"

#include <fmt/format.h>

#include <cstring>

namespace tune::bench {
namespace {

// Sizes (in floats) of the weight arrays, in file order, as llama2.c lays
// them out: each per-layer array holds all layers back to back.
struct Layout {
  size_t embedding, rms_att, wq, wk, wv, wo, rms_ffn, w1, w2, w3, rms_final, rope_tables, classifier;
  size_t total() const {
    return embedding + rms_att + wq + wk + wv + wo + rms_ffn + w1 + w2 + w3 + rms_final + rope_tables + classifier;
  }
};

Layout layout_of(const ModelConfig& c, bool tied) {
  const size_t dim = static_cast<size_t>(c.dim);
  const size_t hidden = static_cast<size_t>(c.hidden_dim);
  const size_t layers = static_cast<size_t>(c.n_layers);
  const size_t kv_dim = static_cast<size_t>(c.kv_dim());
  Layout l{};
  l.embedding = static_cast<size_t>(c.vocab_size) * dim;
  l.rms_att = layers * dim;
  l.wq = layers * dim * dim;
  l.wk = layers * dim * kv_dim;
  l.wv = layers * dim * kv_dim;
  l.wo = layers * dim * dim;
  l.rms_ffn = layers * dim;
  l.w1 = layers * hidden * dim;
  l.w2 = layers * dim * hidden;
  l.w3 = layers * hidden * dim;
  l.rms_final = dim;
  // Two tables once used for RoPE (real and imaginary parts): skipped.
  l.rope_tables = static_cast<size_t>(c.max_seq_len) * static_cast<size_t>(c.head_dim());
  l.classifier = tied ? 0 : l.embedding;
  return l;
}

}  // namespace

size_t llama2c_file_bytes(const ModelConfig& config, bool tied_classifier) {
  return kLlama2cHeaderBytes + layout_of(config, tied_classifier).total() * 4;
}

Result<Model> llama_from_llama2c(std::shared_ptr<WeightStorage> storage, std::string source) {
  const size_t size = storage->size();
  if (size < kLlama2cHeaderBytes) {
    return make_error("file is truncated: a llama2.c header needs {} bytes, the file has {}", kLlama2cHeaderBytes, size);
  }
  int32_t header[7];
  std::memcpy(header, storage->data(), sizeof(header));
  ModelConfig c;
  c.dim = header[0];
  c.hidden_dim = header[1];
  c.n_layers = header[2];
  c.n_heads = header[3];
  c.n_kv_heads = header[4];
  const bool tied = header[5] > 0;  // llama2.c: a negative vocab size marks an untied classifier
  c.vocab_size = header[5] == INT32_MIN ? 0 : (header[5] < 0 ? -header[5] : header[5]);
  c.max_seq_len = header[6];
  if (auto status = validate_config(c); !status) {
    return make_error("not a llama2.c checkpoint (or a damaged one): {}", status.error().message);
  }
  const Layout l = layout_of(c, tied);
  const size_t expected = kLlama2cHeaderBytes + l.total() * 4;
  if (size != expected) {
    return make_error("{}: a llama2.c checkpoint with this header (dim {}, {} layers, vocab {}) is {} bytes, the file has {}",
                      size < expected ? "file is truncated" : "file is longer than its header says", c.dim,
                      c.n_layers, c.vocab_size, expected, size);
  }

  // Per-layer slices of each array, named and shaped as GGUF names them.
  const auto* base = storage->data() + kLlama2cHeaderBytes;
  size_t at = 0;  // in floats
  auto take = [&](size_t floats) {
    const uint8_t* start = base + at * 4;
    at += floats;
    return start;
  };
  const auto u = [](int value) { return static_cast<uint64_t>(value); };
  const size_t dim = static_cast<size_t>(c.dim);
  const size_t layers = static_cast<size_t>(c.n_layers);
  TensorTable tensors;
  auto per_layer = [&](const char* name, const uint8_t* start, size_t floats_per_layer, std::vector<uint64_t> dims) {
    for (size_t layer = 0; layer < layers; ++layer) {
      tensors[fmt::format("blk.{}.{}", layer, name)] = {WeightType::kF32, dims, start + layer * floats_per_layer * 4};
    }
  };
  tensors["token_embd.weight"] = {WeightType::kF32, {u(c.dim), u(c.vocab_size)}, take(l.embedding)};
  per_layer("attn_norm.weight", take(l.rms_att), dim, {u(c.dim)});
  per_layer("attn_q.weight", take(l.wq), l.wq / layers, {u(c.dim), u(c.dim)});
  per_layer("attn_k.weight", take(l.wk), l.wk / layers, {u(c.dim), u(c.kv_dim())});
  per_layer("attn_v.weight", take(l.wv), l.wv / layers, {u(c.dim), u(c.kv_dim())});
  per_layer("attn_output.weight", take(l.wo), l.wo / layers, {u(c.dim), u(c.dim)});
  per_layer("ffn_norm.weight", take(l.rms_ffn), dim, {u(c.dim)});
  per_layer("ffn_gate.weight", take(l.w1), l.w1 / layers, {u(c.dim), u(c.hidden_dim)});
  per_layer("ffn_down.weight", take(l.w2), l.w2 / layers, {u(c.hidden_dim), u(c.dim)});
  per_layer("ffn_up.weight", take(l.w3), l.w3 / layers, {u(c.dim), u(c.hidden_dim)});
  tensors["output_norm.weight"] = {WeightType::kF32, {u(c.dim)}, take(l.rms_final)};
  take(l.rope_tables);
  if (!tied) tensors["output.weight"] = {WeightType::kF32, {u(c.dim), u(c.vocab_size)}, take(l.classifier)};
  return assemble_llama(c, tensors, std::move(storage), std::move(source));
}

}  // namespace tune::bench
