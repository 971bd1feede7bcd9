// A Llama-family model (architecture.h) as the runner sees it: hyperparameters and
// views of the weight matrices, wherever their bytes live (a mapped file, a
// copy in huge pages, a buffer built in memory).
#pragma once

#include "bench/architecture.h"
#include "bench/kernels.h"
#include "util/result.h"

#include <memory>
#include <string>
#include <vector>

namespace tune::bench {

struct ModelConfig {
  int dim = 0;          // embedding width
  int hidden_dim = 0;   // feed-forward width
  int n_layers = 0;
  int n_heads = 0;
  int n_kv_heads = 0;   // grouped-query attention: n_heads % n_kv_heads == 0
  int vocab_size = 0;
  int max_seq_len = 0;  // longest context the model was made for
  float norm_eps = 1e-5f;
  float rope_theta = 10000.0f;
  Architecture architecture = Architecture::kLlama;
  // No output.weight: the embedding table is also the classifier (Llama
  // 3.2 1B/3B, the small Qwen2.5 and Qwen3).
  bool tied_embeddings = false;
  // rope_freqs.weight: Llama 3.1/3.2's rope frequency scaling, one divisor
  // of each pair's frequency (head_dim / 2 values).
  bool rope_freq_factors = false;
  // rope.scaling.type "linear": positions divided by this factor (0: none)
  // in every layer but sliding ones with their own base (Gemma 3 4B+: 8).
  float rope_linear_factor = 0.0f;
  // Gemma's attention (0 when a model has none of it):
  float attention_scale = 0.0f;    // of the scores; 0: 1 / sqrt(head_dim)
  float attention_softcap = 0.0f;  // scores become cap * tanh(scores / cap) (Gemma 2)
  float final_softcap = 0.0f;      // the logits likewise (Gemma 2)
  int sliding_window = 0;          // a sliding layer's query sees its own and the window - 1 positions before
  int sliding_pattern = 0;         // layer l slides when l % pattern < pattern - 1 (2: Gemma 2, 6: Gemma 3)
  float rope_theta_sliding = 0.0f; // rope base of the sliding layers; 0: rope_theta (Gemma 3: 10000)

  // Width of one attention head when it is not dim / n_heads (Qwen3 0.6B and
  // 4B, Gemma: GGUF's attention.key_length); 0: dim / n_heads.
  int head_size = 0;

  int head_dim() const { return head_size > 0 ? head_size : dim / n_heads; }
  int q_dim() const { return head_dim() * n_heads; }  // the queries, and the attention output
  int kv_dim() const { return head_dim() * n_kv_heads; }
  bool slides(int layer) const {
    return sliding_window > 0 && sliding_pattern > 0 && layer % sliding_pattern < sliding_pattern - 1;
  }
};

// Checks that the numbers describe a model the runner can run: positive,
// divisible as attention needs, and small enough that no size overflows.
Status validate_config(const ModelConfig& config);

struct LayerWeights {
  std::vector<float> attn_norm;  // dim
  Matrix wq;                     // q_dim x dim
  Matrix wk;                     // kv_dim x dim
  Matrix wv;                     // kv_dim x dim
  Matrix wo;                     // dim x q_dim
  std::vector<float> ffn_norm;   // dim
  Matrix w_gate;                 // hidden x dim  (w1)
  Matrix w_up;                   // hidden x dim  (w3)
  Matrix w_down;                 // dim x hidden  (w2)
  // Empty unless the architecture has them (ArchitectureTraits).
  std::vector<float> q_bias;     // q_dim
  std::vector<float> k_bias;     // kv_dim
  std::vector<float> v_bias;     // kv_dim
  std::vector<float> q_norm;     // head_dim, shared by every head
  std::vector<float> k_norm;     // head_dim
  std::vector<float> post_attention_norm;  // dim (Gemma)
  std::vector<float> post_ffn_norm;        // dim (Gemma)
};

// Where the weight bytes live, and how they got there. Owns them.
class WeightStorage {
 public:
  virtual ~WeightStorage() = default;
  virtual const uint8_t* data() const = 0;
  virtual size_t size() const = 0;
  // What memory backs the weights: "mmap", "mmap+populate", "copy", "thp",
  // "hugetlb", "memory" (built in place), with "+mlock" when locked.
  virtual std::string describe() const = 0;
};

struct Model {
  ModelConfig config;
  WeightType type = WeightType::kF32;  // type of the big matrices
  std::string source;                  // "synthetic:110m (q8_0)", a path...
  Matrix token_embedding;              // vocab x dim, one row per token
  std::vector<LayerWeights> layers;
  std::vector<float> final_norm;       // dim
  std::vector<float> rope_freq_factors;  // head_dim / 2 when config.rope_freq_factors, else empty
  Matrix classifier;                   // vocab x dim (may share token_embedding's bytes)
  std::shared_ptr<WeightStorage> storage;

  // Bytes of weights one decoded token reads: every matrix once, one row of
  // the embedding table, the norm vectors.
  size_t weight_bytes_per_token() const;
  // Parameters in the matrices a token passes through (for flop counts).
  size_t matrix_parameters_per_token() const;
};

}  // namespace tune::bench
