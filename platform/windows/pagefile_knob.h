// PagefileKnob: the page file list Windows reads at boot (Memory Management's
// PagingFiles, REG_MULTI_SZ, one "PATH INITIAL_MB MAX_MB" per file;
// "?:\pagefile.sys" is a system-managed one). Its text is the list's items
// joined by newlines, so restore writes back exactly what was there. A new
// list takes effect at the next boot: until then the observation is pending.
#pragma once

#include "core/knob.h"

namespace tune::windows_platform {

inline constexpr const char* kPagingFilesTarget = "PagingFiles";

class PagefileKnob final : public Knob {
 public:
  std::string domain() const override { return "pagefile"; }
  Result<Observation> observe(const System& system, const std::string& target) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& target, const PriorState& prior) const override;
};

// The list for a profile's pagefile_mb: 0 is system-managed, N a fixed N MB on the system drive.
std::string pagefile_list_for(uint64_t megabytes, const std::string& system_drive);

}  // namespace tune::windows_platform
