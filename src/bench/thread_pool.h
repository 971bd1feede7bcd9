// A fixed pool of worker threads, one per physical core by default, each
// pinned to its core with hwloc. The calling thread is worker 0, so a pool of
// one thread runs everything inline.
//
// run() hands every worker the same job and returns when all have finished.
// Workers spin briefly before sleeping: a decode step issues a few hundred
// short jobs, and waking a sleeping thread costs more than the job.
#pragma once

#include <atomic>
#include <cstddef>
#include <string>
#include <thread>
#include <vector>

struct hwloc_topology;
struct hwloc_bitmap_s;

namespace tune::bench {

struct PoolOptions {
  int threads = 0;   // 0: one per physical core
  bool pin = true;   // bind each worker to one core
};

class ThreadPool {
 public:
  explicit ThreadPool(const PoolOptions& options = {});
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }
  // Whether every worker was bound to its own core.
  bool pinned() const { return pinned_; }
  // Why pinning was not done, when it was not.
  const std::string& pin_note() const { return pin_note_; }

  // Calls job(worker) once on each worker 0..size()-1, concurrently.
  template <class Job>
  void run(const Job& job) {
    dispatch([](const void* context, int worker) { (*static_cast<const Job*>(context))(worker); }, &job);
  }

  // Splits [0, count) into size() contiguous ranges whose boundaries are
  // multiples of `grain`, and calls job(begin, end) for each non-empty one.
  template <class Job>
  void parallel_for(size_t count, size_t grain, const Job& job) {
    const size_t chunks = (count + grain - 1) / grain;
    const size_t workers = static_cast<size_t>(size());
    run([&](int worker) {
      const size_t w = static_cast<size_t>(worker);
      const size_t begin = chunks * w / workers * grain;
      const size_t end = chunks * (w + 1) / workers * grain;
      const size_t clipped = end < count ? end : count;
      if (begin < clipped) job(begin, clipped);
    });
  }

 private:
  using Trampoline = void (*)(const void* context, int worker);
  void dispatch(Trampoline trampoline, const void* context);
  void worker_loop(int worker);

  hwloc_topology* topology_ = nullptr;      // null when hwloc could not load the topology
  hwloc_bitmap_s* caller_binding_ = nullptr;  // the calling thread's binding, put back at the end
  std::vector<std::thread> workers_;
  bool pinned_ = false;
  std::string pin_note_;

  Trampoline trampoline_ = nullptr;
  const void* context_ = nullptr;
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> pending_{0};
  std::atomic<bool> stopping_{false};
};

// Physical cores of this host (hwloc), at least 1.
int physical_core_count();

}  // namespace tune::bench
