// Kernel attributes under /sys as the Linux backends read them: whether one
// exists and may be written, its text, and the choice lines some of them are
// ("always [madvise] never").
#pragma once

#include "util/result.h"
#include "util/system.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tune::linux_platform {

struct Attribute {
  bool exists = false;
  bool writable = false;  // some write bit is set; the kernel may still refuse a value
  std::string text;       // trimmed
};

// Absent is not an error; a file that exists and cannot be read is.
Result<Attribute> read_attribute(const System& system, const std::string& path);

// The current value and the values offered, from a choice line; a plain value
// ("none" of a queue without schedulers) is the current and only choice.
struct Choice {
  std::string current;
  std::vector<std::string> offered;
};
Choice parse_choice(const std::string& text);

// Entries of dir whose name is prefix followed by a number ("policy0",
// "cpu12"), sorted by that number; empty when dir is absent.
std::vector<std::string> numbered_entries(const System& system, const std::string& dir, const std::string& prefix);

// /proc/meminfo's fields in KiB ("MemTotal" -> 65536000); empty where unreadable.
std::map<std::string, uint64_t> read_meminfo(const System& system);
// The host's memory in bytes, from MemTotal.
std::optional<uint64_t> memory_total_bytes(const System& system);

// "performance powersave" -> the words; used for available_* lists.
std::string offered_list(const std::vector<std::string>& offered);

}  // namespace tune::linux_platform
