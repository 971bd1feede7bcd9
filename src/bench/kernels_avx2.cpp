// AVX2 + FMA + F16C kernels: 8-wide float tiles; q8_0 blocks as
// unsigned-by-signed byte products (vpmaddubsw) widened to 32 bits.
#include "bench/kernels.h"

#include "bench/block_formats.h"

#include "bench/exp_polynomial.h"

#include <immintrin.h>

#include <cstring>

namespace tune::bench {
namespace avx2 {

inline float sum8(__m256 v) {
  const __m128 four = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  const __m128 two = _mm_add_ps(four, _mm_movehl_ps(four, four));
  return _mm_cvtss_f32(_mm_add_ss(two, _mm_movehdup_ps(two)));
}

inline void sum8x4(__m256 a, __m256 b, __m256 c, __m256 d, float* out) {
  const __m256 abcd = _mm256_hadd_ps(_mm256_hadd_ps(a, b), _mm256_hadd_ps(c, d));
  _mm_storeu_ps(out, _mm_add_ps(_mm256_castps256_ps128(abcd), _mm256_extractf128_ps(abcd, 1)));
}

struct Vec {
  using V = __m256;
  static constexpr int kWidth = 8;
  static V zero() { return _mm256_setzero_ps(); }
  static V splat(float a) { return _mm256_set1_ps(a); }
  static void store(float* p, V v) { _mm256_storeu_ps(p, v); }
  static V load(const float* p) { return _mm256_loadu_ps(p); }
  static V load_f16(const uint8_t* p) { return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))); }
  static void store_f16(uint16_t* p, V v) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p), _mm256_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT));
  }
  static V fma(V a, V b, V acc) { return _mm256_fmadd_ps(a, b, acc); }
  static float sum(V v) { return sum8(v); }
  static void sum4(V a, V b, V c, V d, float* out) { sum8x4(a, b, c, d, out); }
};

struct Q8 {
  using Acc = __m256;
  // vpmaddubsw multiplies unsigned by signed bytes: |w| is the unsigned side
  // (exact even for -128), w's sign moves onto the input. A pair of products
  // is at most 2 * 128 * 127, inside the int16 it saturates at.
  struct Weights {
    __m256i magnitude;
    __m256i sign_source;
  };
  using Input = __m256i;
  static Acc zero() { return _mm256_setzero_ps(); }
  static float scale(const uint8_t* block) {
    uint16_t half;
    std::memcpy(&half, block, 2);
    return _cvtsh_ss(half);
  }
  static Weights load_weights(const uint8_t* qs) {
    const __m256i raw = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(qs));
    return {_mm256_abs_epi8(raw), raw};
  }
  static Input load_input(const int8_t* q) { return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q)); }
  static Acc madd(const Weights& w, Input x, float scale, Acc acc) {
    const __m256i signed_x = _mm256_sign_epi8(x, w.sign_source);
    const __m256i pairs = _mm256_maddubs_epi16(w.magnitude, signed_x);
    const __m256i dot = _mm256_madd_epi16(pairs, _mm256_set1_epi16(1));
    return _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), _mm256_set1_ps(scale), acc);
  }
  static float sum(Acc v) { return sum8(v); }
  static void sum4(Acc a, Acc b, Acc c, Acc d, float* out) { sum8x4(a, b, c, d, out); }
};

// Sixteen ymm registers: tiles small enough to stay in them.
constexpr int kFloatTileRows = 4;
constexpr int kFloatTileCols = 3;
constexpr int kQ8TileRows = 2;
constexpr int kQ8TileCols = 4;

// The other block types: defined below the include.
void block_matmul(const Matrix& w, int row_begin, int row_end, const Activations& x, float* y, size_t y_stride);

#include "bench/kernel_tiles.inl"


// The q4_K and q6_K row dots block_matmul uses (defined below the include).
using KQuantRowDot = float (*)(const uint8_t*, const int8_t*, const float*, const int16_t*, int);
KQuantRowDot q4_k_row_dot();
KQuantRowDot q6_k_row_dot();

// Every block type in AVX2 code (block_kernels_x86.inl).
#include "bench/block_kernels_x86.inl"

KQuantRowDot q4_k_row_dot() { return block_x86::dot_q4_k; }
KQuantRowDot q6_k_row_dot() { return block_x86::dot_q6_k; }

