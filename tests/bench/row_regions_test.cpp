#include "bench/row_regions.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace tune::bench {
namespace {

// Every row claimed exactly once; returns the pieces in claim order.
std::vector<RowRegions::Piece> claim_all_as(RowRegions& regions, int region) {
  std::vector<RowRegions::Piece> pieces;
  for_region_pieces(regions, region, [&](int begin, int end) { pieces.push_back({begin, end}); });
  return pieces;
}

TEST(RowRegions, OneWorkerClaimsEveryRowOnceInGranules) {
  for (int rows : {1, 16, 17, 768, 2048, 32000, 5632 + 3}) {
    RowRegions regions(3);
    regions.reset(rows);
    std::vector<int> seen(static_cast<size_t>(rows), 0);
    for (const auto& piece : claim_all_as(regions, 1)) {
      ASSERT_LT(piece.begin, piece.end);
      EXPECT_EQ(piece.begin % RowRegions::kRowGranule, 0) << rows;
      EXPECT_TRUE(piece.end % RowRegions::kRowGranule == 0 || piece.end == rows) << rows;
      for (int r = piece.begin; r < piece.end; ++r) ++seen[static_cast<size_t>(r)];
    }
    for (int r = 0; r < rows; ++r) ASSERT_EQ(seen[static_cast<size_t>(r)], 1) << "row " << r << " of " << rows;
  }
}

TEST(RowRegions, PromptPiecesAreWholeGranulesOfTheirOwnSize) {
  for (int rows : {1, 47, 48, 49, 768, 2048, 5632 + 3}) {
    RowRegions regions(2);
    regions.reset(rows, RowRegions::kPromptRowGranule);
    std::vector<int> seen(static_cast<size_t>(rows), 0);
    // One worker takes its own region from the front, the other's from the back.
    for (const auto& piece : claim_all_as(regions, 0)) {
      EXPECT_EQ(piece.begin % RowRegions::kPromptRowGranule, 0) << rows;
      EXPECT_TRUE(piece.end % RowRegions::kPromptRowGranule == 0 || piece.end == rows) << rows;
      for (int r = piece.begin; r < piece.end; ++r) ++seen[static_cast<size_t>(r)];
    }
    for (int r = 0; r < rows; ++r) ASSERT_EQ(seen[static_cast<size_t>(r)], 1) << "row " << r << " of " << rows;
  }
  // The granule is the last reset's: 80 rows are two prompt granules (one
  // region each), then five decode granules (two and three).
  RowRegions regions(2);
  RowRegions::Piece piece;
  regions.reset(80, RowRegions::kPromptRowGranule);
  ASSERT_TRUE(regions.take_front(0, &piece));
  EXPECT_EQ(piece.begin, 0);
  EXPECT_EQ(piece.end, 48);
  regions.reset(80);
  ASSERT_TRUE(regions.take_front(0, &piece));
  EXPECT_EQ(piece.begin, 0);
  EXPECT_EQ(piece.end, 16);
}

TEST(RowRegions, OwnerReadsItsRegionAsOneAscendingStreamInShrinkingPieces) {
  RowRegions regions(2);
  regions.reset(768);  // regions [0, 384) and [384, 768)
  RowRegions::Piece piece;
  std::vector<RowRegions::Piece> own;
  while (regions.take_front(0, &piece)) own.push_back(piece);
  ASSERT_FALSE(own.empty());
  EXPECT_EQ(own.front().begin, 0);
  EXPECT_EQ(own.front().end, 192);  // half of the region first
  for (size_t i = 1; i < own.size(); ++i) {
    EXPECT_EQ(own[i].begin, own[i - 1].end);  // contiguous: one stream
    EXPECT_LE(own[i].end - own[i].begin, own[i - 1].end - own[i - 1].begin);
  }
  EXPECT_EQ(own.back().end, 384);
  // The other region is untouched until someone takes from it.
  ASSERT_TRUE(regions.take_front(1, &piece));
  EXPECT_EQ(piece.begin, 384);
}

TEST(RowRegions, OthersTakeFromTheBackSoTheOwnersStreamGoesOn) {
  RowRegions regions(2);
  regions.reset(768);
  RowRegions::Piece owner, thief;
  ASSERT_TRUE(regions.take_front(1, &owner));  // [384, 576)
  ASSERT_TRUE(regions.take_back(1, &thief));   // the back half of [576, 768)
  EXPECT_EQ(thief.end, 768);
  EXPECT_EQ(thief.begin % RowRegions::kRowGranule, 0);
  ASSERT_TRUE(regions.take_front(1, &owner));
  EXPECT_EQ(owner.begin, 576);  // the owner carries on where it stopped
  EXPECT_LE(owner.end, thief.begin);
}

TEST(RowRegions, ConcurrentWorkersClaimEveryRowExactlyOnce) {
  constexpr int kWorkers = 4;
  constexpr int kRows = 32000 + 5;
  for (int round = 0; round < 20; ++round) {
    RowRegions regions(kWorkers);
    regions.reset(kRows);
    std::vector<std::atomic<int>> seen(kRows);
    std::vector<std::thread> threads;
    // Region 3's owner never runs: the others must take all of it.
    for (int w = 0; w < kWorkers - 1; ++w) {
      threads.emplace_back([&, w] {
        for_region_pieces(regions, w, [&](int begin, int end) {
          for (int r = begin; r < end; ++r) seen[static_cast<size_t>(r)].fetch_add(1);
        });
      });
    }
    for (auto& thread : threads) thread.join();
    for (int r = 0; r < kRows; ++r) ASSERT_EQ(seen[static_cast<size_t>(r)].load(), 1) << "row " << r;
  }
}

TEST(RowRegions, ResetStartsANewProduct) {
  RowRegions regions(2);
  regions.reset(64);
  claim_all_as(regions, 0);
  RowRegions::Piece piece;
  EXPECT_FALSE(regions.take_front(0, &piece));
  regions.reset(64);
  ASSERT_TRUE(regions.take_front(0, &piece));
  EXPECT_EQ(piece.begin, 0);
}

}  // namespace
}  // namespace tune::bench
