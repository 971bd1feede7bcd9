// The forward pass, top to bottom. Everything here is plain arithmetic over
// rows of floats; the only calls out are to the SIMD kernels (kernels.h:
// the matrix products, and attention's dot products and weighted sums),
// spread over the thread pool. Nothing else is hidden.
//
// For each token x (a row of `dim` floats):
//
//   for each layer:
//     h  = rmsnorm(x) * attn_norm
//     q, k, v = Wq h, Wk h, Wv h              grouped-query: fewer k/v heads
//     rotate q and k by their position         (RoPE, adjacent pairs)
//     append k, v to the cache
//     a  = softmax(q . K / sqrt(head_dim)) V   per head, causal
//     x += Wo a
//     h  = rmsnorm(x) * ffn_norm
//     x += Wdown (silu(Wgate h) * Wup h)       SwiGLU
//   logits = Wcls (rmsnorm(x) * final_norm)    last token only
#include "bench/transformer.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace tune::bench {
namespace {

void rmsnorm(float* out, const float* x, const std::vector<float>& weight, int n, float eps) {
  double sum = 0;
  for (int i = 0; i < n; ++i) sum += static_cast<double>(x[i]) * x[i];
  const float scale = static_cast<float>(1.0 / std::sqrt(sum / n + eps));
  for (int i = 0; i < n; ++i) out[i] = x[i] * scale * weight[i];
}

// Rotates each adjacent pair (x[2i], x[2i+1]) of every head by its angle.
void rotate(float* x, int heads, int head_dim, const float* cos, const float* sin) {
  for (int h = 0; h < heads; ++h) {
    float* head = x + h * head_dim;
    for (int i = 0; i < head_dim / 2; ++i) {
      const float a = head[2 * i];
      const float b = head[2 * i + 1];
      head[2 * i] = a * cos[i] - b * sin[i];
      head[2 * i + 1] = a * sin[i] + b * cos[i];
    }
  }
}

// The largest of x[0, n) over eight running maxima, a loop the compiler
// turns into vector max instructions (one running value, or
// std::max_element's running index, keeps it scalar). NaN is passed over.
float largest_of(const float* x, size_t n) {
  float lanes[8];
  std::fill_n(lanes, 8, -std::numeric_limits<float>::infinity());
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int j = 0; j < 8; ++j) lanes[j] = x[i + j] > lanes[j] ? x[i + j] : lanes[j];
  }
  float largest = *std::max_element(lanes, lanes + 8);
  for (; i < n; ++i) largest = x[i] > largest ? x[i] : largest;
  return largest;
}

// The largest value (largest_of) and the sum go over eight running lanes
// (one running value keeps a loop scalar: softmax was about 2% of a 110m
// prompt).
void softmax(const Kernels& kernels, float* x, int n) {
  const float largest = largest_of(x, static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) x[i] -= largest;
  kernels.exponentials(x, static_cast<size_t>(n), x);
  float lanes[8] = {};
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int j = 0; j < 8; ++j) lanes[j] += x[i + j];
  }
  float sum = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
  for (; i < n; ++i) sum += x[i];
  const float inverse = 1.0f / sum;
  for (i = 0; i < n; ++i) x[i] *= inverse;
}

// The rows a piece of a product holds a multiple of (row_regions.h).
int row_granule(int tokens) { return tokens > 1 ? RowRegions::kPromptRowGranule : RowRegions::kRowGranule; }

// h[i] = silu(h[i]) * u[i] = h[i] / (1 + e^-h[i]) * u[i] for i < n.
void silu_times(const Kernels& kernels, float* __restrict h, const float* __restrict u, int n) {
  constexpr int kStep = 256;
  float e[kStep];
  for (int from = 0; from < n; from += kStep) {
    const int count = std::min(kStep, n - from);
    for (int i = 0; i < count; ++i) e[i] = -h[from + i];
    kernels.exponentials(e, static_cast<size_t>(count), e);
    for (int i = 0; i < count; ++i) h[from + i] = h[from + i] / (1.0f + e[i]) * u[from + i];
  }
}

}  // namespace

std::string_view kv_cache_name(KvCache cache) { return cache == KvCache::kF16 ? "f16" : "f32"; }

std::optional<KvCache> parse_kv_cache(std::string_view name) {
  if (name == "f32") return KvCache::kF32;
  if (name == "f16") return KvCache::kF16;
  return std::nullopt;
}

