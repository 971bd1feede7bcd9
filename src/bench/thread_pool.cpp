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
  generation_.fetch_add(1);
  generation_.notify_all();
  for (auto& thread : workers_) thread.join();
  if (caller_binding_) {
    hwloc_set_cpubind(topology_, caller_binding_, HWLOC_CPUBIND_THREAD);
    hwloc_bitmap_free(caller_binding_);
  }
  if (topology_) hwloc_topology_destroy(topology_);
}

void ThreadPool::dispatch(Trampoline trampoline, const void* context) {
  if (workers_.empty()) {
    trampoline(context, 0);
    return;
  }
  trampoline_ = trampoline;
  context_ = context;
  pending_.store(static_cast<int>(workers_.size()), std::memory_order_relaxed);
  generation_.fetch_add(1, std::memory_order_release);
  generation_.notify_all();
  trampoline(context, 0);
  for (int spin = 0;; ++spin) {
    const int left = pending_.load(std::memory_order_acquire);
    if (left == 0) break;
    if (spin < kSpinRounds) {
      relax();
    } else {
      pending_.wait(left, std::memory_order_acquire);
    }
  }
}

void ThreadPool::worker_loop(int worker) {
  uint64_t seen = generation_.load(std::memory_order_acquire);
  for (;;) {
    uint64_t now = generation_.load(std::memory_order_acquire);
    for (int spin = 0; now == seen; ++spin) {
      if (spin < kSpinRounds) {
        relax();
      } else {
        generation_.wait(seen, std::memory_order_acquire);
      }
      now = generation_.load(std::memory_order_acquire);
    }
    seen = now;
    if (stopping_.load()) return;
    trampoline_(context_, worker);
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) pending_.notify_one();
  }
}

}  // namespace tune::bench
