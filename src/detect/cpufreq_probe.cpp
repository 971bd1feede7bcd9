// CPU frequency scaling: driver, governors, energy-performance preference,
// boost. Read from the first policy: tune sets all policies alike.
#include "detect/probes.h"

#include "util/text.h"

#include <algorithm>

namespace tune::detect {
namespace {

constexpr const char* kCpufreq = "/sys/devices/system/cpu/cpufreq";

std::optional<int> policy_number(const std::string& name) {
  if (!starts_with(name, "policy")) return std::nullopt;
  auto number = parse_integer(name.substr(6));
  if (!number || *number < 0) return std::nullopt;
  return static_cast<int>(*number);
}

std::vector<std::string> words(Probe& probe, const std::string& path) {
  auto text = probe.read(path);
  return text ? split_whitespace(*text) : std::vector<std::string>{};
}

}  // namespace

void probe_cpufreq(Probe& probe) {
  CpuFreqFacts& cpufreq = probe.facts().cpufreq;
  std::optional<int> first;
  for (const auto& name : probe.list(kCpufreq)) {
    auto number = policy_number(name);
    if (number && (!first || *number < *first)) first = number;
  }
  if (!first) {
    // Only a readable CPU directory makes "no policy" a finding, not a gap.
    if (probe.exists("/sys/devices/system/cpu/cpu0")) {
      cpufreq.driver = "none";
      probe.note("cpufreq.driver", "no cpufreq policy under /sys/devices/system/cpu/cpufreq (usual in VMs)");
    }
    return;
  }
  const std::string policy = std::string(kCpufreq) + "/policy" + std::to_string(*first);
  cpufreq.driver = probe.line(policy + "/scaling_driver");
  cpufreq.governor = probe.line(policy + "/scaling_governor");
  cpufreq.governors = words(probe, policy + "/scaling_available_governors");
  cpufreq.epp = probe.line(policy + "/energy_performance_preference");
  cpufreq.epp_choices = words(probe, policy + "/energy_performance_available_preferences");
  if (!cpufreq.governor.empty() && !cpufreq.governors.empty() &&
      std::find(cpufreq.governors.begin(), cpufreq.governors.end(), cpufreq.governor) == cpufreq.governors.end()) {
    probe.warn(policy + "/scaling_governor: '" + cpufreq.governor + "' is not among the available governors");
  }

  // intel_pstate says "no turbo"; acpi-cpufreq and amd-pstate say "boost",
  // globally or (Linux 6.11 and later) per policy.
  if (probe.exists("/sys/devices/system/cpu/intel_pstate/no_turbo") && starts_with(cpufreq.driver, "intel_")) {
    if (auto no_turbo = probe.flag("/sys/devices/system/cpu/intel_pstate/no_turbo")) cpufreq.boost = !*no_turbo;
  } else if (probe.exists(std::string(kCpufreq) + "/boost")) {
    cpufreq.boost = probe.flag(std::string(kCpufreq) + "/boost");
  } else if (probe.exists(policy + "/boost")) {
    cpufreq.boost = probe.flag(policy + "/boost");
  }
}

}  // namespace tune::detect
