// The AVX-512 set's prefill over the packed prompt (kernels.h,
// kPackedGroup), compiled in packed_product_avx512.cpp with that set's flags.
#pragma once

#include "bench/kernels.h"

namespace tune::bench::avx512_packed {

// Kernels::pack_tokens. packed must start on a 64-byte boundary.
void pack_tokens(const float* x, size_t stride, int count, int cols, int group, float* packed);
// Kernels::matmul for x.count > 1 with x.packed set (f32, f16 and q8_0
// weights alike).
void matmul(const Matrix& w, int row_begin, int row_end, const Activations& x, float* y, size_t y_stride);

}  // namespace tune::bench::avx512_packed
