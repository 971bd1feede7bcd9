// AVX-512 kernels (F, BW, VL, VNNI): 16-wide float tiles; q8_0 blocks as
// unsigned-by-signed byte dot products (vpdpbusd).
#include "bench/kernels.h"

#include "bench/exp_polynomial.h"
#include "bench/packed_product.h"

#include <immintrin.h>

#include <cstring>

namespace tune::bench {
namespace avx512 {

struct Vec {
  using V = __m512;
  static constexpr int kWidth = 16;
  static V zero() { return _mm512_setzero_ps(); }
  static V splat(float a) { return _mm512_set1_ps(a); }
  static void store(float* p, V v) { _mm512_storeu_ps(p, v); }
  static V load(const float* p) { return _mm512_loadu_ps(p); }
  static V load_f16(const uint8_t* p) { return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p))); }
  static void store_f16(uint16_t* p, V v) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), _mm512_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT));
  }
  static V fma(V a, V b, V acc) { return _mm512_fmadd_ps(a, b, acc); }
  static __m256 halve(V v) {
    const __m256 high = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1));
    return _mm256_add_ps(_mm512_castps512_ps256(v), high);
  }
  static float sum(V v) { return _mm512_reduce_add_ps(v); }
  // Four sums at once: cheaper than four separate reductions.
  static void sum4(V a, V b, V c, V d, float* out) {
    const __m256 ab = _mm256_hadd_ps(halve(a), halve(b));
    const __m256 cd = _mm256_hadd_ps(halve(c), halve(d));
    const __m256 abcd = _mm256_hadd_ps(ab, cd);
    _mm_storeu_ps(out, _mm_add_ps(_mm256_castps256_ps128(abcd), _mm256_extractf128_ps(abcd, 1)));
  }
};

struct Q8 {
  using Acc = __m256;
  // vpdpbusd multiplies unsigned by signed bytes: take |w| as the unsigned
  // side (exact even for -128) and move w's sign onto the input.
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
    const __m256i dot = _mm256_dpbusd_epi32(_mm256_setzero_si256(), w.magnitude, signed_x);
    return _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), _mm256_set1_ps(scale), acc);
  }
  static float sum(Acc v) {
    const __m128 four = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 two = _mm_add_ps(four, _mm_movehl_ps(four, four));
    return _mm_cvtss_f32(_mm_add_ss(two, _mm_movehdup_ps(two)));
  }
  static void sum4(Acc a, Acc b, Acc c, Acc d, float* out) {
    const __m256 abcd = _mm256_hadd_ps(_mm256_hadd_ps(a, b), _mm256_hadd_ps(c, d));
    _mm_storeu_ps(out, _mm_add_ps(_mm256_castps256_ps128(abcd), _mm256_extractf128_ps(abcd, 1)));
  }

  // The prefill tile (kernel_tiles.inl's q8_tile, same arguments) over two
  // blocks per step in 512-bit registers; defined below the include.
  static constexpr bool kOwnTile = true;
  template <int R, int C>
  static void tile(const uint8_t* w, size_t w_stride, const int8_t* xq, const float* xs, int x_cols, int blocks,
                   float* y, size_t y_stride, bool accumulate);
};

constexpr int kFloatTileRows = 4;
// 4 x 6: 24 accumulators, the weights of a step in 4 more registers (see
// float_tile); on a Xeon with two 512-bit FMA units 4 x 4 left them idler.
constexpr int kFloatTileCols = 6;
constexpr int kQ8TileRows = 4;
constexpr int kQ8TileCols = 4;
// From how many tokens a product goes through the packed outer-product
// kernels: below that most of their 16-token vectors would be padding.
constexpr int kPackedMinTokens = 16;

#include "bench/kernel_tiles.inl"

// Two q8_0 blocks per step: the generic tile's 256-bit steps took about 5
// vector operations per block and (row, token) pair (sign, dot, convert,
// scale, FMA) and kept a Xeon's two 512-bit FMA ports at about a third of
// their f32 rate. Here lanes 0-7 carry one block and 8-15 the next, each
// with its own scale, and the sign trick is gone from the pair: vpdpbusd
// multiplies unsigned by signed bytes, so the input goes in as x + 128
// (x ^ 0x80, once per token) against the weights as they are, and the dot
// starts from -128 times the sum of the weights (once per row), which
// leaves exactly the signed dot product.
inline __m512 scale_pair(float first, float second) {
  return _mm512_mask_blend_ps(0xFF00, _mm512_set1_ps(first), _mm512_set1_ps(second));
}

