#include "bench/block_formats.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace tune::bench {
namespace {

float load_half(const uint8_t* p) {
  uint16_t half;
  std::memcpy(&half, p, 2);
  return f16_to_f32(half);
}

// Stores value as f16 and returns what the f16 reads back as: quantizers
// work against the stored scale, not the exact one.
float store_half(float value, uint8_t* p) {
  const uint16_t half = f32_to_f16(value);
  std::memcpy(p, &half, 2);
  return f16_to_f32(half);
}

// Nearest integer (ties to even, as the q8 path), clamped to [low, high];
// NaN becomes 0.
int nearest(float value, int low, int high) {
  if (std::isnan(value)) return 0;
  const float clamped = std::clamp(value, static_cast<float>(low), static_cast<float>(high));
  constexpr float kRound = 12582912.0f;  // 1.5 * 2^23: see weight_type.cpp's to_int8
  return static_cast<int>((clamped + kRound) - kRound);
}

// The value of largest magnitude, sign kept: llama.cpp's symmetric 4- and
// 5-bit formats map it to the most negative level (-8, -16), which has one
// more step than the positive side.
float signed_extreme(const float* x, int n) {
  float extreme = 0;
  for (int i = 0; i < n; ++i) {
    if (std::fabs(x[i]) > std::fabs(extreme)) extreme = x[i];
  }
  return extreme;
}

// --- 32-value formats ------------------------------------------------------

// Nibble i of a 16-byte run: values 0..15 low nibbles, 16..31 high ones.
int nibble(const uint8_t* qs, int i) { return i < 16 ? (qs[i] & 0x0F) : (qs[i - 16] >> 4); }

void pack_nibbles(const int* q, uint8_t* qs) {
  for (int i = 0; i < 16; ++i) qs[i] = static_cast<uint8_t>((q[i] & 0x0F) | ((q[i + 16] & 0x0F) << 4));
}

void dequantize_q4_0(const uint8_t* block, float* out) {
  const float d = load_half(block);
  for (int i = 0; i < 32; ++i) out[i] = d * static_cast<float>(nibble(block + 2, i) - 8);
}

void quantize_q4_0(const float* x, uint8_t* block) {
  const float d = store_half(signed_extreme(x, 32) / -8.0f, block);
  const float inverse = d != 0 ? 1.0f / d : 0.0f;
  int q[32];
  for (int i = 0; i < 32; ++i) q[i] = nearest(x[i] * inverse, -8, 7) + 8;
  pack_nibbles(q, block + 2);
}

void dequantize_q4_1(const uint8_t* block, float* out) {
  const float d = load_half(block);
  const float m = load_half(block + 2);
  for (int i = 0; i < 32; ++i) out[i] = d * static_cast<float>(nibble(block + 4, i)) + m;
}

void quantize_q4_1(const float* x, uint8_t* block) {
  const float low = *std::min_element(x, x + 32);
  const float high = *std::max_element(x, x + 32);
  const float d = store_half((high - low) / 15.0f, block);
  const float m = store_half(low, block + 2);
  const float inverse = d != 0 ? 1.0f / d : 0.0f;
  int q[32];
  for (int i = 0; i < 32; ++i) q[i] = nearest((x[i] - m) * inverse, 0, 15);
  pack_nibbles(q, block + 4);
}

void dequantize_q5_0(const uint8_t* block, float* out) {
  const float d = load_half(block);
  uint32_t high_bits;
  std::memcpy(&high_bits, block + 2, 4);
  for (int i = 0; i < 32; ++i) {
    const int q = nibble(block + 6, i) | static_cast<int>(((high_bits >> i) & 1u) << 4);
    out[i] = d * static_cast<float>(q - 16);
  }
}

void quantize_q5_0(const float* x, uint8_t* block) {
  const float d = store_half(signed_extreme(x, 32) / -16.0f, block);
  const float inverse = d != 0 ? 1.0f / d : 0.0f;
  int q[32];
  uint32_t high_bits = 0;
  for (int i = 0; i < 32; ++i) {
    q[i] = nearest(x[i] * inverse, -16, 15) + 16;
    high_bits |= static_cast<uint32_t>(q[i] >> 4) << i;
  }
  std::memcpy(block + 2, &high_bits, 4);
  pack_nibbles(q, block + 6);
}

// --- K-quants --------------------------------------------------------------

void pack_k_scales(const int* scale, const int* min, uint8_t* packed) {
  std::memset(packed, 0, 12);
  for (int j = 0; j < 4; ++j) {
    packed[j] = static_cast<uint8_t>(scale[j] & 63);
    packed[j + 4] = static_cast<uint8_t>(min[j] & 63);
  }
  for (int j = 4; j < 8; ++j) {
    packed[j + 4] = static_cast<uint8_t>((scale[j] & 0x0F) | ((min[j] & 0x0F) << 4));
    packed[j - 4] = static_cast<uint8_t>(packed[j - 4] | ((scale[j] >> 4) << 6));
    packed[j] = static_cast<uint8_t>(packed[j] | ((min[j] >> 4) << 6));
  }
}

// q4_K and q5_K differ only in the levels (15 or 31) and where the fifth
// bit goes; `high_bits` is null for q4_K.
void quantize_k_asymmetric(const float* x, int levels, uint8_t* block, uint8_t* high_bits, uint8_t* nibbles) {
  // Each 32-value sub-block spans [-min_s, -min_s + levels * step_s] with
  // min_s >= 0 (as llama.cpp, whose format subtracts the min): 0 always
  // lies within it.
  float step[8], offset[8];
  for (int s = 0; s < 8; ++s) {
    const float* v = x + 32 * s;
    const float low = std::min(0.0f, *std::min_element(v, v + 32));
    const float high = *std::max_element(v, v + 32);
    step[s] = (high - low) / static_cast<float>(levels);
    offset[s] = -low;
  }
  const float largest_step = *std::max_element(step, step + 8);
  const float largest_offset = *std::max_element(offset, offset + 8);
  const float d = store_half(largest_step / 63.0f, block);
  const float dmin = store_half(largest_offset / 63.0f, block + 2);
  int scale[8], min[8];
  for (int s = 0; s < 8; ++s) {
    // Round the scale up so the block's range still fits the levels.
    scale[s] = d > 0 ? std::clamp(static_cast<int>(std::ceil(step[s] / d)), 0, 63) : 0;
    min[s] = dmin > 0 ? nearest(offset[s] / dmin, 0, 63) : 0;
  }
  pack_k_scales(scale, min, block + 4);
  int q[256];
  for (int s = 0; s < 8; ++s) {
    const float sub_step = d * static_cast<float>(scale[s]);
    const float sub_offset = dmin * static_cast<float>(min[s]);
    const float inverse = sub_step > 0 ? 1.0f / sub_step : 0.0f;
    for (int i = 0; i < 32; ++i) q[32 * s + i] = nearest((x[32 * s + i] + sub_offset) * inverse, 0, levels);
  }
  if (high_bits != nullptr) std::memset(high_bits, 0, 32);
  for (int c = 0; c < 4; ++c) {
    for (int l = 0; l < 32; ++l) {
      const int first = q[64 * c + l];
      const int second = q[64 * c + 32 + l];
      nibbles[32 * c + l] = static_cast<uint8_t>((first & 0x0F) | ((second & 0x0F) << 4));
      if (high_bits != nullptr) {
        high_bits[l] = static_cast<uint8_t>(high_bits[l] | ((first >> 4) << (2 * c)) | ((second >> 4) << (2 * c + 1)));
      }
    }
  }
}

void dequantize_k_asymmetric(const uint8_t* block, const uint8_t* high_bits, const uint8_t* nibbles, float* out) {
  const float d = load_half(block);
  const float dmin = load_half(block + 2);
  for (int c = 0; c < 4; ++c) {
    for (int half = 0; half < 2; ++half) {
      uint8_t scale, min;
      k_scale_min(block + 4, 2 * c + half, &scale, &min);
      const float step = d * static_cast<float>(scale);
      const float offset = dmin * static_cast<float>(min);
      for (int l = 0; l < 32; ++l) {
        int q = half == 0 ? (nibbles[32 * c + l] & 0x0F) : (nibbles[32 * c + l] >> 4);
        if (high_bits != nullptr) q |= ((high_bits[l] >> (2 * c + half)) & 1) << 4;
        out[64 * c + 32 * half + l] = step * static_cast<float>(q) - offset;
      }
    }
  }
}

// q6_K value i of a block (0..255) as its 6-bit level, 0..63.
int q6_level(const uint8_t* block, int i) {
  const uint8_t* ql = block;
  const uint8_t* qh = block + 128;
  const int half = i / 128;  // each 128 values: 64 bytes of ql, 32 of qh
  const int j = i % 128;
  const int quarter = j / 32;
  const int l = j % 32;
  const uint8_t low_byte = ql[64 * half + l + 32 * (quarter & 1)];
  const int low = quarter < 2 ? (low_byte & 0x0F) : (low_byte >> 4);
  const int high = (qh[32 * half + l] >> (2 * quarter)) & 3;
  return low | (high << 4);
}

void dequantize_q6_k(const uint8_t* block, float* out) {
  const auto* scales = reinterpret_cast<const int8_t*>(block + 192);
  const float d = load_half(block + 208);
  for (int i = 0; i < 256; ++i) out[i] = d * static_cast<float>(scales[i / 16]) * static_cast<float>(q6_level(block, i) - 32);
}

void quantize_q6_k(const float* x, uint8_t* block) {
  float step[16];
  for (int g = 0; g < 16; ++g) step[g] = signed_extreme(x + 16 * g, 16) / -32.0f;
  float largest = 0;
  for (float s : step) largest = std::max(largest, std::fabs(s));
  const float d = store_half(largest / 127.0f, block + 208);
  auto* scales = reinterpret_cast<int8_t*>(block + 192);
  int q[256];
  for (int g = 0; g < 16; ++g) {
    const int scale = d > 0 ? nearest(step[g] / d, -128, 127) : 0;
    scales[g] = static_cast<int8_t>(scale);
    const float sub_step = d * static_cast<float>(scale);
    const float inverse = sub_step != 0 ? 1.0f / sub_step : 0.0f;
    for (int i = 0; i < 16; ++i) q[16 * g + i] = nearest(x[16 * g + i] * inverse, -32, 31) + 32;
  }
  uint8_t* ql = block;
  uint8_t* qh = block + 128;
  for (int half = 0; half < 2; ++half) {
    const int* v = q + 128 * half;
    for (int l = 0; l < 32; ++l) {
      ql[64 * half + l] = static_cast<uint8_t>((v[l] & 0x0F) | ((v[l + 64] & 0x0F) << 4));
      ql[64 * half + l + 32] = static_cast<uint8_t>((v[l + 32] & 0x0F) | ((v[l + 96] & 0x0F) << 4));
      qh[32 * half + l] = static_cast<uint8_t>((v[l] >> 4) | ((v[l + 32] >> 4) << 2) | ((v[l + 64] >> 4) << 4) |
                                               ((v[l + 96] >> 4) << 6));
    }
  }
}

size_t block_size_bytes(WeightType type) { return row_bytes(type, static_cast<size_t>(block_values(type))); }

}  // namespace

