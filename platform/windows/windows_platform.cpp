#include "platform/windows/windows_platform.h"

#include "platform/windows/account_right_knob.h"
#include "platform/windows/defender_exclusion_knob.h"
#include "platform/windows/defender_exclusion_planner.h"
#include "platform/windows/lock_pages_planner.h"
#include "platform/windows/pagefile_knob.h"
#include "platform/windows/pagefile_planner.h"
#include "platform/windows/power_knob.h"
#include "platform/windows/power_planner.h"
#include "platform/windows/registry_knob.h"
#include "platform/windows/registry_planner.h"
#include "platform/windows/service_start_knob.h"
#include "platform/windows/services_planner.h"

namespace tune::windows_platform {

Platform make_platform() {
  Platform platform;
  platform.name = "windows";
  platform.knobs.add(std::make_unique<WindowsPowerKnob>());
  platform.knobs.add(std::make_unique<RegistryKnob>());
  platform.knobs.add(std::make_unique<ServiceStartKnob>());
  platform.knobs.add(std::make_unique<PagefileKnob>());
  platform.knobs.add(std::make_unique<AccountRightKnob>());
  platform.knobs.add(std::make_unique<DefenderExclusionKnob>());
  // Power first: its scheme switch comes before the values written into it.
  platform.planners.push_back(std::make_unique<WindowsPowerPlanner>());
  platform.planners.push_back(std::make_unique<RegistryPlanner>());
  platform.planners.push_back(std::make_unique<PagefilePlanner>());
  platform.planners.push_back(std::make_unique<LockPagesPlanner>());
  platform.planners.push_back(std::make_unique<DefenderExclusionPlanner>());
  platform.planners.push_back(std::make_unique<WindowsServicesPlanner>());
  return platform;
}

}  // namespace tune::windows_platform
