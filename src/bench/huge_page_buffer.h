// Zeroed memory in its own anonymous mapping that asks for transparent huge
// pages: the key/value cache. Attention streams the cache every token like
// the weights, and with 4 KiB pages it pays a TLB miss every 4 KiB (110m at
// positions 128-224, two threads: 940 us of attention a token in 4 KiB
// pages, 830 us in 2 MiB pages). Best effort: where THP is off, the same
// memory comes in ordinary pages.
#pragma once

#include <cstddef>

namespace tune::bench {

class HugePageBuffer {
 public:
  HugePageBuffer() = default;
  // Throws std::bad_alloc when the memory cannot be mapped, as a vector would.
  explicit HugePageBuffer(size_t bytes);
  ~HugePageBuffer();
  HugePageBuffer(HugePageBuffer&& other) noexcept;
  HugePageBuffer& operator=(HugePageBuffer&& other) noexcept;
  HugePageBuffer(const HugePageBuffer&) = delete;
  HugePageBuffer& operator=(const HugePageBuffer&) = delete;

  // The memory as an array of T (float for an f32 cache, uint16_t for f16).
  template <class T>
  T* as() {
    return static_cast<T*>(data_);
  }
  template <class T>
  const T* as() const {
    return static_cast<const T*>(data_);
  }
  size_t bytes() const { return bytes_; }

 private:
  void release();

  void* mapping_ = nullptr;
  size_t mapping_bytes_ = 0;
  void* data_ = nullptr;
  size_t bytes_ = 0;
};

}  // namespace tune::bench
