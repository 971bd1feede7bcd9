#include "platform/linux/linux_platform.h"

#include "core/file_knob.h"
#include "platform/linux/sysctl_knob.h"
#include "platform/linux/sysctl_planner.h"

namespace tune::linux_platform {

Platform make_platform() {
  Platform platform;
  platform.name = "linux";
  platform.knobs.add(std::make_unique<SysctlKnob>());
  platform.knobs.add(std::make_unique<FileKnob>());
  platform.planners.push_back(std::make_unique<SysctlPlanner>());
  return platform;
}

}  // namespace tune::linux_platform
