// q4_K, q5_K and q6_K products against q8_K activations, q4_0, q4_1 and
// q5_0 against q8 ones, in 256-bit AVX2 integer code, and bf16 against f32,
// for the x86 sets (block_formats.h has the layouts). Include inside
// a set's own namespace (as kernel_tiles.inl, so the linker never swaps one
// set's copy into another), in a file compiled with at least AVX2, FMA and
// F16C, after declaring q4_k_row_dot() and q6_k_row_dot() (the set's q4_K
// and q6_K dots: AVX-512 has its own); it defines that set's block_matmul.
//
// Per 32 values, vpmaddubsw multiplies the unsigned quants (0..15, 0..63)
// by the signed input bytes into pairs summed in int16 (at most
// 2 * 63 * 127, no saturation), and vpmaddwd multiplies those by the
// sub-block scale, summed into int32: exactly the integer sums of the
// portable dots, so only the float sums' order differs.

namespace block_x86 {

inline int hsum_epi32(__m256i v) {
  const __m128i four = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  const __m128i two = _mm_add_epi32(four, _mm_unpackhi_epi64(four, four));
  return _mm_cvtsi128_si32(_mm_add_epi32(two, _mm_shuffle_epi32(two, 1)));
}

inline float sum8(__m256 v) {
  const __m128 four = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  const __m128 two = _mm_add_ps(four, _mm_movehl_ps(four, four));
  return _mm_cvtss_f32(_mm_add_ss(two, _mm_movehdup_ps(two)));
}

inline float half_at(const uint8_t* p) {
  uint16_t bits;
  std::memcpy(&bits, p, 2);
  return _cvtsh_ss(bits);
}

inline __m256i load32(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }

// Two int16 scales, one for each 16 values of a 32-value run.
inline __m256i scale_pair(int first, int second) {
  return _mm256_set_m128i(_mm_set1_epi16(static_cast<int16_t>(second)), _mm_set1_epi16(static_cast<int16_t>(first)));
}

// k_scale_min for all eight sub-blocks at once, on 32-bit words: bytes
// 0-3 hold scales 0-3 (low 6 bits) and the top bits of scales 4-7; bytes
// 4-7 the same for the mins; bytes 8-11 the low 4 bits of scales 4-7 (low
// nibbles) and of mins 4-7 (high nibbles). A call per sub-block cost about
// a third of a q4_K decode step.
inline void unpack_k_scales(const uint8_t* packed, uint8_t* scale, uint8_t* min) {
  uint32_t a, b, c;
  std::memcpy(&a, packed, 4);
  std::memcpy(&b, packed + 4, 4);
  std::memcpy(&c, packed + 8, 4);
  const uint32_t low_scales = a & 0x3F3F3F3Fu;
  const uint32_t low_mins = b & 0x3F3F3F3Fu;
  const uint32_t high_scales = (c & 0x0F0F0F0Fu) | (((a >> 6) & 0x03030303u) << 4);
  const uint32_t high_mins = ((c >> 4) & 0x0F0F0F0Fu) | (((b >> 6) & 0x03030303u) << 4);
  std::memcpy(scale, &low_scales, 4);
  std::memcpy(scale + 4, &high_scales, 4);
  std::memcpy(min, &low_mins, 4);
  std::memcpy(min + 4, &high_mins, 4);
}

// q4_K, and q5_K (kFifthBit) whose 32 qh bytes after the scales give each
// quant a fifth bit: bit 2c of qh[l] for value 64c+l, bit 2c+1 for 64c+32+l.
template <bool kFifthBit>
inline float dot_k_asymmetric(const uint8_t* row, const int8_t* x, const float* x_scale, const int16_t* x_sums,
                              int cols) {
  constexpr size_t kBlockBytes = kFifthBit ? 176 : 144;
  constexpr size_t kNibbles = kFifthBit ? 48 : 16;
  const __m256i low_nibbles = _mm256_set1_epi8(0x0F);
  const __m256i one = _mm256_set1_epi8(0x01);
  __m256 acc = _mm256_setzero_ps();
  float min_total = 0;
  for (int b = 0; b < cols / 256; ++b) {
    const uint8_t* block = row + static_cast<size_t>(b) * kBlockBytes;
    const int8_t* in = x + 256 * b;
    const int16_t* sums = x_sums + 16 * b;
    __builtin_prefetch(block + 1024, 0, 3);
    uint8_t scale[8], min[8];
    unpack_k_scales(block + 4, scale, min);
    // sum over sub-blocks of min_s * (sum of x over it): the 16 sums of 16
    // against each min twice.
    uint64_t min_bytes;
    std::memcpy(&min_bytes, min, 8);
    const __m128i twice = _mm_shuffle_epi8(_mm_cvtsi64_si128(static_cast<long long>(min_bytes)),
                                           _mm_setr_epi8(0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7));
    const int mins = hsum_epi32(_mm256_madd_epi16(_mm256_cvtepu8_epi16(twice), load32(sums)));
    __m256i total = _mm256_setzero_si256();
    for (int c = 0; c < 4; ++c) {
      const __m256i quants = load32(block + kNibbles + 32 * c);
      __m256i first = _mm256_and_si256(quants, low_nibbles);
      __m256i second = _mm256_and_si256(_mm256_srli_epi16(quants, 4), low_nibbles);
      if constexpr (kFifthBit) {
        const __m256i high = load32(block + 16);
        first = _mm256_or_si256(first, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(high, 2 * c), one), 4));
        second =
            _mm256_or_si256(second, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(high, 2 * c + 1), one), 4));
      }
      const __m256i p0 = _mm256_maddubs_epi16(first, load32(in + 64 * c));
      const __m256i p1 = _mm256_maddubs_epi16(second, load32(in + 64 * c + 32));
      total = _mm256_add_epi32(total, _mm256_madd_epi16(p0, _mm256_set1_epi16(scale[2 * c])));
      total = _mm256_add_epi32(total, _mm256_madd_epi16(p1, _mm256_set1_epi16(scale[2 * c + 1])));
    }
    const float d = half_at(block) * x_scale[b];
    acc = _mm256_fmadd_ps(_mm256_set1_ps(d), _mm256_cvtepi32_ps(total), acc);
    min_total += half_at(block + 2) * x_scale[b] * static_cast<float>(mins);
  }
  const __m128 four = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
  const __m128 two = _mm_add_ps(four, _mm_movehl_ps(four, four));
  return _mm_cvtss_f32(_mm_add_ss(two, _mm_movehdup_ps(two))) - min_total;
}

