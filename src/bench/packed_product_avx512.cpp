// AVX-512 prefill as a sum of outer products over the packed prompt
// (kernels.h, kPackedGroup): for each column k, one weight of each of 6
// rows is broadcast against four vectors holding 64 tokens' values of
// column k, into 6 x 4 accumulators that each hold one row's outputs for
// 16 tokens. Nothing is summed across a vector at the end, every weight
// read serves 64 tokens and every input vector 6 rows.
//
// Why not the row-by-row tiles (kernel_tiles.inl): those keep each
// accumulator along k, so every weight vector they read serves only the
// tile's 6 tokens and arrives from L2 at some 21 bytes a cycle, and the
// tile sums 24 vectors across their lanes at every column chunk. On a
// 2-core Xeon (Emerald Rapids, two 512-bit FMA units) the 4 x 6 tile ran
// one thread at about 60% of its FMA peak on 110m's shapes; a 12 x 2 outer
// product at 69-87% (a throwaway harness, 768x768 to 2048x5632, 128
// tokens). 6 x 4 loads 10 values a column where 12 x 2 loads 14: with the
// host busier, the same harness ran 12 x 2 at 53-59% of the peak and 6 x 4
// at 66-69%, and whole prompts (alternated, medians of 15) took 131-134 ms
// against 134-138 ms for 110m f32, 1.20-1.32 s against 1.36-1.48 s for 1b
// q8_0.
//
// f32 rows are read where they lie; f16 and q8_0 rows are first widened to
// f32, 6 rows of one column chunk at a time, into a buffer that stays in L1
// or L2 while every group of tokens passes over it (the widening is then
// one small step per 64 tokens, not per token). q8_0 weights meet the
// prompt in f32 here, not quantized as in decoding: a little more exact.
//
// A prompt reads every weight from memory once; while a tile's groups of
// tokens pass over its rows, it prefetches the next tile's rows into L2 (a
// share for each group), so those arrive before they are needed: a 110m
// f32 prompt of 128 tokens took 123-125 ms against 128-131 ms without
// (12 x 2 tiles, medians of 40, alternated in one process).
//
// Each output is one chain of FMAs along k per column chunk, the chunks
// added in order, so it comes out the same whichever tile, piece of rows
// or thread computes it.
#include "bench/packed_product.h"

#include <immintrin.h>

#include <cstring>
#include <vector>

