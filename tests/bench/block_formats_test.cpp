// GGML's block formats (block_formats.h): dequantization against decoders
// written here from the byte layouts alone, in double precision; the
// reference quantizers' error; and every kernel set's matrix products over
// each type against a double-precision product.
#include "bench/block_formats.h"

#include "bench/aligned_vector.h"
#include "bench/kernels.h"
#include "bench/weight_type.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace tune::bench {
namespace {

const std::vector<WeightType> kBlockTypes = {WeightType::kQ4_0, WeightType::kQ4_1, WeightType::kQ5_0,
                                             WeightType::kQ4_K, WeightType::kQ5_K, WeightType::kQ6_K,
                                             WeightType::kBF16};

double half(const uint8_t* p) {
  uint16_t bits;
  std::memcpy(&bits, p, 2);
  return f16_to_f32(bits);
}

// --- decoders written from ggml-common.h's structs, loop for loop --------

void decode_q4_0(const uint8_t* b, double* y) {
  const double d = half(b);
  for (int j = 0; j < 16; ++j) {
    y[j] = d * ((b[2 + j] & 0x0F) - 8);
    y[j + 16] = d * ((b[2 + j] >> 4) - 8);
  }
}

void decode_q4_1(const uint8_t* b, double* y) {
  const double d = half(b), m = half(b + 2);
  for (int j = 0; j < 16; ++j) {
    y[j] = d * (b[4 + j] & 0x0F) + m;
    y[j + 16] = d * (b[4 + j] >> 4) + m;
  }
}

void decode_q5_0(const uint8_t* b, double* y) {
  const double d = half(b);
  const uint32_t qh = static_cast<uint32_t>(b[2]) | (static_cast<uint32_t>(b[3]) << 8) |
                      (static_cast<uint32_t>(b[4]) << 16) | (static_cast<uint32_t>(b[5]) << 24);
  for (int j = 0; j < 16; ++j) {
    const int high0 = static_cast<int>(((qh >> j) << 4) & 0x10);
    const int high1 = static_cast<int>((qh >> (j + 12)) & 0x10);
    y[j] = d * (((b[6 + j] & 0x0F) | high0) - 16);
    y[j + 16] = d * (((b[6 + j] >> 4) | high1) - 16);
  }
}

// The 6-bit scale and min of sub-block j: bits as ggml packs them.
void scale_min(const uint8_t* s, int j, int* scale, int* min) {
  if (j < 4) {
    *scale = s[j] % 64;
    *min = s[j + 4] % 64;
  } else {
    *scale = (s[j + 4] % 16) + 16 * (s[j - 4] / 64);
    *min = (s[j + 4] / 16) + 16 * (s[j] / 64);
  }
}

void decode_q4_k(const uint8_t* b, double* y) {
  const double d = half(b), dmin = half(b + 2);
  const uint8_t* q = b + 16;
  for (int j = 0, is = 0; j < 256; j += 64, is += 2, q += 32) {
    int sc1, m1, sc2, m2;
    scale_min(b + 4, is, &sc1, &m1);
    scale_min(b + 4, is + 1, &sc2, &m2);
    for (int l = 0; l < 32; ++l) y[j + l] = d * sc1 * (q[l] & 0x0F) - dmin * m1;
    for (int l = 0; l < 32; ++l) y[j + 32 + l] = d * sc2 * (q[l] >> 4) - dmin * m2;
  }
}

void decode_q5_k(const uint8_t* b, double* y) {
  const double d = half(b), dmin = half(b + 2);
  const uint8_t* qh = b + 16;
  const uint8_t* ql = b + 48;
  int u1 = 1, u2 = 2;
  for (int j = 0, is = 0; j < 256; j += 64, is += 2, ql += 32, u1 <<= 2, u2 <<= 2) {
    int sc1, m1, sc2, m2;
    scale_min(b + 4, is, &sc1, &m1);
    scale_min(b + 4, is + 1, &sc2, &m2);
    for (int l = 0; l < 32; ++l) y[j + l] = d * sc1 * ((ql[l] & 0x0F) + ((qh[l] & u1) ? 16 : 0)) - dmin * m1;
    for (int l = 0; l < 32; ++l) y[j + 32 + l] = d * sc2 * ((ql[l] >> 4) + ((qh[l] & u2) ? 16 : 0)) - dmin * m2;
  }
}

void decode_q6_k(const uint8_t* b, double* y) {
  const uint8_t* ql = b;
  const uint8_t* qh = b + 128;
  const auto* sc = reinterpret_cast<const int8_t*>(b + 192);
  const double d = half(b + 208);
  for (int n = 0; n < 256; n += 128, ql += 64, qh += 32, sc += 8) {
    for (int l = 0; l < 32; ++l) {
      const int is = l / 16;
      const int q1 = ((ql[l] & 0x0F) | (((qh[l] >> 0) & 3) << 4)) - 32;
      const int q2 = ((ql[l + 32] & 0x0F) | (((qh[l] >> 2) & 3) << 4)) - 32;
      const int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
      const int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
      y[n + l] = d * sc[is] * q1;
      y[n + l + 32] = d * sc[is + 2] * q2;
      y[n + l + 64] = d * sc[is + 4] * q3;
      y[n + l + 96] = d * sc[is + 6] * q4;
    }
  }
}

void decode_bf16(const uint8_t* b, double* y) {
  const uint32_t bits = (static_cast<uint32_t>(b[0]) | (static_cast<uint32_t>(b[1]) << 8)) << 16;
  float value;
  std::memcpy(&value, &bits, 4);
  *y = value;
}

std::vector<double> decode_row(WeightType type, const uint8_t* row, int cols) {
  std::vector<double> out(static_cast<size_t>(cols));
  const int per = block_values(type);
  const size_t bytes = row_bytes(type, static_cast<size_t>(per));
  for (int b = 0; b < cols / per; ++b) {
    const uint8_t* block = row + static_cast<size_t>(b) * bytes;
    double* y = out.data() + static_cast<size_t>(b) * per;
    switch (type) {
      case WeightType::kQ4_0: decode_q4_0(block, y); break;
      case WeightType::kQ4_1: decode_q4_1(block, y); break;
      case WeightType::kQ5_0: decode_q5_0(block, y); break;
      case WeightType::kQ4_K: decode_q4_k(block, y); break;
      case WeightType::kQ5_K: decode_q5_k(block, y); break;
      case WeightType::kQ6_K: decode_q6_k(block, y); break;
      case WeightType::kBF16: decode_bf16(block, y); break;
      default: ADD_FAILURE() << "not a block type";
    }
  }
  return out;
}

// The f16 fields of each block (byte offsets), which random bytes must keep
// finite.
std::vector<size_t> half_fields(WeightType type) {
  switch (type) {
    case WeightType::kQ4_0:
    case WeightType::kQ5_0: return {0};
    case WeightType::kQ4_1:
    case WeightType::kQ4_K:
    case WeightType::kQ5_K: return {0, 2};
    case WeightType::kQ6_K: return {208};
    default: return {};
  }
}

void put_half(uint8_t* p, float value) {
  const uint16_t bits = f32_to_f16(value);
  std::memcpy(p, &bits, 2);
}

TEST(BlockFormats, NamesParseInEitherCaseAndRowsHaveGgmlSizes) {
  for (WeightType type : kBlockTypes) {
    const std::string name(weight_type_name(type));
    EXPECT_EQ(parse_weight_type(name), type) << name;
    std::string upper = name;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_EQ(parse_weight_type(upper), type) << upper;
  }
  EXPECT_EQ(parse_weight_type("Q4_K_M"), std::nullopt);
  EXPECT_EQ(row_bytes(WeightType::kQ4_0, 64), 36u);
  EXPECT_EQ(row_bytes(WeightType::kQ4_1, 64), 40u);
  EXPECT_EQ(row_bytes(WeightType::kQ5_0, 64), 44u);
  EXPECT_EQ(row_bytes(WeightType::kQ4_K, 512), 288u);
  EXPECT_EQ(row_bytes(WeightType::kQ5_K, 512), 352u);
  EXPECT_EQ(row_bytes(WeightType::kQ6_K, 512), 420u);
  EXPECT_EQ(row_bytes(WeightType::kBF16, 3), 6u);
  EXPECT_EQ(block_values(WeightType::kQ6_K), 256);
  EXPECT_EQ(block_values(WeightType::kQ5_0), 32);
}

// Random bytes with chosen scale fields: every bit pattern of the quants and
// packed scales, and the scale edge cases (zero, the largest f16, tiny,
// negative mins and d).
TEST(BlockFormats, DequantizationMatchesTheLayoutDecoders) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255);
  const std::vector<float> scale_cases = {0.0f, 1.0f, -0.5f, 65504.0f, -65504.0f, 6.1e-5f, 3e-7f, 0.013f};
  for (WeightType type : kBlockTypes) {
    SCOPED_TRACE(std::string(weight_type_name(type)));
    const int cols = 512;
    std::vector<uint8_t> row(row_bytes(type, cols));
    const size_t block = row_bytes(type, static_cast<size_t>(block_values(type)));
    for (int trial = 0; trial < 40; ++trial) {
      for (uint8_t& b : row) b = static_cast<uint8_t>(byte(rng));
      for (size_t start = 0; start + block <= row.size() && type != WeightType::kBF16; start += block) {
        for (size_t field : half_fields(type)) {
          put_half(&row[start + field], scale_cases[static_cast<size_t>(byte(rng)) % scale_cases.size()]);
        }
      }
      if (type == WeightType::kBF16) {
        for (size_t i = 1; i < row.size(); i += 2) {  // exponents below all-ones: finite values
          if ((row[i] & 0x7F) == 0x7F) row[i] = static_cast<uint8_t>(row[i] - 1);
        }
      }
      if (trial == 0) std::fill(row.begin(), row.end(), 0);  // an all-zero row decodes to zeros
      std::vector<float> got(cols);
      dequantize_row(type, row.data(), cols, got.data());
      const auto want = decode_row(type, row.data(), cols);
      for (int i = 0; i < cols; ++i) {
        // One float rounding of a product of a few exact terms.
        ASSERT_NEAR(got[i], want[i], 2e-6 * std::fabs(want[i]) + 1e-30) << "trial " << trial << " value " << i;
      }
    }
  }
}

