// windows: defender_exclusion_paths: folders Microsoft Defender Antivirus
// stops scanning (a model directory whose multi-GB files it would otherwise
// scan on every load). A security trade-off, so it is planned only with
// defender_exclusion_accept_unscanned_files: true beside it; without that it
// is skipped with the reason, and with it the plan carries a warning.
// Several paths are separated by ';' (as in PATH: no Windows path holds one
// in practice). Never set by a shipped profile.
#pragma once

#include "core/planner.h"

namespace tune::windows_platform {

class DefenderExclusionPlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "windows"; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

}  // namespace tune::windows_platform
