// NEON kernels for arm64: 4-wide float tiles; q8_0 blocks as widening
// signed byte products accumulated pairwise into 32 bits.
#include "bench/kernels.h"

#include "bench/block_formats.h"

#include "bench/exp_polynomial.h"

#if defined(__aarch64__)
#include <arm_neon.h>

#include <cstring>

namespace tune::bench {
namespace neon {

inline void sum4x4(float32x4_t a, float32x4_t b, float32x4_t c, float32x4_t d, float* out) {
  const float32x4_t ab = vpaddq_f32(a, b);  // a01 a23 b01 b23
  const float32x4_t cd = vpaddq_f32(c, d);
  vst1q_f32(out, vpaddq_f32(ab, cd));  // a b c d
}

struct Vec {
  using V = float32x4_t;
  static constexpr int kWidth = 4;
  static V zero() { return vdupq_n_f32(0.0f); }
  static V splat(float a) { return vdupq_n_f32(a); }
  static void store(float* p, V v) { vst1q_f32(p, v); }
  static V load(const float* p) { return vld1q_f32(p); }
  static V load_f16(const uint8_t* p) {
    uint16_t halves[4];
    std::memcpy(halves, p, 8);
    return vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(halves)));
  }
  static void store_f16(uint16_t* p, V v) { vst1_u16(p, vreinterpret_u16_f16(vcvt_f16_f32(v))); }
  static V fma(V a, V b, V acc) { return vfmaq_f32(acc, a, b); }
  static float sum(V v) { return vaddvq_f32(v); }
  static void sum4(V a, V b, V c, V d, float* out) { sum4x4(a, b, c, d, out); }
};

struct Q8 {
  using Acc = float32x4_t;
  struct Weights {
    int8x16_t low;
    int8x16_t high;
  };
  struct Input {
    int8x16_t low;
    int8x16_t high;
  };
  static Acc zero() { return vdupq_n_f32(0.0f); }
  static float scale(const uint8_t* block) {
    uint16_t half;
    std::memcpy(&half, block, 2);
    return vgetq_lane_f32(vcvt_f32_f16(vreinterpret_f16_u16(vdup_n_u16(half))), 0);
  }
  static Weights load_weights(const uint8_t* qs) {
    const auto* q = reinterpret_cast<const int8_t*>(qs);
    return {vld1q_s8(q), vld1q_s8(q + 16)};
  }
  static Input load_input(const int8_t* q) { return {vld1q_s8(q), vld1q_s8(q + 16)}; }
  static Acc madd(const Weights& w, const Input& x, float scale, Acc acc) {
    int16x8_t p0 = vmull_s8(vget_low_s8(w.low), vget_low_s8(x.low));
    int16x8_t p1 = vmull_high_s8(w.low, x.low);
    int16x8_t p2 = vmull_s8(vget_low_s8(w.high), vget_low_s8(x.high));
    int16x8_t p3 = vmull_high_s8(w.high, x.high);
    int32x4_t dot = vpaddlq_s16(p0);
    dot = vpadalq_s16(dot, p1);
    dot = vpadalq_s16(dot, p2);
    dot = vpadalq_s16(dot, p3);
    return vfmaq_n_f32(acc, vcvtq_f32_s32(dot), scale);
  }
  static float sum(Acc v) { return vaddvq_f32(v); }
  static void sum4(Acc a, Acc b, Acc c, Acc d, float* out) { sum4x4(a, b, c, d, out); }
};

constexpr int kFloatTileRows = 4;
constexpr int kFloatTileCols = 4;
constexpr int kQ8TileRows = 4;
constexpr int kQ8TileCols = 2;

// The other block types (q4_0 ... q6_K, bf16) have no NEON code yet: they
// fall back to the portable row-by-row products (block_formats.cpp).
inline void block_matmul(const Matrix& w, int row_begin, int row_end, const Activations& x, float* y, size_t y_stride) {
  block_matmul_portable(w, row_begin, row_end, x, y, y_stride);
}