Transformer::Transformer(const Model& model, ThreadPool& pool, int context, const Kernels& kernels, KvCache cache)
    : model_(model), pool_(pool), kernels_(kernels), context_(context), cache_type_(cache) {
  for (int i = 0; i < 3; ++i) row_regions_.emplace_back(pool.size());  // q, k and v run together
  const ModelConfig& c = model.config;
  const size_t cache_values = static_cast<size_t>(c.n_layers) * context * c.kv_dim();
  const size_t value_bytes = cache_type_ == KvCache::kF16 ? sizeof(uint16_t) : sizeof(float);
  key_cache_ = HugePageBuffer(cache_values * value_bytes);
  value_cache_ = HugePageBuffer(cache_values * value_bytes);
  scores_.assign(static_cast<size_t>(pool.size()) * context, 0.0f);
  prompt_attention_.resize(static_cast<size_t>(pool.size()));
  logits_.assign(c.vocab_size, 0.0f);

  const int pairs = c.head_dim() / 2;
  rope_cos_.resize(static_cast<size_t>(context) * pairs);
  rope_sin_.resize(static_cast<size_t>(context) * pairs);
  for (int position = 0; position < context; ++position) {
    for (int i = 0; i < pairs; ++i) {
      const double frequency = std::pow(static_cast<double>(c.rope_theta), -2.0 * i / c.head_dim());
      const double angle = position * frequency;
      rope_cos_[static_cast<size_t>(position) * pairs + i] = static_cast<float>(std::cos(angle));
      rope_sin_[static_cast<size_t>(position) * pairs + i] = static_cast<float>(std::sin(angle));
    }
  }
}

void Transformer::ensure_batch(int tokens) {
  if (tokens <= batch_) return;
  const ModelConfig& c = model_.config;
  const size_t n = static_cast<size_t>(tokens);
  x_.resize(n * c.dim);
  xb_.resize(n * c.dim);
  q_.resize(n * c.dim);
  k_.resize(n * c.kv_dim());
  v_.resize(n * c.kv_dim());
  attention_.resize(n * c.dim);
  hidden_.resize(n * c.hidden_dim);
  up_.resize(n * c.hidden_dim);
  const size_t widest = static_cast<size_t>(std::max(c.dim, c.hidden_dim));
  if (packs(tokens)) {
    packed_.resize(packed_floats(tokens, static_cast<int>(widest)));
  }
  quantized_.resize(n * widest);
  quantized_scale_.resize(n * widest / kQ8Block + 1);
  batch_ = tokens;
}

// Where one key/value head of one layer keeps one position.
size_t Transformer::cache_offset(int layer, int kv_head, size_t position) const {
  const ModelConfig& c = model_.config;
  const size_t head = static_cast<size_t>(layer) * c.n_kv_heads + kv_head;
  return (head * context_ + position) * c.head_dim();
}

// Runs work(t) for every token of the batch: on the pool for a prompt, on
// the calling thread for a single decoded token (not worth a hand-off).
template <class Work>
void Transformer::each_token(int tokens, const Work& work) {
  if (tokens == 1) {
    work(0);
    return;
  }
  pool_.for_each_chunk(static_cast<size_t>(tokens), [&](size_t t, int) { work(t); });
}

// The input of a matrix product over `cols`-wide rows: packed for a prompt
// when the kernels multiply a prompt so, else quantized first when the
// weights are q8_0.
Activations Transformer::product_input(const float* in, int tokens, int cols, bool q8) {
  Activations input{in, nullptr, nullptr, tokens, cols};
  if (packs(tokens)) {
    pool_.for_each_chunk(static_cast<size_t>(packed_groups(tokens)), [&](size_t group, int) {
      kernels_.pack_tokens(in, static_cast<size_t>(cols), tokens, cols, static_cast<int>(group), packed_.data());
    });
    input.packed = packed_.data();
    return input;
  }
  if (q8) {
    const size_t width = static_cast<size_t>(cols);
    each_token(tokens, [&](size_t t) {
      kernels_.quantize_q8(in + t * width, width, quantized_.data() + t * width,
                           quantized_scale_.data() + t * (width / kQ8Block));
    });
    input.q8 = quantized_.data();
    input.q8_scale = quantized_scale_.data();
  }
  return input;
}

