// Each kernel set this CPU runs against a double-precision product, on
// shapes that leave remainders everywhere: odd row counts, widths that are
// not a multiple of any vector width, 1 to 9 tokens.
#include "bench/kernels.h"

#include "bench/aligned_vector.h"
#include "bench/bench_test_util.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

namespace tune::bench {
namespace {

struct Case {
  WeightType type;
  int rows;
  int cols;
  int tokens;
};

std::vector<uint8_t> random_matrix(WeightType type, int rows, int cols, std::mt19937& rng) {
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  std::vector<float> row(static_cast<size_t>(cols));
  std::vector<uint8_t> bytes(row_bytes(type, cols) * rows);
  for (int r = 0; r < rows; ++r) {
    for (float& v : row) v = value(rng);
    quantize_row(type, row.data(), cols, bytes.data() + r * row_bytes(type, cols));
  }
  return bytes;
}

// y = W x in double from the stored weights and the quantized input where
// there is one (q8_0 decoding), else the f32 input.
std::vector<double> reference(const Matrix& w, const Activations& x) {
  std::vector<double> y(static_cast<size_t>(w.rows) * x.count);
  std::vector<float> row(static_cast<size_t>(w.cols));
  for (int r = 0; r < w.rows; ++r) {
    dequantize_row(w.type, w.row(r), row.size(), row.data());
    for (int t = 0; t < x.count; ++t) {
      double sum = 0;
      for (int k = 0; k < w.cols; ++k) {
        const double in = x.q8 != nullptr
                              ? static_cast<double>(x.q8[t * w.cols + k]) * x.q8_scale[t * (w.cols / 32) + k / 32]
                              : x.f32[t * w.cols + k];
        sum += static_cast<double>(row[k]) * in;
      }
      y[static_cast<size_t>(t) * w.rows + r] = sum;
    }
  }
  return y;
}

class KernelSets : public ::testing::TestWithParam<const Kernels*> {};

TEST_P(KernelSets, MatrixProductsMatchDoublePrecision) {
  const Kernels& set = *GetParam();
  std::mt19937 rng(42);
  const std::vector<Case> cases = {
      {WeightType::kF32, 13, 70, 1}, {WeightType::kF32, 16, 64, 5}, {WeightType::kF32, 9, 33, 9},
      {WeightType::kF16, 13, 70, 1}, {WeightType::kF16, 7, 48, 4},  {WeightType::kF16, 21, 130, 7},
      {WeightType::kQ8_0, 13, 64, 1}, {WeightType::kQ8_0, 6, 96, 3}, {WeightType::kQ8_0, 19, 32, 9},
      // Decode rows of four blocks and more, with and without blocks left over.
      {WeightType::kQ8_0, 5, 256, 1}, {WeightType::kQ8_0, 7, 224, 1},
      // Prefill blocking: rows wide enough to go in several column chunks
      // (a tail of columns past the last whole vector in the float ones),
      // more rows than one weight block holds, and token counts that leave
      // a narrower tile at the end for every set's tile width.
      {WeightType::kF32, 70, 2600, 13}, {WeightType::kF16, 37, 2600, 8},
      {WeightType::kQ8_0, 9, 10272, 7}, {WeightType::kQ8_0, 70, 1024, 13},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(weight_type_name(c.type)) + " " + std::to_string(c.rows) + "x" +
                 std::to_string(c.cols) + " tokens " + std::to_string(c.tokens));
    const auto bytes = random_matrix(c.type, c.rows, c.cols, rng);
    const Matrix w{c.type, bytes.data(), c.rows, c.cols};
    std::uniform_real_distribution<float> value(-1.0f, 1.0f);
    std::vector<float> input(static_cast<size_t>(c.cols) * c.tokens);
    for (float& v : input) v = value(rng);
    std::vector<int8_t> q(input.size());
    std::vector<float> scales(input.size() / 32 + 1);
    Activations x{input.data(), nullptr, nullptr, c.tokens, c.cols};
    if (c.type == WeightType::kQ8_0) {
      for (int t = 0; t < c.tokens; ++t) {
        quantize_activations_q8(&input[t * c.cols], c.cols, &q[t * c.cols], &scales[t * (c.cols / 32)]);
      }
      x.q8 = q.data();
      x.q8_scale = scales.data();
    }
    const auto want = reference(w, x);
    // Rows in two ranges, as two workers would split them.
    std::vector<float> got(want.size(), -999.0f);
    const int split = c.rows / 2 / 4 * 4;
    set.matmul(w, 0, split, x, got.data(), c.rows);
    set.matmul(w, split, c.rows, x, got.data(), c.rows);
    for (size_t i = 0; i < want.size(); ++i) {
      ASSERT_NEAR(got[i], want[i], 1e-4 * c.cols) << "at " << i;
    }
  }
}

// The sets this CPU runs that pack a prompt (AVX-512 of those here).
std::vector<const Kernels*> packing_sets() {
  std::vector<const Kernels*> sets;
  for (const Kernels* set : available_kernels()) {
    if (set->pack_tokens != nullptr) sets.push_back(set);
  }
  return sets;
}

TEST(PackedPrompt, PackTokensLaysEachGroupOutColumnByColumn) {
  if (packing_sets().empty()) GTEST_SKIP() << "no kernel set this CPU runs packs prompts";
  for (const Kernels* set_pointer : packing_sets()) {
    const Kernels& set = *set_pointer;
    SCOPED_TRACE(set.name);
    const int count = 45, cols = 19;
    std::vector<float> x(static_cast<size_t>(count) * cols);
    for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i) + 0.5f;
    AlignedVector<float> packed(packed_floats(count, cols), -1.0f);
    for (int g = 0; g < packed_groups(count); ++g) set.pack_tokens(x.data(), cols, count, cols, g, packed.data());
    for (int g = 0; g < packed_groups(count); ++g) {
      for (int k = 0; k < cols; ++k) {
        for (int lane = 0; lane < kPackedGroup; ++lane) {
          const int t = g * kPackedGroup + lane;
          const float want = t < count ? x[static_cast<size_t>(t) * cols + k] : 0.0f;
          ASSERT_EQ(packed[(static_cast<size_t>(g) * cols + k) * kPackedGroup + lane], want)
              << "group " << g << " column " << k << " lane " << lane;
        }
      }
    }
  }
}

