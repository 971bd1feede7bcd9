#include "bench/weight_type.h"

#include "bench/block_formats.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstring>

namespace tune::bench {
namespace {

// Rounds to the nearest int8 in [-127, 127], ties to even as std::nearbyint
// does; a NaN (a damaged model, a diverged activation) becomes 0 rather than
// an undefined conversion. Not std::nearbyint itself: on the baseline x86-64
// build that is a libm call, and quantizing the 5632-value input of the 1b
// down projection one call per value took some 20 us of every decode step.
// Once clamped, adding then subtracting 1.5 * 2^23 leaves the value rounded
// in the current (nearest-even) mode: floats in [2^23, 2^24) are whole.
int8_t to_int8(float value) {
  constexpr float kRound = 12582912.0f;  // 1.5 * 2^23
  if (std::isnan(value)) return 0;
  const float clamped = std::clamp(value, -127.0f, 127.0f);
  return static_cast<int8_t>((clamped + kRound) - kRound);
}

}  // namespace

constexpr std::array<WeightType, 10> kAllTypes = {
    WeightType::kF32,  WeightType::kF16,  WeightType::kBF16, WeightType::kQ8_0, WeightType::kQ4_0,
    WeightType::kQ4_1, WeightType::kQ5_0, WeightType::kQ4_K, WeightType::kQ5_K, WeightType::kQ6_K};

std::string_view weight_type_name(WeightType type) {
  switch (type) {
    case WeightType::kF32: return "f32";
    case WeightType::kF16: return "f16";
    case WeightType::kQ8_0: return "q8_0";
    case WeightType::kQ4_0: return "q4_0";
    case WeightType::kQ4_1: return "q4_1";
    case WeightType::kQ5_0: return "q5_0";
    case WeightType::kQ4_K: return "q4_k";
    case WeightType::kQ5_K: return "q5_k";
    case WeightType::kQ6_K: return "q6_k";
    case WeightType::kBF16: return "bf16";
  }
  return "?";
}

std::optional<WeightType> parse_weight_type(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "q8") return WeightType::kQ8_0;
  for (WeightType type : kAllTypes) {
    if (lower == weight_type_name(type)) return type;
  }
  return std::nullopt;
}

std::string supported_weight_type_names() {
  std::string names;
  for (WeightType type : kAllTypes) {
    if (!names.empty()) names += ", ";
    names += weight_type_name(type);
  }
  return names;
}

int block_values(WeightType type) {
  switch (type) {
    case WeightType::kF32:
    case WeightType::kF16:
    case WeightType::kBF16: return 1;
    case WeightType::kQ8_0:
    case WeightType::kQ4_0:
    case WeightType::kQ4_1:
    case WeightType::kQ5_0: return 32;
    case WeightType::kQ4_K:
    case WeightType::kQ5_K:
    case WeightType::kQ6_K: return kQ8KBlock;
  }
  return 1;
}

size_t row_bytes(WeightType type, size_t cols) {
  const size_t blocks = cols / static_cast<size_t>(block_values(type));
  switch (type) {
    case WeightType::kF32: return cols * 4;
    case WeightType::kF16:
    case WeightType::kBF16: return cols * 2;
    case WeightType::kQ8_0: return blocks * kQ8BlockBytes;
    case WeightType::kQ4_0: return blocks * block_bytes::kQ4_0;
    case WeightType::kQ4_1: return blocks * block_bytes::kQ4_1;
    case WeightType::kQ5_0: return blocks * block_bytes::kQ5_0;
    case WeightType::kQ4_K: return blocks * block_bytes::kQ4_K;
    case WeightType::kQ5_K: return blocks * block_bytes::kQ5_K;
    case WeightType::kQ6_K: return blocks * block_bytes::kQ6_K;
  }
  return 0;
}

ActivationForm activation_form(WeightType type) {
  switch (type) {
    case WeightType::kF32:
    case WeightType::kF16:
    case WeightType::kBF16: return ActivationForm::kF32;
    case WeightType::kQ8_0:
    case WeightType::kQ4_0:
    case WeightType::kQ4_1:
    case WeightType::kQ5_0: return ActivationForm::kQ8;
    case WeightType::kQ4_K:
    case WeightType::kQ5_K:
    case WeightType::kQ6_K: return ActivationForm::kQ8K;
  }
  return ActivationForm::kF32;
}