// Largest error of quantize -> dequantize, as a fraction of the largest
// magnitude of the block (of the 256-value block for the K-quants): half a
// step of the format's levels, with room for the f16 scales and, for the
// K-quants, the 6-bit sub-block scales and mins.
double allowed_error(WeightType type) {
  switch (type) {
    // The extreme value goes to level -8 (-16), as llama.cpp's quantizer
    // puts it; the opposite side has no level +8 (+16), so a value there as
    // large as the extreme is a whole step off.
    case WeightType::kQ4_0: return 1.0 / 8 * 1.01;
    case WeightType::kQ4_1: return 0.5 * 2 / 15 * 1.01;  // 16 levels over [min, max]
    case WeightType::kQ5_0: return 1.0 / 16 * 1.01;
    case WeightType::kQ4_K: return 0.5 * 2 / 15 + 2.0 / 63;  // plus a rounded-up scale, a rounded min
    case WeightType::kQ5_K: return 0.5 * 2 / 31 + 2.0 / 63;
    case WeightType::kQ6_K: return 0.5 / 31 * 1.2 + 1.0 / 127;
    case WeightType::kBF16: return 1.0 / 256;
    default: return 0;
  }
}

TEST(BlockFormats, QuantizedRowsReproduceTheirValues) {
  std::mt19937 rng(3);
  const int cols = 1024;
  std::vector<std::vector<float>> rows;
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> r(cols);
  for (float& v : r) v = uniform(rng);
  rows.push_back(r);
  for (int i = 0; i < cols; ++i) r[static_cast<size_t>(i)] = normal(rng) * std::pow(10.0f, static_cast<float>(i / 256 - 2));
  rows.push_back(r);
  for (float& v : r) v = 0.25f + 0.5f * uniform(rng);  // all positive: a K-quant min of 0
  rows.push_back(r);
  for (float& v : r) v = -3.0f - uniform(rng);  // all negative
  rows.push_back(r);
  std::fill(r.begin(), r.end(), 0.75f);  // all equal
  rows.push_back(r);
  std::fill(r.begin(), r.end(), 0.0f);  // all zero
  rows.push_back(r);
  for (WeightType type : kBlockTypes) {
    SCOPED_TRACE(std::string(weight_type_name(type)));
    const int per = type == WeightType::kBF16 ? 1 : block_values(type);
    for (size_t which = 0; which < rows.size(); ++which) {
      const std::vector<float>& values = rows[which];
      std::vector<uint8_t> bytes(row_bytes(type, cols));
      quantize_row(type, values.data(), cols, bytes.data());
      std::vector<float> back(cols);
      dequantize_row(type, bytes.data(), cols, back.data());
      for (int b = 0; b < cols / per; ++b) {
        double amax = 0;
        for (int i = 0; i < per; ++i) amax = std::max(amax, std::fabs(static_cast<double>(values[b * per + i])));
        for (int i = 0; i < per; ++i) {
          const int at = b * per + i;
          ASSERT_NEAR(back[at], values[at], allowed_error(type) * amax + 1e-7 * amax)
              << "row " << which << " value " << at;
        }
      }
      if (which == 5) {
        for (float v : back) ASSERT_EQ(v, 0.0f);
      }
    }
  }
}

