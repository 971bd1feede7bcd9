#include "bench/huge_page_buffer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <utility>

namespace tune::bench {
namespace {

TEST(HugePageBuffer, StartsZeroedAndHoldsWhatIsWritten) {
  const size_t count = (size_t{3} << 20) / sizeof(float) + 7;  // over one huge page, not a multiple
  HugePageBuffer buffer(count * sizeof(float));
  ASSERT_EQ(buffer.bytes(), count * sizeof(float));
  float* values = buffer.as<float>();
  for (size_t i = 0; i < count; i += 4099) EXPECT_EQ(values[i], 0.0f) << "at " << i;
  EXPECT_EQ(values[count - 1], 0.0f);
  for (size_t i = 0; i < count; ++i) values[i] = static_cast<float>(i % 1000);
  for (size_t i = 0; i < count; i += 997) ASSERT_EQ(values[i], static_cast<float>(i % 1000));
  EXPECT_EQ(values[count - 1], static_cast<float>((count - 1) % 1000));
}

TEST(HugePageBuffer, StartsOnAHugePageBoundary) {
  HugePageBuffer buffer(1000);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(buffer.as<uint16_t>()) % (uintptr_t{2} << 20), 0u);
}

TEST(HugePageBuffer, MovesOwnershipAndEmptiesTheSource) {
  HugePageBuffer first(4096 * sizeof(float));
  first.as<float>()[10] = 2.5f;
  float* memory = first.as<float>();
  HugePageBuffer second(std::move(first));
  EXPECT_EQ(second.as<float>(), memory);
  EXPECT_EQ(second.as<float>()[10], 2.5f);
  EXPECT_EQ(first.as<float>(), nullptr);  // NOLINT(bugprone-use-after-move): the moved-from state is the point
  EXPECT_EQ(first.bytes(), 0u);

  HugePageBuffer third(16);
  third = std::move(second);
  EXPECT_EQ(third.as<float>(), memory);
  EXPECT_EQ(third.bytes(), 4096 * sizeof(float));
  EXPECT_EQ(second.bytes(), 0u);  // NOLINT(bugprone-use-after-move)
}

TEST(HugePageBuffer, EmptyBufferHasNoMemory) {
  HugePageBuffer buffer(0);
  EXPECT_EQ(buffer.bytes(), 0u);
  EXPECT_EQ(buffer.as<float>(), nullptr);
}

}  // namespace
}  // namespace tune::bench
