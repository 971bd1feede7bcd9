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
//   block_matmul(w, row_begin, row_end, x, y, y_stride): the products of the
//                other block types (block_formats.h), Kernels::matmul's form
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
inline int larger(int a, int b) { return a > b ? a : b; }

// Sums every accumulator of an R x C tile (with Ops::sum4, four rows at
// once, or Ops::sum) into y[c * y_stride + r]: stored for the first chunk of
// the columns, added for the chunks after it.
template <class Ops, int R, int C, class Acc>
[[gnu::always_inline]] inline void put_tile(const Acc (&acc)[R][C], float* y, size_t y_stride, bool accumulate) {
#pragma GCC unroll 16
  for (int c = 0; c < C; ++c) {
    float sums[R];
    if constexpr (R == 4) {
      Ops::sum4(acc[0][c], acc[1][c], acc[2][c], acc[3][c], sums);
    } else {
#pragma GCC unroll 16
      for (int r = 0; r < R; ++r) sums[r] = Ops::sum(acc[r][c]);
    }
    float* out = y + c * y_stride;
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) out[r] = accumulate ? out[r] + sums[r] : sums[r];
  }
}

constexpr size_t kTilePrefetchBytes = 512;

// The columns of a tile past its last whole vector (none in the usual
// models' shapes), added to what the tile stored: out of line, so the tile
// itself keeps its accumulators in registers.
template <class Rows>
[[gnu::noinline]] void float_tile_rest(const uint8_t* w, size_t w_stride, int rows, const float* x, size_t x_stride,
                                       int tokens, int k, int k_total, float* y, size_t y_stride) {
  for (int c = 0; c < tokens; ++c) {
    for (int r = 0; r < rows; ++r) {
      float sum = 0;
      for (int i = k; i < k_total; ++i) sum += Rows::scalar(w + r * w_stride, i) * x[c * x_stride + i];
      y[c * y_stride + r] += sum;
    }
  }
}

// y[c * y_stride + r] (=, or += when accumulating) dot(weight row r, input
// row c) over k_total columns, for an R x C tile. Vector accumulators run
// along k; each is summed once at the end. Each step loads every vector
// once and keeps the shorter side in registers: R weight vectors when the
// tile is wider than tall (R x C + R + 1 registers: AVX-512's 4 x 6 takes 29
// of 32), else C input vectors (AVX2's 4 x 3 takes all 16; the other order
// spilled and ran up to 1.6x slower). The weight rows are prefetched a few
// lines ahead into L1: they come from L2, R streams at a time.
template <class Rows, int R, int C>
void float_tile(const uint8_t* w, size_t w_stride, const float* x, size_t x_stride, int k_total, float* y,
                size_t y_stride, bool accumulate) {
  Vec::V acc[R][C];
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r) {
#pragma GCC unroll 16
    for (int c = 0; c < C; ++c) acc[r][c] = Vec::zero();
  }
  int k = 0;
  for (; k + Vec::kWidth <= k_total; k += Vec::kWidth) {
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) __builtin_prefetch(w + r * w_stride + Rows::stride(k) + kTilePrefetchBytes, 0, 3);
    if constexpr (C > R) {
      Vec::V weight[R];
#pragma GCC unroll 16
      for (int r = 0; r < R; ++r) weight[r] = Rows::load(w + r * w_stride, k);
#pragma GCC unroll 16
      for (int c = 0; c < C; ++c) {
        const Vec::V in = Vec::load(x + c * x_stride + k);
#pragma GCC unroll 16
        for (int r = 0; r < R; ++r) acc[r][c] = Vec::fma(weight[r], in, acc[r][c]);
      }
    } else {
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
  }
  put_tile<Vec>(acc, y, y_stride, accumulate);
  if (k < k_total) [[unlikely]] {
    float_tile_rest<Rows>(w, w_stride, R, x, x_stride, C, k, k_total, y, y_stride);
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
// `blocks` blocks from w and from each input row, whose rows are x_cols
// values apart.
template <int R, int C>
void q8_tile(const uint8_t* w, size_t w_stride, const int8_t* xq, const float* xs, int x_cols, int blocks, float* y,
             size_t y_stride, bool accumulate) {
  const size_t x_blocks = static_cast<size_t>(x_cols / 32);
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
      const Q8::Input in = Q8::load_input(xq + static_cast<size_t>(c) * x_cols + b * 32);
      const float in_scale = xs[static_cast<size_t>(c) * x_blocks + b];
#pragma GCC unroll 16
      for (int r = 0; r < R; ++r) acc[r][c] = Q8::madd(weights[r], in, weight_scale[r] * in_scale, acc[r][c]);
    }
  }
  put_tile<Q8>(acc, y, y_stride, accumulate);
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