// out = W in for each projection; all of them read the same input and run
// in one pass over the pool: each worker goes through the projections in
// order, taking its own region of each and then what the others left
// (row_regions.h).
void Transformer::project(const float* in, int tokens, std::initializer_list<Projection> projections) {
  const Matrix& first = *projections.begin()->weights;
  bool any_q8 = false;
  for (const Projection& p : projections) any_q8 = any_q8 || p.weights->type == WeightType::kQ8_0;
  const Activations input = product_input(in, tokens, first.cols, any_q8);
  assert(projections.size() <= row_regions_.size());
  size_t index = 0;
  for (const Projection& p : projections) row_regions_[index++].reset(p.weights->rows, row_granule(tokens));
  pool_.for_each_chunk(static_cast<size_t>(pool_.size()), [&](size_t region, int) {
    size_t i = 0;
    for (const Projection& p : projections) {
      for_region_pieces(row_regions_[i++], static_cast<int>(region), [&](int begin, int end) {
        kernels_.matmul(*p.weights, begin, end, input, p.out, p.weights->rows);
      });
    }
  });
}

// hidden_ = silu(Wgate in) * (Wup in), the input of the down projection.
// Each piece takes the same rows of both matrices and combines them at
// once, so the calling thread is not left to do it alone while the other
// workers wait (on 110m that serial pass was about 1% of a decode step).
void Transformer::gated_project(const float* in, int tokens, const Matrix& gate, const Matrix& up) {
  const Activations input = product_input(in, tokens, gate.cols, gate.type == WeightType::kQ8_0);
  const size_t rows = static_cast<size_t>(gate.rows);
  row_regions_[0].reset(gate.rows, row_granule(tokens));
  pool_.for_each_chunk(static_cast<size_t>(pool_.size()), [&](size_t region, int) {
    for_region_pieces(row_regions_[0], static_cast<int>(region), [&](int begin, int end) {
      kernels_.matmul(gate, begin, end, input, hidden_.data(), rows);
      kernels_.matmul(up, begin, end, input, up_.data(), rows);
      for (int t = 0; t < tokens; ++t) {
        const size_t row = static_cast<size_t>(t) * rows;
        silu_times(kernels_, hidden_.data() + row + begin, up_.data() + row + begin, end - begin);
      }
    });
  });
}

// Appends one head's key and value rows at `offset` of the caches.
void Transformer::store_in_cache(const float* key, const float* value, size_t offset) {
  const int n = model_.config.head_dim();
  if (cache_type_ == KvCache::kF16) {
    kernels_.to_f16(key, static_cast<size_t>(n), key_cache_.as<uint16_t>() + offset);
    kernels_.to_f16(value, static_cast<size_t>(n), value_cache_.as<uint16_t>() + offset);
  } else {
    std::copy_n(key, n, key_cache_.as<float>() + offset);
    std::copy_n(value, n, value_cache_.as<float>() + offset);
  }
}

// Causal attention of the batch's queries over every cached position up to
// their own, one (token, head) pair per chunk; a prompt goes to
// attend_prompt when the kernels multiply prompts from their packed form.
void Transformer::attend(int layer, int tokens, int position) {
  if (packs(tokens)) {
    attend_prompt(layer, tokens, position);
    return;
  }
  const ModelConfig& c = model_.config;
  const int head_dim = c.head_dim();
  const int group = c.n_heads / c.n_kv_heads;  // query heads sharing one k/v head
  const float scale = 1.0f / std::sqrt(static_cast<float>(head_dim));
  const size_t tasks = static_cast<size_t>(tokens) * c.n_heads;

  pool_.for_each_chunk(tasks, [&](size_t task, int worker) {
    float* scores = scores_.data() + static_cast<size_t>(worker) * context_;
    const int t = static_cast<int>(task) / c.n_heads;
    const int head = static_cast<int>(task) % c.n_heads;
    const size_t cached = cache_offset(layer, head / group, 0);
    const int visible = position + t + 1;
    const float* query = q_.data() + static_cast<size_t>(t) * c.dim + head * head_dim;
    float* out = attention_.data() + static_cast<size_t>(t) * c.dim + head * head_dim;
    if (cache_type_ == KvCache::kF16) {
      const uint16_t* keys = key_cache_.as<uint16_t>() + cached;
      kernels_.attention_scores_f16(query, keys, head_dim, visible, head_dim, scale, scores);
      softmax(kernels_, scores, visible);
      kernels_.attention_sum_f16(scores, value_cache_.as<uint16_t>() + cached, head_dim, visible, head_dim, out);
    } else {
      kernels_.attention_scores(query, key_cache_.as<float>() + cached, head_dim, visible, head_dim, scale, scores);
      softmax(kernels_, scores, visible);
      kernels_.attention_sum(scores, value_cache_.as<float>() + cached, head_dim, visible, head_dim, out);
    }
  });
}

