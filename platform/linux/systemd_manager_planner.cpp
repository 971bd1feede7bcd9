#include "platform/linux/systemd_manager_planner.h"

#include "core/file_knob.h"
#include "core/profile_host.h"
#include "platform/linux/cpu_sets.h"
#include "platform/linux/manager_limits.h"
#include "platform/linux/systemd_manager_knob.h"

#include <algorithm>

namespace tune::linux_platform {

Status SystemdManagerPlanner::plan(const PlanRequest& request, Plan& plan) const {
  const System& system = request.system;
  for (const Setting* setting : request.profile.in_domain("systemd")) {
    auto skip = [&](const std::string& reason) {
      plan.skipped.push_back({"systemd", setting->key, setting->want.describe(), reason, setting_origin(*setting)});
    };
    if (setting->key != kCpuAffinity) {
      skip("tune sets only CPUAffinity of systemd's manager");
      continue;
    }
    if (setting->want.op != Want::Op::Exact || setting->want.values.size() != 1) {
      skip("a CPU list is given as one value");
      continue;
    }
    auto cpus = parse_systemd_cpus(setting->want.values.front());
    if (!cpus || cpus->empty()) {
      skip("'" + setting->want.values.front() + "' is not a CPU list (such as 0-3,8)");
      continue;
    }
    if (auto possible = host_cpus(system, "possible")) {
      CpuSet missing;
      std::set_difference(cpus->begin(), cpus->end(), possible->begin(), possible->end(),
                          std::inserter(missing, missing.end()));
      if (!missing.empty()) {
        skip(describe_cpus(missing) + " not on this host (it has " + describe_cpus(*possible) + ")");
        continue;
      }
    }
    if (auto online = host_cpus(system, "online")) {
      if (std::none_of(cpus->begin(), cpus->end(), [&](unsigned cpu) { return online->count(cpu) != 0; })) {
        skip("names no online CPU (online: " + format_cpulist(*online) + "): systemd and every service would have none");
        continue;
      }
    }
    const std::string wanted = format_cpulist(*cpus);
    auto config = manager_config(system);
    if (!config) return config.error();
    const std::string text = cpu_affinity_dropin_text(request.profile.name, wanted);
    ConfigSet after = *config;
    put_drop_in(after.drop_ins, kCpuAffinityDropIn, text);
    ManagerCpuAffinity result = manager_cpu_affinity(after);
    if (!result.cpus || !same_cpulist(*result.cpus, wanted)) {
      skip(result.from + " sets CPUAffinity after tune's drop-in, so systemd would take " + result.cpus.value_or("none") +
           ": remove it there");
      continue;
    }
    Change view;
    view.domain = kSystemdManagerDomain;
    view.target = kCpuAffinity;
    view.before = manager_cpu_affinity(*config).cpus;
    view.after = wanted;
    const bool same = view.before && same_cpulist(*view.before, wanted);
    view.action = same ? Action::None : view.before ? Action::Modify : Action::Create;
    if (same) view.after = view.before;
    view.persistence = Persistence::Boot;
    view.needs_reboot = true;
    view.reason = setting_origin(*setting);
    const auto running = pid1_cpus(system);
    if (!running || !same_cpulist(*running, wanted)) {
      view.note = "from the next boot" + (running ? " (PID 1 runs on CPUs " + *running + " now)" : std::string());
    }
    auto file = plan_file(system, kCpuAffinityDropIn, text, 0644,
                          request.profile.name + " (systemd CPUAffinity, read at the next boot)");
    if (!file) return file.error();
    plan.changes.push_back(std::move(view));
    plan.changes.push_back(std::move(*file));
  }
  return {};
}

}  // namespace tune::linux_platform