TEST(BlockFormats, Bf16RoundsToNearestEvenAndKeepsNan) {
  EXPECT_EQ(f32_to_bf16(1.0f), 0x3f80);
  uint32_t bits = 0x3f808000;  // halfway between 0x3f80 and 0x3f81: to even
  float value;
  std::memcpy(&value, &bits, 4);
  EXPECT_EQ(f32_to_bf16(value), 0x3f80);
  bits = 0x3f818000;  // halfway, odd below: up
  std::memcpy(&value, &bits, 4);
  EXPECT_EQ(f32_to_bf16(value), 0x3f82);
  EXPECT_TRUE(std::isnan(bf16_to_f32(f32_to_bf16(std::nanf("")))));
  EXPECT_EQ(bf16_to_f32(0xc040), -3.0f);
}

TEST(BlockFormats, Q8KActivationsCarryTheirSixteenValueSums) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> value(-2.0f, 2.0f);
  std::vector<float> x(512);
  for (float& v : x) v = value(rng);
  x[300] = std::nanf("");
  std::vector<int8_t> q(512);
  std::vector<float> scale(2);
  std::vector<int16_t> sums(32);
  quantize_activations_q8k(x.data(), x.size(), q.data(), scale.data(), sums.data());
  EXPECT_EQ(q[300], 0);
  for (int g = 0; g < 32; ++g) {
    int sum = 0;
    for (int i = 0; i < 16; ++i) sum += q[static_cast<size_t>(16 * g + i)];
    EXPECT_EQ(sums[static_cast<size_t>(g)], sum);
  }
  for (size_t i = 0; i < x.size(); ++i) {
    if (i == 300) continue;
    ASSERT_NEAR(q[i] * scale[i / 256], x[i], 0.5 * scale[i / 256] * 1.0001) << i;
  }
}

