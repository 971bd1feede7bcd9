#include "bench/weight_type.h"

#include "bench/bench_test_util.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace tune::bench {
namespace {

TEST(WeightType, EveryHalfSurvivesARoundTrip) {
  for (uint32_t bits = 0; bits <= 0xffff; ++bits) {
    const auto half = static_cast<uint16_t>(bits);
    const float value = f16_to_f32(half);
    if (std::isnan(value)) {
      EXPECT_TRUE(std::isnan(f16_to_f32(f32_to_f16(value))));
      continue;
    }
    ASSERT_EQ(f32_to_f16(value), half) << "half 0x" << std::hex << bits;
  }
}

TEST(WeightType, HalfConversionRoundsToNearestEven) {
  EXPECT_EQ(f32_to_f16(1.0f), 0x3c00);
  EXPECT_EQ(f32_to_f16(65504.0f), 0x7bff);
  EXPECT_EQ(f32_to_f16(65520.0f), 0x7c00);  // rounds past the largest half: infinity
  EXPECT_EQ(f32_to_f16(1.0f + 1.0f / 2048), 0x3c00);   // halfway, to even
  EXPECT_EQ(f32_to_f16(1.0f + 3.0f / 2048), 0x3c02);   // halfway, to even (up)
  EXPECT_EQ(f32_to_f16(std::ldexp(1.0f, -24)), 0x0001);  // the smallest subnormal
  EXPECT_EQ(f32_to_f16(std::ldexp(1.0f, -26)), 0x0000);
  EXPECT_EQ(f32_to_f16(-2.0f), 0xc000);
}

TEST(WeightType, Q8RowsReproduceTheirValuesWithinHalfAStep) {
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> value(-3.0f, 3.0f);
  std::vector<float> row(96), back(96);
  for (float& v : row) v = value(rng);
  row[40] = 0;
  std::vector<uint8_t> bytes(row_bytes(WeightType::kQ8_0, row.size()));
  ASSERT_EQ(bytes.size(), 3u * 34);
  quantize_row(WeightType::kQ8_0, row.data(), row.size(), bytes.data());
  dequantize_row(WeightType::kQ8_0, bytes.data(), row.size(), back.data());
  for (size_t block = 0; block < 3; ++block) {
    float amax = 0;
    for (size_t i = 0; i < 32; ++i) amax = std::max(amax, std::fabs(row[block * 32 + i]));
    const float step = amax / 127.0f;
    for (size_t i = 0; i < 32; ++i) {
      EXPECT_NEAR(back[block * 32 + i], row[block * 32 + i], 0.5f * step * 1.01f + 1e-6f);
    }
  }
  EXPECT_EQ(back[40], 0.0f);
}

TEST(WeightType, AllZeroBlocksStayZero) {
  std::vector<float> zeros(32, 0.0f), back(32, 1.0f);
  std::vector<int8_t> q(32);
  float scale = -1;
  quantize_activations_q8(zeros.data(), 32, q.data(), &scale);
  EXPECT_EQ(scale, 0.0f);
  for (int8_t v : q) EXPECT_EQ(v, 0);
}

// The quantizer's definition written the plain way: std::nearbyint.
int8_t plain_int8(float v) {
  if (std::isnan(v)) return 0;
  return static_cast<int8_t>(std::clamp(std::nearbyint(v), -127.0f, 127.0f));
}

TEST(WeightType, ActivationsQuantizeLikeNearbyintBitForBit) {
  const std::vector<float> values = testing::awkward_q8_blocks();
  std::vector<int8_t> q(values.size());
  std::vector<float> scales(values.size() / 32);
  quantize_activations_q8(values.data(), values.size(), q.data(), scales.data());
  for (size_t block = 0; block < scales.size(); ++block) {
    float amax = 0;
    for (int i = 0; i < 32; ++i) amax = std::max(amax, std::fabs(values[block * 32 + i]));
    const float scale = amax / 127.0f;
    ASSERT_EQ(scales[block], scale) << "block " << block;
    const float inverse = scale > 0 ? 1.0f / scale : 0.0f;
    for (int i = 0; i < 32; ++i) {
      const size_t at = block * 32 + i;
      ASSERT_EQ(q[at], plain_int8(values[at] * inverse)) << "value " << values[at] << " in block " << block;
    }
  }
  // Ties go to the even neighbour.
  EXPECT_EQ(q[1], 0);
  EXPECT_EQ(q[3], 2);
  EXPECT_EQ(q[5], 2);
  EXPECT_EQ(q[6], -2);
  EXPECT_EQ(q[7], 126);
}

TEST(WeightType, NamesParseBack) {
  for (WeightType type : {WeightType::kF32, WeightType::kF16, WeightType::kQ8_0}) {
    EXPECT_EQ(parse_weight_type(weight_type_name(type)), type);
  }
  EXPECT_FALSE(parse_weight_type("q2_k"));
  EXPECT_FALSE(parse_weight_type("q4_k_m"));  // a file's mix, not a type
}

}  // namespace
}  // namespace tune::bench

namespace tune::bench {
namespace {

TEST(WeightType, NaNActivationsQuantizeToZeroNotToUndefinedBehaviour) {
  std::vector<float> values(32, 1.0f);
  values[3] = std::nanf("");
  std::vector<int8_t> q(32);
  float scale = 0;
  quantize_activations_q8(values.data(), 32, q.data(), &scale);
  EXPECT_EQ(q[3], 0);
  EXPECT_EQ(q[0], 127);
}

}  // namespace
}  // namespace tune::bench