namespace tune::bench {
namespace avx512_packed {
namespace {

constexpr int kGroup = kPackedGroup;
constexpr int kTileRows = 6;  // 24 accumulators, 4 input vectors, 1 broadcast: 29 of 32 registers
// The packed columns of one chunk, for every group of tokens, stay within
// this (in L2 with the rows they meet): 128 tokens of 110m (up to 2048
// columns) in one chunk, 1b's 5632-wide down projection in three.
constexpr size_t kPanelBytes = 1 << 20;

float load_float(const uint8_t* p) {
  float value;
  std::memcpy(&value, p, sizeof value);
  return value;
}

float half_to_float(const uint8_t* p) {
  uint16_t half;
  std::memcpy(&half, p, sizeof half);
  return _cvtsh_ss(half);
}

// The weights the next tile will read, as stored: rows [first_row,
// end_row) of those at `rows` (`stride` bytes apart), `bytes` of each in
// this chunk.
struct Ahead {
  const uint8_t* rows = nullptr;
  size_t stride = 0;
  size_t bytes = 0;
  int first_row = 0;
  int end_row = 0;
};

// y[t * y_stride + r] (=, or += when accumulating) sum over k < columns of
// row r at k times token t's column k, for R rows (row r at rows + r *
// row_stride bytes, f32) and the first `tokens` tokens of one packed group
// (V vectors of 16 of them).
template <int R, int V>
void outer_tile(const uint8_t* rows, size_t row_stride, const float* group, int columns, float* y, size_t y_stride,
                int tokens, bool accumulate, const Ahead& next) {
  __m512 acc[R][V];
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r) {
#pragma GCC unroll 4
    for (int v = 0; v < V; ++v) acc[r][v] = _mm512_setzero_ps();
  }
  // Sixteen columns at a time, the next tile's prefetches between them:
  // issued from inside the column loop, their addresses pushed the row
  // pointers out of registers (both ran alike; this one issues fewer
  // instructions a column).
  for (int block = 0; block < columns; block += 16) {
    for (int j = next.first_row; j < next.end_row; ++j) {
      _mm_prefetch(reinterpret_cast<const char*>(next.rows + j * next.stride + block * next.bytes / columns),
                   _MM_HINT_T1);
    }
    const int block_end = columns - block < 16 ? columns : block + 16;
    for (int k = block; k < block_end; ++k) {
      __m512 in[V];
#pragma GCC unroll 4
      for (int v = 0; v < V; ++v) in[v] = _mm512_load_ps(group + static_cast<size_t>(k) * kGroup + 16 * v);
      const uint8_t* column = rows + 4 * static_cast<size_t>(k);
#pragma GCC unroll 16
      for (int r = 0; r < R; ++r) {
        const __m512 weight = _mm512_set1_ps(load_float(column + r * row_stride));
#pragma GCC unroll 4
        for (int v = 0; v < V; ++v) acc[r][v] = _mm512_fmadd_ps(weight, in[v], acc[r][v]);
      }
    }
  }
  // Each accumulator is one row's outputs for 16 tokens; y wants each
  // token's outputs side by side.
  alignas(64) float sums[R][kGroup];
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r) {
#pragma GCC unroll 4
    for (int v = 0; v < V; ++v) _mm512_store_ps(&sums[r][16 * v], acc[r][v]);
  }
  for (int t = 0; t < tokens; ++t) {
    float* out = y + static_cast<size_t>(t) * y_stride;
    for (int r = 0; r < R; ++r) out[r] = accumulate ? out[r] + sums[r][t] : sums[r][t];
  }
}

using TileFn = void (*)(const uint8_t*, size_t, const float*, int, float*, size_t, int, bool, const Ahead&);

// The tile for `rows` (1..kTileRows) rows and `tokens` (1..kGroup) tokens:
// as many vectors of 16 tokens as the group has tokens for.
template <int R>
TileFn tile_for(int rows, int tokens) {
  if constexpr (R > 1) {
    if (rows < R) return tile_for<R - 1>(rows, tokens);
  }
  static_assert(kGroup == 64, "one tile per count of 16-token vectors in a group");
  switch ((tokens + 15) / 16) {
    case 1:
      return &outer_tile<R, 1>;
    case 2:
      return &outer_tile<R, 2>;
    case 3:
      return &outer_tile<R, 3>;
    default:
      return &outer_tile<R, 4>;
  }
}

// Rows [first, first + count) of w over columns [k_begin, k_end), as f32
// rows: where they lie for f32, else widened into `buffer`.
struct RowsF32 {
  const uint8_t* data;
  size_t stride;
};

RowsF32 f32_rows(const Matrix& w, int first, int count, int k_begin, int k_end, std::vector<float>& buffer) {
  if (w.type == WeightType::kF32) {
    return {w.row(first) + 4 * static_cast<size_t>(k_begin), w.row_stride()};
  }
  const int columns = k_end - k_begin;
  // 16 floats more than a row, so that the rows' columns do not all fall
  // into one L1 set at widths that are multiples of 1024.
  const size_t stride = static_cast<size_t>(columns) + 16;
  if (buffer.size() < stride * kTileRows) buffer.resize(stride * kTileRows);
  for (int r = 0; r < count; ++r) {
    const uint8_t* row = w.row(first + r);
    float* out = buffer.data() + stride * r;
    if (w.type == WeightType::kF16) {
      const uint8_t* halves = row + 2 * static_cast<size_t>(k_begin);
      int k = 0;
      for (; k + 16 <= columns; k += 16) {
        const __m256i raw = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(halves + 2 * k));
        _mm512_storeu_ps(out + k, _mm512_cvtph_ps(raw));
      }
      for (; k < columns; ++k) out[k] = half_to_float(halves + 2 * k);
    } else {  // q8_0: k_begin and columns are whole blocks
      for (int b = 0; b < columns / 32; ++b) {
        const uint8_t* block = row + (static_cast<size_t>(k_begin / 32) + b) * 34;
        const __m512 scale = _mm512_set1_ps(half_to_float(block));
        for (int half = 0; half < 2; ++half) {
          const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 2 + 16 * half));
          const __m512 values = _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(bytes));
          _mm512_storeu_ps(out + 32 * b + 16 * half, _mm512_mul_ps(values, scale));
        }
      }
    }
  }
  return {reinterpret_cast<const uint8_t*>(buffer.data()), stride * sizeof(float)};
}

}  // namespace

