// AVX-512 kernels (F, BW, VL, VNNI): 16-wide float tiles; q8_0 blocks as
// unsigned-by-signed byte dot products (vpdpbusd).
#include "bench/kernels.h"

#include "bench/block_formats.h"

#include "bench/exp_polynomial.h"
#include "bench/aligned_vector.h"
#include "bench/packed_product.h"

#include <immintrin.h>

#include <algorithm>
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

// The other block types: defined below the include.
void block_matmul(const Matrix& w, int row_begin, int row_end, const Activations& x, float* y, size_t y_stride);
// From how many tokens a product goes through the packed outer-product
// kernels: below that most of their 16-token vectors would be padding.
constexpr int kPackedMinTokens = 16;

#include "bench/kernel_tiles.inl"


// The q4_K and q6_K row dots block_matmul uses (defined below the include).
using KQuantRowDot = float (*)(const uint8_t*, const int8_t*, const float*, const int16_t*, int);
KQuantRowDot q4_k_row_dot();
KQuantRowDot q6_k_row_dot();

// Every block type in AVX2 code (block_kernels_x86.inl), q4_K and q6_K in
// 512-bit VNNI code below. bf16 widens to f32 (no avx512_bf16 dot products yet).
#include "bench/block_kernels_x86.inl"

// q4_K with vpdpbusd over 64 values a step: a step's 32 bytes hold values
// 64c..64c+31 in their low nibbles and 64c+32..64c+63 in the high ones, so
// the two halves side by side in one register meet the input's 64 bytes in
// order; lanes 0-7 of the dot are sub-block 2c, lanes 8-15 sub-block 2c+1,
// each multiplied by its scale in int32 (exact, as the AVX2 code). On 110m
// the AVX2 code's decode ran compute-bound, below q8_0's bandwidth.
float dot_q4_k_vnni(const uint8_t* row, const int8_t* x, const float* x_scale, const int16_t* x_sums, int cols) {
  const __m256i low_nibbles = _mm256_set1_epi8(0x0F);
  __m512 acc = _mm512_setzero_ps();
  float min_total = 0;
  for (int b = 0; b < cols / 256; ++b) {
    const uint8_t* block = row + static_cast<size_t>(b) * 144;
    const int8_t* in = x + 256 * b;
    __builtin_prefetch(block + 1024, 0, 3);
    uint8_t scale[8], min[8];
    block_x86::unpack_k_scales(block + 4, scale, min);
    uint64_t min_bytes, scale_bytes;
    std::memcpy(&min_bytes, min, 8);
    std::memcpy(&scale_bytes, scale, 8);
    const __m128i twice = _mm_shuffle_epi8(_mm_cvtsi64_si128(static_cast<long long>(min_bytes)),
                                           _mm_setr_epi8(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7));
    const int mins = block_x86::hsum_epi32(
        _mm256_madd_epi16(_mm256_cvtepu8_epi16(twice), block_x86::load32(x_sums + 16 * b)));
    // The eight scales as int32 lanes 0-7 (the permutes below read no others).
    const __m512i scales =
        _mm512_zextsi256_si512(_mm256_cvtepu8_epi32(_mm_cvtsi64_si128(static_cast<long long>(scale_bytes))));
    __m512i total = _mm512_setzero_si512();
#pragma GCC unroll 4
    for (int c = 0; c < 4; ++c) {
      const __m256i bytes = block_x86::load32(block + 16 + 32 * c);
      const __m512i quants = _mm512_inserti64x4(
          _mm512_castsi256_si512(_mm256_and_si256(bytes, low_nibbles)),
          _mm256_and_si256(_mm256_srli_epi16(bytes, 4), low_nibbles), 1);
      const __m512i dot = _mm512_dpbusd_epi32(_mm512_setzero_si512(), quants, _mm512_loadu_si512(in + 64 * c));
      // Lanes 0-7 take scale 2c, lanes 8-15 scale 2c + 1.
      const __m512i lane_scale = _mm512_permutexvar_epi32(
          _mm512_set_epi32(2 * c + 1, 2 * c + 1, 2 * c + 1, 2 * c + 1, 2 * c + 1, 2 * c + 1, 2 * c + 1, 2 * c + 1,
                           2 * c, 2 * c, 2 * c, 2 * c, 2 * c, 2 * c, 2 * c, 2 * c),
          scales);
      total = _mm512_add_epi32(total, _mm512_mullo_epi32(dot, lane_scale));
    }
    acc = _mm512_fmadd_ps(_mm512_set1_ps(block_x86::half_at(block) * x_scale[b]), _mm512_cvtepi32_ps(total), acc);
    min_total += block_x86::half_at(block + 2) * x_scale[b] * static_cast<float>(mins);
  }
  return _mm512_reduce_add_ps(acc) - min_total;
}

