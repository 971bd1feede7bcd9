#include "bench/weight_storage.h"

#include "util/text.h"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif

namespace tune::bench {
namespace {

constexpr size_t kHugePage = 2u << 20;

std::string errno_text() { return std::strerror(errno); }

size_t round_up(size_t value, size_t to) { return (value + to - 1) / to * to; }

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// A region from mmap: the file itself, or anonymous memory holding a copy.
class MappedStorage : public WeightStorage {
 public:
  MappedStorage(void* base, size_t mapped, size_t size, std::string how)
      : base_(base), mapped_(mapped), size_(size), how_(std::move(how)) {}
  ~MappedStorage() override {
    if (locked_) ::munlock(base_, mapped_);
    ::munmap(base_, mapped_);
  }
  const uint8_t* data() const override { return static_cast<const uint8_t*>(base_); }
  size_t size() const override { return size_; }
  std::string describe() const override { return locked_ ? how_ + "+mlock" : how_; }

  Status lock() {
    if (::mlock(base_, mapped_) != 0) {
      return make_error("mlock of {} MiB of weights failed ({}): raise the memlock limit (ulimit -l, "
                        "LimitMEMLOCK= for a service) or run with CAP_IPC_LOCK",
                        mapped_ >> 20, errno_text());
    }
    locked_ = true;
    return {};
  }
  void* base() const { return base_; }

 private:
  void* base_;
  size_t mapped_;
  size_t size_;
  std::string how_;
  bool locked_ = false;
};

class BufferStorage : public WeightStorage {
 public:
  explicit BufferStorage(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
  const uint8_t* data() const override { return bytes_.data(); }
  size_t size() const override { return bytes_.size(); }
  std::string describe() const override { return "memory"; }

 private:
  std::vector<uint8_t> bytes_;
};

Status read_all(int fd, uint8_t* out, size_t size, const std::string& path) {
  size_t done = 0;
  while (done < size) {
    const size_t chunk = std::min<size_t>(size - done, 64u << 20);
    const ssize_t got = ::pread(fd, out + done, chunk, static_cast<off_t>(done));
    if (got < 0) {
      if (errno == EINTR) continue;
      return make_error("{}: read failed: {}", path, errno_text());
    }
    if (got == 0) return make_error("{}: file shrank while it was read", path);
    done += static_cast<size_t>(got);
  }
  return {};
}

std::optional<long long> meminfo_value(const std::string& key) {
  std::ifstream in("/proc/meminfo");
  std::string line;
  while (std::getline(in, line)) {
    if (starts_with(line, key + ":")) {
      auto words = split_whitespace(line);
      if (words.size() >= 2) return parse_integer(words[1]);
    }
  }
  return std::nullopt;
}

bool thp_enabled() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string text;
  std::getline(in, text);
  return !text.empty() && text.find("[never]") == std::string::npos;
}

// "7f12a000-7f12c000": the first word of a mapping's header in smaps.
bool is_address_range(const std::string& word) {
  const auto dash = word.find('-');
  if (dash == 0 || dash == std::string::npos || dash + 1 == word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (i != dash && !std::isxdigit(static_cast<unsigned char>(word[i]))) return false;
  }
  return true;
}

WeightMemory resolve_auto(size_t size) {
  const auto free_pages = meminfo_value("HugePages_Free");
  if (free_pages && static_cast<size_t>(*free_pages) * kHugePage >= round_up(size, kHugePage)) {
    return WeightMemory::kHugetlb;
  }
  return thp_enabled() ? WeightMemory::kThp : WeightMemory::kMmap;
}

Result<std::shared_ptr<WeightStorage>> map_file(int fd, size_t size, bool populate) {
  const int flags = MAP_PRIVATE | (populate ? MAP_POPULATE : 0);
  void* base = ::mmap(nullptr, size, PROT_READ, flags, fd, 0);
  if (base == MAP_FAILED) return make_error("mmap failed: {}", errno_text());
  return std::shared_ptr<WeightStorage>(
      std::make_shared<MappedStorage>(base, size, size, populate ? "mmap+populate" : "mmap"));
}

Result<std::shared_ptr<WeightStorage>> copy_file(int fd, size_t size, WeightMemory memory, const std::string& path) {
  size_t mapped = size;
  int flags = MAP_PRIVATE | MAP_ANONYMOUS;
  std::string how = "copy";
  if (memory == WeightMemory::kHugetlb) {
    mapped = round_up(size, kHugePage);
    flags |= MAP_HUGETLB | (21 << MAP_HUGE_SHIFT);  // 2 MiB pages
    how = "hugetlb";
  } else if (memory == WeightMemory::kThp) {
    mapped = round_up(size, kHugePage);
    how = "thp";
  }
  void* base = ::mmap(nullptr, mapped, PROT_READ | PROT_WRITE, flags, -1, 0);
  if (base == MAP_FAILED) {
    if (memory == WeightMemory::kHugetlb) {
      return make_error("{} MiB of explicit 2 MiB huge pages are not available ({}): reserve them with "
                        "vm.nr_hugepages (HugePages_Free in /proc/meminfo), or use --weights thp",
                        mapped >> 20, errno_text());
    }
    return make_error("allocating {} MiB for the weights failed: {}", mapped >> 20, errno_text());
  }
  auto storage = std::make_shared<MappedStorage>(base, mapped, size, how);
  if (memory == WeightMemory::kThp) {
    // Before the first touch, so faults allocate huge pages directly.
    if (::madvise(base, mapped, MADV_HUGEPAGE) != 0) {
      return make_error("madvise(MADV_HUGEPAGE) failed ({}): is transparent_hugepage set to never?", errno_text());
    }
  }
  TUNE_RETURN_IF_ERROR(read_all(fd, static_cast<uint8_t*>(base), size, path));
  return std::shared_ptr<WeightStorage>(storage);
}

}  // namespace

std::string_view weight_memory_name(WeightMemory memory) {
  switch (memory) {
    case WeightMemory::kMmap: return "mmap";
    case WeightMemory::kMmapPopulate: return "mmap-populate";
    case WeightMemory::kCopy: return "copy";
    case WeightMemory::kThp: return "thp";
    case WeightMemory::kHugetlb: return "hugetlb";
    case WeightMemory::kAuto: return "auto";
  }
  return "?";
}

std::optional<WeightMemory> parse_weight_memory(std::string_view name) {
  for (WeightMemory m : {WeightMemory::kMmap, WeightMemory::kMmapPopulate, WeightMemory::kCopy, WeightMemory::kThp,
                         WeightMemory::kHugetlb, WeightMemory::kAuto}) {
    if (weight_memory_name(m) == name) return m;
  }
  return std::nullopt;
}

Result<std::shared_ptr<WeightStorage>> load_weight_file(const std::string& path, const LoadOptions& options) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return make_error("{}: cannot open: {}", path, errno_text());
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return make_error("{}: cannot stat: {}", path, errno_text());
  if (!S_ISREG(info.st_mode)) return make_error("{}: not a regular file", path);
  const size_t size = static_cast<size_t>(info.st_size);
  if (size == 0) return make_error("{}: the file is empty", path);

