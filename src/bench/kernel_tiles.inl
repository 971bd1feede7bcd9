// Register-blocked matrix products, written once and instantiated per
// instruction set. Include this file inside an instruction set's own
// namespace, after defining there:
//
//   struct Vec   float vectors: V, kWidth, zero(), splat(float), load(const float*),
//                store(float*, V), load_f16(const uint8_t*), store_f16(uint16_t*, V),
//                fma(a, b, acc), sum(V),
//                sum4(a, b, c, d, float out[4])
//   struct Q8    q8_0 blocks: Acc, Weights, Input, zero(), scale(block),
//                load_weights(const uint8_t* qs), load_input(const int8_t*),
//                madd(Weights, Input, float scale, Acc), sum(Acc), sum4(...)
//   kFloatTile{Rows,Cols}, kQ8Tile{Rows,Cols}: the register tile shapes
//
// Wrapping the include in a namespace keeps each set's instantiations
// apart: the linker can never swap an AVX-512 copy into the scalar path.
//
// Only this namespace's own code is used here (no inline functions from
// shared headers), for the same reason.

// How a row of weights is read: f32 as is, f16 widened on load.
struct F32Rows {
  static constexpr size_t kBytes = 4;
  static Vec::V load(const uint8_t* row, int k) { return Vec::load(reinterpret_cast<const float*>(row) + k); }
  static float scalar(const uint8_t* row, int k) {
    float value;
    std::memcpy(&value, row + 4 * static_cast<size_t>(k), 4);
    return value;
  }
  static size_t stride(int cols) { return kBytes * static_cast<size_t>(cols); }
};

struct F16Rows {
  static constexpr size_t kBytes = 2;
  static Vec::V load(const uint8_t* row, int k) { return Vec::load_f16(row + 2 * static_cast<size_t>(k)); }
  static float scalar(const uint8_t* row, int k) {
    uint16_t half;
    std::memcpy(&half, row + 2 * static_cast<size_t>(k), 2);
    return f16_to_f32(half);
  }
  static size_t stride(int cols) { return kBytes * static_cast<size_t>(cols); }
};

inline int smaller(int a, int b) { return a < b ? a : b; }

// y[c * y_stride + r] = dot(weight row r, input row c) for an R x C tile.
// Vector accumulators run along k; each is summed once at the end.
template <class Rows, int R, int C>
void float_tile(const uint8_t* w, size_t w_stride, const float* x, size_t x_stride, int k_total, float* y,
                size_t y_stride) {
  Vec::V acc[R][C];
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r) {
#pragma GCC unroll 16
    for (int c = 0; c < C; ++c) acc[r][c] = Vec::zero();
  }
  int k = 0;
  for (; k + Vec::kWidth <= k_total; k += Vec::kWidth) {
    Vec::V in[C];
#pragma GCC unroll 16
    for (int c = 0; c < C; ++c) in[c] = Vec::load(x + c * x_stride + k);
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      const Vec::V weight = Rows::load(w + r * w_stride, k);
#pragma GCC unroll 16
      for (int c = 0; c < C; ++c) acc[r][c] = Vec::fma(weight, in[c], acc[r][c]);
    }
  }
  float tail[R][C] = {};
  for (; k < k_total; ++k) {
    for (int r = 0; r < R; ++r) {
      const float weight = Rows::scalar(w + r * w_stride, k);
      for (int c = 0; c < C; ++c) tail[r][c] += weight * x[c * x_stride + k];
    }
  }
  for (int c = 0; c < C; ++c) {
    float* out = y + c * y_stride;
    if constexpr (R == 4) {
      float sums[4];
      Vec::sum4(acc[0][c], acc[1][c], acc[2][c], acc[3][c], sums);
      for (int r = 0; r < 4; ++r) out[r] = sums[r] + tail[r][c];
    } else {
      for (int r = 0; r < R; ++r) out[r] = Vec::sum(acc[r][c]) + tail[r][c];
    }
  }
}