// The packed products against double precision, for every weight type:
// row counts that leave a narrower tile at the end, token counts that end
// in a part of a group (and in a part of a vector), and rows wide enough
// that the columns go in several chunks (70 tokens over 2784 and more
// columns is over a chunk's 1 MiB of packed input). Each output must also
// come out bit for bit the same however the rows are split.
TEST(PackedPrompt, ProductsMatchDoublePrecisionAndNeverDependOnTheSplit) {
  if (packing_sets().empty()) GTEST_SKIP() << "no kernel set this CPU runs packs prompts";
  for (const Kernels* set_pointer : packing_sets()) {
    const Kernels& set = *set_pointer;
    std::mt19937 rng(7);
    const std::vector<Case> cases = {
        {WeightType::kF32, 13, 70, 16},  {WeightType::kF32, 25, 33, 17},  {WeightType::kF32, 12, 2790, 70},
        {WeightType::kF16, 12, 48, 32},  {WeightType::kF16, 37, 130, 33}, {WeightType::kF16, 7, 2800, 70},
        {WeightType::kQ8_0, 11, 64, 40}, {WeightType::kQ8_0, 24, 96, 64}, {WeightType::kQ8_0, 5, 2784, 70},
    };
    for (const Case& c : cases) {
      SCOPED_TRACE(std::string(set.name) + " " + std::string(weight_type_name(c.type)) + " " + std::to_string(c.rows) +
                   "x" + std::to_string(c.cols) + " tokens " + std::to_string(c.tokens));
      const auto bytes = random_matrix(c.type, c.rows, c.cols, rng);
      const Matrix w{c.type, bytes.data(), c.rows, c.cols};
      std::uniform_real_distribution<float> value(-1.0f, 1.0f);
      std::vector<float> input(static_cast<size_t>(c.cols) * c.tokens);
      for (float& v : input) v = value(rng);
      AlignedVector<float> packed(packed_floats(c.tokens, c.cols));
      for (int g = 0; g < packed_groups(c.tokens); ++g)
        set.pack_tokens(input.data(), c.cols, c.tokens, c.cols, g, packed.data());
      Activations x{input.data(), nullptr, nullptr, c.tokens, c.cols};
      x.packed = packed.data();
      const auto want = reference(w, x);
      std::vector<float> whole(want.size(), -999.0f), split(want.size(), -999.0f);
      set.matmul(w, 0, c.rows, x, whole.data(), c.rows);
      const int at = c.rows / 3;
      set.matmul(w, 0, at, x, split.data(), c.rows);
      set.matmul(w, at, c.rows, x, split.data(), c.rows);
      for (size_t i = 0; i < want.size(); ++i) {
        ASSERT_NEAR(whole[i], want[i], 1e-4 * c.cols) << "at " << i;
        ASSERT_EQ(split[i], whole[i]) << "at " << i;
      }
    }
  }
}

