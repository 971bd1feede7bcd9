#include "platform/linux/linux_platform.h"

#include "core/file_knob.h"
#include "platform/linux/block_knob.h"
#include "platform/linux/boot_knob.h"
#include "platform/linux/boot_planner.h"
#include "platform/linux/block_planner.h"
#include "platform/linux/cpu_knob.h"
#include "platform/linux/cpu_planner.h"
#include "platform/linux/limits_knob.h"
#include "platform/linux/limits_planner.h"
#include "platform/linux/memory_knob.h"
#include "platform/linux/memory_planner.h"
#include "platform/linux/owned_files.h"
#include "platform/linux/swap_knob.h"
#include "platform/linux/swap_planner.h"
#include "platform/linux/sysctl_knob.h"
#include "platform/linux/sysctl_planner.h"
#include "platform/linux/systemd_knob.h"
#include "platform/linux/unit_settings_knob.h"
#include "platform/linux/units_planner.h"

namespace tune::linux_platform {

Platform make_platform() {
  Platform platform;
  platform.name = "linux";
  platform.knobs.add(std::make_unique<SysctlKnob>());
  platform.knobs.add(std::make_unique<CpuKnob>());
  platform.knobs.add(std::make_unique<BlockKnob>());
  platform.knobs.add(std::make_unique<MemoryKnob>());
  platform.knobs.add(std::make_unique<SwapKnob>());
  platform.knobs.add(std::make_unique<LimitsKnob>());
  platform.knobs.add(std::make_unique<UnitSettingsKnob>("services"));
  platform.knobs.add(std::make_unique<UnitSettingsKnob>("environment"));
  platform.knobs.add(std::make_unique<SystemdKnob>());
  platform.knobs.add(std::make_unique<BootKnob>());
  platform.knobs.add(std::make_unique<FileKnob>(linux_owned_file));
  platform.planners.push_back(std::make_unique<SysctlPlanner>());
  platform.planners.push_back(std::make_unique<CpuPlanner>());
  platform.planners.push_back(std::make_unique<BlockPlanner>());
  platform.planners.push_back(std::make_unique<MemoryPlanner>());
  platform.planners.push_back(std::make_unique<SwapPlanner>());
  platform.planners.push_back(std::make_unique<LimitsPlanner>());
  platform.planners.push_back(std::make_unique<UnitsPlanner>());
  platform.planners.push_back(std::make_unique<BootPlanner>());
  return platform;
}

}  // namespace tune::linux_platform