// Decoding streams every weight once, and one core's hardware prefetchers
// alone do not keep enough reads in flight for the bandwidth a shared host
// can give. Rows are read with software prefetches: 4 KiB ahead into L2
// (prefetcht1), and the next 256 bytes on into L1. The hints matter as much
// as the distance (110m, two threads, tokens of each variant interleaved in
// one process so the host's drifting bandwidth hits all alike): f32 rows
// 4 KiB ahead into L2 decoded 1.15x faster than without, f16 rows 1.12x;
// 4 KiB ahead into L1 (prefetcht0) f16 rows went 0.71x, the lines arriving
// long before use and evicting the input row. The near L1 prefetch and an
// inlined row loop then brought the kernel about level with the read probe
// (a 256 MiB f32 matrix on both cores, passes paired with probe passes; a
// pass right after a probe pass loses 2-5% whatever the kernel, so slot for
// slot: 0.97-0.98 -> 0.98 of the probe where the host gave 30-35 GB/s,
// about 0.90 -> 0.95 in the few passes at 50-60 GB/s; in a later slot the
// new loop ran at 1.00 and 1.02).
// q8_0 rows do more arithmetic per byte and want their lines further ahead:
// 8 KiB ahead into L1 (71-82% -> 87-90% of the read bandwidth on one core),
// and 16 KiB ahead into L2 as well, which pays when the host gives more
// bandwidth. 1b decode, one transformer whose kernels are swapped between
// tokens: 1.05x (82% -> 86% of the probe) where the host gave 55-62 GB/s,
// 0.985x (97% -> 95%) where it gave about 35. The distances are touchy: L2
// alone 16 KiB ahead lost 7% at 35 GB/s; L2 4 KiB ahead with 256 bytes into
// L1, as f32 rows do, fell to 64% at 58 GB/s, and L2 12 KiB with L1 8 KiB
// ahead to 72%.
constexpr size_t kFloatPrefetchBytes = 4096;
constexpr size_t kFloatNearPrefetchBytes = 256;
constexpr size_t kQ8PrefetchBytes = 8192;
constexpr size_t kQ8FarPrefetchBytes = 16384;

// The end of a row whose length is not a multiple of four vectors (none of
// the usual models' rows are): out of line, so the common path stays short.
template <class Rows>
[[gnu::noinline]] float float_row_rest(const uint8_t* w, const float* x, int k, int k_total, Vec::V a0, Vec::V a1,
                                       Vec::V a2, Vec::V a3) {
  constexpr int W = Vec::kWidth;
  for (; k + W <= k_total; k += W) a0 = Vec::fma(Rows::load(w, k), Vec::load(x + k), a0);
  float tail = 0;
  for (; k < k_total; ++k) tail += Rows::scalar(w, k) * x[k];
  float sums[4];
  Vec::sum4(a0, a1, a2, a3, sums);
  return (sums[0] + sums[1]) + (sums[2] + sums[3]) + tail;
}

// One row against one input (the decode case): four accumulators over
// consecutive vectors, so the row streams from memory as one sequential read.
// Rows lie back to back, so prefetching past a row's end fetches the next.
// Inlined into the row loop: a call and the tail's checks for every row of
// 768 values cost some 3% of the streaming rate.
template <class Rows>
[[gnu::always_inline]] inline float float_row(const uint8_t* w, const float* x, int k_total) {
  Vec::V a0 = Vec::zero(), a1 = Vec::zero(), a2 = Vec::zero(), a3 = Vec::zero();
  constexpr int W = Vec::kWidth;
  constexpr size_t kStepBytes = 4 * W * Rows::kBytes;  // weight bytes one iteration reads
  int k = 0;
  for (; k + 4 * W <= k_total; k += 4 * W) {
    const uint8_t* here = w + Rows::stride(k);
    for (size_t line = 0; line < kStepBytes; line += 64) {
      __builtin_prefetch(here + kFloatPrefetchBytes + line, 0, 2);      // 2: prefetcht1, into L2
      __builtin_prefetch(here + kFloatNearPrefetchBytes + line, 0, 3);  // 3: prefetcht0, into L1
    }
    a0 = Vec::fma(Rows::load(w, k), Vec::load(x + k), a0);
    a1 = Vec::fma(Rows::load(w, k + W), Vec::load(x + k + W), a1);
    a2 = Vec::fma(Rows::load(w, k + 2 * W), Vec::load(x + k + 2 * W), a2);
    a3 = Vec::fma(Rows::load(w, k + 3 * W), Vec::load(x + k + 3 * W), a3);
  }
  if (k < k_total) [[unlikely]] {
    return float_row_rest<Rows>(w, x, k, k_total, a0, a1, a2, a3);
  }
  float sums[4];
  Vec::sum4(a0, a1, a2, a3, sums);
  return (sums[0] + sums[1]) + (sums[2] + sums[3]);
}

// The same tile over q8_0 weights and q8 activations: per 32-value block an
// integer dot product, scaled by both blocks' scales into a float accumulator.
template <int R, int C>
void q8_tile(const uint8_t* w, size_t w_stride, const int8_t* xq, const float* xs, int k_total, float* y,
             size_t y_stride) {
  const int blocks = k_total / 32;
  Q8::Acc acc[R][C];
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r) {
#pragma GCC unroll 16
    for (int c = 0; c < C; ++c) acc[r][c] = Q8::zero();
  }
  for (int b = 0; b < blocks; ++b) {
    Q8::Weights weights[R];
    float weight_scale[R];
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      const uint8_t* block = w + r * w_stride + static_cast<size_t>(b) * 34;
      weight_scale[r] = Q8::scale(block);
      weights[r] = Q8::load_weights(block + 2);
    }
