// Where each cpu setting lives on a Linux host, and how its files read and
// write: a governor per cpufreq policy, an energy bias per CPU, intel_pstate's
// global percentages, boost, and the idle states a wake-up latency rules out.
#pragma once

#include "platform/linux/member_values.h"
#include "util/result.h"
#include "util/system.h"

#include <string>
#include <vector>

namespace tune::linux_platform {

inline constexpr const char* kCpuDir = "/sys/devices/system/cpu";

// The cpu keys tune can set (docs/PROFILES.md), in the order they are applied:
// the governor before the preference it gates, max before min when raising.
const std::vector<std::string>& cpu_keys();

struct CpuSetting {
  std::vector<std::string> members;  // "policy0", "cpu3"; "global" for one file
  std::string unavailable;           // why the host lacks it; empty when it has it
  std::string read_only;             // a file of it that no one may write; empty when all may be
};

// The files that hold key for member ("/sys/.../policy0/scaling_governor");
// for cstate_latency_us, each idle state's disable file.
std::vector<std::string> cpu_member_files(const System& system, const std::string& key, const std::string& member);

// Which members carry key on this host.
CpuSetting locate_cpu_setting(const System& system, const std::string& key);

// The live value of every member, as tune shows it: numbers for the energy
// bias, true/false for boost, the disabled idle states ("C6,C1E" or "none")
// for cstate_latency_us.
Result<MemberValues> read_cpu_values(const System& system, const std::string& key, const CpuSetting& setting);

Status write_cpu_value(System& system, const std::string& key, const std::string& member, const std::string& value);

// Whether two values of key say the same ("performance" and "0" for the
// energy bias, "1" and "true" for boost, idle states in any order).
bool same_cpu_value(const std::string& key, const std::string& a, const std::string& b);

// The values the host offers for key, where it lists them (governors,
// preferences), over every member; empty when it does not list them.
std::vector<std::string> offered_cpu_values(const System& system, const std::string& key, const CpuSetting& setting);

// The energy bias names the kernel accepts, as the numbers it reads back.
std::optional<std::string> energy_bias_number(const std::string& value);

// cstate_latency_us: one CPU's idle states as (name, exit latency in us, disabled).
struct IdleState {
  std::string dir;   // "state3"
  std::string name;  // "C6"
  long long latency_us = 0;
  bool disabled = false;
};
std::vector<IdleState> read_idle_states(const System& system, const std::string& cpu);

}  // namespace tune::linux_platform
