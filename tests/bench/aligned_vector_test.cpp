#include "bench/aligned_vector.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace tune::bench {
namespace {

bool on_a_cache_line(const void* p) { return reinterpret_cast<uintptr_t>(p) % 64 == 0; }

TEST(AlignedVector, StorageStartsOnACacheLineAtEverySize) {
  // Sizes malloc serves from its small bins, and ones it maps (> 128 KiB),
  // where it would start the data 16 bytes past a page.
  for (size_t n : {size_t{1}, size_t{3}, size_t{17}, size_t{768}, size_t{40000}, size_t{98304}}) {
    AlignedVector<float> floats(n, 1.0f);
    AlignedVector<int8_t> bytes(n, 1);
    EXPECT_TRUE(on_a_cache_line(floats.data())) << n;
    EXPECT_TRUE(on_a_cache_line(bytes.data())) << n;
  }
}

TEST(AlignedVector, GrowingKeepsTheAlignmentAndTheValues) {
  AlignedVector<float> values;
  for (int i = 0; i < 5000; ++i) {
    values.push_back(static_cast<float>(i));
    ASSERT_TRUE(on_a_cache_line(values.data())) << i;
  }
  for (int i = 0; i < 5000; ++i) ASSERT_EQ(values[static_cast<size_t>(i)], static_cast<float>(i));
}

}  // namespace
}  // namespace tune::bench
