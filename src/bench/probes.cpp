#include "bench/probes.h"

#include "bench/stats.h"

#include <atomic>
#include <chrono>
#include <cstring>
#include <vector>

#include <sys/mman.h>

namespace tune::bench {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

BandwidthProbe measure_read_bandwidth(ThreadPool& pool, const Kernels& kernels, size_t buffer_bytes, int passes) {
  BandwidthProbe probe;
  buffer_bytes = buffer_bytes / 4096 * 4096;
  void* memory = ::mmap(nullptr, buffer_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) return probe;
  // Huge pages where the host allows them: the probe measures the best case.
  ::madvise(memory, buffer_bytes, MADV_HUGEPAGE);
  auto* bytes = static_cast<uint8_t*>(memory);
  // Each worker first writes the share it will read (first touch places the
  // pages near that worker on NUMA hosts).
  pool.parallel_for(buffer_bytes, 4096, [&](size_t begin, size_t end) {
    std::memset(bytes + begin, 1, end - begin);
  });
  std::atomic<uint64_t> checksum{0};
  std::vector<double> rates;
  for (int pass = 0; pass < passes; ++pass) {
    const auto start = Clock::now();
    pool.parallel_for(buffer_bytes, 4096, [&](size_t begin, size_t end) {
      checksum.fetch_add(kernels.read_stream(bytes + begin, end - begin), std::memory_order_relaxed);
    });
    rates.push_back(static_cast<double>(buffer_bytes) / seconds_since(start) / 1e9);
  }
  ::munmap(memory, buffer_bytes);
  const Summary summary = summarize(rates);
  probe.peak_gbs = summary.max;
  probe.median_gbs = summary.median;
  probe.buffer_bytes = buffer_bytes;
  probe.passes = passes;
  return probe;
}

ComputeProbe measure_fma_throughput(ThreadPool& pool, const Kernels& kernels, double round_seconds, int rounds) {
  ComputeProbe probe;
  // Calibrate on one thread: how many iterations fill the round.
  float sink = 0;
  int64_t iterations = 1 << 14;
  for (;;) {
    const auto start = Clock::now();
    kernels.fma_burst(iterations, &sink);
    const double took = seconds_since(start);
    if (took > round_seconds / 4 || iterations > (int64_t{1} << 40)) {
      iterations = static_cast<int64_t>(static_cast<double>(iterations) * round_seconds / std::max(took, 1e-6));
      break;
    }
    iterations *= 4;
  }
  std::vector<double> rates;
  std::vector<float> sinks(static_cast<size_t>(pool.size()), 0.0f);
  for (int round = 0; round < rounds; ++round) {
    std::atomic<double> flops{0};
    const auto start = Clock::now();
    pool.run([&](int worker) {
      const double done = kernels.fma_burst(iterations, &sinks[static_cast<size_t>(worker)]);
      double seen = flops.load();
      while (!flops.compare_exchange_weak(seen, seen + done)) {
      }
    });
    rates.push_back(flops.load() / seconds_since(start) / 1e9);
  }
  const Summary summary = summarize(rates);
  probe.peak_gflops = summary.max;
  probe.median_gflops = summary.median;
  probe.rounds = rounds;
  return probe;
}

}  // namespace tune::bench