inline float dot_q4_k(const uint8_t* row, const int8_t* x, const float* x_scale, const int16_t* x_sums, int cols) {
  return dot_k_asymmetric<false>(row, x, x_scale, x_sums, cols);
}

inline float dot_q5_k(const uint8_t* row, const int8_t* x, const float* x_scale, const int16_t* x_sums, int cols) {
  return dot_k_asymmetric<true>(row, x, x_scale, x_sums, cols);
}

// bf16 against the f32 input: each value widened exactly (a 16-bit shift),
// eight per fused multiply-add, four accumulators.
inline float dot_bf16(const uint8_t* row, const float* x, int cols) {
  __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
  int k = 0;
  for (; k + 32 <= cols; k += 32) {
#pragma GCC unroll 4
    for (int i = 0; i < 4; ++i) {
      const __m128i halves = _mm_loadu_si128(reinterpret_cast<const __m128i*>(row + 2 * static_cast<size_t>(k + 8 * i)));
      const __m256 w = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(halves), 16));
      acc[i] = _mm256_fmadd_ps(w, _mm256_loadu_ps(x + k + 8 * i), acc[i]);
    }
  }
  float tail = 0;
  for (; k < cols; ++k) {
    uint16_t value;
    std::memcpy(&value, row + 2 * static_cast<size_t>(k), 2);
    tail += bf16_to_f32(value) * x[k];
  }
  return sum8(_mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3]))) + tail;
}