#pragma GCC unroll 16
    for (int c = 0; c < C; ++c) {
      const Q8::Input in = Q8::load_input(xq + static_cast<size_t>(c) * k_total + b * 32);
      const float in_scale = xs[static_cast<size_t>(c) * blocks + b];
#pragma GCC unroll 16
      for (int r = 0; r < R; ++r) acc[r][c] = Q8::madd(weights[r], in, weight_scale[r] * in_scale, acc[r][c]);
    }
  }
  for (int c = 0; c < C; ++c) {
    float* out = y + c * y_stride;
    if constexpr (R == 4) {
      Q8::sum4(acc[0][c], acc[1][c], acc[2][c], acc[3][c], out);
    } else {
      for (int r = 0; r < R; ++r) out[r] = Q8::sum(acc[r][c]);
    }
  }
}

// One q8_0 row against one quantized input (the decode case), again as one
// sequential read with four accumulators.
inline float q8_row(const uint8_t* w, const int8_t* xq, const float* xs, int k_total) {
  const int blocks = k_total / 32;
  Q8::Acc acc[4] = {Q8::zero(), Q8::zero(), Q8::zero(), Q8::zero()};
  int b = 0;
  for (; b + 4 <= blocks; b += 4) {
    // Four blocks are 136 bytes; three lines a step leave no line out.
    const uint8_t* here = w + static_cast<size_t>(b) * 34;
    for (size_t line = 0; line < 192; line += 64) {
      __builtin_prefetch(here + kQ8FarPrefetchBytes + line, 0, 2);  // 2: prefetcht1, into L2
      __builtin_prefetch(here + kQ8PrefetchBytes + line, 0, 3);     // 3: prefetcht0, into L1
    }
#pragma GCC unroll 4
    for (int i = 0; i < 4; ++i) {
      const uint8_t* block = w + static_cast<size_t>(b + i) * 34;
      acc[i] = Q8::madd(Q8::load_weights(block + 2), Q8::load_input(xq + (b + i) * 32), Q8::scale(block) * xs[b + i],
                        acc[i]);
    }
  }
  for (; b < blocks; ++b) {
    const uint8_t* block = w + static_cast<size_t>(b) * 34;
    acc[0] = Q8::madd(Q8::load_weights(block + 2), Q8::load_input(xq + b * 32), Q8::scale(block) * xs[b], acc[0]);
  }
  float sums[4];
  Q8::sum4(acc[0], acc[1], acc[2], acc[3], sums);
  return (sums[0] + sums[1]) + (sums[2] + sums[3]);
}

// Input rows a tile reads: f32 rows for float weights, q8 rows for q8_0.
// A tile one token wide is computed row by row instead: decoding reads each
// weight once, and the hardware prefetchers follow one sequential stream far
// better than several interleaved short ones (measured: 55% -> 90% of the
// read bandwidth on one core).
struct FloatInput {
  const float* x;
  size_t stride;
  template <int R, int C, class Rows>
  void tile(const uint8_t* w, size_t w_stride, int t, int k_total, float* y, size_t y_stride) const {
    if constexpr (C == 1) {
      for (int r = 0; r < R; ++r) y[r] = float_row<Rows>(w + r * w_stride, x + static_cast<size_t>(t) * stride, k_total);
    } else {
      float_tile<Rows, R, C>(w, w_stride, x + static_cast<size_t>(t) * stride, stride, k_total, y, y_stride);
    }
  }
};

struct Q8Input {
  const int8_t* q;
  const float* scale;
  template <int R, int C, class Rows>
  void tile(const uint8_t* w, size_t w_stride, int t, int k_total, float* y, size_t y_stride) const {
    const int8_t* xq = q + static_cast<size_t>(t) * k_total;
    const float* xs = scale + static_cast<size_t>(t) * (k_total / 32);
    if constexpr (C == 1) {
      for (int r = 0; r < R; ++r) y[r] = q8_row(w + r * w_stride, xq, xs, k_total);
    } else {
      q8_tile<R, C>(w, w_stride, xq, xs, k_total, y, y_stride);
    }
  }
};

