#include "platform/linux/linux_platform.h"

#include "core/file_knob.h"
#include "platform/linux/block_knob.h"
#include "platform/linux/boot_knob.h"
#include "platform/linux/boot_planner.h"
#include "platform/linux/block_planner.h"
#include "platform/linux/net_knob.h"
#include "platform/linux/net_planner.h"
#include "platform/linux/cpu_knob.h"
#include "platform/linux/cpu_planner.h"
#include "platform/linux/limits_knob.h"
#include "platform/linux/limits_planner.h"
#include "platform/linux/memory_knob.h"
#include "platform/linux/memory_planner.h"
#include "platform/linux/modules_knob.h"
#include "platform/linux/modules_planner.h"
#include "platform/linux/selinux_knob.h"
#include "platform/linux/selinux_planner.h"
#include "platform/linux/sysfs_knob.h"
#include "platform/linux/sysfs_planner.h"
#include "platform/linux/owned_files.h"
#include "platform/linux/irq_knob.h"
#include "platform/linux/irq_planner.h"
#include "platform/linux/irqbalance_knob.h"
#include "platform/linux/systemd_manager_knob.h"
#include "platform/linux/systemd_manager_planner.h"
#include "platform/linux/power_knob.h"
#include "platform/linux/power_planner.h"
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
  platform.knobs.add(std::make_unique<NetKnob>());
  platform.knobs.add(std::make_unique<MemoryKnob>());
  platform.knobs.add(std::make_unique<SysfsKnob>());
  platform.knobs.add(std::make_unique<ModulesKnob>());
  platform.knobs.add(std::make_unique<ModprobeKnob>());
  platform.knobs.add(std::make_unique<SelinuxKnob>());
  platform.knobs.add(std::make_unique<SwapKnob>());
  platform.knobs.add(std::make_unique<LimitsKnob>());
  platform.knobs.add(std::make_unique<UnitSettingsKnob>("services"));
  platform.knobs.add(std::make_unique<UnitSettingsKnob>("environment"));
  platform.knobs.add(std::make_unique<SystemdKnob>());
  platform.knobs.add(std::make_unique<IrqKnob>());
  platform.knobs.add(std::make_unique<IrqbalanceKnob>());
  platform.knobs.add(std::make_unique<SystemdManagerKnob>());
  platform.knobs.add(std::make_unique<BootKnob>());
  platform.knobs.add(std::make_unique<PowerKnob>());
  platform.knobs.add(std::make_unique<FileKnob>(linux_owned_file));
  platform.planners.push_back(std::make_unique<SysctlPlanner>());
  platform.planners.push_back(std::make_unique<CpuPlanner>());
  platform.planners.push_back(std::make_unique<BlockPlanner>());
  platform.planners.push_back(std::make_unique<NetPlanner>());
  platform.planners.push_back(std::make_unique<MemoryPlanner>());
  platform.planners.push_back(std::make_unique<SysfsPlanner>());
  platform.planners.push_back(std::make_unique<ModulesPlanner>());
  platform.planners.push_back(std::make_unique<SelinuxPlanner>());
  platform.planners.push_back(std::make_unique<SwapPlanner>());
  platform.planners.push_back(std::make_unique<LimitsPlanner>());
  platform.planners.push_back(std::make_unique<UnitsPlanner>());
  // After the units: irqbalance's drop-in joins their daemon-reload.
  platform.planners.push_back(std::make_unique<IrqPlanner>());
  platform.planners.push_back(std::make_unique<SystemdManagerPlanner>());
  platform.planners.push_back(std::make_unique<BootPlanner>());
  platform.planners.push_back(std::make_unique<PowerPlanner>());
  return platform;
}

}  // namespace tune::linux_platform
