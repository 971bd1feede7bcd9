#include "bench/huge_page_array.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <utility>

namespace tune::bench {
namespace {

TEST(HugePageArray, StartsZeroedAndHoldsWhatIsWritten) {
  const size_t count = (size_t{3} << 20) / sizeof(float) + 7;  // over one huge page, not a multiple
  HugePageArray array(count);
  ASSERT_EQ(array.size(), count);
  for (size_t i = 0; i < count; i += 4099) EXPECT_EQ(array[i], 0.0f) << "at " << i;
  EXPECT_EQ(array[count - 1], 0.0f);
  for (size_t i = 0; i < count; ++i) array[i] = static_cast<float>(i % 1000);
  for (size_t i = 0; i < count; i += 997) ASSERT_EQ(array[i], static_cast<float>(i % 1000));
  EXPECT_EQ(array[count - 1], static_cast<float>((count - 1) % 1000));
}

TEST(HugePageArray, StartsOnAHugePageBoundary) {
  HugePageArray array(1000);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(array.data()) % (uintptr_t{2} << 20), 0u);
}

TEST(HugePageArray, MovesOwnershipAndEmptiesTheSource) {
  HugePageArray first(4096);
  first[10] = 2.5f;
  float* memory = first.data();
  HugePageArray second(std::move(first));
  EXPECT_EQ(second.data(), memory);
  EXPECT_EQ(second[10], 2.5f);
  EXPECT_EQ(first.data(), nullptr);  // NOLINT(bugprone-use-after-move): the moved-from state is the point
  EXPECT_EQ(first.size(), 0u);

  HugePageArray third(16);
  third = std::move(second);
  EXPECT_EQ(third.data(), memory);
  EXPECT_EQ(third.size(), 4096u);
  EXPECT_EQ(second.size(), 0u);  // NOLINT(bugprone-use-after-move)
}

TEST(HugePageArray, EmptyArrayHasNoMemory) {
  HugePageArray array(0);
  EXPECT_EQ(array.size(), 0u);
  EXPECT_EQ(array.data(), nullptr);
}

}  // namespace
}  // namespace tune::bench
