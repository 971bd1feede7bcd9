// A zeroed array of floats in its own anonymous mapping that asks for
// transparent huge pages: the key/value cache. Attention streams the cache
// every token like the weights, and with 4 KiB pages it pays a TLB miss
// every 4 KiB (110m at positions 128-224, two threads: 940 us of attention a
// token in 4 KiB pages, 830 us in 2 MiB pages). Best effort: where THP is
// off, the same memory comes in ordinary pages.
#pragma once

#include <cstddef>

namespace tune::bench {

class HugePageArray {
 public:
  HugePageArray() = default;
  // Throws std::bad_alloc when the memory cannot be mapped, as a vector would.
  explicit HugePageArray(size_t count);
  ~HugePageArray();
  HugePageArray(HugePageArray&& other) noexcept;
  HugePageArray& operator=(HugePageArray&& other) noexcept;
  HugePageArray(const HugePageArray&) = delete;
  HugePageArray& operator=(const HugePageArray&) = delete;

  float* data() { return data_; }
  const float* data() const { return data_; }
  float& operator[](size_t i) { return data_[i]; }
  const float& operator[](size_t i) const { return data_[i]; }
  size_t size() const { return count_; }

 private:
  void release();

  void* mapping_ = nullptr;
  size_t mapping_bytes_ = 0;
  float* data_ = nullptr;
  size_t count_ = 0;
};

}  // namespace tune::bench
