#include "platform/macos/macos_platform.h"

#include "core/file_knob.h"
#include "platform/macos/launchd_env_knob.h"
#include "platform/macos/launchd_env_planner.h"
#include "platform/macos/launchd_job_knob.h"
#include "platform/macos/launchd_job_planner.h"
#include "platform/macos/launchd_limits_knob.h"
#include "platform/macos/launchd_limits_planner.h"
#include "platform/macos/launchd_plist.h"
#include "platform/macos/mac_sysctl_knob.h"
#include "platform/macos/mac_sysctl_planner.h"
#include "platform/macos/noted_knob.h"
#include "platform/macos/macos_settings_planner.h"
#include "platform/macos/pmset_knob.h"
#include "platform/macos/pmset_planner.h"
#include "platform/macos/spotlight_knob.h"

namespace tune::macos_platform {

Platform make_platform() {
  Platform platform;
  platform.name = "macos";
  // Settings behind programs read back through notes in a dry run (noted_knob.h).
  platform.knobs.add(std::make_unique<NotedKnob>(std::make_unique<MacSysctlKnob>()));
  platform.knobs.add(std::make_unique<NotedKnob>(std::make_unique<LaunchdLimitsKnob>()));
  platform.knobs.add(std::make_unique<NotedKnob>(std::make_unique<PmsetKnob>()));
  platform.knobs.add(std::make_unique<NotedKnob>(std::make_unique<LaunchdEnvKnob>()));
  platform.knobs.add(std::make_unique<NotedKnob>(std::make_unique<SpotlightKnob>()));
  platform.knobs.add(std::make_unique<NotedKnob>(std::make_unique<LaunchdJobKnob>()));
  platform.knobs.add(std::make_unique<FileKnob>(macos_owned_file));
  platform.planners.push_back(std::make_unique<MacSysctlPlanner>());
  platform.planners.push_back(std::make_unique<LaunchdLimitsPlanner>());
  platform.planners.push_back(std::make_unique<PmsetPlanner>());
  platform.planners.push_back(std::make_unique<LaunchdEnvPlanner>());
  platform.planners.push_back(std::make_unique<MacosSettingsPlanner>());
  platform.planners.push_back(std::make_unique<LaunchdJobPlanner>());
  return platform;
}

}  // namespace tune::macos_platform
