#include "bench/row_regions.h"

#include <algorithm>

namespace tune::bench {
namespace {

uint64_t pack(uint32_t begin, uint32_t end) { return (static_cast<uint64_t>(end) << 32) | begin; }
uint32_t begin_of(uint64_t range) { return static_cast<uint32_t>(range); }
uint32_t end_of(uint64_t range) { return static_cast<uint32_t>(range >> 32); }

// Half of what is left, in whole granules, at least one granule.
uint32_t piece_rows(uint32_t left) {
  const uint32_t granule = RowRegions::kRowGranule;
  const uint32_t half = (left / 2 + granule - 1) / granule * granule;
  return std::min(left, std::max(half, granule));
}

}  // namespace

RowRegions::RowRegions(int regions) : regions_(std::max(regions, 1)), slots_(new Slot[regions_]) {}

void RowRegions::reset(int rows) {
  const int64_t granules = (static_cast<int64_t>(rows) + kRowGranule - 1) / kRowGranule;
  for (int r = 0; r < regions_; ++r) {
    const int64_t begin = std::min<int64_t>(granules * r / regions_ * kRowGranule, rows);
    const int64_t end = std::min<int64_t>(granules * (r + 1) / regions_ * kRowGranule, rows);
    slots_[r].range.store(pack(static_cast<uint32_t>(begin), static_cast<uint32_t>(end)), std::memory_order_relaxed);
  }
  // The pool's hand-off publishes these stores to the workers.
}

bool RowRegions::take_front(int region, Piece* piece) {
  std::atomic<uint64_t>& range = slots_[region].range;
  uint64_t now = range.load(std::memory_order_relaxed);
  for (;;) {
    const uint32_t begin = begin_of(now);
    const uint32_t end = end_of(now);
    if (begin >= end) return false;
    const uint32_t taken = begin + piece_rows(end - begin);
    if (range.compare_exchange_weak(now, pack(taken, end), std::memory_order_relaxed)) {
      *piece = {static_cast<int>(begin), static_cast<int>(taken)};
      return true;
    }
  }
}

bool RowRegions::take_back(int region, Piece* piece) {
  std::atomic<uint64_t>& range = slots_[region].range;
  uint64_t now = range.load(std::memory_order_relaxed);
  for (;;) {
    const uint32_t begin = begin_of(now);
    const uint32_t end = end_of(now);
    if (begin >= end) return false;
    // The back piece ends where the region does and starts on a granule
    // boundary (the region's end may be the matrix's ragged end).
    const uint32_t left = end - begin;
    uint32_t from = end - piece_rows(left);
    from = std::max(begin, from / kRowGranule * kRowGranule);
    if (range.compare_exchange_weak(now, pack(begin, from), std::memory_order_relaxed)) {
      *piece = {static_cast<int>(from), static_cast<int>(end)};
      return true;
    }
  }
}

}  // namespace tune::bench
