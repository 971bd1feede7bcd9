#include "platform/linux/owned_files.h"

#include "platform/linux/unit_files.h"
#include "util/text.h"

#include <algorithm>
#include <cctype>

namespace tune::linux_platform {
namespace {

// Fixed paths of the boot-time files (sysctl_planner.h, cpu_planner.h, ...).
const char* const kFixed[] = {
    "/etc/sysctl.d/90-tune.conf",
    "/etc/tmpfiles.d/90-tune-cpu.conf",
    "/etc/tmpfiles.d/90-tune-memory.conf",
    "/etc/tmpfiles.d/90-tune-sysfs.conf",
    "/etc/tmpfiles.d/90-tune-modules.conf",
    "/etc/tmpfiles.d/90-tune-selinux.conf",
    "/etc/modprobe.d/90-tune.conf",
    "/etc/udev/rules.d/60-tune-block.rules",
    "/etc/udev/rules.d/61-tune-zram.rules",
    "/etc/udev/rules.d/81-tune-net.rules",
    "/etc/modules-load.d/90-tune-zram.conf",
    "/etc/systemd/zram-generator.conf.d/90-tune.conf",
    "/etc/systemd/system/swap.target.d/90-tune.conf",
    "/etc/security/limits.d/90-tune.conf",
    "/etc/systemd/system.conf.d/90-tune.conf",
    "/etc/default/grub.d/90-tune.cfg",
    "/etc/kernel/cmdline",
    "/etc/tmpfiles.d/90-tune-irq.conf",
    "/etc/systemd/system/irqbalance.service.d/90-tune-irq.conf",
    "/etc/systemd/system.conf.d/90-tune-cpuaffinity.conf",
    "/etc/udev/rules.d/60-tune-power.rules",
    "/etc/modprobe.d/90-tune-power.conf",
};

constexpr const char* kUnits = "/etc/systemd/system/";

}  // namespace

bool linux_owned_file(const std::string& path) {
  if (std::find(std::begin(kFixed), std::end(kFixed), path) != std::end(kFixed)) return true;
  if (!starts_with(path, kUnits)) return false;
  std::string rest = path.substr(std::string(kUnits).size());
  // A unit's drop-in, or a unit tune installs: a swap unit, or one from a template.
  if (ends_with(rest, ".d/90-tune.conf")) rest = rest.substr(0, rest.size() - std::string(".d/90-tune.conf").size());
  return rest.find('/') == std::string::npos && valid_unit_name(rest);
}

}  // namespace tune::linux_platform
