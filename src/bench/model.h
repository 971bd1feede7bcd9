// A Llama-architecture model as the runner sees it: hyperparameters and
// views of the weight matrices, wherever their bytes live (a mapped file, a
// copy in huge pages, a buffer built in memory).
#pragma once

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

  int head_dim() const { return dim / n_heads; }
  int kv_dim() const { return head_dim() * n_kv_heads; }
};

// Checks that the numbers describe a model the runner can run: positive,
// divisible as attention needs, and small enough that no size overflows.
Status validate_config(const ModelConfig& config);

struct LayerWeights {
  std::vector<float> attn_norm;  // dim
  Matrix wq;                     // dim x dim
  Matrix wk;                     // kv_dim x dim
  Matrix wv;                     // kv_dim x dim
  Matrix wo;                     // dim x dim
  std::vector<float> ffn_norm;   // dim
  Matrix w_gate;                 // hidden x dim  (w1)
  Matrix w_up;                   // hidden x dim  (w3)
  Matrix w_down;                 // dim x hidden  (w2)
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
  Matrix classifier;                   // vocab x dim (may share token_embedding's bytes)
  std::shared_ptr<WeightStorage> storage;

  // Bytes of weights one decoded token reads: every matrix once, one row of
  // the embedding table, the norm vectors.
  size_t weight_bytes_per_token() const;
  // Parameters in the matrices a token passes through (for flop counts).
  size_t matrix_parameters_per_token() const;
};

}  // namespace tune::bench
