// Getting weight bytes into memory, in the ways tuning can influence: a
// mapping of the file (lazy, or populated up front), or a private copy in
// ordinary pages, transparent huge pages (madvise) or explicit huge pages
// (hugetlbfs), optionally locked with mlock.
#pragma once

#include "bench/model.h"
#include "util/result.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace tune::bench {

enum class WeightMemory {
  kMmap,          // map the file; pages fault in on first use
  kMmapPopulate,  // map the file and fault every page in now (MAP_POPULATE)
  kCopy,          // read the file into anonymous memory
  kThp,           // ... asking for transparent huge pages (madvise)
  kHugetlb,       // ... in explicit huge pages (needs vm.nr_hugepages)
  kAuto,          // hugetlb if enough are free, else thp unless it is off, else mmap
};

std::string_view weight_memory_name(WeightMemory memory);
std::optional<WeightMemory> parse_weight_memory(std::string_view name);

struct LoadOptions {
  WeightMemory memory = WeightMemory::kMmap;
  bool mlock = false;  // lock the weights in RAM (needs RLIMIT_MEMLOCK or CAP_IPC_LOCK)
};

// The whole file at path, in memory as options ask. Errors name the path
// and, for huge pages and mlock, the host setting that is missing.
Result<std::shared_ptr<WeightStorage>> load_weight_file(const std::string& path, const LoadOptions& options);

// Bytes already in memory (a model built in place, a test's buffer).
std::shared_ptr<WeightStorage> memory_storage(std::vector<uint8_t> bytes);

// Asks the kernel to drop the file's pages from the page cache, so the next
// load reads the disk. Returns the share of the file still cached afterwards
// (0 when all of it was dropped).
Result<double> drop_from_page_cache(const std::string& path);

// Bytes of the storage backed by huge pages (THP or hugetlb), from
// /proc/self/smaps; nullopt when that cannot be read.
std::optional<size_t> huge_page_bytes(const WeightStorage& storage);

}  // namespace tune::bench
