// What this host can do at best, measured with the same threads the model
// runs on: read bandwidth from memory (the decode roofline) and fused
// multiply-add throughput (the prefill roofline).
#pragma once

#include "bench/kernels.h"
#include "bench/thread_pool.h"

#include <cstddef>

namespace tune::bench {

struct BandwidthProbe {
  double peak_gbs = 0;    // best of the passes (GB/s, 1e9 bytes)
  double median_gbs = 0;
  size_t buffer_bytes = 0;
  int passes = 0;
};

// Every worker streams through its share of a buffer much larger than the
// caches, `passes` times.
BandwidthProbe measure_read_bandwidth(ThreadPool& pool, const Kernels& kernels, size_t buffer_bytes, int passes);

struct ComputeProbe {
  double peak_gflops = 0;  // best of the rounds, all workers together
  double median_gflops = 0;
  int rounds = 0;
};

// Every worker runs register-only FMA chains for about `round_seconds`.
ComputeProbe measure_fma_throughput(ThreadPool& pool, const Kernels& kernels, double round_seconds, int rounds);

}  // namespace tune::bench
