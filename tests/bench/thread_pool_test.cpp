#include "bench/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

namespace tune::bench {
namespace {

TEST(ThreadPool, RunCallsEveryWorkerOnce) {
  for (int threads : {1, 2, 3}) {
    ThreadPool pool({threads, false});
    ASSERT_EQ(pool.size(), threads);
    std::vector<std::atomic<int>> calls(static_cast<size_t>(threads));
    for (int round = 0; round < 100; ++round) pool.run([&](int worker) { calls[static_cast<size_t>(worker)]++; });
    for (auto& count : calls) EXPECT_EQ(count.load(), 100);
  }
}

TEST(ThreadPool, ParallelForCoversEveryIndexOnceInWholeGrains) {
  ThreadPool pool({3, false});
  for (size_t count : {0u, 1u, 15u, 16u, 17u, 100u, 1000u}) {
    std::vector<std::atomic<int>> seen(count);
    pool.parallel_for(count, 16, [&](size_t begin, size_t end) {
      EXPECT_EQ(begin % 16, 0u);
      EXPECT_TRUE(end % 16 == 0 || end == count);
      for (size_t i = begin; i < end; ++i) seen[i]++;
    });
    for (size_t i = 0; i < count; ++i) EXPECT_EQ(seen[i].load(), 1) << "index " << i << " of " << count;
  }
}

TEST(ThreadPool, DefaultsToOneThreadPerPhysicalCore) {
  ThreadPool pool;
  EXPECT_EQ(pool.size(), physical_core_count());
}

TEST(ThreadPool, PinningFallsBackCleanlyAndSaysWhy) {
  // More threads than cores are never pinned; the pool still works.
  ThreadPool pool({physical_core_count() + 1, true});
  EXPECT_FALSE(pool.pinned());
  EXPECT_NE(pool.pin_note().find("more threads"), std::string::npos);
  std::atomic<int> calls{0};
  pool.run([&](int) { calls++; });
  EXPECT_EQ(calls.load(), pool.size());
}

TEST(ThreadPool, PinnedOrNotTheNoteExplains) {
  ThreadPool pool({1, true});
  // In a container binding may be refused: then the note must say so.
  if (!pool.pinned()) {
    EXPECT_FALSE(pool.pin_note().empty());
  }
}

}  // namespace
}  // namespace tune::bench

namespace tune::bench {
namespace {

TEST(ThreadPool, ForEachChunkRunsEveryChunkExactlyOnce) {
  for (int threads : {1, 2, 3}) {
    ThreadPool pool({threads, false});
    for (size_t chunks : {0u, 1u, 2u, 7u, 1000u}) {
      std::vector<std::atomic<int>> seen(chunks);
      std::atomic<int> bad_worker{0};
      for (int round = 0; round < 20; ++round) {
        pool.for_each_chunk(chunks, [&](size_t chunk, int worker) {
          if (worker < 0 || worker >= pool.size()) bad_worker++;
          seen[chunk]++;
        });
      }
      for (size_t i = 0; i < chunks; ++i) EXPECT_EQ(seen[i].load(), 20) << "chunk " << i << " of " << chunks;
      EXPECT_EQ(bad_worker.load(), 0);
    }
  }
}

TEST(ThreadPool, ChunkJobsAndWholePoolJobsInterleave) {
  ThreadPool pool({3, false});
  std::atomic<long> total{0};
  for (int round = 0; round < 200; ++round) {
    pool.for_each_chunk(5, [&](size_t chunk, int) { total += static_cast<long>(chunk); });  // 0+1+2+3+4
    pool.run([&](int worker) { total += worker; });                                          // 0+1+2
  }
  EXPECT_EQ(total.load(), 200 * (10 + 3));
}

}  // namespace
}  // namespace tune::bench