TEST_P(KernelSets, AttentionLoopsMatchDoublePrecision) {
  std::mt19937 rng(9);
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  // Widths that take every block size of the one-pass sum (8, 4, 2, 1 vectors)
  // and a scalar tail, on every vector width.
  for (int width : {16, 48, 64, 70, 200}) {
    const int count = 13;
    const size_t stride = static_cast<size_t>(width) + 6;  // rows of a wider cache
    std::vector<float> query(static_cast<size_t>(width)), cache(stride * count), weights(count);
    for (float& v : query) v = value(rng);
    for (float& v : cache) v = value(rng);
    for (float& v : weights) v = value(rng);
    std::vector<float> scores(count), out(static_cast<size_t>(width));
    GetParam()->attention_scores(query.data(), cache.data(), stride, count, width, 0.25f, scores.data());
    GetParam()->attention_sum(weights.data(), cache.data(), stride, count, width, out.data());
    for (int p = 0; p < count; ++p) {
      double want = 0;
      for (int i = 0; i < width; ++i) want += static_cast<double>(query[i]) * cache[p * stride + i];
      EXPECT_NEAR(scores[p], 0.25 * want, 1e-5) << "width " << width << " position " << p;
    }
    for (int i = 0; i < width; ++i) {
      double want = 0;
      for (int p = 0; p < count; ++p) want += static_cast<double>(weights[p]) * cache[p * stride + i];
      EXPECT_NEAR(out[i], want, 1e-5) << "width " << width << " column " << i;
    }
  }
}

TEST_P(KernelSets, F16CacheAttentionMatchesDoublePrecisionOfTheStoredValues) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  for (int width : {16, 48, 64, 70, 200}) {
    const int count = 13;
    const size_t stride = static_cast<size_t>(width) + 6;
    std::vector<float> query(static_cast<size_t>(width)), weights(count);
    std::vector<uint16_t> cache(stride * count);
    for (float& v : query) v = value(rng);
    for (uint16_t& v : cache) v = f32_to_f16(value(rng));
    for (float& v : weights) v = value(rng);
    std::vector<float> scores(count), out(static_cast<size_t>(width));
    GetParam()->attention_scores_f16(query.data(), cache.data(), stride, count, width, 0.25f, scores.data());
    GetParam()->attention_sum_f16(weights.data(), cache.data(), stride, count, width, out.data());
    // The reference reads the same f16 values: only float rounding differs.
    for (int p = 0; p < count; ++p) {
      double want = 0;
      for (int i = 0; i < width; ++i) want += static_cast<double>(query[i]) * f16_to_f32(cache[p * stride + i]);
      EXPECT_NEAR(scores[p], 0.25 * want, 1e-5) << "width " << width << " position " << p;
    }
    for (int i = 0; i < width; ++i) {
      double want = 0;
      for (int p = 0; p < count; ++p) want += static_cast<double>(weights[p]) * f16_to_f32(cache[p * stride + i]);
      EXPECT_NEAR(out[i], want, 1e-5) << "width " << width << " column " << i;
    }
  }
}