// What a product reads for its input rows: f32 rows for float weights, q8
// rows for q8_0. `row` is the decode case (one token: each weight row read
// once, as one sequential stream; the hardware prefetchers follow one
// stream far better than several interleaved short ones, measured 55% ->
// 90% of the read bandwidth on one core); `tile` an R x C block of the
// prefill case over columns [k_begin, k_end).
struct FloatInput {
  static constexpr size_t kBytesPerValue = 4;
  const float* x;
  size_t stride;
  template <class Rows>
  float row(const uint8_t* w, int k_total) const {
    return float_row<Rows>(w, x, k_total);
  }
  template <int R, int C, class Rows>
  void tile(const uint8_t* w, size_t w_stride, int t, int k_begin, int k_end, float* y, size_t y_stride,
            bool accumulate) const {
    float_tile<Rows, R, C>(w + Rows::stride(k_begin), w_stride, x + static_cast<size_t>(t) * stride + k_begin, stride,
                           k_end - k_begin, y, y_stride, accumulate);
  }
};

struct Q8Input {
  static constexpr size_t kBytesPerValue = 1;
  const int8_t* q;
  const float* scale;
  int cols;
  template <class Rows>
  float row(const uint8_t* w, int k_total) const {
    return q8_row(w, q, scale, k_total);
  }
  // A set whose Q8 brings a tile of its own (Q8::kOwnTile; AVX-512 takes
  // two blocks per 512-bit step) uses it instead of q8_tile.
  template <int R, int C, class Rows, class Q = Q8>
  void tile(const uint8_t* w, size_t w_stride, int t, int k_begin, int k_end, float* y, size_t y_stride,
            bool accumulate) const {
    const size_t row = static_cast<size_t>(t) * cols;
    const uint8_t* weights = w + static_cast<size_t>(k_begin / 32) * 34;
    const int8_t* in = q + row + k_begin;
    const float* in_scale = scale + row / 32 + k_begin / 32;
    const int blocks = (k_end - k_begin) / 32;
    if constexpr (requires { Q::kOwnTile; }) {
      Q::template tile<R, C>(weights, w_stride, in, in_scale, cols, blocks, y, y_stride, accumulate);
    } else {
      q8_tile<R, C>(weights, w_stride, in, in_scale, cols, blocks, y, y_stride, accumulate);
    }
  }
};

// A tile of the first `width` (1..C) tokens from t: narrower tiles for the
// last few tokens of the prompt.
template <int R, int C, class Rows, class Input>
void token_tile(const Input& input, int width, const uint8_t* w, size_t w_stride, int t, int k_begin, int k_end,
                float* y, size_t y_stride, bool accumulate) {
  if (width == C) {
    input.template tile<R, C, Rows>(w, w_stride, t, k_begin, k_end, y, y_stride, accumulate);
  } else if constexpr (C > 1) {
    token_tile<R, C - 1, Rows>(input, width, w, w_stride, t, k_begin, k_end, y, y_stride, accumulate);
  }
}

// Prefill: rows [row_begin, row_end) against every token, blocked so that
// each operand comes from the cache level that can feed it. The columns go
// in chunks whose inputs for C tokens fit in L1 (kTileInputBytes); the rows
// in blocks whose chunk of weights fits in L2 (kWeightBlockBytes); for each
// chunk and block, C tokens at a time, the block's rows stream from L2 past
// the C input rows held in L1. Before, each tile held 4 weight rows against
// 4 tokens streamed from L2 over the whole row: on a 2-core Xeon (Emerald
// Rapids, two 512-bit FMA units) a 128-token prefill of 110m f32 took 1.2x
// as long (162-190 ms against 120-157, runs alternated), one thread reaching
// 33-47% of its FMA peak on the model's shapes. Chunks start at multiples of
// 64 columns and tiles at multiples of R rows from row_begin, so each output
// is computed the same way however the rows are shared among workers.
constexpr size_t kTileInputBytes = 20 * 1024;
constexpr size_t kWeightBlockBytes = 256 * 1024;