float f16_to_f32(uint16_t half) {
  const uint32_t sign = static_cast<uint32_t>(half & 0x8000u) << 16;
  const uint32_t exponent = (half >> 10) & 0x1fu;
  uint32_t mantissa = half & 0x3ffu;
  uint32_t bits;
  if (exponent == 0x1f) {  // inf or nan
    bits = sign | 0x7f800000u | (mantissa << 13);
  } else if (exponent != 0) {  // normal
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {  // zero
    bits = sign;
  } else {  // subnormal: shift until the implicit bit appears
    int shift = 0;
    while ((mantissa & 0x400u) == 0) {
      mantissa <<= 1;
      ++shift;
    }
    mantissa &= 0x3ffu;
    bits = sign | (static_cast<uint32_t>(113 - shift) << 23) | (mantissa << 13);
  }
  float out;
  std::memcpy(&out, &bits, 4);
  return out;
}

uint16_t f32_to_f16(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, 4);
  const uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000u);
  const uint32_t abs = bits & 0x7fffffffu;
  if (abs >= 0x7f800000u) {  // inf or nan (keep nan a nan)
    return static_cast<uint16_t>(sign | 0x7c00u | (abs > 0x7f800000u ? 0x200u : 0u));
  }
  if (abs >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // rounds past the largest half
  if (abs < 0x38800000u) {  // below the smallest normal half: subnormal or zero
    if (abs < 0x33000000u) return sign;  // rounds to zero
    const uint32_t exponent = abs >> 23;
    const uint32_t mantissa = (abs & 0x7fffffu) | 0x800000u;
    const uint32_t shift = 126 - exponent;  // 14..24
    uint32_t half = mantissa >> shift;
    const uint32_t rest = mantissa & ((1u << shift) - 1);
    const uint32_t halfway = 1u << (shift - 1);
    if (rest > halfway || (rest == halfway && (half & 1u))) ++half;
    return static_cast<uint16_t>(sign | half);
  }
  uint32_t half = ((abs >> 13) - (112u << 10));
  const uint32_t rest = abs & 0x1fffu;
  if (rest > 0x1000u || (rest == 0x1000u && (half & 1u))) ++half;  // may carry into the exponent: still right
  return static_cast<uint16_t>(sign | half);
}

void dequantize_row(WeightType type, const uint8_t* row, size_t cols, float* out) {
  switch (type) {
    case WeightType::kF32:
      std::memcpy(out, row, cols * 4);
      return;
    case WeightType::kF16:
      for (size_t i = 0; i < cols; ++i) {
        uint16_t half;
        std::memcpy(&half, row + 2 * i, 2);
        out[i] = f16_to_f32(half);
      }
      return;
    case WeightType::kQ8_0:
      for (size_t block = 0; block < cols / kQ8Block; ++block) {
        const uint8_t* data = row + block * kQ8BlockBytes;
        uint16_t half;
        std::memcpy(&half, data, 2);
        const float scale = f16_to_f32(half);
        const auto* q = reinterpret_cast<const int8_t*>(data + 2);
        for (int i = 0; i < kQ8Block; ++i) out[block * kQ8Block + i] = scale * static_cast<float>(q[i]);
      }
      return;
    default:
      dequantize_blocks(type, row, cols, out);
      return;
  }
}

void quantize_row(WeightType type, const float* values, size_t cols, uint8_t* out) {
  switch (type) {
    case WeightType::kF32:
      std::memcpy(out, values, cols * 4);
      return;
    case WeightType::kF16:
      for (size_t i = 0; i < cols; ++i) {
        const uint16_t half = f32_to_f16(values[i]);
        std::memcpy(out + 2 * i, &half, 2);
      }
      return;
    case WeightType::kQ8_0:
      for (size_t block = 0; block < cols / kQ8Block; ++block) {
        const float* x = values + block * kQ8Block;
        float amax = 0;
        for (int i = 0; i < kQ8Block; ++i) amax = std::max(amax, std::fabs(x[i]));
        // The scale is stored as f16: quantize against the rounded scale so
        // the stored pair (d, q) reproduces x as closely as the format allows.
        const uint16_t half = f32_to_f16(amax / 127.0f);
        const float scale = f16_to_f32(half);
        const float inverse = scale > 0 ? 1.0f / scale : 0.0f;
        uint8_t* data = out + block * kQ8BlockBytes;
        std::memcpy(data, &half, 2);
        for (int i = 0; i < kQ8Block; ++i) data[2 + i] = static_cast<uint8_t>(to_int8(x[i] * inverse));
      }
      return;
    default:
      quantize_blocks(type, values, cols, out);
      return;
  }
}

void quantize_activations_q8(const float* values, size_t n, int8_t* q, float* scales) {
  for (size_t block = 0; block < n / kQ8Block; ++block) {
    const float* x = values + block * kQ8Block;
    float amax = 0;
    for (int i = 0; i < kQ8Block; ++i) amax = std::max(amax, std::fabs(x[i]));
    const float scale = amax / 127.0f;
    const float inverse = scale > 0 ? 1.0f / scale : 0.0f;
    scales[block] = scale;
    for (int i = 0; i < kQ8Block; ++i) q[block * kQ8Block + i] = to_int8(x[i] * inverse);
  }
}

}  // namespace tune::bench
