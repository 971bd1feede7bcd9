#include "bench/thread_pool.h"

#include <hwloc.h>

namespace tune::bench {
namespace {

constexpr int kSpinRounds = 20000;

inline void relax() {
#if defined(__x86_64__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

hwloc_topology_t load_topology() {
  hwloc_topology_t topology = nullptr;
  if (hwloc_topology_init(&topology) != 0) return nullptr;
  if (hwloc_topology_load(topology) != 0) {
    hwloc_topology_destroy(topology);
    return nullptr;
  }
  return topology;
}

int core_count(hwloc_topology_t topology) {
  return topology ? hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_CORE) : 0;
}

// Binds the calling thread to one hardware thread of the core-th core.
bool bind_to_core(hwloc_topology_t topology, int core) {
  const int cores = core_count(topology);
  if (cores <= 0) return false;
  hwloc_obj_t object = hwloc_get_obj_by_type(topology, HWLOC_OBJ_CORE, core % cores);
  if (!object || !object->cpuset) return false;
  hwloc_bitmap_t set = hwloc_bitmap_dup(object->cpuset);
  hwloc_bitmap_singlify(set);  // no migration between SMT siblings
  const int rc = hwloc_set_cpubind(topology, set, HWLOC_CPUBIND_THREAD);
  hwloc_bitmap_free(set);
  return rc == 0;
}

}  // namespace

int physical_core_count() {
  hwloc_topology_t topology = load_topology();
  const int cores = core_count(topology);
  if (topology) hwloc_topology_destroy(topology);
  if (cores > 0) return cores;
  const unsigned logical = std::thread::hardware_concurrency();
  return logical > 0 ? static_cast<int>(logical) : 1;
}

ThreadPool::ThreadPool(const PoolOptions& options) {
  topology_ = load_topology();
  const int cores = core_count(topology_);
  int threads = options.threads;
  if (threads <= 0) threads = cores > 0 ? cores : physical_core_count();

  bool pin = false;
  if (!options.pin) {
    pin_note_ = "pinning turned off";
  } else if (!topology_ || cores <= 0) {
    pin_note_ = "hwloc could not read the topology: not pinned";
  } else if (threads > cores) {
    pin_note_ = "more threads (" + std::to_string(threads) + ") than cores (" + std::to_string(cores) + "): not pinned";
  } else {
    caller_binding_ = hwloc_bitmap_alloc();
    if (hwloc_get_cpubind(topology_, caller_binding_, HWLOC_CPUBIND_THREAD) != 0) {
      hwloc_bitmap_free(caller_binding_);
      caller_binding_ = nullptr;
    }
    pin = bind_to_core(topology_, 0);
    if (!pin) pin_note_ = "binding to a core failed (container or restricted cpuset): not pinned";
  }

  // Workers bind themselves and report back before the pool is used.
  std::atomic<int> bound{0};
  std::atomic<int> started{0};
  for (int worker = 1; worker < threads; ++worker) {
    workers_.emplace_back([this, worker, pin, &bound, &started] {
      if (pin && bind_to_core(topology_, worker)) bound.fetch_add(1);
      started.fetch_add(1);
      worker_loop(worker);
    });
  }
  while (started.load() < threads - 1) std::this_thread::yield();
  if (pin && bound.load() != threads - 1) {
    pin = false;
    pin_note_ = "binding some workers to their cores failed: not all pinned";
  }
  pinned_ = pin;
}

ThreadPool::~ThreadPool() {
  stopping_.store(true);
  generation_.fetch_add(2);
  generation_.notify_all();
  for (auto& thread : workers_) thread.join();
  if (caller_binding_) {
    hwloc_set_cpubind(topology_, caller_binding_, HWLOC_CPUBIND_THREAD);
    hwloc_bitmap_free(caller_binding_);
  }
  if (topology_) hwloc_topology_destroy(topology_);
}

namespace {

template <class Done>
void spin_then_wait(std::atomic<int>& value, const Done& done) {
  for (int spin = 0;; ++spin) {
    const int now = value.load();
    if (done(now)) return;
    if (spin < kSpinRounds) {
      relax();
    } else {
      value.wait(now);
    }
  }
}

}  // namespace

// Chunks are taken from a shared counter until none is left.
void ThreadPool::take_chunks(int worker) {
  for (size_t chunk = next_chunk_.fetch_add(1); chunk < chunk_count_; chunk = next_chunk_.fetch_add(1)) {
    trampoline_(context_, chunk, worker);
    done_chunks_.fetch_add(1, std::memory_order_release);
  }
}

// The handshake that lets the caller finish without late workers: a worker
// counts itself in (inside_), then checks that the job it saw is still open;
// the caller closes the job, then waits for inside_ to drop to zero before
// it returns (and the job's fields and context go away). Both sides use
// sequentially consistent operations, so either the worker sees the job
// closed and backs out without touching it, or the caller sees the worker
// inside and waits for it.
void ThreadPool::dispatch(Trampoline trampoline, const void* context, size_t chunks, bool every_worker) {
  if (workers_.empty() || (!every_worker && chunks <= 1)) {
    if (every_worker) {
      trampoline(context, 0, 0);
    } else {
      for (size_t chunk = 0; chunk < chunks; ++chunk) trampoline(context, chunk, 0);
    }
    return;
  }
  trampoline_ = trampoline;
  context_ = context;
  chunk_count_ = chunks;
  every_worker_ = every_worker;
  next_chunk_.store(0);
  done_chunks_.store(0);
  finished_workers_.store(0);
  const uint64_t open = generation_.load() + 1;
  generation_.store(open);  // odd: open
  generation_.notify_all();

  if (every_worker) {
    trampoline(context, 0, 0);
    const int others = static_cast<int>(workers_.size());
    spin_then_wait(finished_workers_, [others](int finished) { return finished == others; });
  } else {
    take_chunks(0);
    for (int spin = 0; done_chunks_.load(std::memory_order_acquire) != chunks; ++spin) {
      if (spin < kSpinRounds) {
        relax();
      } else {
        std::this_thread::yield();  // a worker lost its core in the middle of a chunk
      }
    }
  }
  generation_.store(open + 1);  // even: closed
  spin_then_wait(inside_, [](int inside) { return inside == 0; });
}

void ThreadPool::worker_loop(int worker) {
  uint64_t seen = generation_.load();
  for (;;) {
    uint64_t now = generation_.load();
    for (int spin = 0; now == seen || now % 2 == 0; ++spin) {
      if (stopping_.load()) return;
      if (spin < kSpinRounds) {
        relax();
      } else {
        generation_.wait(now);
      }
      now = generation_.load();
    }
    seen = now;
    inside_.fetch_add(1);
    if (generation_.load() == now) {  // still open: safe to read the job
      if (every_worker_) {
        trampoline_(context_, 0, worker);
        finished_workers_.fetch_add(1);
        finished_workers_.notify_one();
      } else {
        take_chunks(worker);
      }
    }
    if (inside_.fetch_sub(1) == 1) inside_.notify_one();
  }
}

}  // namespace tune::bench