template <int R, int C, class Rows, class Input>
void blocked_product(const Input& input, size_t bytes_per_32_weights, const uint8_t* w, size_t w_stride,
                     int row_begin, int row_end, int tokens, int k_total, float* y, size_t y_stride) {
  const size_t input_bytes = C * Input::kBytesPerValue * static_cast<size_t>(k_total);
  const int chunks = static_cast<int>((input_bytes + kTileInputBytes - 1) / kTileInputBytes);
  const int chunk = (k_total / chunks + 63) / 64 * 64;
  for (int k_begin = 0; k_begin < k_total; k_begin += chunk) {
    const int k_end = smaller(k_total, k_begin + chunk);
    const bool accumulate = k_begin > 0;
    const size_t chunk_row_bytes = bytes_per_32_weights * static_cast<size_t>(k_end - k_begin) / 32;
    const int block_rows = larger(R, static_cast<int>(kWeightBlockBytes / chunk_row_bytes) / R * R);
    for (int block = row_begin; block < row_end; block += block_rows) {
      const int block_end = smaller(row_end, block + block_rows);
      for (int t = 0; t < tokens; t += C) {
        const int width = smaller(C, tokens - t);
        float* out = y + static_cast<size_t>(t) * y_stride;
        int r = block;
        for (; r + R <= block_end; r += R) {
          token_tile<R, C, Rows>(input, width, w + static_cast<size_t>(r) * w_stride, w_stride, t, k_begin, k_end,
                                 out + r, y_stride, accumulate);
        }
        for (; r < block_end; ++r) {
          token_tile<1, C, Rows>(input, width, w + static_cast<size_t>(r) * w_stride, w_stride, t, k_begin, k_end,
                                 out + r, y_stride, accumulate);
        }
      }
    }
  }
}

// Decode: each row once, front to back.
template <class Rows, class Input>
void decode_rows(const Input& input, const uint8_t* w, size_t w_stride, int row_begin, int row_end, int k_total,
                 float* y) {
  for (int r = row_begin; r < row_end; ++r) {
    y[r] = input.template row<Rows>(w + static_cast<size_t>(r) * w_stride, k_total);
  }
}

struct Q8Rows {};  // q8 tiles read their rows themselves

template <int R, int C, class Rows, class Input>
void product(const Input& input, size_t bytes_per_32_weights, const Matrix& w, int row_begin, int row_end,
             const Activations& x, float* y, size_t y_stride) {
  const size_t stride = w.row_stride();
  if (x.count == 1) {
    decode_rows<Rows>(input, w.data, stride, row_begin, row_end, w.cols, y);
  } else {
    blocked_product<R, C, Rows>(input, bytes_per_32_weights, w.data, stride, row_begin, row_end, x.count, w.cols, y,
                                y_stride);
  }
}

void matmul(const Matrix& w, int row_begin, int row_end, const Activations& x, float* y, size_t y_stride) {
  switch (w.type) {
    case WeightType::kF32:
      product<kFloatTileRows, kFloatTileCols, F32Rows>(FloatInput{x.f32, static_cast<size_t>(x.cols)}, 32 * 4, w,
                                                        row_begin, row_end, x, y, y_stride);
      return;
    case WeightType::kF16:
      product<kFloatTileRows, kFloatTileCols, F16Rows>(FloatInput{x.f32, static_cast<size_t>(x.cols)}, 32 * 2, w,
                                                        row_begin, row_end, x, y, y_stride);
      return;
    case WeightType::kQ8_0:
      product<kQ8TileRows, kQ8TileCols, Q8Rows>(Q8Input{x.q8, x.q8_scale, x.cols}, 34, w, row_begin, row_end, x, y,
                                                y_stride);
      return;
    default:
      block_matmul(w, row_begin, row_end, x, y, y_stride);
      return;
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

void from_f16(const uint16_t* in, size_t n, float* out) {
  constexpr int W = Vec::kWidth;
  size_t i = 0;
  for (; i + W <= n; i += W) Vec::store(out + i, Vec::load_f16(reinterpret_cast<const uint8_t*>(in + i)));
  for (; i < n; ++i) out[i] = f16_to_f32(in[i]);
}
