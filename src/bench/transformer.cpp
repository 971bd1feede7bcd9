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
//                 (+ bq, bk, bv in qwen2)
//     q, k = rmsnorm(each head) * q_norm, k_norm      (qwen3)
//     rotate q and k by their position         (RoPE: adjacent pairs in llama,
//                                               the two halves in qwen2/qwen3)
//     append k, v to the cache
//     a  = softmax(q . K / sqrt(head_dim)) V   per head, causal
//     x += Wo a                                (gemma: rmsnorm(Wo a) * post_attention_norm)
//     h  = rmsnorm(x) * ffn_norm
//     x += Wdown (silu(Wgate h) * Wup h)       SwiGLU (gemma: GELU, then post_ffw_norm)
//   logits = Wcls (rmsnorm(x) * final_norm)    last token only
//
// Gemma also scales the embedding rows by sqrt(dim), may cap the attention
// scores and the logits (cap * tanh(x / cap)), and lets some layers see only
// a sliding window of past positions, with their own rope base (model.h).
#include "bench/transformer.h"

#include "bench/block_formats.h"

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

// Rotates pair i of every head by its angle: the adjacent values (x[2i],
// x[2i+1]), or x[i] with x[i + head_dim/2] (architecture.h's RopeStyle).
void rotate(float* x, int heads, int head_dim, const float* cos, const float* sin, RopeStyle style) {
  const int half = head_dim / 2;
  const int first_step = style == RopeStyle::kAdjacentPairs ? 2 : 1;
  const int partner = style == RopeStyle::kAdjacentPairs ? 1 : half;
  for (int h = 0; h < heads; ++h) {
    float* head = x + h * head_dim;
    for (int i = 0; i < half; ++i) {
      float* first = head + i * first_step;
      const float a = first[0];
      const float b = first[partner];
      first[0] = a * cos[i] - b * sin[i];
      first[partner] = a * sin[i] + b * cos[i];
    }
  }
}

void add_bias(float* x, const std::vector<float>& bias) {
  for (size_t i = 0; i < bias.size(); ++i) x[i] += bias[i];
}

