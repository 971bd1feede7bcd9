// The SIMD kernels behind one small interface. The forward pass never sees an
// intrinsic: it asks kernels() for the best set this CPU runs (chosen at run
// time from the CPU's features) and calls through it.
//
// Every set computes the same thing; tests run each available set against a
// double-precision reference.
#pragma once

#include "bench/weight_type.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tune::bench {

// A weight matrix as stored: `rows` rows of `cols` values, row-major, each
// row row_bytes(type, cols) long. Rows need no alignment.
struct Matrix {
  WeightType type = WeightType::kF32;
  const uint8_t* data = nullptr;
  int rows = 0;
  int cols = 0;

  size_t row_stride() const { return row_bytes(type, static_cast<size_t>(cols)); }
  size_t bytes() const { return row_stride() * static_cast<size_t>(rows); }
  const uint8_t* row(int r) const { return data + row_stride() * static_cast<size_t>(r); }
};

// The right-hand side of a matrix product: `count` rows (tokens) of `cols`
// values. f32 is always set; q8/q8_scale are set when the weights read q8
// blocks (activation_form: q8_0, q4_0, q4_1, q5_0; the activations
// quantized with Kernels::quantize_q8), q8k/q8k_scale/q8k_sums when they
// read q8_K blocks (the K-quants; quantize_activations_q8k, token t's
// values at t * cols, scales at t * cols / 256, sums at t * cols / 16).
// `packed` is set when the kernel set packs a prompt's tokens
// (Kernels::pack_tokens): its products over many tokens then read that,
// whatever the weight type.
struct Activations {
  const float* f32 = nullptr;
  const int8_t* q8 = nullptr;
  const float* q8_scale = nullptr;
  int count = 0;
  int cols = 0;
  const float* packed = nullptr;
  const int8_t* q8k = nullptr;
  const float* q8k_scale = nullptr;
  const int16_t* q8k_sums = nullptr;
};

// The packed form of a prompt: tokens in groups of kPackedGroup, each group
// column-major (for every column, the group's kPackedGroup values side by
// side, zero past the last token), group g at g * cols * kPackedGroup.
constexpr int kPackedGroup = 64;
inline int packed_groups(int count) { return (count + kPackedGroup - 1) / kPackedGroup; }
inline size_t packed_floats(int count, int cols) {
  return static_cast<size_t>(packed_groups(count)) * static_cast<size_t>(cols) * kPackedGroup;
}

struct Kernels {
  const char* name;  // "avx512", "avx2", "neon", "scalar"
  // y[t * y_stride + r] = dot(w.row(r), x.row(t)) for r in [row_begin, row_end)
  // and every token t: matrix-vector for one token, blocked matrix-matrix for many.
  void (*matmul)(const Matrix& w, int row_begin, int row_end, const Activations& x, float* y, size_t y_stride);
  // Attention's inner loops over `count` cached positions, each a row of
  // `width` floats, `stride` floats apart:
  //   scores[p] = scale * dot(query, keys + p * stride)
  //   out = sum over p of weights[p] * (values + p * stride)
  void (*attention_scores)(const float* query, const float* keys, size_t stride, int count, int width, float scale,
                           float* scores);
  void (*attention_sum)(const float* weights, const float* values, size_t stride, int count, int width, float* out);
  // The same over a cache kept in f16 (stride and width still in values).
  void (*attention_scores_f16)(const float* query, const uint16_t* keys, size_t stride, int count, int width,
                               float scale, float* scores);
  void (*attention_sum_f16)(const float* weights, const uint16_t* values, size_t stride, int count, int width,
                            float* out);
  // out[i] = in[i] rounded to f16 (to nearest, ties to even), for i < n: what
  // an f16 key/value cache stores. Converted one at a time, the new keys and
  // values of a 110m token took some 100 us.
  void (*to_f16)(const float* in, size_t n, uint16_t* out);
  // out[i] = in[i] widened from f16, exactly, for i < n: a prompt's
  // attention reads the cached keys and values of a head in f32.
  void (*from_f16)(const uint16_t* in, size_t n, float* out);
  // quantize_activations_q8, bit for bit: the input of every q8_0 product.
  // For one decoded token the calling thread does it while the other
  // workers wait, so it is on the decode step's critical path.
  void (*quantize_q8)(const float* values, size_t n, int8_t* q, float* scales);
  // out[i] = e^in[i] for i < n (out may be in): softmax and SiLU take one
  // for every attention score and every hidden value, some 4 million in a
  // 128-token prompt of 110m, which std::exp computed one at a time (about
  // 8% of the prompt's time). Within 3e-7 of the exact value, relatively,
  // where the result is a normal float; NaN stays NaN; below about -87 the
  // result is 0 or a value under 2^-125, above 88.3 infinity or a value over
  // 2^127 (the vector sets clamp where they cannot scale by any power of 2).
  void (*exponentials)(const float* in, size_t n, float* out);
  // Reads every byte of [data, data + bytes) once, as fast as it can: the
  // bandwidth probe. Returns a checksum so the reads cannot be left out.
  uint64_t (*read_stream)(const uint8_t* data, size_t bytes);
  // Runs `iterations` rounds of independent fused multiply-adds on registers:
  // the compute probe. Returns the flops done; *sink defeats dead-code removal.
  double (*fma_burst)(int64_t iterations, float* sink);
  // Packs group `group` of the rows x[0, count) (each `cols` wide, the row
  // of token t at x + t * stride) into packed (the whole packed form, see
  // kPackedGroup). A set that has it multiplies a prompt of
  // packed_min_tokens or more tokens from the packed form, as a sum of
  // outer products (each weight broadcast against a vector of tokens), and
  // the transformer runs a prompt's attention as matrix products too;
  // nullptr in the sets that multiply row by row.
  void (*pack_tokens)(const float* x, size_t stride, int count, int cols, int group, float* packed) = nullptr;
  int packed_min_tokens = 0;
};

// The best set this CPU runs. TUNE_BENCH_KERNELS=scalar|avx2|avx512|neon picks
// another one this CPU runs (for comparisons); an unknown or unsupported name
// is ignored.
const Kernels& kernels();
// Every set this CPU runs, best first (tests cover each).
std::vector<const Kernels*> available_kernels();

// One set per instruction set, each compiled in its own file with its own flags.
const Kernels& scalar_kernels();
#if defined(__x86_64__)
const Kernels& avx2_kernels();
const Kernels& avx512_kernels();
#endif
#if defined(__aarch64__)
const Kernels& neon_kernels();
#endif

}  // namespace tune::bench