TEST_P(KernelSets, ToF16RoundsLikeTheReferenceConversionBitForBit) {
  // Ties at the last f16 bit (both directions), subnormals, values past the
  // largest half, infinities, and lengths around every vector width.
  std::vector<float> values = {0.0f, -0.0f, 1.0f, -2.5f, 65504.0f, 65520.0f, 1e9f, -1e9f, 6.1e-5f, 3e-6f, 1e-8f,
                               1.0f + 1.0f / 2048, 1.0f + 3.0f / 2048, std::numeric_limits<float>::infinity(),
                               -std::numeric_limits<float>::infinity()};
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> value(-70000.0f, 70000.0f);
  while (values.size() < 203) values.push_back(value(rng) / static_cast<float>(1 << (values.size() % 24)));
  for (size_t n : {size_t{1}, size_t{7}, size_t{15}, size_t{16}, size_t{17}, size_t{33}, values.size()}) {
    std::vector<uint16_t> got(n, 0xffff);
    GetParam()->to_f16(values.data(), n, got.data());
    for (size_t i = 0; i < n; ++i) {
      ASSERT_EQ(got[i], f32_to_f16(values[i])) << "n " << n << " value " << values[i];
    }
  }
  std::vector<float> nan = {std::numeric_limits<float>::quiet_NaN()};
  uint16_t half = 0;
  GetParam()->to_f16(nan.data(), 1, &half);
  EXPECT_TRUE(std::isnan(f16_to_f32(half)));
}

TEST_P(KernelSets, FromF16WidensEveryHalfExactly) {
  // All 65536 halves (NaNs stay NaN), then lengths around every vector width.
  std::vector<uint16_t> halves(65536);
  for (size_t i = 0; i < halves.size(); ++i) halves[i] = static_cast<uint16_t>(i);
  std::vector<float> got(halves.size(), -1.0f);
  GetParam()->from_f16(halves.data(), halves.size(), got.data());
  for (size_t i = 0; i < halves.size(); ++i) {
    const float want = f16_to_f32(halves[i]);
    if (std::isnan(want)) {
      ASSERT_TRUE(std::isnan(got[i])) << "half " << i;
    } else {
      ASSERT_EQ(std::memcmp(&got[i], &want, sizeof want), 0) << "half " << i << ": " << got[i] << " vs " << want;
    }
  }
  for (size_t n : {size_t{1}, size_t{7}, size_t{15}, size_t{17}, size_t{33}}) {
    std::vector<float> part(n + 1, -1.0f);
    GetParam()->from_f16(halves.data() + 15360, n, part.data());  // 15360: 1.0 and up
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(part[i], f16_to_f32(halves[15360 + i])) << "n " << n;
    EXPECT_EQ(part[n], -1.0f) << "wrote past n = " << n;
  }
}

TEST_P(KernelSets, QuantizeQ8MatchesThePortableVersionBitForBit) {
  // Ties, NaN, infinities, overflowing inverses and zeros: see
  // weight_type_test.cpp, which holds the portable version to nearbyint.
  const std::vector<float> values = testing::awkward_q8_blocks();
  std::vector<int8_t> want(values.size()), got(values.size(), 99);
  std::vector<float> want_scales(values.size() / 32), got_scales(values.size() / 32, -1.0f);
  quantize_activations_q8(values.data(), values.size(), want.data(), want_scales.data());
  GetParam()->quantize_q8(values.data(), values.size(), got.data(), got_scales.data());
  for (size_t block = 0; block < want_scales.size(); ++block) {
    ASSERT_EQ(got_scales[block], want_scales[block]) << "block " << block;
    for (size_t at = block * 32; at < block * 32 + 32; ++at) {
      ASSERT_EQ(got[at], want[at]) << "value " << values[at] << " in block " << block;
    }
  }
}

