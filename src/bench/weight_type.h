// Weight types the runner reads and the conversions between them. q8_0 has
// GGUF's layout: blocks of 32 values, each an f16 scale d followed by 32
// int8 q, value = d * q. The other block types (q4_0, q4_1, q5_0, the
// K-quants q4_K, q5_K, q6_K) and bf16 are described in block_formats.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tune::bench {

enum class WeightType : uint8_t { kF32, kF16, kQ8_0, kQ4_0, kQ4_1, kQ5_0, kQ4_K, kQ5_K, kQ6_K, kBF16 };

inline constexpr int kQ8Block = 32;                   // values per q8_0 block
inline constexpr size_t kQ8BlockBytes = 2 + kQ8Block;  // f16 scale + 32 int8

// "f32", "f16", "q8_0", "q4_0", "q4_1", "q5_0", "q4_k", "q5_k", "q6_k", "bf16".
std::string_view weight_type_name(WeightType type);
// Those names, in either case ("Q4_K" too); "q8" for q8_0.
std::optional<WeightType> parse_weight_type(std::string_view name);
// The names above, comma-separated: for messages that list what is supported.
std::string supported_weight_type_names();

// Values per block: 1 for f32/f16/bf16, 32 for q8_0/q4_0/q4_1/q5_0, 256 for
// the K-quants. A row holds whole blocks: cols % block_values == 0.
int block_values(WeightType type);

// Bytes of one row of `cols` values (cols % block_values(type) == 0).
size_t row_bytes(WeightType type, size_t cols);

// The form a matrix product over this type reads its input in: f32 (float
// weights, bf16), q8 blocks of 32 (q8_0, q4_0, q4_1, q5_0) or q8_K blocks
// of 256 (the K-quants), as llama.cpp pairs them.
enum class ActivationForm : uint8_t { kF32, kQ8, kQ8K };
ActivationForm activation_form(WeightType type);

// IEEE 754 binary16 <-> binary32, round to nearest even.
float f16_to_f32(uint16_t half);
uint16_t f32_to_f16(float value);

// One row of `cols` values of any type, written as f32 (whole blocks).
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
