// GGML's block formats beyond q8_0, byte for byte as llama.cpp stores them
// (ggml-common.h), so tune reads the same bytes llama.cpp reads:
//
//   q4_0  32 values, 18 bytes: f16 d, 16 bytes of nibbles.
//         value j = d * (nibble - 8); low nibbles of byte i hold values
//         0..15, high nibbles values 16..31.
//   q4_1  32 values, 20 bytes: f16 d, f16 m, 16 bytes of nibbles; d * q + m.
//   q5_0  32 values, 22 bytes: f16 d, 4 bytes qh (bit j: value j's fifth
//         bit), 16 bytes of nibbles as q4_0; value = d * (q - 16).
//   q4_K  256 values, 144 bytes: f16 d, f16 dmin, 12 bytes of eight 6-bit
//         (scale, min) pairs, 128 bytes of nibbles. Sub-block s (32 values)
//         is d * scale_s * q - dmin * min_s. Bytes 32c..32c+31 hold values
//         64c.. in the low nibbles and 64c+32.. in the high ones.
//   q5_K  256 values, 176 bytes: as q4_K with 32 bytes qh between the scales
//         and the nibbles: bit 2c of qh[l] is value 64c+l's fifth bit, bit
//         2c+1 value 64c+32+l's.
//   q6_K  256 values, 210 bytes: 128 bytes ql (low 4 bits), 64 bytes qh
//         (high 2 bits), 16 int8 scales (one per 16 values), f16 d last.
//         value = d * scale * (q - 32).
//   bf16  the high half of an f32.
//
// Matrix products over them take the activations quantized as llama.cpp
// does: q8 blocks of 32 for the 32-value types, q8_K blocks of 256 (f32
// scale, int16 sums of every 16 values) for the K-quants, f32 for bf16.
#pragma once

#include "bench/kernels.h"
#include "bench/weight_type.h"

#include <cstddef>
#include <cstdint>

namespace tune::bench {

inline constexpr int kQ8KBlock = 256;  // values per q8_K (and K-quant) block
inline constexpr int kQ8KSumGroup = 16;

namespace block_bytes {
inline constexpr size_t kQ4_0 = 18;
inline constexpr size_t kQ4_1 = 20;
inline constexpr size_t kQ5_0 = 22;
inline constexpr size_t kQ4_K = 144;
inline constexpr size_t kQ5_K = 176;
inline constexpr size_t kQ6_K = 210;
}  // namespace block_bytes

// Dequantization and the reference quantizers of the block types above
// (weight_type.cpp dispatches here). cols is a multiple of the block size.
void dequantize_blocks(WeightType type, const uint8_t* row, size_t cols, float* out);
void quantize_blocks(WeightType type, const float* values, size_t cols, uint8_t* out);

// bf16 <-> f32: widening is exact; narrowing rounds to nearest even and
// keeps NaN a NaN.
float bf16_to_f32(uint16_t value);
uint16_t f32_to_bf16(float value);

// The (scale, min) pair of sub-block j (0..7) from a q4_K/q5_K block's 12
// packed scale bytes.
void k_scale_min(const uint8_t* scales, int j, uint8_t* scale, uint8_t* min);

// Activations for K-quant products: n % 256 == 0; q holds n values, scales
// n / 256, sums n / 16 (sums[g] = the sum of q over values 16g..16g+15).
// Rounding as quantize_activations_q8 (nearest, ties to even, NaN to 0).
void quantize_activations_q8k(const float* values, size_t n, int8_t* q, float* scales, int16_t* sums);

// dot(row of weights, activations of one token) for each block type, in
// plain C++: the scalar kernel set, and every set's fallback for a type it
// has no code of its own for. q8/q8_scale and q8k/... as in Activations.
float dot_q4_0(const uint8_t* row, const int8_t* q8, const float* q8_scale, int cols);
float dot_q4_1(const uint8_t* row, const int8_t* q8, const float* q8_scale, int cols);
float dot_q5_0(const uint8_t* row, const int8_t* q8, const float* q8_scale, int cols);
float dot_q4_k(const uint8_t* row, const int8_t* q8k, const float* q8k_scale, const int16_t* q8k_sums, int cols);
float dot_q5_k(const uint8_t* row, const int8_t* q8k, const float* q8k_scale, const int16_t* q8k_sums, int cols);
float dot_q6_k(const uint8_t* row, const int8_t* q8k, const float* q8k_scale, const int16_t* q8k_sums, int cols);
float dot_bf16(const uint8_t* row, const float* x, int cols);

// Kernels::matmul for the block types (not f32, f16, q8_0), row by row with
// the dots above: y[t * y_stride + r] for every token t and r in
// [row_begin, row_end).
void block_matmul_portable(const Matrix& w, int row_begin, int row_end, const Activations& x, float* y,
                           size_t y_stride);

}  // namespace tune::bench