float bf16_to_f32(uint16_t value) {
  const uint32_t bits = static_cast<uint32_t>(value) << 16;
  float out;
  std::memcpy(&out, &bits, 4);
  return out;
}

uint16_t f32_to_bf16(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  if ((bits & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((bits >> 16) | 0x40u);  // quiet NaN
  bits += 0x7fffu + ((bits >> 16) & 1u);
  return static_cast<uint16_t>(bits >> 16);
}

void k_scale_min(const uint8_t* scales, int j, uint8_t* scale, uint8_t* min) {
  if (j < 4) {
    *scale = scales[j] & 63;
    *min = scales[j + 4] & 63;
  } else {
    *scale = static_cast<uint8_t>((scales[j + 4] & 0x0F) | ((scales[j - 4] >> 6) << 4));
    *min = static_cast<uint8_t>((scales[j + 4] >> 4) | ((scales[j] >> 6) << 4));
  }
}

void dequantize_blocks(WeightType type, const uint8_t* row, size_t cols, float* out) {
  if (type == WeightType::kBF16) {
    for (size_t i = 0; i < cols; ++i) {
      uint16_t value;
      std::memcpy(&value, row + 2 * i, 2);
      out[i] = bf16_to_f32(value);
    }
    return;
  }
  const size_t values = static_cast<size_t>(block_values(type));
  const size_t bytes = block_size_bytes(type);
  for (size_t b = 0; b < cols / values; ++b) {
    const uint8_t* block = row + b * bytes;
    float* y = out + b * values;
    switch (type) {
      case WeightType::kQ4_0: dequantize_q4_0(block, y); break;
      case WeightType::kQ4_1: dequantize_q4_1(block, y); break;
      case WeightType::kQ5_0: dequantize_q5_0(block, y); break;
      case WeightType::kQ4_K: dequantize_k_asymmetric(block, nullptr, block + 16, y); break;
      case WeightType::kQ5_K: dequantize_k_asymmetric(block, block + 16, block + 48, y); break;
      case WeightType::kQ6_K: dequantize_q6_k(block, y); break;
      default: break;  // not a block type of this file
    }
  }
}

void quantize_blocks(WeightType type, const float* values, size_t cols, uint8_t* out) {
  if (type == WeightType::kBF16) {
    for (size_t i = 0; i < cols; ++i) {
      const uint16_t value = f32_to_bf16(values[i]);
      std::memcpy(out + 2 * i, &value, 2);
    }
    return;
  }
  const size_t per_block = static_cast<size_t>(block_values(type));
  const size_t bytes = block_size_bytes(type);
  for (size_t b = 0; b < cols / per_block; ++b) {
    const float* x = values + b * per_block;
    uint8_t* block = out + b * bytes;
    switch (type) {
      case WeightType::kQ4_0: quantize_q4_0(x, block); break;
      case WeightType::kQ4_1: quantize_q4_1(x, block); break;
      case WeightType::kQ5_0: quantize_q5_0(x, block); break;
      case WeightType::kQ4_K: quantize_k_asymmetric(x, 15, block, nullptr, block + 16); break;
      case WeightType::kQ5_K: quantize_k_asymmetric(x, 31, block, block + 16, block + 48); break;
      case WeightType::kQ6_K: quantize_q6_k(x, block); break;
      default: break;
    }
  }
}

void quantize_activations_q8k(const float* values, size_t n, int8_t* q, float* scales, int16_t* sums) {
  for (size_t b = 0; b < n / kQ8KBlock; ++b) {
    const float* x = values + b * kQ8KBlock;
    float amax = 0;
    for (int i = 0; i < kQ8KBlock; ++i) amax = std::max(amax, std::fabs(x[i]));
    const float scale = amax / 127.0f;
    const float inverse = scale > 0 ? 1.0f / scale : 0.0f;
    scales[b] = scale;
    int8_t* out = q + b * kQ8KBlock;
    for (int g = 0; g < kQ8KBlock / kQ8KSumGroup; ++g) {
      int sum = 0;
      for (int i = 0; i < kQ8KSumGroup; ++i) {
        const int level = nearest(x[kQ8KSumGroup * g + i] * inverse, -127, 127);
        out[kQ8KSumGroup * g + i] = static_cast<int8_t>(level);
        sum += level;
      }
      sums[b * (kQ8KBlock / kQ8KSumGroup) + static_cast<size_t>(g)] = static_cast<int16_t>(sum);
    }
  }
}

// --- dot products ------------------------------------------------------------
// Integer sums within a block, one float multiply-add per block (or
// sub-block scale), as llama.cpp's own reference dots.

float dot_q4_0(const uint8_t* row, const int8_t* q8, const float* q8_scale, int cols) {
  float total = 0;
  for (int b = 0; b < cols / 32; ++b) {
    const uint8_t* block = row + static_cast<size_t>(b) * block_bytes::kQ4_0;
    const int8_t* x = q8 + 32 * b;
    int sum = 0;
    for (int i = 0; i < 32; ++i) sum += (nibble(block + 2, i) - 8) * x[i];
    total += load_half(block) * q8_scale[b] * static_cast<float>(sum);
  }
  return total;
}

float dot_q4_1(const uint8_t* row, const int8_t* q8, const float* q8_scale, int cols) {
  float total = 0;
  for (int b = 0; b < cols / 32; ++b) {
    const uint8_t* block = row + static_cast<size_t>(b) * block_bytes::kQ4_1;
    const int8_t* x = q8 + 32 * b;
    int sum = 0, input_sum = 0;
    for (int i = 0; i < 32; ++i) {
      sum += nibble(block + 4, i) * x[i];
      input_sum += x[i];
    }
    // d * q + m against s * x: d s sum(q x) + m s sum(x).
    total += q8_scale[b] * (load_half(block) * static_cast<float>(sum) + load_half(block + 2) * static_cast<float>(input_sum));
  }
  return total;
}

float dot_q5_0(const uint8_t* row, const int8_t* q8, const float* q8_scale, int cols) {
  float total = 0;
  for (int b = 0; b < cols / 32; ++b) {
    const uint8_t* block = row + static_cast<size_t>(b) * block_bytes::kQ5_0;
    uint32_t high_bits;
    std::memcpy(&high_bits, block + 2, 4);
    const int8_t* x = q8 + 32 * b;
    int sum = 0;
    for (int i = 0; i < 32; ++i) {
      const int q = nibble(block + 6, i) | static_cast<int>(((high_bits >> i) & 1u) << 4);
      sum += (q - 16) * x[i];
    }
    total += load_half(block) * q8_scale[b] * static_cast<float>(sum);
  }
  return total;
}

namespace {

// q4_K and q5_K: sum over sub-blocks of scale_s * dot(q, x) times d, less
// dmin * sum of min_s * (sum of x over the sub-block), from the q8_K sums.
float dot_k_asymmetric(const uint8_t* row, size_t bytes, bool five_bits, const int8_t* q8k, const float* q8k_scale,
                       const int16_t* q8k_sums, int cols) {
  float total = 0;
  for (int b = 0; b < cols / kQ8KBlock; ++b) {
    const uint8_t* block = row + static_cast<size_t>(b) * bytes;
    const uint8_t* high_bits = five_bits ? block + 16 : nullptr;
    const uint8_t* nibbles = block + (five_bits ? 48 : 16);
    const int8_t* x = q8k + kQ8KBlock * b;
    const int16_t* sums = q8k_sums + 16 * b;
    int scaled = 0, mins = 0;
    for (int s = 0; s < 8; ++s) {
      uint8_t scale, min;
      k_scale_min(block + 4, s, &scale, &min);
      const int c = s / 2, half = s % 2;
      int sum = 0;
      for (int l = 0; l < 32; ++l) {
        int q = half == 0 ? (nibbles[32 * c + l] & 0x0F) : (nibbles[32 * c + l] >> 4);
        if (high_bits != nullptr) q |= ((high_bits[l] >> s) & 1) << 4;
        sum += q * x[32 * s + l];
      }
      scaled += scale * sum;
      mins += min * (sums[2 * s] + sums[2 * s + 1]);
    }
    total += q8k_scale[b] * (load_half(block) * static_cast<float>(scaled) - load_half(block + 2) * static_cast<float>(mins));
  }
  return total;
}

}  // namespace

float dot_q4_k(const uint8_t* row, const int8_t* q8k, const float* q8k_scale, const int16_t* q8k_sums, int cols) {
  return dot_k_asymmetric(row, block_bytes::kQ4_K, false, q8k, q8k_scale, q8k_sums, cols);
}

float dot_q5_k(const uint8_t* row, const int8_t* q8k, const float* q8k_scale, const int16_t* q8k_sums, int cols) {
  return dot_k_asymmetric(row, block_bytes::kQ5_K, true, q8k, q8k_scale, q8k_sums, cols);
}

float dot_q6_k(const uint8_t* row, const int8_t* q8k, const float* q8k_scale, const int16_t* /*q8k_sums*/, int cols) {
  float total = 0;
  for (int b = 0; b < cols / kQ8KBlock; ++b) {
    const uint8_t* block = row + static_cast<size_t>(b) * block_bytes::kQ6_K;
    const auto* scales = reinterpret_cast<const int8_t*>(block + 192);
    const int8_t* x = q8k + kQ8KBlock * b;
    int scaled = 0;
    for (int g = 0; g < 16; ++g) {
      int sum = 0;
      for (int i = 0; i < 16; ++i) sum += (q6_level(block, 16 * g + i) - 32) * x[16 * g + i];
      scaled += scales[g] * sum;
    }
    total += load_half(block + 208) * q8k_scale[b] * static_cast<float>(scaled);
  }
  return total;
}

float dot_bf16(const uint8_t* row, const float* x, int cols) {
  float total = 0;
  for (int i = 0; i < cols; ++i) {
    uint16_t value;
    std::memcpy(&value, row + 2 * static_cast<size_t>(i), 2);
    total += bf16_to_f32(value) * x[i];
  }
  return total;
}

void block_matmul_portable(const Matrix& w, int row_begin, int row_end, const Activations& x, float* y,
                           size_t y_stride) {
  const size_t cols = static_cast<size_t>(w.cols);
  for (int t = 0; t < x.count; ++t) {
    const size_t token = static_cast<size_t>(t);
    const int8_t* q8 = x.q8 != nullptr ? x.q8 + token * cols : nullptr;
    const float* q8_scale = x.q8_scale != nullptr ? x.q8_scale + token * cols / 32 : nullptr;
    const int8_t* q8k = x.q8k != nullptr ? x.q8k + token * cols : nullptr;
    const float* q8k_scale = x.q8k_scale != nullptr ? x.q8k_scale + token * cols / kQ8KBlock : nullptr;
    const int16_t* q8k_sums = x.q8k_sums != nullptr ? x.q8k_sums + token * cols / kQ8KSumGroup : nullptr;
    float* out = y + token * y_stride;
    for (int r = row_begin; r < row_end; ++r) {
      const uint8_t* row = w.row(r);
      switch (w.type) {
        case WeightType::kQ4_0: out[r] = dot_q4_0(row, q8, q8_scale, w.cols); break;
        case WeightType::kQ4_1: out[r] = dot_q4_1(row, q8, q8_scale, w.cols); break;
        case WeightType::kQ5_0: out[r] = dot_q5_0(row, q8, q8_scale, w.cols); break;
        case WeightType::kQ4_K: out[r] = dot_q4_k(row, q8k, q8k_scale, q8k_sums, w.cols); break;
        case WeightType::kQ5_K: out[r] = dot_q5_k(row, q8k, q8k_scale, q8k_sums, w.cols); break;
        case WeightType::kQ6_K: out[r] = dot_q6_k(row, q8k, q8k_scale, q8k_sums, w.cols); break;
        case WeightType::kBF16: out[r] = dot_bf16(row, x.f32 + token * cols, w.cols); break;
        default: break;  // f32, f16 and q8_0 go through each set's tiles
      }
    }
  }
}

}  // namespace tune::bench