inline float dot_q6_k(const uint8_t* row, const int8_t* x, const float* x_scale, const int16_t* x_sums, int cols) {
  const __m256i low_nibbles = _mm256_set1_epi8(0x0F);
  const __m256i two_bits = _mm256_set1_epi8(0x03);
  float total = 0;
  for (int b = 0; b < cols / 256; ++b) {
    const uint8_t* block = row + static_cast<size_t>(b) * 210;
    const auto* scales = reinterpret_cast<const int8_t*>(block + 192);
    const int8_t* in = x + 256 * b;
    const int16_t* sums = x_sums + 16 * b;
    __builtin_prefetch(block + 1024, 0, 3);
    // The quants are stored as q + 32: sum scale * q * x, then take away
    // 32 * scale * (sum of x) per 16 values, from the q8_K sums.
    const __m256i wide_scales = _mm256_cvtepi8_epi16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(scales)));
    const int offset = hsum_epi32(_mm256_madd_epi16(wide_scales, load32(sums)));
    __m256i acc = _mm256_setzero_si256();
    for (int h = 0; h < 2; ++h) {
      const __m256i ql0 = load32(block + 64 * h);
      const __m256i ql1 = load32(block + 64 * h + 32);
      const __m256i qh = load32(block + 128 + 32 * h);
      const __m256i q[4] = {
          _mm256_or_si256(_mm256_and_si256(ql0, low_nibbles), _mm256_slli_epi16(_mm256_and_si256(qh, two_bits), 4)),
          _mm256_or_si256(_mm256_and_si256(ql1, low_nibbles),
                          _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2), two_bits), 4)),
          _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql0, 4), low_nibbles),
                          _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 4), two_bits), 4)),
          _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql1, 4), low_nibbles),
                          _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 6), two_bits), 4)),
      };
      for (int k = 0; k < 4; ++k) {
        const int g = 8 * h + 2 * k;  // the 16-value groups of this run of 32
        const __m256i pairs = _mm256_maddubs_epi16(q[k], load32(in + 128 * h + 32 * k));
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(pairs, scale_pair(scales[g], scales[g + 1])));
      }
    }
    total += half_at(block + 208) * x_scale[b] * static_cast<float>(hsum_epi32(acc) - 32 * offset);
  }
  return total;
}

// The 32 quants of a q4_0/q4_1/q5_0 block's 16 nibble bytes, in value
// order: low nibbles (values 0-15) in the low half, high ones after.
inline __m256i nibbles32(const uint8_t* qs) {
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(qs));
  const __m128i low_nibbles = _mm_set1_epi8(0x0F);
  return _mm256_set_m128i(_mm_and_si128(_mm_srli_epi16(bytes, 4), low_nibbles), _mm_and_si128(bytes, low_nibbles));
}

// Byte i is 0xFF where bit i of `bits` is set.
inline __m256i bytes_of_bits(uint32_t bits) {
  const __m256i spread = _mm256_shuffle_epi8(
      _mm256_set1_epi32(static_cast<int>(bits)),
      _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3));
  const __m256i mask = _mm256_set1_epi64x(static_cast<long long>(0x8040201008040201ull));
  return _mm256_cmpeq_epi8(_mm256_and_si256(spread, mask), mask);
}

// The int32 sums of signed(w) * signed(x) in 8 lanes: |w| is the unsigned
// side of vpmaddubsw, w's sign moves onto x (as the q8_0 tiles do).
inline __m256i signed_dot(__m256i w, __m256i x) {
  const __m256i pairs = _mm256_maddubs_epi16(_mm256_sign_epi8(w, w), _mm256_sign_epi8(x, w));
  return _mm256_madd_epi16(pairs, _mm256_set1_epi16(1));
}

inline float dot_q4_0(const uint8_t* row, const int8_t* x, const float* x_scale, int cols) {
  __m256 acc = _mm256_setzero_ps();
  for (int b = 0; b < cols / 32; ++b) {
    const uint8_t* block = row + static_cast<size_t>(b) * 18;
    const __m256i w = _mm256_sub_epi8(nibbles32(block + 2), _mm256_set1_epi8(8));
    const __m256i dot = signed_dot(w, load32(x + 32 * b));
    acc = _mm256_fmadd_ps(_mm256_set1_ps(half_at(block) * x_scale[b]), _mm256_cvtepi32_ps(dot), acc);
  }
  return sum8(acc);
}