#include "bench/kernel_tiles.inl"

// e^x by exp_polynomial.h, 2^n built in the exponent bits. x is clamped to
// where that power is a normal float (NEON's max and min keep a NaN).
float32x4_t exp4(float32x4_t x) {
  namespace e = exp_polynomial;
  x = vminq_f32(vdupq_n_f32(88.3f), vmaxq_f32(vdupq_n_f32(-87.3f), x));
  const float32x4_t n = vrndnq_f32(vmulq_f32(x, vdupq_n_f32(e::kLog2e)));
  const float32x4_t r = vfmsq_f32(vfmsq_f32(x, n, vdupq_n_f32(e::kLn2High)), n, vdupq_n_f32(e::kLn2Low));
  float32x4_t p = vdupq_n_f32(0.0f);
  for (float c : e::kCoefficients) p = vfmaq_f32(vdupq_n_f32(c), p, r);
  const int32x4_t power = vshlq_n_s32(vaddq_s32(vcvtq_s32_f32(n), vdupq_n_s32(127)), 23);
  return vmulq_f32(vaddq_f32(vfmaq_f32(r, p, vmulq_f32(r, r)), vdupq_n_f32(1.0f)), vreinterpretq_f32_s32(power));
}

void exponentials(const float* in, size_t n, float* out) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4) vst1q_f32(out + i, exp4(vld1q_f32(in + i)));
  if (i < n) {
    float rest[4] = {};
    std::memcpy(rest, in + i, (n - i) * sizeof(float));
    vst1q_f32(rest, exp4(vld1q_f32(rest)));
    std::memcpy(out + i, rest, (n - i) * sizeof(float));
  }
}

uint64_t read_stream(const uint8_t* data, size_t bytes) {
  uint64x2_t a = vdupq_n_u64(0), b = a, c = a, d = a;
  size_t i = 0;
  for (; i + 64 <= bytes; i += 64) {
    a = vaddq_u64(a, vreinterpretq_u64_u8(vld1q_u8(data + i)));
    b = vaddq_u64(b, vreinterpretq_u64_u8(vld1q_u8(data + i + 16)));
    c = vaddq_u64(c, vreinterpretq_u64_u8(vld1q_u8(data + i + 32)));
    d = vaddq_u64(d, vreinterpretq_u64_u8(vld1q_u8(data + i + 48)));
  }
  uint64_t sum = vaddvq_u64(vaddq_u64(vaddq_u64(a, b), vaddq_u64(c, d)));
  for (; i < bytes; ++i) sum += data[i];
  return sum;
}

double fma_burst(int64_t iterations, float* sink) {
  constexpr int kChains = 12;
  float32x4_t acc[kChains];
  for (int j = 0; j < kChains; ++j) acc[j] = vdupq_n_f32(static_cast<float>(j));
  const float32x4_t factor = vdupq_n_f32(0.9999999f);
  const float32x4_t addend = vdupq_n_f32(0.001f);
  for (int64_t i = 0; i < iterations; ++i) {
    for (int j = 0; j < kChains; ++j) acc[j] = vfmaq_f32(addend, acc[j], factor);
  }
  float32x4_t total = acc[0];
  for (int j = 1; j < kChains; ++j) total = vaddq_f32(total, acc[j]);
  *sink += vaddvq_f32(total);
  return static_cast<double>(iterations) * kChains * 4 * 2;
}

}  // namespace neon

const Kernels& neon_kernels() {
  static const Kernels set{"neon", neon::matmul, neon::attention_scores, neon::attention_sum,
                          neon::attention_scores_f16, neon::attention_sum_f16, neon::to_f16, neon::from_f16,
                          quantize_activations_q8, neon::exponentials, neon::read_stream, neon::fma_burst};
  return set;
}

}  // namespace tune::bench
#endif