// A row block of R rows against tokens [t_begin, t_end), C at a time, with a
// narrower tile for the last few tokens.
template <int R, int C, class Rows, class Input>
void row_block(const Input& input, const uint8_t* w, size_t w_stride, int t_begin, int t_end, int k_total,
               float* y, size_t y_stride, int r) {
  static_assert(C >= 1 && C <= 4, "tiles are at most 4 tokens wide");
  int t = t_begin;
  for (; t + C <= t_end; t += C) {
    input.template tile<R, C, Rows>(w, w_stride, t, k_total, y + static_cast<size_t>(t) * y_stride + r, y_stride);
  }
  const int left = t_end - t;
  float* out = y + static_cast<size_t>(t) * y_stride + r;
  if constexpr (C > 1) {
    if (left == 1) input.template tile<R, 1, Rows>(w, w_stride, t, k_total, out, y_stride);
  }
  if constexpr (C > 2) {
    if (left == 2) input.template tile<R, 2, Rows>(w, w_stride, t, k_total, out, y_stride);
  }
  if constexpr (C > 3) {
    if (left == 3) input.template tile<R, 3, Rows>(w, w_stride, t, k_total, out, y_stride);
  }
}

// Rows [row_begin, row_end) against every token. Tokens go in blocks whose
// inputs stay in the L2 cache while every row of the range streams past them.
template <int R, int C, class Rows, class Input>
void blocked_product(const Input& input, size_t input_row_bytes, const uint8_t* w, size_t w_stride, int row_begin,
                     int row_end, int tokens, int k_total, float* y, size_t y_stride) {
  constexpr size_t kInputBlockBytes = 256 * 1024;
  int token_block = static_cast<int>(kInputBlockBytes / (input_row_bytes ? input_row_bytes : 1));
  token_block = token_block < C ? C : token_block / C * C;
  if (tokens == 1) token_block = 1;
  for (int t0 = 0; t0 < tokens; t0 += token_block) {
    const int t1 = smaller(tokens, t0 + token_block);
    int r = row_begin;
    for (; r + R <= row_end; r += R) {
      row_block<R, C, Rows>(input, w + static_cast<size_t>(r) * w_stride, w_stride, t0, t1, k_total, y, y_stride, r);
    }
    for (; r < row_end; ++r) {
      row_block<1, C, Rows>(input, w + static_cast<size_t>(r) * w_stride, w_stride, t0, t1, k_total, y, y_stride, r);
    }
  }
}

struct Q8Rows {};  // q8 tiles read their rows themselves

void matmul(const Matrix& w, int row_begin, int row_end, const Activations& x, float* y, size_t y_stride) {
  const int k_total = w.cols;
  switch (w.type) {
    case WeightType::kF32: {
      const FloatInput input{x.f32, static_cast<size_t>(x.cols)};
      blocked_product<kFloatTileRows, kFloatTileCols, F32Rows>(input, 4 * static_cast<size_t>(k_total), w.data,
                                                                F32Rows::stride(k_total), row_begin, row_end,
                                                                x.count, k_total, y, y_stride);
      return;
    }
    case WeightType::kF16: {
      const FloatInput input{x.f32, static_cast<size_t>(x.cols)};
      blocked_product<kFloatTileRows, kFloatTileCols, F16Rows>(input, 4 * static_cast<size_t>(k_total), w.data,
                                                                F16Rows::stride(k_total), row_begin, row_end,
                                                                x.count, k_total, y, y_stride);
      return;
    }
    case WeightType::kQ8_0: {
      const Q8Input input{x.q8, x.q8_scale};
      blocked_product<kQ8TileRows, kQ8TileCols, Q8Rows>(input, static_cast<size_t>(k_total), w.data,
                                                          static_cast<size_t>(k_total / 32) * 34, row_begin, row_end,
                                                          x.count, k_total, y, y_stride);
      return;
    }
  }
}

// Attention streams each head's cached rows (head-major, so one head's
// positions lie back to back) and, like the weights, reads them with
// software prefetches ahead into L2. On 110m at positions 128-224 (two
// threads, cache in 2 MiB pages) attention took 830 us a token with four
// positions per step and the values summed in two passes, 580 us with the
// loops below, 560 us with the prefetches as well.
constexpr size_t kCachePrefetchBytes = 2048;

inline void prefetch_ahead(const uint8_t* row, size_t bytes) {
  const uint8_t* ahead = row + kCachePrefetchBytes;
  for (size_t line = 0; line < bytes; line += 64) __builtin_prefetch(ahead + line, 0, 2);
}

