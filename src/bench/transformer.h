// The forward pass of a Llama-architecture decoder over a Model: one call
// runs a batch of tokens (a prompt, or the one token being decoded) and
// returns the logits of the last one. The key/value cache keeps every
// position seen so far, so a prompt is followed by one-token steps.
#pragma once

#include "bench/aligned_vector.h"
#include "bench/huge_page_buffer.h"
#include "bench/model.h"
#include "bench/row_regions.h"
#include "bench/thread_pool.h"

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace tune::bench {

// How the key/value cache stores what attention reads back every token. f16
// halves those bytes (about 12 MB a token of 110m at 160 positions) at the
// cost of rounding each cached value to 11 significant bits; common CPU
// runners keep their cache in f16 by default.
enum class KvCache { kF32, kF16 };

std::string_view kv_cache_name(KvCache cache);
std::optional<KvCache> parse_kv_cache(std::string_view name);

class Transformer {
 public:
  // context: the most positions this instance will hold (prompt + generated).
  // kernels: the SIMD set to use (the best one for this CPU unless a test
  // or a comparison asks for another). cache: how the key/value cache stores
  // its values.
  Transformer(const Model& model, ThreadPool& pool, int context, const Kernels& kernels = bench::kernels(),
              KvCache cache = KvCache::kF32);

  // Runs tokens at positions [position, position + tokens.size()) and returns
  // the logits (vocab_size) of the last of them. position must continue the
  // cache (0 for a fresh prompt, then each position once) and stay within
  // context(); token ids must be below vocab_size. The caller (the runner,
  // a test) guarantees both: they are not checked on this hot path.
  const std::vector<float>& forward(std::span<const int> tokens, int position);

  int context() const { return context_; }
  KvCache kv_cache() const { return cache_type_; }

 private:
  struct Projection {
    const Matrix* weights;
    float* out;
  };
  void ensure_batch(int tokens);
  // Whether a batch of `tokens` goes through the kernels' packed products
  // (its inputs packed, its attention as products).
  bool packs(int tokens) const { return kernels_.pack_tokens != nullptr && tokens >= kernels_.packed_min_tokens; }
  // What the products over some matrices read their input as when it is
  // not packed: q8 blocks, q8_K blocks (activation_form of each type).
  struct InputForms {
    bool q8 = false;
    bool q8k = false;
    void add(WeightType type);
  };
  Activations product_input(const float* in, int tokens, int cols, InputForms forms);
  void project(const float* in, int tokens, std::initializer_list<Projection> projections);
  void gated_project(const float* in, int tokens, const Matrix& gate, const Matrix& up);
  void attend(int layer, int tokens, int position);
  void attend_prompt(int layer, int tokens, int position);
  size_t cache_offset(int layer, int kv_head, size_t position) const;
  void store_in_cache(const float* key, const float* value, size_t offset);
  template <class Work>
  void each_token(int tokens, const Work& work);

  const Model& model_;
  ThreadPool& pool_;
  const Kernels& kernels_;
  int context_;
  KvCache cache_type_;
  int batch_ = 0;  // tokens the activation buffers hold
  std::vector<RowRegions> row_regions_;  // one per projection of a product

  // Activations, one row per token of the batch, each buffer starting on a
  // cache line (rows are whole lines apart in every usual model shape).
  AlignedVector<float> x_, xb_, q_, k_, v_, attention_, hidden_, up_;
  AlignedVector<float> packed_;      // a prompt's product input, packed (Kernels::pack_tokens)
  AlignedVector<int8_t> quantized_;  // the input of a q8_0 product
  std::vector<float> quantized_scale_;
  AlignedVector<int8_t> quantized_k_;  // the input of a K-quant product (q8_K blocks)
  std::vector<float> quantized_k_scale_;
  std::vector<int16_t> quantized_k_sums_;
  std::vector<float> scores_;      // one row of context scores per worker
  // A worker's buffers for one head of a prompt's attention (attend_prompt).
  struct PromptAttention {
    AlignedVector<float> keys, values, queries, scores, packed_scores;
  };
  std::vector<PromptAttention> prompt_attention_;  // one per worker
  std::vector<float> logits_;
  // Cache: layer, key/value head, position, head_dim. Each head's positions
  // lie together, so attention reads them as one sequential stream. Laid out
  // position-major, a head's rows sat kv_dim apart: attention over 160 cold
  // cached positions of 110m took 1.4 ms a token instead of 0.97 ms on one
  // core, some 4% of a decode step.
  HugePageBuffer key_cache_, value_cache_;
  // Rotary embedding angles for each position: cos and sin per pair; a
  // second table for sliding layers with their own base (Gemma 3).
  struct RopeTable {
    std::vector<float> cos, sin;
  };
  RopeTable rope_, sliding_rope_;
  const RopeTable& rope_for(int layer) const;
  // The first cached position a query at `position` of `layer` sees.
  int first_visible(int layer, int position) const;
};

// Index of the largest logit (the first one on ties).
int argmax(const std::vector<float>& logits);

// Greedy decoding: runs the prompt, then picks the most likely token `count`
// times. Returns the generated tokens.
std::vector<int> generate_greedy(Transformer& transformer, std::span<const int> prompt, int count);

}  // namespace tune::bench
