// How the rows of a matrix product are shared among the workers while it
// runs. Each worker owns one contiguous region of the rows and claims it
// front to back in pieces of half of what is left, so its reads stay one
// sequential stream (the prefetchers reward that). A worker that is done
// takes pieces from the back of the others' regions, so a core that streams
// slower, or lost its core for a while, does not hold the whole step up: on
// the development VM one core read some 10% slower than the other whenever
// the host gave more bandwidth, and with one fixed half each the faster
// core waited for it at every one of the 61 products of a token.
//
// Pieces are whole multiples of kRowGranule rows (but for the matrix's last
// rows), so every row is computed the same way whoever takes it: results
// never depend on the thread count or on timing. A prompt's products go
// in granules of kPromptRowGranule rows, which hold whole tiles of every
// kernel set (4 rows in the row-by-row tiles, 6 in AVX-512's outer
// products), so only a matrix's last piece can end in a narrower tile; a
// decoded token's keep the finer kRowGranule its balance was measured
// with (on 1b q8_0, alternated runs of the two granules decoded within the
// host's noise of each other, 18.5-20.4 tokens/s).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

namespace tune::bench {

class RowRegions {
 public:
  static constexpr int kRowGranule = 16;
  static constexpr int kPromptRowGranule = 48;

  struct Piece {
    int begin = 0;
    int end = 0;
  };

  explicit RowRegions(int regions);

  int regions() const { return regions_; }
  // Splits [0, rows) into regions() regions of whole granules of `granule`
  // rows. Called by the thread that starts a product, before any worker
  // claims a piece.
  void reset(int rows, int granule = kRowGranule);
  // The next piece of `region` from its front (for its owner) or its back
  // (for another worker); false once the region is all claimed.
  bool take_front(int region, Piece* piece);
  bool take_back(int region, Piece* piece);

 private:
  // A region's unclaimed rows, begin in the low 32 bits and end in the
  // high ones: one word, so owner and others claim with one compare-exchange.
  struct alignas(64) Slot {
    std::atomic<uint64_t> range{0};
  };
  int regions_;
  uint32_t granule_ = kRowGranule;
  std::unique_ptr<Slot[]> slots_;
};

// Runs fn(begin, end) over pieces of the rows of one product for the worker
// that owns `region`: its own region first, then what is left of the others.
template <class Fn>
void for_region_pieces(RowRegions& rows, int region, const Fn& fn) {
  RowRegions::Piece piece;
  while (rows.take_front(region, &piece)) fn(piece.begin, piece.end);
  for (int step = 1; step < rows.regions(); ++step) {
    const int other = (region + step) % rows.regions();
    while (rows.take_back(other, &piece)) fn(piece.begin, piece.end);
  }
}

}  // namespace tune::bench