// dot(query, row) over a cached row stored as Rows (f32 or f16).
template <class Rows>
float cached_dot(const float* query, const uint8_t* row, int n) {
  constexpr int W = Vec::kWidth;
  Vec::V a0 = Vec::zero(), a1 = Vec::zero();
  int i = 0;
  for (; i + 2 * W <= n; i += 2 * W) {
    a0 = Vec::fma(Vec::load(query + i), Rows::load(row, i), a0);
    a1 = Vec::fma(Vec::load(query + i + W), Rows::load(row, i + W), a1);
  }
  for (; i + W <= n; i += W) a0 = Vec::fma(Vec::load(query + i), Rows::load(row, i), a0);
  float sum = Vec::sum(a0) + Vec::sum(a1);
  for (; i < n; ++i) sum += query[i] * Rows::scalar(row, i);
  return sum;
}

template <class Rows>
void cached_scores(const float* query, const uint8_t* keys, size_t stride, int count, int width, float scale,
                   float* scores) {
  const size_t row_bytes = Rows::stride(width);
  for (int p = 0; p < count; ++p) {
    const uint8_t* row = keys + Rows::stride(1) * stride * static_cast<size_t>(p);
    prefetch_ahead(row, row_bytes);
    scores[p] = scale * cached_dot<Rows>(query, row, width);
  }
}

// out[i, i + N * W) over every position in one pass: the N output vectors
// stay in registers while the rows stream past, so each row is read once
// (two passes over 64-value rows read every cached value twice).
template <class Rows, int N>
void weighted_sum_block(const float* weights, const uint8_t* values, size_t stride, int count, int i, float* out) {
  constexpr int W = Vec::kWidth;
  Vec::V acc[N];
#pragma GCC unroll 8
  for (int n = 0; n < N; ++n) acc[n] = Vec::zero();
  for (int p = 0; p < count; ++p) {
    const uint8_t* row = values + Rows::stride(1) * stride * static_cast<size_t>(p);
    prefetch_ahead(row + Rows::stride(i), Rows::stride(N * W));
    const Vec::V weight = Vec::splat(weights[p]);
#pragma GCC unroll 8
    for (int n = 0; n < N; ++n) acc[n] = Vec::fma(weight, Rows::load(row, i + n * W), acc[n]);
  }
#pragma GCC unroll 8
  for (int n = 0; n < N; ++n) Vec::store(out + i + n * W, acc[n]);
}

template <class Rows>
void cached_sum(const float* weights, const uint8_t* values, size_t stride, int count, int width, float* out) {
  constexpr int W = Vec::kWidth;
  int i = 0;
  for (; i + 8 * W <= width; i += 8 * W) weighted_sum_block<Rows, 8>(weights, values, stride, count, i, out);
  if (i + 4 * W <= width) {
    weighted_sum_block<Rows, 4>(weights, values, stride, count, i, out);
    i += 4 * W;
  }
  if (i + 2 * W <= width) {
    weighted_sum_block<Rows, 2>(weights, values, stride, count, i, out);
    i += 2 * W;
  }
  if (i + W <= width) {
    weighted_sum_block<Rows, 1>(weights, values, stride, count, i, out);
    i += W;
  }
  for (; i < width; ++i) {
    float sum = 0;
    for (int p = 0; p < count; ++p) {
      sum += weights[p] * Rows::scalar(values + Rows::stride(1) * stride * static_cast<size_t>(p), i);
    }
    out[i] = sum;
  }
}

void attention_scores(const float* query, const float* keys, size_t stride, int count, int width, float scale,
                      float* scores) {
  cached_scores<F32Rows>(query, reinterpret_cast<const uint8_t*>(keys), stride, count, width, scale, scores);
}

void attention_sum(const float* weights, const float* values, size_t stride, int count, int width, float* out) {
  cached_sum<F32Rows>(weights, reinterpret_cast<const uint8_t*>(values), stride, count, width, out);
}

void attention_scores_f16(const float* query, const uint16_t* keys, size_t stride, int count, int width, float scale,
                          float* scores) {
  cached_scores<F16Rows>(query, reinterpret_cast<const uint8_t*>(keys), stride, count, width, scale, scores);
}

void attention_sum_f16(const float* weights, const uint16_t* values, size_t stride, int count, int width, float* out) {
  cached_sum<F16Rows>(weights, reinterpret_cast<const uint8_t*>(values), stride, count, width, out);
}

// The f16 cache's appends: whole vectors converted at once (F16C, NEON),
// rounding to nearest even like f32_to_f16, which takes the rest.
void to_f16(const float* in, size_t n, uint16_t* out) {
  constexpr int W = Vec::kWidth;
  size_t i = 0;
  for (; i + W <= n; i += W) Vec::store_f16(out + i, Vec::load(in + i));
  for (; i < n; ++i) out[i] = f32_to_f16(in[i]);
}
