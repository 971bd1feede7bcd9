#include "platform/linux/cpu_files.h"

#include "platform/linux/sysfs_attribute.h"
#include "util/text.h"

#include <algorithm>
#include <set>

namespace tune::linux_platform {
namespace {

const std::string kCpufreq = std::string(kCpuDir) + "/cpufreq";
const std::string kIntelPstate = std::string(kCpuDir) + "/intel_pstate";

bool per_policy(const std::string& key) {
  return key == "governor" || key == "energy_performance_preference" || key == "min_freq_khz" || key == "max_freq_khz";
}

const char* policy_file(const std::string& key) {
  if (key == "governor") return "scaling_governor";
  if (key == "energy_performance_preference") return "energy_performance_preference";
  if (key == "min_freq_khz") return "scaling_min_freq";
  return "scaling_max_freq";
}

std::string cpufreq_driver(const System& system, const std::vector<std::string>& policies) {
  if (policies.empty()) return "";
  auto driver = read_attribute(system, kCpufreq + "/" + policies.front() + "/scaling_driver");
  return driver && driver->exists ? driver->text : "the cpufreq driver";
}

// Idle state names are words in practice; a blank would break the value's form.
std::string state_word(std::string name) {
  std::replace(name.begin(), name.end(), ' ', '_');
  std::replace(name.begin(), name.end(), ',', '_');
  std::replace(name.begin(), name.end(), '=', '_');
  return name;
}

std::set<std::string> state_set(const std::string& value) {
  if (value == "none") return {};
  auto names = split(value, ',');
  return {names.begin(), names.end()};
}

bool truthy(const std::string& value) { return value == "1" || value == "true" || value == "yes" || value == "on"; }

std::string member_path(const std::string& key, const std::string& member) {
  if (per_policy(key)) return kCpufreq + "/" + member + "/" + policy_file(key);
  if (key == "energy_perf_bias") return std::string(kCpuDir) + "/" + member + "/power/energy_perf_bias";
  if (key == "resume_latency_us") return std::string(kCpuDir) + "/" + member + "/power/pm_qos_resume_latency_us";
  if (key == "min_perf_pct" || key == "max_perf_pct") return kIntelPstate + "/" + key;
  return "";
}

}  // namespace

const std::vector<std::string>& cpu_keys() {
  static const std::vector<std::string> kKeys = {"governor",     "energy_performance_preference", "energy_perf_bias",
                                                 "max_freq_khz", "min_freq_khz",  "max_perf_pct",
                                                 "min_perf_pct", "boost",         "cstate_latency_us",
                                                 "resume_latency_us"};
  return kKeys;
}

std::vector<std::string> cpu_member_files(const System& system, const std::string& key, const std::string& member) {
  if (key == "cstate_latency_us") {
    std::vector<std::string> files;
    for (const auto& state : read_idle_states(system, member)) {
      files.push_back(std::string(kCpuDir) + "/" + member + "/cpuidle/" + state.dir + "/disable");
    }
    return files;
  }
  if (key == "boost") {
    return {system.stat(kCpufreq + "/boost").value_or_default().exists ? kCpufreq + "/boost" : kIntelPstate + "/no_turbo"};
  }
  return {member_path(key, member)};
}

namespace {

CpuSetting find_members(const System& system, const std::string& key);

}  // namespace

CpuSetting locate_cpu_setting(const System& system, const std::string& key) {
  CpuSetting setting = find_members(system, key);
  for (const auto& member : setting.members) {
    for (const auto& file : cpu_member_files(system, key, member)) {
      auto info = system.stat(file).value_or_default();
      if (setting.read_only.empty() && info.exists && (info.mode & 0222) == 0) setting.read_only = file;
    }
  }
  return setting;
}

namespace {

CpuSetting find_members(const System& system, const std::string& key) {
  CpuSetting setting;
  const auto policies = numbered_entries(system, kCpufreq, "policy");
  const bool has_pstate = system.stat(kIntelPstate).value_or_default().is_dir;
  if (per_policy(key)) {
    if (policies.empty()) {
      setting.unavailable = "no cpufreq driver";
      return setting;
    }
    for (const auto& policy : policies) {
      if (system.stat(member_path(key, policy)).value_or_default().exists) setting.members.push_back(policy);
    }
    if (setting.members.empty()) setting.unavailable = cpufreq_driver(system, policies) + " has no " + policy_file(key);
    return setting;
  }
  if (key == "energy_perf_bias" || key == "cstate_latency_us" || key == "resume_latency_us") {
    for (const auto& cpu : numbered_entries(system, kCpuDir, "cpu")) {
      const std::string probe = key == "cstate_latency_us" ? std::string(kCpuDir) + "/" + cpu + "/cpuidle/state0"
                                                           : member_path(key, cpu);
      if (system.stat(probe).value_or_default().exists) setting.members.push_back(cpu);
    }
    if (setting.members.empty()) {
      setting.unavailable = key == "energy_perf_bias"  ? "this CPU has no energy_perf_bias (an Intel interface)"
                            : key == "resume_latency_us" ? "this kernel shows no CPU pm_qos_resume_latency_us"
                                                         : "no cpuidle driver";
    }
    return setting;
  }
  if (key == "min_perf_pct" || key == "max_perf_pct") {
    if (has_pstate && system.stat(member_path(key, "global")).value_or_default().exists) {
      setting.members = {"global"};
    } else {
      setting.unavailable = policies.empty() ? "no cpufreq driver"
                                             : key + " is intel_pstate's, and this host runs " +
                                                   cpufreq_driver(system, policies) + " (use " +
                                                   (key == "min_perf_pct" ? "min_freq_khz" : "max_freq_khz") + ")";
    }
    return setting;
  }
  if (key == "boost") {
    if (system.stat(kCpufreq + "/boost").value_or_default().exists ||
        system.stat(kIntelPstate + "/no_turbo").value_or_default().exists) {
      setting.members = {"global"};
    } else {
      setting.unavailable = policies.empty() ? "no cpufreq driver" : cpufreq_driver(system, policies) + " has no boost control";
    }
    return setting;
  }
  setting.unavailable = "tune does not know the cpu key '" + key + "'";
  return setting;
}

}  // namespace

std::vector<IdleState> read_idle_states(const System& system, const std::string& cpu) {
  std::vector<IdleState> states;
  const std::string dir = std::string(kCpuDir) + "/" + cpu + "/cpuidle";
  for (const auto& entry : numbered_entries(system, dir, "state")) {
    IdleState state;
    state.dir = entry;
    const std::string base = dir + "/" + entry + "/";
    state.name = state_word(trim(system.read_file(base + "name").value_or_default()));
    if (state.name.empty()) state.name = entry;
    state.latency_us = parse_integer(trim(system.read_file(base + "latency").value_or_default())).value_or(0);
    state.disabled = trim(system.read_file(base + "disable").value_or_default()) == "1";
    states.push_back(state);
  }
  return states;
}

Result<MemberValues> read_cpu_values(const System& system, const std::string& key, const CpuSetting& setting) {
  MemberValues values;
  for (const auto& member : setting.members) {
    std::string value;
    if (key == "cstate_latency_us") {
      std::vector<std::string> disabled;
      for (const auto& state : read_idle_states(system, member)) {
        if (state.disabled) disabled.push_back(state.name);
      }
      value = disabled.empty() ? "none" : join(disabled, ",");
    } else if (key == "boost") {
      auto boost = read_attribute(system, kCpufreq + "/boost");
      if (!boost) return boost.error();
      if (boost->exists) {
        value = truthy(boost->text) ? "true" : "false";
      } else {
        auto no_turbo = read_attribute(system, kIntelPstate + "/no_turbo");
        if (!no_turbo) return no_turbo.error();
        value = truthy(no_turbo->text) ? "false" : "true";
      }
    } else {
      auto attribute = read_attribute(system, member_path(key, member));
      if (!attribute) return attribute.error();
      if (!attribute->exists) return make_error("{}: no such file", member_path(key, member));
      value = attribute->text;
    }
    values.emplace_back(member, value);
  }
  return values;
}

Status write_cpu_value(System& system, const std::string& key, const std::string& member, const std::string& value) {
  if (key == "cstate_latency_us") {
    const auto disabled = state_set(value);
    for (const auto& state : read_idle_states(system, member)) {
      const bool wanted = disabled.count(state.name) > 0;
      if (wanted == state.disabled) continue;
      TUNE_RETURN_IF_ERROR(system.write_attribute(std::string(kCpuDir) + "/" + member + "/cpuidle/" + state.dir + "/disable",
                                                  wanted ? "1" : "0"));
    }
    return {};
  }
  if (key == "boost") {
    if (system.stat(kCpufreq + "/boost").value_or_default().exists) {
      return system.write_attribute(kCpufreq + "/boost", truthy(value) ? "1" : "0");
    }
    return system.write_attribute(kIntelPstate + "/no_turbo", truthy(value) ? "0" : "1");
  }
  if (key == "energy_perf_bias") {
    // The kernel takes names too, but reads back numbers: write what it will show.
    return system.write_attribute(member_path(key, member), energy_bias_number(value).value_or(value));
  }
  return system.write_attribute(member_path(key, member), value);
}

std::optional<std::string> energy_bias_number(const std::string& value) {
  static const std::vector<std::pair<std::string, std::string>> kNames = {
      {"performance", "0"}, {"balance-performance", "4"}, {"normal", "6"}, {"balance-power", "8"}, {"power", "15"}};
  for (const auto& [name, number] : kNames) {
    if (value == name) return number;
  }
  if (auto number = parse_integer(value); number && *number >= 0 && *number <= 15) return std::to_string(*number);
  return std::nullopt;
}

bool same_cpu_value(const std::string& key, const std::string& a, const std::string& b) {
  if (key == "boost") return same_members(a, b, [](const std::string& x, const std::string& y) { return truthy(x) == truthy(y); });
  if (key == "energy_perf_bias") {
    return same_members(a, b, [](const std::string& x, const std::string& y) {
      return energy_bias_number(x).value_or(x) == energy_bias_number(y).value_or(y);
    });
  }
  if (key == "cstate_latency_us") {
    return same_members(a, b, [](const std::string& x, const std::string& y) { return state_set(x) == state_set(y); });
  }
  return same_members(a, b);
}

std::vector<std::string> offered_cpu_values(const System& system, const std::string& key, const CpuSetting& setting) {
  const char* list = key == "governor"                          ? "scaling_available_governors"
                     : key == "energy_performance_preference" ? "energy_performance_available_preferences"
                                                                : nullptr;
  if (list == nullptr) return {};
  std::vector<std::string> offered;
  bool first = true;
  for (const auto& member : setting.members) {
    auto words = split_whitespace(system.read_file(kCpufreq + "/" + member + "/" + list).value_or_default());
    if (first) {
      offered = words;
      first = false;
    } else {
      // Only what every policy offers can be set on all of them.
      offered.erase(std::remove_if(offered.begin(), offered.end(),
                                   [&](const std::string& value) {
                                     return std::find(words.begin(), words.end(), value) == words.end();
                                   }),
                    offered.end());
    }
  }
  return offered;
}

}  // namespace tune::linux_platform
