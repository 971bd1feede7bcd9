// SystemdManagerKnob: settings of systemd's manager itself (system.conf and
// system.conf.d), today "CPUAffinity": the CPUs PID 1 and everything it
// starts may run on. The profile's domain is `systemd`; the knob's is
// "systemd_manager", apart from the systemd knob's calls. The value is what
// the manager's configuration says (tune's drop-in, a file step, sets it, so
// the knob is derived); systemd reads it at boot, so until then the
// observation is pending and names the CPUs PID 1 runs on now.
#pragma once

#include "core/knob.h"
#include "platform/linux/config_files.h"

namespace tune::linux_platform {

inline constexpr const char* kSystemdManagerDomain = "systemd_manager";
inline constexpr const char* kCpuAffinity = "CPUAffinity";
inline constexpr const char* kCpuAffinityDropIn = "/etc/systemd/system.conf.d/90-tune-cpuaffinity.conf";

class SystemdManagerKnob final : public Knob {
 public:
  std::string domain() const override { return kSystemdManagerDomain; }
  bool derived() const override { return true; }
  Result<Observation> observe(const System& system, const std::string& target) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& target, const PriorState& prior) const override;
  bool same(const std::optional<std::string>& live, const std::optional<std::string>& wanted) const override;
};

// CPUAffinity= as the manager adds it up over its files (assignments merge,
// an empty one resets, one systemd cannot parse is ignored): the CPU list,
// nullopt when none is set, and the file:line of the last assignment.
struct ManagerCpuAffinity {
  std::optional<std::string> cpus;
  std::string from;
};
ManagerCpuAffinity manager_cpu_affinity(const ConfigSet& config);

// The CPUs PID 1 may run on now (/proc/1/status Cpus_allowed_list).
std::optional<std::string> pid1_cpus(const System& system);

// tune's drop-in for CPUAffinity=.
std::string cpu_affinity_dropin_text(const std::string& profile, const std::string& cpus);

}  // namespace tune::linux_platform