// The same for a whole prompt, one head per chunk, as two matrix products:
// the scores of every token against every position the last token sees
// (keys as the rows, the head's queries as the packed input), masked and
// normalized row by row, then the values weighted by them (the values
// transposed as the rows, the scores as the packed input). The scores past
// a token's own position are computed and then zeroed: the products run on
// whole rows at their full rate, where one dot product per (token,
// position), each summed across a vector, took some 8% of a 110m prompt.
void Transformer::attend_prompt(int layer, int tokens, int position) {
  const ModelConfig& c = model_.config;
  const size_t head_dim = static_cast<size_t>(c.head_dim());
  const int group = c.n_heads / c.n_kv_heads;  // query heads sharing one k/v head
  const float scale = 1.0f / std::sqrt(static_cast<float>(head_dim));
  const int seen = position + tokens;          // positions the last token sees
  const size_t positions = static_cast<size_t>(seen);

  pool_.for_each_chunk(static_cast<size_t>(c.n_heads), [&](size_t head, int worker) {
    PromptAttention& a = prompt_attention_[static_cast<size_t>(worker)];
    const size_t cached = cache_offset(layer, static_cast<int>(head) / group, 0);
    // This head's keys as f32 rows (position by position), and its values
    // transposed: row d holds value component d of every position.
    a.keys.resize(positions * head_dim);
    a.values.resize(positions * head_dim);
    a.scores.resize(positions * head_dim);  // the values as cached, before they are transposed
    if (cache_type_ == KvCache::kF16) {
      kernels_.from_f16(key_cache_.as<uint16_t>() + cached, positions * head_dim, a.keys.data());
      kernels_.from_f16(value_cache_.as<uint16_t>() + cached, positions * head_dim, a.scores.data());
    } else {
      std::copy_n(key_cache_.as<float>() + cached, positions * head_dim, a.keys.data());
      std::copy_n(value_cache_.as<float>() + cached, positions * head_dim, a.scores.data());
    }
    for (size_t p = 0; p < positions; ++p) {
      for (size_t d = 0; d < head_dim; ++d) a.values[d * positions + p] = a.scores[p * head_dim + d];
    }

    // scores[t][p] = q_t . k_p, then scaled, masked and normalized.
    a.queries.resize(packed_floats(tokens, c.head_dim()));
    for (int g = 0; g < packed_groups(tokens); ++g) {
      kernels_.pack_tokens(q_.data() + head * head_dim, static_cast<size_t>(c.dim), tokens, c.head_dim(), g,
                           a.queries.data());
    }
    Activations queries{q_.data() + head * head_dim, nullptr, nullptr, tokens, c.head_dim()};
    queries.packed = a.queries.data();
    const Matrix keys{WeightType::kF32, reinterpret_cast<const uint8_t*>(a.keys.data()), seen, c.head_dim()};
    a.scores.resize(static_cast<size_t>(tokens) * positions);
    kernels_.matmul(keys, 0, seen, queries, a.scores.data(), positions);
    for (int t = 0; t < tokens; ++t) {
      float* row = a.scores.data() + static_cast<size_t>(t) * positions;
      const int visible = position + t + 1;
      for (int p = 0; p < visible; ++p) row[p] *= scale;
      softmax(kernels_, row, visible);
      std::fill(row + visible, row + seen, 0.0f);
    }

    // out_t = sum over p of scores[t][p] * v_p.
    a.packed_scores.resize(packed_floats(tokens, seen));
    for (int g = 0; g < packed_groups(tokens); ++g) {
      kernels_.pack_tokens(a.scores.data(), positions, tokens, seen, g, a.packed_scores.data());
    }
    Activations weights{a.scores.data(), nullptr, nullptr, tokens, seen};
    weights.packed = a.packed_scores.data();
    const Matrix values{WeightType::kF32, reinterpret_cast<const uint8_t*>(a.values.data()), c.head_dim(), seen};
    kernels_.matmul(values, 0, c.head_dim(), weights, attention_.data() + head * head_dim, static_cast<size_t>(c.dim));
  });
}