template <int R, int C>
void Q8::tile(const uint8_t* w, size_t w_stride, const int8_t* xq, const float* xs, int x_cols, int blocks, float* y,
              size_t y_stride, bool accumulate) {
  const size_t x_blocks = static_cast<size_t>(x_cols / 32);
  const __m512i offset = _mm512_set1_epi8(static_cast<char>(0x80));
  __m512 acc[R][C];
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r) {
#pragma GCC unroll 16
    for (int c = 0; c < C; ++c) acc[r][c] = _mm512_setzero_ps();
  }
  for (int b = 0; b < blocks; b += 2) {
    // A last odd block takes the low half alone; the high half is zero.
    const bool pair = b + 1 < blocks;
    __m512i weights[R];
    __m512i start[R];
    __m512 weight_scale[R];
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      const uint8_t* block = w + r * w_stride + static_cast<size_t>(b) * 34;
      const __m512i low = _mm512_zextsi256_si512(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 2)));
      weights[r] =
          pair ? _mm512_inserti64x4(low, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 36)), 1) : low;
      start[r] = _mm512_sub_epi32(_mm512_setzero_si512(),
                                  _mm512_dpbusd_epi32(_mm512_setzero_si512(), offset, weights[r]));
      weight_scale[r] = scale_pair(scale(block), pair ? scale(block + 34) : 0.0f);
    }
#pragma GCC unroll 16
    for (int c = 0; c < C; ++c) {
      const int8_t* quants = xq + static_cast<size_t>(c) * x_cols + b * 32;
      const __m512i in =
          _mm512_xor_si512(_mm512_maskz_loadu_epi8(pair ? ~__mmask64{0} : __mmask64{0xFFFFFFFF}, quants), offset);
      const float* in_scales = xs + static_cast<size_t>(c) * x_blocks + b;
      const __m512 in_scale = scale_pair(in_scales[0], pair ? in_scales[1] : 0.0f);
#pragma GCC unroll 16
      for (int r = 0; r < R; ++r) {
        const __m512i dot = _mm512_dpbusd_epi32(start[r], in, weights[r]);
        acc[r][c] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot), _mm512_mul_ps(weight_scale[r], in_scale), acc[r][c]);
      }
    }
  }
  put_tile<Vec>(acc, y, y_stride, accumulate);
}

// Two vectors a block. Each step is the portable version's own operation, so
// the results agree bit for bit: max_ps returns its second operand when the
// first is NaN, which leaves NaN out of the block's largest magnitude as
// std::max does there; the conversion rounds to nearest even (the MXCSR
// default, as std::nearbyint); NaN lanes are masked to 0.
void quantize_q8(const float* values, size_t n, int8_t* q, float* scales) {
  const __m512 low = _mm512_set1_ps(-127.0f);
  const __m512 high = _mm512_set1_ps(127.0f);
  for (size_t block = 0; block < n / 32; ++block) {
    const __m512 a = _mm512_loadu_ps(values + block * 32);
    const __m512 b = _mm512_loadu_ps(values + block * 32 + 16);
    const __m512 largest = _mm512_max_ps(_mm512_abs_ps(b), _mm512_max_ps(_mm512_abs_ps(a), _mm512_setzero_ps()));
    const float scale = _mm512_reduce_max_ps(largest) / 127.0f;
    const __m512 inverse = _mm512_set1_ps(scale > 0 ? 1.0f / scale : 0.0f);
    scales[block] = scale;
    for (int half = 0; half < 2; ++half) {
      const __m512 v = _mm512_mul_ps(half == 0 ? a : b, inverse);
      const __mmask16 number = _mm512_cmp_ps_mask(v, v, _CMP_ORD_Q);
      const __m512i whole = _mm512_maskz_cvtps_epi32(number, _mm512_min_ps(_mm512_max_ps(v, low), high));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(q + block * 32 + half * 16), _mm512_cvtepi32_epi8(whole));
    }
  }
}

