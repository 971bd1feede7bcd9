// Weight types the runner reads (f32, f16, q8_0) and the conversions between
// them. q8_0 has GGUF's layout: blocks of 32 values, each an f16 scale d
// followed by 32 int8 q, value = d * q.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tune::bench {

enum class WeightType : uint8_t { kF32, kF16, kQ8_0 };

inline constexpr int kQ8Block = 32;                   // values per q8_0 block
inline constexpr size_t kQ8BlockBytes = 2 + kQ8Block;  // f16 scale + 32 int8

std::string_view weight_type_name(WeightType type);  // "f32", "f16", "q8_0"
std::optional<WeightType> parse_weight_type(std::string_view name);

// Bytes of one row of `cols` values; q8_0 needs cols % 32 == 0.
size_t row_bytes(WeightType type, size_t cols);

// IEEE 754 binary16 <-> binary32, round to nearest even.
float f16_to_f32(uint16_t half);
uint16_t f32_to_f16(float value);

// One row of `cols` values of any type, written as f32 (cols % 32 == 0 for q8_0).
void dequantize_row(WeightType type, const uint8_t* row, size_t cols, float* out);
// One row of floats stored as `type`; out holds row_bytes(type, cols).
void quantize_row(WeightType type, const float* values, size_t cols, uint8_t* out);

// Activations quantized for q8_0 matrix products: the same 32-value blocks,
// but with an f32 scale kept apart so the int8 parts stay contiguous.
// n % 32 == 0; q holds n values, scales n / 32. Each value is rounded to the
// nearest int8 (ties to even) within [-127, 127]; NaN becomes 0. The
// portable version: Kernels::quantize_q8 is the same, bit for bit, in SIMD.
void quantize_activations_q8(const float* values, size_t n, int8_t* q, float* scales);

}  // namespace tune::bench
