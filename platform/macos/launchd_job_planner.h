// Plans the services domain on a Mac: a LaunchDaemon an operator asks for by
// `services: { LABEL: { template: NAME } }`, from tune's templates
// (templates/macos/NAME.plist in a template directory). Planned as the plist
// written to /Library/LaunchDaemons/LABEL.plist (a file step: rollback puts
// back what was there, byte for byte, or removes it) and then the job loaded
// (launchd system/LABEL: rollback boots it out again, before the file is put
// back, since the engine restores in reverse order). The template's Label
// key must be LABEL: launchd names the job by it, not by the file's name.
#pragma once

#include "core/planner.h"

#include <optional>
#include <string>

namespace tune::macos_platform {

class LaunchdJobPlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "services"; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

// The text of template NAME: macos/NAME.plist in the first directory that has it.
Result<std::string> load_plist_template(const std::vector<std::string>& dirs, const std::string& name);

// A plist's top-level string value for key (Label), or the first string of
// its ProgramArguments array; nothing where the plist has none.
std::optional<std::string> plist_label(const std::string& plist);
std::optional<std::string> plist_program(const std::string& plist);

}  // namespace tune::macos_platform