inline float dot_q5_0(const uint8_t* row, const int8_t* x, const float* x_scale, int cols) {
  __m256 acc = _mm256_setzero_ps();
  for (int b = 0; b < cols / 32; ++b) {
    const uint8_t* block = row + static_cast<size_t>(b) * 22;
    uint32_t high_bits;
    std::memcpy(&high_bits, block + 2, 4);
    const __m256i fifth = _mm256_and_si256(bytes_of_bits(high_bits), _mm256_set1_epi8(0x10));
    const __m256i w = _mm256_sub_epi8(_mm256_or_si256(nibbles32(block + 6), fifth), _mm256_set1_epi8(16));
    const __m256i dot = signed_dot(w, load32(x + 32 * b));
    acc = _mm256_fmadd_ps(_mm256_set1_ps(half_at(block) * x_scale[b]), _mm256_cvtepi32_ps(dot), acc);
  }
  return sum8(acc);
}

// d q + m against s x: d s sum(q x) + m s sum(x), both sums in one pass
// (the quants are unsigned already).
inline float dot_q4_1(const uint8_t* row, const int8_t* x, const float* x_scale, int cols) {
  const __m256i ones16 = _mm256_set1_epi16(1);
  __m256 acc = _mm256_setzero_ps();
  for (int b = 0; b < cols / 32; ++b) {
    const uint8_t* block = row + static_cast<size_t>(b) * 20;
    const __m256i in = load32(x + 32 * b);
    const __m256i dot = _mm256_madd_epi16(_mm256_maddubs_epi16(nibbles32(block + 4), in), ones16);
    const __m256i sum = _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_set1_epi8(1), in), ones16);
    acc = _mm256_fmadd_ps(_mm256_set1_ps(half_at(block) * x_scale[b]), _mm256_cvtepi32_ps(dot), acc);
    acc = _mm256_fmadd_ps(_mm256_set1_ps(half_at(block + 2) * x_scale[b]), _mm256_cvtepi32_ps(sum), acc);
  }
  return sum8(acc);
}

}  // namespace block_x86

void block_matmul(const Matrix& w, int row_begin, int row_end, const Activations& x, float* y, size_t y_stride) {
  if (w.type == WeightType::kQ4_0 || w.type == WeightType::kQ4_1 || w.type == WeightType::kQ5_0) {
    const auto dot = w.type == WeightType::kQ4_0   ? block_x86::dot_q4_0
                     : w.type == WeightType::kQ4_1 ? block_x86::dot_q4_1
                                                   : block_x86::dot_q5_0;
    const size_t cols = static_cast<size_t>(w.cols);
    for (int t = 0; t < x.count; ++t) {
      const size_t token = static_cast<size_t>(t);
      float* out = y + token * y_stride;
      for (int r = row_begin; r < row_end; ++r) {
        out[r] = dot(w.row(r), x.q8 + token * cols, x.q8_scale + token * cols / 32, w.cols);
      }
    }
    return;
  }
  if (w.type == WeightType::kBF16) {
    const size_t cols = static_cast<size_t>(w.cols);
    for (int t = 0; t < x.count; ++t) {
      const size_t token = static_cast<size_t>(t);
      for (int r = row_begin; r < row_end; ++r) y[token * y_stride + r] = block_x86::dot_bf16(w.row(r), x.f32 + token * cols, w.cols);
    }
    return;
  }
  if (w.type != WeightType::kQ4_K && w.type != WeightType::kQ5_K && w.type != WeightType::kQ6_K) {
    block_matmul_portable(w, row_begin, row_end, x, y, y_stride);  // no type is left here today
    return;
  }
  const auto dot = w.type == WeightType::kQ4_K   ? q4_k_row_dot()
                   : w.type == WeightType::kQ5_K ? block_x86::dot_q5_k
                                                 : q6_k_row_dot();
  const size_t cols = static_cast<size_t>(w.cols);
  for (int t = 0; t < x.count; ++t) {
    const size_t token = static_cast<size_t>(t);
    const int8_t* in = x.q8k + token * cols;
    const float* in_scale = x.q8k_scale + token * cols / kQ8KBlock;
    const int16_t* in_sums = x.q8k_sums + token * cols / kQ8KSumGroup;
    float* out = y + token * y_stride;
    for (int r = row_begin; r < row_end; ++r) out[r] = dot(w.row(r), in, in_scale, in_sums, w.cols);
  }
}