  WeightMemory memory = options.memory;
  if (memory == WeightMemory::kAuto) memory = resolve_auto(size);
  Result<std::shared_ptr<WeightStorage>> storage =
      memory == WeightMemory::kMmap || memory == WeightMemory::kMmapPopulate
          ? map_file(fd.get(), size, memory == WeightMemory::kMmapPopulate)
          : copy_file(fd.get(), size, memory, path);
  if (!storage) return with_context(path, storage.error());
  if (options.mlock) {
    auto* mapped = static_cast<MappedStorage*>(storage->get());
    TUNE_RETURN_IF_ERROR(mapped->lock());
  }
  return storage;
}

std::shared_ptr<WeightStorage> memory_storage(std::vector<uint8_t> bytes) {
  return std::make_shared<BufferStorage>(std::move(bytes));
}

Result<double> drop_from_page_cache(const std::string& path) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return make_error("{}: cannot open: {}", path, errno_text());
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0 || info.st_size == 0) return make_error("{}: cannot stat", path);
  // Dirty pages cannot be dropped: write them back first.
  ::fdatasync(fd.get());
  if (int rc = ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_DONTNEED); rc != 0) {
    return make_error("{}: posix_fadvise(DONTNEED) failed: {}", path, std::strerror(rc));
  }
  const size_t size = static_cast<size_t>(info.st_size);
  void* base = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
  if (base == MAP_FAILED) return make_error("{}: mmap failed: {}", path, errno_text());
  const long page = ::sysconf(_SC_PAGESIZE);
  const size_t pages = (size + static_cast<size_t>(page) - 1) / static_cast<size_t>(page);
  std::vector<unsigned char> resident(pages);
  double share = 0;
  if (::mincore(base, size, resident.data()) == 0) {
    size_t cached = 0;
    for (unsigned char flag : resident) cached += flag & 1u;
    share = static_cast<double>(cached) / static_cast<double>(pages);
  }
  ::munmap(base, size);
  return share;
}

std::optional<size_t> huge_page_bytes(const WeightStorage& storage) {
  std::ifstream in("/proc/self/smaps");
  if (!in) return std::nullopt;
  const auto begin = reinterpret_cast<uintptr_t>(storage.data());
  const uintptr_t end = begin + storage.size();
  std::string line;
  bool inside = false;
  bool hugetlb = false;
  size_t total = 0;
  while (std::getline(in, line)) {
    // A mapping's header: "start-end perms offset dev inode path".
    const auto space = line.find(' ');
    const auto dash = line.find('-');
    if (is_address_range(line.substr(0, space))) {
      const uintptr_t start = std::stoull(line.substr(0, dash), nullptr, 16);
      const uintptr_t stop = std::stoull(line.substr(dash + 1, space - dash - 1), nullptr, 16);
      inside = start < end && stop > begin;
      hugetlb = false;
      continue;
    }
    if (!inside) continue;
    auto words = split_whitespace(line);
    if (words.size() < 2) continue;
    if (words[0] == "KernelPageSize:" && words[1] != "4") hugetlb = true;
    const bool anon_huge = words[0] == "AnonHugePages:" || words[0] == "FilePmdMapped:";
    const bool explicit_huge = hugetlb && (words[0] == "Private_Hugetlb:" || words[0] == "Shared_Hugetlb:");
    if (anon_huge || explicit_huge) {
      if (auto kib = parse_integer(words[1])) total += static_cast<size_t>(*kib) * 1024;
    }
  }
  return total;
}

}  // namespace tune::bench