void pack_tokens(const float* x, size_t stride, int count, int cols, int group, float* packed) {
  const int first = group * kGroup;
  const int tokens = count - first < kGroup ? count - first : kGroup;
  float* out = packed + static_cast<size_t>(group) * cols * kGroup;
  // Lane i of a gather reads token first + 16 v + i of one column.
  const __m512i lane_offsets = _mm512_mullo_epi32(
      _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
      _mm512_set1_epi32(static_cast<int>(stride)));
  const float* base = x + static_cast<size_t>(first) * stride;
  for (int v = 0; v < kGroup / 16; ++v) {
    const int in_vector = tokens - 16 * v;
    if (in_vector <= 0) {
      for (int k = 0; k < cols; ++k) {
        _mm512_store_ps(out + static_cast<size_t>(k) * kGroup + 16 * v, _mm512_setzero_ps());
      }
      continue;
    }
    const __mmask16 present = in_vector >= 16 ? __mmask16{0xFFFF} : static_cast<__mmask16>((1u << in_vector) - 1);
    const float* rows = base + static_cast<size_t>(16 * v) * stride;
    for (int k = 0; k < cols; ++k) {
      const __m512 column = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), present, lane_offsets, rows + k, 4);
      _mm512_store_ps(out + static_cast<size_t>(k) * kGroup + 16 * v, column);
    }
  }
}

void matmul(const Matrix& w, int row_begin, int row_end, const Activations& x, float* y, size_t y_stride) {
  const int groups = (x.count + kGroup - 1) / kGroup;
  const int k_total = w.cols;
  const size_t panel_bytes = static_cast<size_t>(groups) * kGroup * sizeof(float) * static_cast<size_t>(k_total);
  const int chunks = static_cast<int>((panel_bytes + kPanelBytes - 1) / kPanelBytes);
  // Whole q8_0 blocks (32 columns) in every chunk.
  const int chunk = (k_total / chunks + 31) / 32 * 32;
  thread_local std::vector<float> widened;
  const size_t stored_bytes_per_32 = row_bytes(w.type, 32);
  for (int k_begin = 0; k_begin < k_total; k_begin += chunk) {
    const int k_end = k_total - k_begin < chunk ? k_total : k_begin + chunk;
    const bool accumulate = k_begin > 0;
    for (int r = row_begin; r < row_end; r += kTileRows) {
      const int rows = row_end - r < kTileRows ? row_end - r : kTileRows;
      const RowsF32 source = f32_rows(w, r, rows, k_begin, k_end, widened);
      const int next = r + kTileRows;
      const int next_rows = row_end - next < kTileRows ? row_end - next : kTileRows;
      for (int g = 0; g < groups; ++g) {
        const int tokens = x.count - g * kGroup < kGroup ? x.count - g * kGroup : kGroup;
        const float* group = x.packed + (static_cast<size_t>(g) * k_total + k_begin) * kGroup;
        float* out = y + static_cast<size_t>(g) * kGroup * y_stride + r;
        Ahead ahead;
        if (next_rows > 0) {
          ahead.rows = w.row(next) + static_cast<size_t>(k_begin) * stored_bytes_per_32 / 32;
          ahead.stride = w.row_stride();
          ahead.bytes = static_cast<size_t>(k_end - k_begin) * stored_bytes_per_32 / 32;
          ahead.first_row = next_rows * g / groups;
          ahead.end_row = next_rows * (g + 1) / groups;
        }
        tile_for<kTileRows>(rows, tokens)(source.data, source.stride, group, k_end - k_begin, out, y_stride, tokens,
                                          accumulate, ahead);
      }
    }
  }
}

}  // namespace avx512_packed
}  // namespace tune::bench