// Four vectors a block, each step the portable version's own operation (see
// the AVX-512 set): NaN stays out of the largest magnitude and becomes 0,
// rounding is the MXCSR default, nearest even. The two packs interleave the
// 128-bit halves; one permute puts the 32 bytes back in order.
void quantize_q8(const float* values, size_t n, int8_t* q, float* scales) {
  const __m256 low = _mm256_set1_ps(-127.0f);
  const __m256 high = _mm256_set1_ps(127.0f);
  const __m256 magnitude = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
  const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  for (size_t block = 0; block < n / 32; ++block) {
    __m256 v[4];
    __m256 largest = _mm256_setzero_ps();
    for (int i = 0; i < 4; ++i) {
      v[i] = _mm256_loadu_ps(values + block * 32 + i * 8);
      largest = _mm256_max_ps(_mm256_and_ps(v[i], magnitude), largest);
    }
    __m128 four = _mm_max_ps(_mm256_castps256_ps128(largest), _mm256_extractf128_ps(largest, 1));
    four = _mm_max_ps(four, _mm_movehl_ps(four, four));
    four = _mm_max_ss(four, _mm_movehdup_ps(four));
    const float scale = _mm_cvtss_f32(four) / 127.0f;
    const __m256 inverse = _mm256_set1_ps(scale > 0 ? 1.0f / scale : 0.0f);
    scales[block] = scale;
    __m256i whole[4];
    for (int i = 0; i < 4; ++i) {
      const __m256 scaled = _mm256_mul_ps(v[i], inverse);
      const __m256 number = _mm256_cmp_ps(scaled, scaled, _CMP_ORD_Q);
      const __m256 clamped = _mm256_min_ps(_mm256_max_ps(scaled, low), high);
      whole[i] = _mm256_cvtps_epi32(_mm256_and_ps(clamped, number));
    }
    const __m256i bytes = _mm256_packs_epi16(_mm256_packs_epi32(whole[0], whole[1]), _mm256_packs_epi32(whole[2], whole[3]));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(q + block * 32), _mm256_permutevar8x32_epi32(bytes, order));
  }
}

// e^x by exp_polynomial.h, 2^n built in the exponent bits. x is clamped to
// where that power is a normal float (max and min pass a NaN through).
__m256 exp8(__m256 x) {
  namespace e = exp_polynomial;
  x = _mm256_min_ps(_mm256_set1_ps(88.3f), _mm256_max_ps(_mm256_set1_ps(-87.3f), x));
  const __m256 n =
      _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(e::kLog2e)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  const __m256 r =
      _mm256_fnmadd_ps(n, _mm256_set1_ps(e::kLn2Low), _mm256_fnmadd_ps(n, _mm256_set1_ps(e::kLn2High), x));
  __m256 p = _mm256_setzero_ps();
  for (float c : e::kCoefficients) p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(c));
  const __m256i power = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
  return _mm256_mul_ps(_mm256_add_ps(_mm256_fmadd_ps(p, _mm256_mul_ps(r, r), r), _mm256_set1_ps(1.0f)),
                       _mm256_castsi256_ps(power));
}

void exponentials(const float* in, size_t n, float* out) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, exp8(_mm256_loadu_ps(in + i)));
  if (i < n) {
    float rest[8] = {};
    std::memcpy(rest, in + i, (n - i) * sizeof(float));
    _mm256_storeu_ps(rest, exp8(_mm256_loadu_ps(rest)));
    std::memcpy(out + i, rest, (n - i) * sizeof(float));
  }
}

uint64_t read_stream(const uint8_t* data, size_t bytes) {
  __m256i a = _mm256_setzero_si256(), b = a, c = a, d = a;
  size_t i = 0;
  for (; i + 128 <= bytes; i += 128) {
    a = _mm256_add_epi64(a, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + i)));
    b = _mm256_add_epi64(b, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + i + 32)));
    c = _mm256_add_epi64(c, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + i + 64)));
    d = _mm256_add_epi64(d, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + i + 96)));
  }
  const __m256i total = _mm256_add_epi64(_mm256_add_epi64(a, b), _mm256_add_epi64(c, d));
  uint64_t lanes[4];
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(lanes), total);
  uint64_t sum = lanes[0] + lanes[1] + lanes[2] + lanes[3];
  for (; i < bytes; ++i) sum += data[i];
  return sum;
}

double fma_burst(int64_t iterations, float* sink) {
  constexpr int kChains = 10;
  __m256 acc[kChains];
  for (int j = 0; j < kChains; ++j) acc[j] = _mm256_set1_ps(static_cast<float>(j));
  const __m256 factor = _mm256_set1_ps(0.9999999f);
  const __m256 addend = _mm256_set1_ps(0.001f);
  for (int64_t i = 0; i < iterations; ++i) {
#pragma GCC unroll 10
    for (int j = 0; j < kChains; ++j) acc[j] = _mm256_fmadd_ps(acc[j], factor, addend);
  }
  __m256 total = acc[0];
  for (int j = 1; j < kChains; ++j) total = _mm256_add_ps(total, acc[j]);
  *sink += sum8(total);
  return static_cast<double>(iterations) * kChains * 8 * 2;
}

}  // namespace avx2

const Kernels& avx2_kernels() {
  static const Kernels set{"avx2", avx2::matmul, avx2::attention_scores, avx2::attention_sum,
                          avx2::attention_scores_f16, avx2::attention_sum_f16, avx2::to_f16, avx2::from_f16,
                          avx2::quantize_q8, avx2::exponentials, avx2::read_stream, avx2::fma_burst};
  return set;
}

}  // namespace tune::bench
