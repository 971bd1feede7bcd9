#include "platform/linux/systemd_manager_knob.h"

#include "core/file_knob.h"
#include "platform/linux/cpu_sets.h"
#include "platform/linux/manager_limits.h"
#include "util/text.h"

namespace tune::linux_platform {

ManagerCpuAffinity manager_cpu_affinity(const ConfigSet& config) {
  std::optional<CpuSet> merged;
  ManagerCpuAffinity result;
  for (const auto& file : config.in_order()) {
    for (const auto& directive : manager_directives(file.text)) {
      if (directive.key != kCpuAffinity) continue;
      const std::string from = file.path + ":" + std::to_string(directive.line);
      if (directive.value.empty()) {
        merged.reset();
        result.from = from;
        continue;
      }
      auto cpus = parse_systemd_cpus(directive.value);
      if (!cpus) continue;  // systemd logs it and keeps what it had
      if (!merged) merged = CpuSet{};
      merged->insert(cpus->begin(), cpus->end());
      result.from = from;
    }
  }
  if (merged) result.cpus = format_cpulist(*merged);
  return result;
}

std::optional<std::string> pid1_cpus(const System& system) {
  auto status = system.read_file("/proc/1/status");
  if (!status) return std::nullopt;
  for (const auto& line : split_lines(*status)) {
    if (!starts_with(line, "Cpus_allowed_list:")) continue;
    auto cpus = parse_cpulist(trim(line.substr(18)));
    if (cpus) return format_cpulist(*cpus);
  }
  return std::nullopt;
}

std::string cpu_affinity_dropin_text(const std::string& profile, const std::string& cpus) {
  // The empty assignment first: masks from earlier files would merge with this one.
  return tune_file_header(profile, "the CPUs systemd and the services it starts run on, from the next boot") +
         "[Manager]\nCPUAffinity=\nCPUAffinity=" + cpus + "\n";
}

Result<Observation> SystemdManagerKnob::observe(const System& system, const std::string& target) const {
  if (target != kCpuAffinity) return make_error("systemd_manager: '{}' is not a manager setting tune sets", target);
  auto config = manager_config(system);
  if (!config) return config.error();
  Observation observation;
  observation.value = manager_cpu_affinity(*config).cpus;
  if (observation.value) observation.prior = PriorState::of_value(*observation.value);
  const auto running = pid1_cpus(system);
  if (observation.value && running && !same_cpulist(*running, *observation.value)) {
    observation.pending = "PID 1 runs on CPUs " + *running + "; systemd takes " + *observation.value +
                          " at the next boot";
  }
  return observation;
}

// The drop-in's file step sets and restores the value.
Status SystemdManagerKnob::apply(System&, const Change&) const { return {}; }
Status SystemdManagerKnob::restore(System&, const std::string&, const PriorState&) const { return {}; }

bool SystemdManagerKnob::same(const std::optional<std::string>& live, const std::optional<std::string>& wanted) const {
  if (!live || !wanted) return live == wanted;
  return same_cpulist(*live, *wanted);
}

}  // namespace tune::linux_platform
