// A std::vector whose storage starts on a cache line. The matrix kernels read
// whole 64-byte vectors (AVX-512) from the activation rows; from a buffer
// malloc placed 16 bytes past a line, every such load spans two lines, and a
// prefill tile ran some 25% slower for it on a Xeon.
#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace tune::bench {

template <class T>
struct CacheLineAllocator {
  using value_type = T;
  static constexpr std::align_val_t kAlignment{64};

  CacheLineAllocator() = default;
  template <class U>
  CacheLineAllocator(const CacheLineAllocator<U>&) {}

  T* allocate(size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), kAlignment)); }
  void deallocate(T* p, size_t) { ::operator delete(p, kAlignment); }
  template <class U>
  bool operator==(const CacheLineAllocator<U>&) const {
    return true;
  }
};

template <class T>
using AlignedVector = std::vector<T, CacheLineAllocator<T>>;

}  // namespace tune::bench