const std::vector<float>& Transformer::forward(std::span<const int> tokens, int position) {
  const ModelConfig& c = model_.config;
  const int n = static_cast<int>(tokens.size());
  ensure_batch(n);
  const size_t dim = static_cast<size_t>(c.dim);
  const size_t kv_dim = static_cast<size_t>(c.kv_dim());
  const size_t pairs = static_cast<size_t>(c.head_dim() / 2);

  // Embedding: one row of the table per token.
  for (int t = 0; t < n; ++t) {
    dequantize_row(model_.token_embedding.type, model_.token_embedding.row(tokens[t]), dim, &x_[t * dim]);
  }

  for (int l = 0; l < c.n_layers; ++l) {
    const LayerWeights& layer = model_.layers[l];

    // Attention block.
    each_token(n, [&](size_t t) { rmsnorm(&xb_[t * dim], &x_[t * dim], layer.attn_norm, dim, c.norm_eps); });
    project(xb_.data(), n, {{&layer.wq, q_.data()}, {&layer.wk, k_.data()}, {&layer.wv, v_.data()}});
    each_token(n, [&](size_t t) {
      const size_t at = static_cast<size_t>(position) + t;
      rotate(&q_[t * dim], c.n_heads, c.head_dim(), &rope_cos_[at * pairs], &rope_sin_[at * pairs]);
      rotate(&k_[t * kv_dim], c.n_kv_heads, c.head_dim(), &rope_cos_[at * pairs], &rope_sin_[at * pairs]);
      for (int h = 0; h < c.n_kv_heads; ++h) {
        const size_t from = t * kv_dim + static_cast<size_t>(h) * c.head_dim();
        store_in_cache(&k_[from], &v_[from], cache_offset(l, h, at));
      }
    });
    attend(l, n, position);
    project(attention_.data(), n, {{&layer.wo, xb_.data()}});
    each_token(n, [&](size_t t) {
      for (size_t i = t * dim; i < (t + 1) * dim; ++i) x_[i] += xb_[i];
    });

    // Feed-forward block.
    each_token(n, [&](size_t t) { rmsnorm(&xb_[t * dim], &x_[t * dim], layer.ffn_norm, dim, c.norm_eps); });
    gated_project(xb_.data(), n, layer.w_gate, layer.w_up);
    project(hidden_.data(), n, {{&layer.w_down, xb_.data()}});
    each_token(n, [&](size_t t) {
      for (size_t i = t * dim; i < (t + 1) * dim; ++i) x_[i] += xb_[i];
    });
  }

  // Only the last token's next-token distribution is needed.
  const float* last = &x_[static_cast<size_t>(n - 1) * dim];
  rmsnorm(xb_.data(), last, model_.final_norm, c.dim, c.norm_eps);
  project(xb_.data(), 1, {{&model_.classifier, logits_.data()}});
  return logits_;
}

// Two passes: the largest value (largest_of; with std::max_element's one
// running index this took about 1% of a 110m decode step), then the first
// index holding it. A NaN logit is never the answer unless all are.
int argmax(const std::vector<float>& logits) {
  const size_t n = logits.size();
  if (n == 0) return 0;
  const float* x = logits.data();
  const float largest = largest_of(x, n);
  for (size_t at = 0; at < n; ++at) {
    if (x[at] == largest) return static_cast<int>(at);
  }
  return static_cast<int>(std::max_element(logits.begin(), logits.end()) - logits.begin());
}

std::vector<int> generate_greedy(Transformer& transformer, std::span<const int> prompt, int count) {
  std::vector<int> generated;
  int position = 0;
  int next = argmax(transformer.forward(prompt, position));
  position += static_cast<int>(prompt.size());
  for (int i = 0; i < count; ++i) {
    generated.push_back(next);
    if (i + 1 == count) break;
    const int token = next;
    next = argmax(transformer.forward(std::span<const int>(&token, 1), position));
    ++position;
  }
  return generated;
}

}  // namespace tune::bench