// e^x by exp_polynomial.h, with scalef for 2^n, which gives infinity and 0
// past the float range by itself. The clamp keeps n finite for +-infinity
// (max and min pass a NaN in x through).
__m512 exp16(__m512 x) {
  namespace e = exp_polynomial;
  x = _mm512_min_ps(_mm512_set1_ps(89.0f), _mm512_max_ps(_mm512_set1_ps(-104.0f), x));
  const __m512 n =
      _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(e::kLog2e)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  const __m512 r =
      _mm512_fnmadd_ps(n, _mm512_set1_ps(e::kLn2Low), _mm512_fnmadd_ps(n, _mm512_set1_ps(e::kLn2High), x));
  __m512 p = _mm512_setzero_ps();
  for (float c : e::kCoefficients) p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(c));
  return _mm512_scalef_ps(_mm512_add_ps(_mm512_fmadd_ps(p, _mm512_mul_ps(r, r), r), _mm512_set1_ps(1.0f)), n);
}

void exponentials(const float* in, size_t n, float* out) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) _mm512_storeu_ps(out + i, exp16(_mm512_loadu_ps(in + i)));
  if (i < n) {
    const __mmask16 rest = static_cast<__mmask16>((1u << (n - i)) - 1);
    _mm512_mask_storeu_ps(out + i, rest, exp16(_mm512_maskz_loadu_ps(rest, in + i)));
  }
}

uint64_t read_stream(const uint8_t* data, size_t bytes) {
  __m512i a = _mm512_setzero_si512(), b = a, c = a, d = a;
  size_t i = 0;
  for (; i + 256 <= bytes; i += 256) {
    a = _mm512_add_epi64(a, _mm512_loadu_si512(data + i));
    b = _mm512_add_epi64(b, _mm512_loadu_si512(data + i + 64));
    c = _mm512_add_epi64(c, _mm512_loadu_si512(data + i + 128));
    d = _mm512_add_epi64(d, _mm512_loadu_si512(data + i + 192));
  }
  // The checksum wraps around by design: sum the lanes as unsigned (the
  // reduce intrinsic adds them as signed, which overflows).
  uint64_t lanes[8];
  _mm512_storeu_si512(lanes, _mm512_add_epi64(_mm512_add_epi64(a, b), _mm512_add_epi64(c, d)));
  uint64_t sum = 0;
  for (uint64_t lane : lanes) sum += lane;
  for (; i < bytes; ++i) sum += data[i];
  return sum;
}

double fma_burst(int64_t iterations, float* sink) {
  // Ten independent chains cover the FMA latency on every current core.
  constexpr int kChains = 10;
  __m512 acc[kChains];
  for (int j = 0; j < kChains; ++j) acc[j] = _mm512_set1_ps(static_cast<float>(j));
  const __m512 factor = _mm512_set1_ps(0.9999999f);
  const __m512 addend = _mm512_set1_ps(0.001f);
  for (int64_t i = 0; i < iterations; ++i) {
#pragma GCC unroll 10
    for (int j = 0; j < kChains; ++j) acc[j] = _mm512_fmadd_ps(acc[j], factor, addend);
  }
  __m512 total = acc[0];
  for (int j = 1; j < kChains; ++j) total = _mm512_add_ps(total, acc[j]);
  *sink += _mm512_reduce_add_ps(total);
  return static_cast<double>(iterations) * kChains * 16 * 2;
}

// A prompt whose tokens the transformer packed goes to the outer-product
// kernels (packed_product_avx512.cpp); a decoded token, or an unpacked
// batch, to the row kernels above.
void matmul_any(const Matrix& w, int row_begin, int row_end, const Activations& x, float* y, size_t y_stride) {
  if (x.count > 1 && x.packed != nullptr) {
    avx512_packed::matmul(w, row_begin, row_end, x, y, y_stride);
  } else {
    matmul(w, row_begin, row_end, x, y, y_stride);
  }
}

}  // namespace avx512

const Kernels& avx512_kernels() {
  static const Kernels set{"avx512", avx512::matmul_any, avx512::attention_scores, avx512::attention_sum,
                          avx512::attention_scores_f16, avx512::attention_sum_f16, avx512::to_f16, avx512::from_f16,
                          avx512::quantize_q8, avx512::exponentials, avx512::read_stream, avx512::fma_burst,
                          avx512_packed::pack_tokens, avx512::kPackedMinTokens};
  return set;
}

}  // namespace tune::bench