KQuantRowDot q4_k_row_dot() { return dot_q4_k_vnni; }

// q6_K with vpdpbusd, 64 values a step: runs k = 0, 1 of a 128-value half
// (values 128h..128h+63) side by side in one register, then k = 2, 3. Lane
// i of a step's dot covers four values of the 16-value group 4j + i / 4.
float dot_q6_k_vnni(const uint8_t* row, const int8_t* x, const float* x_scale, const int16_t* x_sums, int cols) {
  const __m256i low_nibbles = _mm256_set1_epi8(0x0F);
  const __m256i two_bits = _mm256_set1_epi8(0x03);
  const __m512i group_of_lane = _mm512_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);
  float total = 0;
  for (int b = 0; b < cols / 256; ++b) {
    const uint8_t* block = row + static_cast<size_t>(b) * 210;
    const auto* scale_bytes = reinterpret_cast<const __m128i*>(block + 192);
    const int8_t* in = x + 256 * b;
    __builtin_prefetch(block + 1024, 0, 3);
    const __m256i wide_scales = _mm256_cvtepi8_epi16(_mm_loadu_si128(scale_bytes));
    const int offset = block_x86::hsum_epi32(_mm256_madd_epi16(wide_scales, block_x86::load32(x_sums + 16 * b)));
    const __m512i scales = _mm512_cvtepi8_epi32(_mm_loadu_si128(scale_bytes));
    __m512i acc = _mm512_setzero_si512();
#pragma GCC unroll 2
    for (int h = 0; h < 2; ++h) {
      const __m256i ql0 = block_x86::load32(block + 64 * h);
      const __m256i ql1 = block_x86::load32(block + 64 * h + 32);
      const __m256i qh = block_x86::load32(block + 128 + 32 * h);
      const __m256i q0 = _mm256_or_si256(_mm256_and_si256(ql0, low_nibbles),
                                         _mm256_slli_epi16(_mm256_and_si256(qh, two_bits), 4));
      const __m256i q1 = _mm256_or_si256(_mm256_and_si256(ql1, low_nibbles),
                                         _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2), two_bits), 4));
      const __m256i q2 = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql0, 4), low_nibbles),
                                         _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 4), two_bits), 4));
      const __m256i q3 = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql1, 4), low_nibbles),
                                         _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 6), two_bits), 4));
      const __m512i steps[2] = {_mm512_inserti64x4(_mm512_castsi256_si512(q0), q1, 1),
                                _mm512_inserti64x4(_mm512_castsi256_si512(q2), q3, 1)};
#pragma GCC unroll 2
      for (int j = 0; j < 2; ++j) {
        const int first_group = 8 * h + 4 * j;
        const __m512i dot =
            _mm512_dpbusd_epi32(_mm512_setzero_si512(), steps[j], _mm512_loadu_si512(in + 128 * h + 64 * j));
        const __m512i lane_scale =
            _mm512_permutexvar_epi32(_mm512_add_epi32(group_of_lane, _mm512_set1_epi32(first_group)), scales);
        acc = _mm512_add_epi32(acc, _mm512_mullo_epi32(dot, lane_scale));
      }
    }
    total += block_x86::half_at(block + 208) * x_scale[b] *
             static_cast<float>(_mm512_reduce_add_epi32(acc) - 32 * offset);
  }
  return total;
}

KQuantRowDot q6_k_row_dot() { return dot_q6_k_vnni; }

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

// q4_K and q6_K rows widened to f32 a block at a time, 16 values per step:
// the same values as dequantize_row (one float multiply-add or two
// multiplies each), some 20x faster than the portable loop.
void widen_q4_k(const uint8_t* row, size_t cols, float* out) {
  const __m256i low_nibbles = _mm256_set1_epi8(0x0F);
  for (size_t b = 0; b < cols / 256; ++b) {
    const uint8_t* block = row + b * 144;
    const float d = block_x86::half_at(block);
    const float dmin = block_x86::half_at(block + 2);
    uint8_t scale[8], min[8];
    block_x86::unpack_k_scales(block + 4, scale, min);
    for (int c = 0; c < 4; ++c) {
      const __m256i bytes = block_x86::load32(block + 16 + 32 * c);
      for (int half = 0; half < 2; ++half) {
        const __m256i nibbles = _mm256_and_si256(half == 0 ? bytes : _mm256_srli_epi16(bytes, 4), low_nibbles);
        const __m512 step = _mm512_set1_ps(d * static_cast<float>(scale[2 * c + half]));
        const __m512 offset = _mm512_set1_ps(dmin * static_cast<float>(min[2 * c + half]));
        float* y = out + 256 * b + 64 * c + 32 * half;
        const __m512 first = _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm256_castsi256_si128(nibbles)));
        const __m512 second = _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm256_extracti128_si256(nibbles, 1)));
        _mm512_storeu_ps(y, _mm512_fmsub_ps(step, first, offset));
        _mm512_storeu_ps(y + 16, _mm512_fmsub_ps(step, second, offset));
      }
    }
  }
}