// --- matrix products ---------------------------------------------------

class BlockProducts : public ::testing::TestWithParam<const Kernels*> {};

// Every set against sum(w * x) in double over the dequantized weights and
// the unquantized input. The input is quantized to 8 bits (steps of
// amax / 127 over its 32- or 256-value block), so each value may move by
// half a step: the product may differ by up to sum |w_i| * amax_i / 254,
// plus float rounding in the sums (1e-5 of sum |w_i x_i|).
TEST_P(BlockProducts, MatchDoublePrecisionWithinTheInputQuantization) {
  const Kernels& set = *GetParam();
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  struct Case {
    int rows, cols, tokens;
  };
  const std::vector<Case> cases = {{13, 256, 1}, {8, 768, 1}, {7, 1024, 3}, {33, 512, 9}, {5, 2816, 2}};
  for (WeightType type : kBlockTypes) {
    for (const Case& c : cases) {
      SCOPED_TRACE(std::string(weight_type_name(type)) + " " + std::to_string(c.rows) + "x" +
                   std::to_string(c.cols) + " tokens " + std::to_string(c.tokens));
      const size_t stride = row_bytes(type, static_cast<size_t>(c.cols));
      std::vector<uint8_t> bytes(stride * c.rows);
      std::vector<float> row(static_cast<size_t>(c.cols));
      for (int r = 0; r < c.rows; ++r) {
        for (float& v : row) v = value(rng) + (r % 3 == 0 ? 0.5f : 0.0f);  // some rows offset: K-quant mins
        quantize_row(type, row.data(), c.cols, bytes.data() + stride * r);
      }
      const Matrix w{type, bytes.data(), c.rows, c.cols};
      const size_t n = static_cast<size_t>(c.cols) * c.tokens;
      std::vector<float> input(n);
      for (float& v : input) v = value(rng) * (value(rng) > 0.8f ? 8.0f : 1.0f);
      std::vector<int8_t> q8(n), q8k(n);
      std::vector<float> q8_scale(n / 32), q8k_scale(n / 256);
      std::vector<int16_t> q8k_sums(n / 16);
      Activations x{input.data(), nullptr, nullptr, c.tokens, c.cols};
      const ActivationForm form = activation_form(type);
      const int group = form == ActivationForm::kQ8K ? 256 : 32;
      for (int t = 0; t < c.tokens; ++t) {
        const size_t at = static_cast<size_t>(t) * c.cols;
        if (form == ActivationForm::kQ8) set.quantize_q8(&input[at], c.cols, &q8[at], &q8_scale[at / 32]);
        if (form == ActivationForm::kQ8K) {
          quantize_activations_q8k(&input[at], c.cols, &q8k[at], &q8k_scale[at / 256], &q8k_sums[at / 16]);
        }
      }
      if (form == ActivationForm::kQ8) {
        x.q8 = q8.data();
        x.q8_scale = q8_scale.data();
      } else if (form == ActivationForm::kQ8K) {
        x.q8k = q8k.data();
        x.q8k_scale = q8k_scale.data();
        x.q8k_sums = q8k_sums.data();
      }
      std::vector<float> got(static_cast<size_t>(c.rows) * c.tokens, -999.0f);
      const int split = c.rows / 2;
      set.matmul(w, 0, split, x, got.data(), c.rows);
      set.matmul(w, split, c.rows, x, got.data(), c.rows);
      // A set that packs prompts multiplies a packed prompt over any type,
      // from the f32 input (no quantization).
      std::vector<float> packed_got;
      if (set.pack_tokens != nullptr && c.tokens > 1) {
        AlignedVector<float> packed(packed_floats(c.tokens, c.cols));
        for (int g = 0; g < packed_groups(c.tokens); ++g) {
          set.pack_tokens(input.data(), c.cols, c.tokens, c.cols, g, packed.data());
        }
        Activations packed_input{input.data(), nullptr, nullptr, c.tokens, c.cols};
        packed_input.packed = packed.data();
        packed_got.assign(got.size(), -999.0f);
        set.matmul(w, 0, split, packed_input, packed_got.data(), c.rows);
        set.matmul(w, split, c.rows, packed_input, packed_got.data(), c.rows);
      }
      for (int r = 0; r < c.rows; ++r) {
        const auto weights = decode_row(type, w.row(r), c.cols);
        for (int t = 0; t < c.tokens; ++t) {
          const float* in = &input[static_cast<size_t>(t) * c.cols];
          double want = 0, magnitude = 0, quantization = 0;
          for (int k = 0; k < c.cols; ++k) {
            want += weights[k] * in[k];
            magnitude += std::fabs(weights[k] * in[k]);
          }
          if (form != ActivationForm::kF32) {
            for (int g = 0; g < c.cols / group; ++g) {
              double amax = 0, weight_sum = 0;
              for (int k = g * group; k < (g + 1) * group; ++k) {
                amax = std::max(amax, std::fabs(static_cast<double>(in[k])));
                weight_sum += std::fabs(weights[k]);
              }
              quantization += weight_sum * amax / 254;
            }
          }
          ASSERT_NEAR(got[static_cast<size_t>(t) * c.rows + r], want, quantization * 1.001 + 1e-5 * magnitude + 1e-6)
              << "row " << r << " token " << t;
          if (!packed_got.empty()) {
            ASSERT_NEAR(packed_got[static_cast<size_t>(t) * c.rows + r], want, 1e-5 * magnitude + 1e-6)
                << "packed, row " << r << " token " << t;
          }
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Available, BlockProducts, ::testing::ValuesIn(available_kernels()),
                         [](const auto& test) { return std::string(test.param->name); });

}  // namespace
}  // namespace tune::bench
