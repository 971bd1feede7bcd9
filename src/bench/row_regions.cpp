#include "bench/row_regions.h"

#include <algorithm>

namespace tune::bench {
namespace {

uint64_t pack(uint32_t begin, uint32_t end) { return (static_cast<uint64_t>(end) << 32) | begin; }
uint32_t begin_of(uint64_t range) { return static_cast<uint32_t>(range); }
uint32_t end_of(uint64_t range) { return static_cast<uint32_t>(range >> 32); }

// Half of what is left, in whole granules, at least one granule.
uint32_t piece_rows(uint32_t left, uint32_t granule) {
  const uint32_t half = (left / 2 + granule - 1) / granule * granule;
  return std::min(left, std::max(half, granule));
}

}  // namespace

RowRegions::RowRegions(int regions) : regions_(std::max(regions, 1)), slots_(new Slot[regions_]) {}

void RowRegions::reset(int rows, int granule) {
  granule_ = static_cast<uint32_t>(granule);
  const int64_t granules = (static_cast<int64_t>(rows) + granule - 1) / granule;
  for (int r = 0; r < regions_; ++r) {
    const int64_t begin = std::min<int64_t>(granules * r / regions_ * granule, rows);
    const int64_t end = std::min<int64_t>(granules * (r + 1) / regions_ * granule, rows);
    slots_[r].range.store(pack(static_cast<uint32_t>(begin), static_cast<uint32_t>(end)), std::memory_order_relaxed);
  }
  // The pool's hand-off publishes these stores to the workers.
}

namespace {

// Claims a piece of a region's unclaimed rows [begin, end) with one
// compare-exchange, retried while other workers claim from it too.
// split(begin, end) gives the piece; what is left is what lies outside it
// (the piece always touches one of the two ends).
template <class Split>
bool claim(std::atomic<uint64_t>& range, RowRegions::Piece* piece, const Split& split) {
  uint64_t now = range.load(std::memory_order_relaxed);
  for (;;) {
    const uint32_t begin = begin_of(now);
    const uint32_t end = end_of(now);
    if (begin >= end) return false;
    const RowRegions::Piece taken = split(begin, end);
    const uint64_t left = static_cast<uint32_t>(taken.begin) == begin ? pack(static_cast<uint32_t>(taken.end), end)
                                                                       : pack(begin, static_cast<uint32_t>(taken.begin));
    if (range.compare_exchange_weak(now, left, std::memory_order_relaxed)) {
      *piece = taken;
      return true;
    }
  }
}

}  // namespace

bool RowRegions::take_front(int region, Piece* piece) {
  return claim(slots_[region].range, piece, [this](uint32_t begin, uint32_t end) {
    return Piece{static_cast<int>(begin), static_cast<int>(begin + piece_rows(end - begin, granule_))};
  });
}

bool RowRegions::take_back(int region, Piece* piece) {
  return claim(slots_[region].range, piece, [this](uint32_t begin, uint32_t end) {
    // The back piece ends where the region does and starts on a granule
    // boundary (the region's end may be the matrix's ragged end).
    const uint32_t from = std::max(begin, (end - piece_rows(end - begin, granule_)) / granule_ * granule_);
    return Piece{static_cast<int>(from), static_cast<int>(end)};
  });
}

}  // namespace tune::bench
