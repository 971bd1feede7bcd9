// SysfsKnob: raw /sys attributes (the sysfs domain). A target is one
// concrete attribute path ("/sys/kernel/mm/ksm/run"); a profile's glob is
// expanded by the planner. Every observe, apply and restore resolves the
// path's symlinks through System and refuses what leaves /sys or lands on a
// file tune never writes raw, so a saved plan or a journal naming such a
// path changes nothing.
#pragma once

#include "core/knob.h"

#include <string>
#include <vector>

namespace tune::linux_platform {

class SysfsKnob final : public Knob {
 public:
  std::string domain() const override { return "sysfs"; }
  Result<Observation> observe(const System& system, const std::string& target) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& target, const PriorState& prior) const override;
  // Hex masks read back with leading zeros and commas ("00000000,000000ff"),
  // numbers in the kernel's own form; the knowledge base's type decides.
  bool same_at(const std::string& target, const std::optional<std::string>& live,
               const std::optional<std::string>& wanted) const override;
};

// A concrete sysfs path checked against the rules: where it leads after
// every symlink, or why tune refuses it (`refused`, for the planner to skip).
struct SysfsFile {
  std::string resolved;  // the file itself, no symlinks on the way
  std::string refused;   // non-empty: the reason tune will not write it
};
Result<SysfsFile> check_sysfs_file(const System& system, const std::string& path);

// Where a path leads, each symlink on the way read through System
// (absolute links from /, relative ones from their directory).
Result<std::string> resolve_path(const System& system, const std::string& path);

// The files a profile's path names: itself when it has no glob, else every
// existing file its '*' and '?' components match, sorted. More than
// kMaxSysfsMatches is an error.
inline constexpr size_t kMaxSysfsMatches = 4096;
Result<std::vector<std::string>> expand_sysfs_glob(const System& system, const std::string& pattern);

}  // namespace tune::linux_platform