// RMSNorm of each head of x on its own, with one weight vector for all (qwen3's Q/K norms).
void normalize_heads(float* x, int heads, int head_dim, const std::vector<float>& weight, float eps) {
  for (int h = 0; h < heads; ++h) rmsnorm(x + h * head_dim, x + h * head_dim, weight, head_dim, eps);
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

// h[i] = gelu(h[i]) * u[i] for i < n, GELU's tanh approximation
// 0.5 x (1 + tanh(y)), y = sqrt(2/pi) (x + 0.044715 x^3), with
// tanh(y) = 1 - 2 / (e^2y + 1) (infinite e^2y gives 1, zero gives -1).
void gelu_times(const Kernels& kernels, float* __restrict h, const float* __restrict u, int n) {
  constexpr int kStep = 256;
  constexpr float kSqrtTwoOverPi = 0.7978845608f;
  float e[kStep];
  for (int from = 0; from < n; from += kStep) {
    const int count = std::min(kStep, n - from);
    for (int i = 0; i < count; ++i) {
      const float x = h[from + i];
      e[i] = 2.0f * kSqrtTwoOverPi * (x + 0.044715f * x * x * x);
    }
    kernels.exponentials(e, static_cast<size_t>(count), e);
    for (int i = 0; i < count; ++i) {
      const float tanh_y = 1.0f - 2.0f / (e[i] + 1.0f);
      h[from + i] = 0.5f * h[from + i] * (1.0f + tanh_y) * u[from + i];
    }
  }
}

// x = cap * tanh(x / cap) for each of n values (Gemma 2's soft-capping).
void soft_cap(float* x, int n, float cap) {
  for (int i = 0; i < n; ++i) x[i] = cap * std::tanh(x[i] / cap);
}

// factors: rope_freqs.weight's divisors of each pair's frequency (empty:
// none); linear_factor: rope.scaling's divisor of every position (0: none).
void fill_rope(std::vector<float>& cos, std::vector<float>& sin, int context, int head_dim, float theta,
               const std::vector<float>& factors, float linear_factor) {
  const double position_scale = linear_factor > 0 ? 1.0 / linear_factor : 1.0;
  const int pairs = head_dim / 2;
  cos.resize(static_cast<size_t>(context) * pairs);
  sin.resize(static_cast<size_t>(context) * pairs);
  for (int position = 0; position < context; ++position) {
    for (int i = 0; i < pairs; ++i) {
      const double divisor = factors.empty() ? 1.0 : static_cast<double>(factors[static_cast<size_t>(i)]);
      const double frequency = std::pow(static_cast<double>(theta), -2.0 * i / head_dim) / divisor;
      const double angle = position * position_scale * frequency;
      cos[static_cast<size_t>(position) * pairs + i] = static_cast<float>(std::cos(angle));
      sin[static_cast<size_t>(position) * pairs + i] = static_cast<float>(std::sin(angle));
    }
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

  fill_rope(rope_.cos, rope_.sin, context, c.head_dim(), c.rope_theta, model.rope_freq_factors, c.rope_linear_factor);
  if (c.rope_theta_sliding > 0) {  // Gemma 3's sliding layers: their own base, never scaled
    fill_rope(sliding_rope_.cos, sliding_rope_.sin, context, c.head_dim(), c.rope_theta_sliding,
              model.rope_freq_factors, 0.0f);
  }
}

const Transformer::RopeTable& Transformer::rope_for(int layer) const {
  return model_.config.slides(layer) && !sliding_rope_.cos.empty() ? sliding_rope_ : rope_;
}

int Transformer::first_visible(int layer, int position) const {
  const ModelConfig& c = model_.config;
  return c.slides(layer) ? std::max(0, position - c.sliding_window + 1) : 0;
}

void Transformer::ensure_batch(int tokens) {
  if (tokens <= batch_) return;
  const ModelConfig& c = model_.config;
  const size_t n = static_cast<size_t>(tokens);
  x_.resize(n * c.dim);
  xb_.resize(n * c.dim);
  q_.resize(n * c.q_dim());
  k_.resize(n * c.kv_dim());
  v_.resize(n * c.kv_dim());
  attention_.resize(n * c.q_dim());
  hidden_.resize(n * c.hidden_dim);
  up_.resize(n * c.hidden_dim);
  const size_t widest = static_cast<size_t>(std::max({c.dim, c.hidden_dim, c.q_dim()}));
  if (packs(tokens)) {
    packed_.resize(packed_floats(tokens, static_cast<int>(widest)));
  }
  quantized_.resize(n * widest);
  quantized_scale_.resize(n * widest / kQ8Block + 1);
  quantized_k_.resize(n * widest);
  quantized_k_scale_.resize(n * widest / kQ8KBlock + 1);
  quantized_k_sums_.resize(n * widest / kQ8KSumGroup + 1);
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

void Transformer::InputForms::add(WeightType type) {
  const ActivationForm form = activation_form(type);
  q8 = q8 || form == ActivationForm::kQ8;
  q8k = q8k || form == ActivationForm::kQ8K;
}

// The input of a matrix product over `cols`-wide rows: packed for a prompt
// when the kernels multiply a prompt so (a set that packs takes every
// weight type packed), else quantized first into each form the weights
// read (a model may mix types: Q4_K_M files hold q4_K and q6_K matrices).
Activations Transformer::product_input(const float* in, int tokens, int cols, InputForms forms) {
  Activations input{in, nullptr, nullptr, tokens, cols};
  if (packs(tokens)) {
    pool_.for_each_chunk(static_cast<size_t>(packed_groups(tokens)), [&](size_t group, int) {
      kernels_.pack_tokens(in, static_cast<size_t>(cols), tokens, cols, static_cast<int>(group), packed_.data());
    });
    input.packed = packed_.data();
    return input;
  }
  const size_t width = static_cast<size_t>(cols);
  if (forms.q8) {
    each_token(tokens, [&](size_t t) {
      kernels_.quantize_q8(in + t * width, width, quantized_.data() + t * width,
                           quantized_scale_.data() + t * (width / kQ8Block));
    });
    input.q8 = quantized_.data();
    input.q8_scale = quantized_scale_.data();
  }
  if (forms.q8k) {
    each_token(tokens, [&](size_t t) {
      quantize_activations_q8k(in + t * width, width, quantized_k_.data() + t * width,
                               quantized_k_scale_.data() + t * (width / kQ8KBlock),
                               quantized_k_sums_.data() + t * (width / kQ8KSumGroup));
    });
    input.q8k = quantized_k_.data();
    input.q8k_scale = quantized_k_scale_.data();
    input.q8k_sums = quantized_k_sums_.data();
  }
  return input;
}

// out = W in for each projection; all of them read the same input and run
// in one pass over the pool: each worker goes through the projections in
// order, taking its own region of each and then what the others left
// (row_regions.h).
void Transformer::project(const float* in, int tokens, std::initializer_list<Projection> projections) {
  const Matrix& first = *projections.begin()->weights;
  InputForms forms;
  for (const Projection& p : projections) forms.add(p.weights->type);
  const Activations input = product_input(in, tokens, first.cols, forms);
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
  InputForms forms;
  forms.add(gate.type);
  forms.add(up.type);
  const Activations input = product_input(in, tokens, gate.cols, forms);
  const size_t rows = static_cast<size_t>(gate.rows);
  const bool gelu = traits(model_.config.architecture).gemma_block;
  row_regions_[0].reset(gate.rows, row_granule(tokens));
  pool_.for_each_chunk(static_cast<size_t>(pool_.size()), [&](size_t region, int) {
    for_region_pieces(row_regions_[0], static_cast<int>(region), [&](int begin, int end) {
      kernels_.matmul(gate, begin, end, input, hidden_.data(), rows);
      kernels_.matmul(up, begin, end, input, up_.data(), rows);
      for (int t = 0; t < tokens; ++t) {
        const size_t row = static_cast<size_t>(t) * rows;
        if (gelu) {
          gelu_times(kernels_, hidden_.data() + row + begin, up_.data() + row + begin, end - begin);
        } else {
          silu_times(kernels_, hidden_.data() + row + begin, up_.data() + row + begin, end - begin);
        }
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
  const float scale = c.attention_scale > 0 ? c.attention_scale : 1.0f / std::sqrt(static_cast<float>(head_dim));
  const size_t tasks = static_cast<size_t>(tokens) * c.n_heads;

  pool_.for_each_chunk(tasks, [&](size_t task, int worker) {
    float* scores = scores_.data() + static_cast<size_t>(worker) * context_;
    const int t = static_cast<int>(task) / c.n_heads;
    const int head = static_cast<int>(task) % c.n_heads;
    const int first = first_visible(layer, position + t);
    const size_t cached = cache_offset(layer, head / group, static_cast<size_t>(first));
    const int visible = position + t + 1 - first;  // positions [first, position + t]
    const float* query = q_.data() + static_cast<size_t>(t) * c.q_dim() + head * head_dim;
    float* out = attention_.data() + static_cast<size_t>(t) * c.q_dim() + head * head_dim;
    if (cache_type_ == KvCache::kF16) {
      const uint16_t* keys = key_cache_.as<uint16_t>() + cached;
      kernels_.attention_scores_f16(query, keys, head_dim, visible, head_dim, scale, scores);
      if (c.attention_softcap > 0) soft_cap(scores, visible, c.attention_softcap);
      softmax(kernels_, scores, visible);
      kernels_.attention_sum_f16(scores, value_cache_.as<uint16_t>() + cached, head_dim, visible, head_dim, out);
    } else {
      kernels_.attention_scores(query, key_cache_.as<float>() + cached, head_dim, visible, head_dim, scale, scores);
      if (c.attention_softcap > 0) soft_cap(scores, visible, c.attention_softcap);
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
  const float scale = c.attention_scale > 0 ? c.attention_scale : 1.0f / std::sqrt(static_cast<float>(head_dim));
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
      kernels_.pack_tokens(q_.data() + head * head_dim, static_cast<size_t>(c.q_dim()), tokens, c.head_dim(), g,
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
      const int first = first_visible(layer, position + t);  // out of a sliding window before it
      for (int p = first; p < visible; ++p) row[p] *= scale;
      if (c.attention_softcap > 0) soft_cap(row + first, visible - first, c.attention_softcap);
      softmax(kernels_, row + first, visible - first);
      std::fill(row, row + first, 0.0f);
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
    kernels_.matmul(values, 0, c.head_dim(), weights, attention_.data() + head * head_dim,
                    static_cast<size_t>(c.q_dim()));
  });
}

const std::vector<float>& Transformer::forward(std::span<const int> tokens, int position) {
  const ModelConfig& c = model_.config;
  const int n = static_cast<int>(tokens.size());
  ensure_batch(n);
  const size_t dim = static_cast<size_t>(c.dim);
  const size_t kv_dim = static_cast<size_t>(c.kv_dim());
  const size_t pairs = static_cast<size_t>(c.head_dim() / 2);
  const ArchitectureTraits& arch = traits(c.architecture);

  // Embedding: one row of the table per token.
  for (int t = 0; t < n; ++t) {
    dequantize_row(model_.token_embedding.type, model_.token_embedding.row(tokens[t]), dim, &x_[t * dim]);
    if (arch.gemma_block) {
      const float embedding_scale = std::sqrt(static_cast<float>(c.dim));
      for (size_t i = t * dim; i < (t + 1) * dim; ++i) x_[i] *= embedding_scale;
    }
  }

  for (int l = 0; l < c.n_layers; ++l) {
    const LayerWeights& layer = model_.layers[l];
    const RopeTable& rope = rope_for(l);

    // Attention block.
    each_token(n, [&](size_t t) { rmsnorm(&xb_[t * dim], &x_[t * dim], layer.attn_norm, dim, c.norm_eps); });
    project(xb_.data(), n, {{&layer.wq, q_.data()}, {&layer.wk, k_.data()}, {&layer.wv, v_.data()}});
    each_token(n, [&](size_t t) {
      const size_t at = static_cast<size_t>(position) + t;
      float* query = &q_[t * c.q_dim()];
      float* key = &k_[t * kv_dim];
      if (arch.qkv_bias) {
        add_bias(query, layer.q_bias);
        add_bias(key, layer.k_bias);
        add_bias(&v_[t * kv_dim], layer.v_bias);
      }
      if (arch.qk_norm) {
        normalize_heads(query, c.n_heads, c.head_dim(), layer.q_norm, c.norm_eps);
        normalize_heads(key, c.n_kv_heads, c.head_dim(), layer.k_norm, c.norm_eps);
      }
      rotate(query, c.n_heads, c.head_dim(), &rope.cos[at * pairs], &rope.sin[at * pairs], arch.rope);
      rotate(key, c.n_kv_heads, c.head_dim(), &rope.cos[at * pairs], &rope.sin[at * pairs], arch.rope);
      for (int h = 0; h < c.n_kv_heads; ++h) {
        const size_t from = t * kv_dim + static_cast<size_t>(h) * c.head_dim();
        store_in_cache(&k_[from], &v_[from], cache_offset(l, h, at));
      }
    });
    attend(l, n, position);
    project(attention_.data(), n, {{&layer.wo, xb_.data()}});
    each_token(n, [&](size_t t) {
      if (arch.gemma_block) rmsnorm(&xb_[t * dim], &xb_[t * dim], layer.post_attention_norm, dim, c.norm_eps);
      for (size_t i = t * dim; i < (t + 1) * dim; ++i) x_[i] += xb_[i];
    });

    // Feed-forward block.
    each_token(n, [&](size_t t) { rmsnorm(&xb_[t * dim], &x_[t * dim], layer.ffn_norm, dim, c.norm_eps); });
    gated_project(xb_.data(), n, layer.w_gate, layer.w_up);
    project(hidden_.data(), n, {{&layer.w_down, xb_.data()}});
    each_token(n, [&](size_t t) {
      if (arch.gemma_block) rmsnorm(&xb_[t * dim], &xb_[t * dim], layer.post_ffn_norm, dim, c.norm_eps);
      for (size_t i = t * dim; i < (t + 1) * dim; ++i) x_[i] += xb_[i];
    });
  }

  // Only the last token's next-token distribution is needed.
  const float* last = &x_[static_cast<size_t>(n - 1) * dim];
  rmsnorm(xb_.data(), last, model_.final_norm, c.dim, c.norm_eps);
  project(xb_.data(), 1, {{&model_.classifier, logits_.data()}});
  if (c.final_softcap > 0) soft_cap(logits_.data(), c.vocab_size, c.final_softcap);
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
