#include "bench/model.h"

namespace tune::bench {

Status validate_config(const ModelConfig& c) {
  // Generous limits: far above any model this runner could hold in memory,
  // far below where a size computed in 64 bits could overflow.
  constexpr int kMaxWidth = 1 << 17;
  constexpr int kMaxLayers = 1024;
  constexpr int kMaxVocab = 1 << 22;
  constexpr int kMaxContext = 1 << 20;
  if (c.dim <= 0 || c.dim > kMaxWidth) return make_error("embedding width {} is out of range (1..{})", c.dim, kMaxWidth);
  if (c.hidden_dim <= 0 || c.hidden_dim > 8 * kMaxWidth) {
    return make_error("feed-forward width {} is out of range (1..{})", c.hidden_dim, 8 * kMaxWidth);
  }
  if (c.n_layers <= 0 || c.n_layers > kMaxLayers) return make_error("layer count {} is out of range (1..{})", c.n_layers, kMaxLayers);
  if (c.n_heads <= 0 || c.dim % c.n_heads != 0) {
    return make_error("head count {} does not divide the embedding width {}", c.n_heads, c.dim);
  }
  if (c.head_dim() % 2 != 0) return make_error("head width {} is odd: rotary embeddings need pairs", c.head_dim());
  if (c.n_kv_heads <= 0 || c.n_heads % c.n_kv_heads != 0) {
    return make_error("key/value head count {} does not divide the head count {}", c.n_kv_heads, c.n_heads);
  }
  if (c.vocab_size <= 0 || c.vocab_size > kMaxVocab) return make_error("vocabulary size {} is out of range (1..{})", c.vocab_size, kMaxVocab);
  if (c.max_seq_len <= 0 || c.max_seq_len > kMaxContext) {
    return make_error("context length {} is out of range (1..{})", c.max_seq_len, kMaxContext);
  }
  if (!(c.norm_eps > 0 && c.norm_eps < 1)) return make_error("norm epsilon {} is out of range (0..1)", c.norm_eps);
  if (!(c.rope_theta > 1 && c.rope_theta < 1e9f)) return make_error("rope base {} is out of range (1..1e9)", c.rope_theta);
  return {};
}

size_t Model::weight_bytes_per_token() const {
  size_t bytes = token_embedding.row_stride() + classifier.bytes() + final_norm.size() * 4;
  for (const auto& layer : layers) {
    bytes += layer.wq.bytes() + layer.wk.bytes() + layer.wv.bytes() + layer.wo.bytes();
    bytes += layer.w_gate.bytes() + layer.w_up.bytes() + layer.w_down.bytes();
    bytes += (layer.attn_norm.size() + layer.ffn_norm.size()) * 4;
  }
  return bytes;
}

size_t Model::matrix_parameters_per_token() const {
  auto count = [](const Matrix& m) { return static_cast<size_t>(m.rows) * static_cast<size_t>(m.cols); };
  size_t params = count(classifier);
  for (const auto& layer : layers) {
    params += count(layer.wq) + count(layer.wk) + count(layer.wv) + count(layer.wo);
    params += count(layer.w_gate) + count(layer.w_up) + count(layer.w_down);
  }
  return params;
}

}  // namespace tune::bench
