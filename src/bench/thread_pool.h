// A fixed pool of worker threads, one per physical core by default, each
// pinned to its core with hwloc. The calling thread is worker 0, so a pool of
// one thread runs everything inline.
//
// Two kinds of jobs:
//   for_each_chunk(n, fn)  fn(chunk, worker) once for every chunk in [0, n),
//                          on whichever workers get there: the caller starts
//                          at once and a worker that is late (its core busy
//                          with other work) simply does fewer chunks, or none.
//                          The matrix products use this.
//   run(fn)                fn(worker) once on every worker, all at the same
//                          time: the probes use this, since they measure what
//                          all the cores do together.
// Workers spin briefly between jobs, then sleep: a decode step issues a few
// hundred short jobs, and waking a sleeping thread costs more than the job.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
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

  template <class Fn>
  void for_each_chunk(size_t chunks, const Fn& fn) {
    dispatch(
        [](const void* context, size_t chunk, int worker) { (*static_cast<const Fn*>(context))(chunk, worker); }, &fn,
        chunks, false);
  }

  template <class Fn>
  void run(const Fn& fn) {
    dispatch([](const void* context, size_t, int worker) { (*static_cast<const Fn*>(context))(worker); }, &fn, 0,
             true);
  }

  // Splits [0, count) into size() contiguous ranges whose boundaries are
  // multiples of `grain`, and calls fn(begin, end) for each non-empty one,
  // every range on its own worker (a run() job).
  template <class Fn>
  void parallel_for(size_t count, size_t grain, const Fn& fn) {
    const size_t chunks = (count + grain - 1) / grain;
    const size_t workers = static_cast<size_t>(size());
    run([&](int worker) {
      const size_t w = static_cast<size_t>(worker);
      const size_t begin = chunks * w / workers * grain;
      const size_t end = chunks * (w + 1) / workers * grain;
      const size_t clipped = end < count ? end : count;
      if (begin < clipped) fn(begin, clipped);
    });
  }

 private:
  using Trampoline = void (*)(const void* context, size_t chunk, int worker);
  void dispatch(Trampoline trampoline, const void* context, size_t chunks, bool every_worker);
  void take_chunks(int worker);
  void worker_loop(int worker);

  hwloc_topology* topology_ = nullptr;      // null when hwloc could not load the topology
  hwloc_bitmap_s* caller_binding_ = nullptr;  // the calling thread's binding, put back at the end
  std::vector<std::thread> workers_;
  bool pinned_ = false;
  std::string pin_note_;

  // The current job. Its fields are written by the caller before it opens
  // the job and read by a worker only after it has entered it (see dispatch).
  Trampoline trampoline_ = nullptr;
  const void* context_ = nullptr;
  size_t chunk_count_ = 0;
  bool every_worker_ = false;
  std::atomic<size_t> next_chunk_{0};
  std::atomic<size_t> done_chunks_{0};
  std::atomic<int> finished_workers_{0};
  // Odd while a job is open, even between jobs.
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> inside_{0};  // workers that entered the current job and have not left it
  std::atomic<bool> stopping_{false};
};

// Physical cores of this host (hwloc), at least 1.
int physical_core_count();

}  // namespace tune::bench