void widen_q6_k(const uint8_t* row, size_t cols, float* out) {
  const __m256i low_nibbles = _mm256_set1_epi8(0x0F);
  const __m256i two_bits = _mm256_set1_epi8(0x03);
  const __m512 bias = _mm512_set1_ps(32.0f);
  for (size_t b = 0; b < cols / 256; ++b) {
    const uint8_t* block = row + b * 210;
    const auto* scales = reinterpret_cast<const int8_t*>(block + 192);
    const float d = block_x86::half_at(block + 208);
    for (int h = 0; h < 2; ++h) {
      const __m256i ql0 = block_x86::load32(block + 64 * h);
      const __m256i ql1 = block_x86::load32(block + 64 * h + 32);
      const __m256i qh = block_x86::load32(block + 128 + 32 * h);
      for (int k = 0; k < 4; ++k) {
        const __m256i low = _mm256_and_si256(k < 2 ? (k == 0 ? ql0 : ql1) : _mm256_srli_epi16(k == 2 ? ql0 : ql1, 4),
                                             low_nibbles);
        const __m256i high = _mm256_and_si256(_mm256_srli_epi16(qh, 2 * k), two_bits);
        const __m256i q = _mm256_or_si256(low, _mm256_slli_epi16(high, 4));
        const int g = 8 * h + 2 * k;
        float* y = out + 256 * b + 128 * h + 32 * k;
        const __m512 first = _mm512_sub_ps(_mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm256_castsi256_si128(q))), bias);
        const __m512 second =
            _mm512_sub_ps(_mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm256_extracti128_si256(q, 1))), bias);
        _mm512_storeu_ps(y, _mm512_mul_ps(_mm512_set1_ps(d * static_cast<float>(scales[g])), first));
        _mm512_storeu_ps(y + 16, _mm512_mul_ps(_mm512_set1_ps(d * static_cast<float>(scales[g + 1])), second));
      }
    }
  }
}

void widen_row(WeightType type, const uint8_t* row, size_t cols, float* out) {
  if (type == WeightType::kQ4_K) {
    widen_q4_k(row, cols, out);
  } else if (type == WeightType::kQ6_K) {
    widen_q6_k(row, cols, out);
  } else {
    dequantize_row(type, row, cols, out);  // the other types: the portable loop
  }
}

// A packed prompt over the other block types: their rows dequantized to
// f32, a slab at a time, then the packed f32 product. Each weight is
// widened once per product however many tokens the prompt has, and the
// prompt runs at the f32 outer-product rate (row by row with q8_K inputs,
// 110m q4_K took 5x as long as q8_0 to prefill 128 tokens).
void packed_block_product(const Matrix& w, int row_begin, int row_end, const Activations& x, float* y,
                          size_t y_stride) {
  constexpr size_t kSlabFloats = 64 * 1024;  // 256 KiB: in L2 while the product reads it
  const size_t cols = static_cast<size_t>(w.cols);
  const int slab_rows = std::max(16, static_cast<int>(kSlabFloats / cols) / 16 * 16);
  thread_local AlignedVector<float> slab;
  if (slab.size() < static_cast<size_t>(slab_rows) * cols) slab.resize(static_cast<size_t>(slab_rows) * cols);
  for (int first = row_begin; first < row_end; first += slab_rows) {
    const int rows = std::min(slab_rows, row_end - first);
    for (int r = 0; r < rows; ++r) widen_row(w.type, w.row(first + r), cols, slab.data() + static_cast<size_t>(r) * cols);
    const Matrix widened{WeightType::kF32, reinterpret_cast<const uint8_t*>(slab.data()), rows, w.cols};
    avx512_packed::matmul(widened, 0, rows, x, y + first, y_stride);
  }
}

// A prompt whose tokens the transformer packed goes to the outer-product
// kernels (packed_product_avx512.cpp); a decoded token, or an unpacked
// batch, to the row kernels above.
void matmul_any(const Matrix& w, int row_begin, int row_end, const Activations& x, float* y, size_t y_stride) {
  const bool packable = w.type == WeightType::kF32 || w.type == WeightType::kF16 || w.type == WeightType::kQ8_0;
  if (x.count > 1 && x.packed != nullptr && packable) {
    avx512_packed::matmul(w, row_begin, row_end, x, y, y_stride);
  } else if (x.count > 1 && x.packed != nullptr) {
    packed_block_product(w, row_begin, row_end, x, y, y_stride);
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