TEST_P(KernelSets, ExponentialsMatchTheExactValueOverTheFloatRange) {
  const Kernels& set = *GetParam();
  std::vector<float> in;
  for (float x = -87.0f; x <= 88.0f; x += 0.0123f) in.push_back(x);
  std::vector<float> out(in.size());
  set.exponentials(in.data(), in.size(), out.data());
  for (size_t i = 0; i < in.size(); ++i) {
    const double want = std::exp(static_cast<double>(in[i]));
    ASSERT_NEAR(out[i] / want, 1.0, 3e-7) << "e^" << in[i];
  }
  // Every tail length the vector sets leave, computed in place.
  for (size_t n = 1; n <= 33; ++n) {
    std::vector<float> values(n);
    for (size_t i = 0; i < n; ++i) values[i] = 0.37f * static_cast<float>(i) - 5.0f;
    const std::vector<float> original = values;
    set.exponentials(values.data(), n, values.data());
    for (size_t i = 0; i < n; ++i) {
      ASSERT_NEAR(values[i] / std::exp(static_cast<double>(original[i])), 1.0, 3e-7) << "n " << n << " at " << i;
    }
  }
}

TEST_P(KernelSets, ExponentialsSaturateAndKeepNaN) {
  const Kernels& set = *GetParam();
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> in = {0.0f, -100.0f, -inf, 100.0f, inf, std::numeric_limits<float>::quiet_NaN()};
  std::vector<float> out(in.size());
  set.exponentials(in.data(), in.size(), out.data());
  EXPECT_EQ(out[0], 1.0f);
  for (int i : {1, 2}) {
    EXPECT_GE(out[i], 0.0f) << in[i];
    EXPECT_LT(out[i], std::ldexp(1.0f, -125)) << in[i];
  }
  for (int i : {3, 4}) EXPECT_GT(out[i], std::ldexp(1.0f, 127)) << in[i];
  EXPECT_TRUE(std::isnan(out[5]));
}

TEST_P(KernelSets, ReadStreamTouchesEveryByte) {
  std::vector<uint8_t> bytes(1000 + 37);
  uint64_t total = 0;
  for (size_t i = 0; i < bytes.size(); ++i) total += (bytes[i] = static_cast<uint8_t>(i * 7));
  // The checksum adds 64-bit words, so compare against a sum of the same words
  // by reading a buffer of ones: every byte then counts as 1 in its lane.
  std::vector<uint8_t> ones(bytes.size(), 0);
  ones[0] = 1;
  ones[bytes.size() - 1] = 1;
  EXPECT_NE(GetParam()->read_stream(ones.data(), ones.size()), 0u);
  std::vector<uint8_t> zeros(bytes.size(), 0);
  EXPECT_EQ(GetParam()->read_stream(zeros.data(), zeros.size()), 0u);
  (void)total;
}

TEST_P(KernelSets, FmaBurstCountsItsFlops) {
  float sink = 0;
  const double flops = GetParam()->fma_burst(1000, &sink);
  EXPECT_GT(flops, 1000.0 * 2);
  EXPECT_TRUE(std::isfinite(sink));
}

INSTANTIATE_TEST_SUITE_P(Available, KernelSets, ::testing::ValuesIn(available_kernels()),
                         [](const auto& test) { return std::string(test.param->name); });

TEST(KernelChoice, TheBestSetComesFirstAndScalarIsAlwaysThere) {
  const auto sets = available_kernels();
  ASSERT_FALSE(sets.empty());
  EXPECT_STREQ(sets.back()->name, "scalar");
  EXPECT_EQ(&kernels(), sets.front());
}

}  // namespace
}  // namespace tune::bench
