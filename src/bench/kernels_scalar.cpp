// Portable kernels: the fallback on any CPU, and the baseline the SIMD sets
// are tested against. Plain loops; the compiler vectorizes what it can.
#include "bench/kernels.h"

#include "bench/block_formats.h"

#include <cmath>
#include <cstring>

namespace tune::bench {
namespace scalar {

struct Vec {
  using V = float;
  static constexpr int kWidth = 1;
  static V zero() { return 0.0f; }
  static V splat(float a) { return a; }
  static void store(float* p, V v) { *p = v; }
  static V load(const float* p) { return *p; }
  static V load_f16(const uint8_t* p) {
    uint16_t half;
    std::memcpy(&half, p, 2);
    return f16_to_f32(half);
  }
  static void store_f16(uint16_t* p, V v) { *p = f32_to_f16(v); }
  static V fma(V a, V b, V acc) { return a * b + acc; }
  static float sum(V v) { return v; }
  static void sum4(V a, V b, V c, V d, float* out) {
    out[0] = a;
    out[1] = b;
    out[2] = c;
    out[3] = d;
  }
};

struct Q8 {
  using Acc = float;
  struct Weights {
    const int8_t* q;
  };
  using Input = const int8_t*;
  static Acc zero() { return 0.0f; }
  static float scale(const uint8_t* block) {
    uint16_t half;
    std::memcpy(&half, block, 2);
    return f16_to_f32(half);
  }
  static Weights load_weights(const uint8_t* qs) { return {reinterpret_cast<const int8_t*>(qs)}; }
  static Input load_input(const int8_t* q) { return q; }
  static Acc madd(const Weights& w, Input x, float scale, Acc acc) {
    int32_t dot = 0;
    for (int i = 0; i < 32; ++i) dot += static_cast<int32_t>(w.q[i]) * static_cast<int32_t>(x[i]);
    return acc + scale * static_cast<float>(dot);
  }
  static float sum(Acc v) { return v; }
  static void sum4(Acc a, Acc b, Acc c, Acc d, float* out) { Vec::sum4(a, b, c, d, out); }
};

constexpr int kFloatTileRows = 4;
constexpr int kFloatTileCols = 2;
constexpr int kQ8TileRows = 4;
constexpr int kQ8TileCols = 2;

// The other block types, row by row in plain C++ (block_formats.cpp).
inline void block_matmul(const Matrix& w, int row_begin, int row_end, const Activations& x, float* y, size_t y_stride) {
  block_matmul_portable(w, row_begin, row_end, x, y, y_stride);
}

#include "bench/kernel_tiles.inl"

uint64_t read_stream(const uint8_t* data, size_t bytes) {
  uint64_t a = 0, b = 0;
  size_t i = 0;
  for (; i + 16 <= bytes; i += 16) {
    uint64_t words[2];
    std::memcpy(words, data + i, 16);
    a += words[0];
    b += words[1];
  }
  for (; i < bytes; ++i) a += data[i];
  return a + b;
}

void exponentials(const float* in, size_t n, float* out) {
  for (size_t i = 0; i < n; ++i) out[i] = std::exp(in[i]);
}

double fma_burst(int64_t iterations, float* sink) {
  constexpr int kChains = 8;
  float acc[kChains];
  for (int j = 0; j < kChains; ++j) acc[j] = static_cast<float>(j);
  for (int64_t i = 0; i < iterations; ++i) {
    for (int j = 0; j < kChains; ++j) acc[j] = acc[j] * 0.9999999f + 0.001f;
  }
  float total = 0;
  for (int j = 0; j < kChains; ++j) total += acc[j];
  *sink += total;
  return static_cast<double>(iterations) * kChains * 2;
}

}  // namespace scalar

const Kernels& scalar_kernels() {
  static const Kernels set{"scalar", scalar::matmul, scalar::attention_scores, scalar::attention_sum,
                          scalar::attention_scores_f16, scalar::attention_sum_f16, scalar::to_f16, scalar::from_f16,
                          quantize_activations_q8, scalar::exponentials, scalar::read_stream, scalar::fma_burst};
  return set;
}

}  // namespace tune::bench
