#include "platform/linux/cpu_planner.h"

#include "core/file_knob.h"
#include "core/knowledge.h"
#include "core/profile_host.h"
#include "platform/linux/cpu_files.h"
#include "platform/linux/sysfs_attribute.h"
#include "platform/linux/tmpfiles.h"
#include "util/text.h"

#include <algorithm>
#include <map>
#include <set>

namespace tune::linux_platform {
namespace {

std::string bool_word(const std::string& value) {
  return value == "1" || value == "true" || value == "yes" || value == "on" ? "true" : "false";
}

// The wanted value in the form the kernel reads back: numbers for the energy
// bias, true/false for boost.
Want normalized(const std::string& key, Want want) {
  for (auto& value : want.values) {
    if (key == "energy_perf_bias") value = energy_bias_number(value).value_or(value);
    if (key == "boost") value = bool_word(value);
  }
  return want;
}

// What one setting becomes on one member, or why it cannot.
struct MemberPlan {
  std::string value;
  std::string refusal;
};

MemberPlan plan_member(const System& system, const std::string& key, const std::string& member, const std::string& live,
                       const Want& want, const std::vector<std::string>& offered, const std::string& driver) {
  if (key == "cstate_latency_us") {
    // Idle states slower to wake than the limit stay off; the rest stay as they are.
    const long long limit = parse_integer(want.values.at(0)).value_or(0);
    std::vector<std::string> disabled;
    for (const auto& state : read_idle_states(system, member)) {
      if (state.disabled || state.latency_us > limit) disabled.push_back(state.name);
    }
    return {disabled.empty() ? "none" : join(disabled, ","), ""};
  }
  if (want.satisfied_by(live)) return {live, ""};
  Want choices = want;
  if (!offered.empty() && (key != "energy_performance_preference" || !parse_integer(want.values.at(0)))) {
    choices.values.erase(std::remove_if(choices.values.begin(), choices.values.end(),
                                        [&](const std::string& value) {
                                          return std::find(offered.begin(), offered.end(), value) == offered.end();
                                        }),
                         choices.values.end());
    if (choices.values.empty()) {
      return {"", "value not offered: " + driver + " offers " + offered_list(offered)};
    }
  }
  std::string value = choices.target_for(live);
  if (key == "min_freq_khz" || key == "max_freq_khz") {
    const std::string base = std::string(kCpuDir) + "/cpufreq/" + member + "/";
    auto low = parse_integer(trim(system.read_file(base + "cpuinfo_min_freq").value_or_default()));
    auto high = parse_integer(trim(system.read_file(base + "cpuinfo_max_freq").value_or_default()));
    auto asked = parse_integer(value);
    if (low && high && asked && (*asked < *low || *asked > *high)) {
      return {"", fmt::format("out of range here: {} runs from {} to {} kHz", member, *low, *high)};
    }
  }
  return {value, ""};
}

std::string note_for(const System& system, const std::string& key, const CpuSetting& setting, const Want& want) {
  if (key == "cstate_latency_us") {
    std::vector<std::string> slow;
    for (const auto& state : read_idle_states(system, setting.members.front())) {
      if (state.latency_us > parse_integer(want.values.at(0)).value_or(0)) {
        slow.push_back(fmt::format("{} ({} us)", state.name, state.latency_us));
      }
    }
    return "idle states slower to wake than " + want.values.at(0) + " us are disabled" +
           (slow.empty() ? "" : ": " + join(slow, ", "));
  }
  if (key == "resume_latency_us") {
    // The kernel's two special values read like numbers and mean the opposite of each other.
    const std::string& value = want.values.at(0);
    const std::string meaning = value == "n/a" ? "no resume latency: idle CPUs only poll"
                                : value == "0" ? "no resume latency limit"
                                               : "idle states that resume within " + value + " us";
    return fmt::format("{} on {} CPUs", meaning, setting.members.size());
  }
  if (setting.members.size() > 1) {
    return fmt::format("on {} {}", setting.members.size(), starts_with(setting.members.front(), "policy") ? "cpufreq policies" : "CPUs");
  }
  return "";
}

// The lines that set a value again at boot: a glob when every member has it.
void add_boot_writes(const System& system, const std::string& key, const CpuSetting& setting, const std::string& value,
                     std::vector<BootWrite>& writes) {
  auto values = decode_members(value, setting.members);
  if (!values) return;
  std::set<std::string> distinct;
  for (const auto& [member, member_value] : *values) distinct.insert(member_value);
  const bool uniform = distinct.size() == 1 && setting.members.size() > 1;
  if (key == "cstate_latency_us") {
    for (const auto& member : uniform ? std::vector<std::string>{setting.members.front()} : setting.members) {
      const auto off = split(values->at(member), ',');
      for (const auto& state : read_idle_states(system, member)) {
        if (std::find(off.begin(), off.end(), state.name) == off.end()) continue;
        writes.push_back({std::string(kCpuDir) + "/" + (uniform ? "cpu*" : member) + "/cpuidle/" + state.dir + "/disable", "1"});
      }
    }
    return;
  }
  for (const auto& member : uniform ? std::vector<std::string>{setting.members.front()} : setting.members) {
    std::string path = cpu_member_files(system, key, member).front();
    std::string member_value = values->at(member);
    if (key == "boost") member_value = ends_with(path, "no_turbo") ? (bool_word(member_value) == "true" ? "0" : "1")
                                                                 : (bool_word(member_value) == "true" ? "1" : "0");
    if (uniform) {
      auto at = path.find("/" + member + "/");
      path.replace(at + 1, member.size(), starts_with(member, "policy") ? "policy*" : "cpu*");
    }
    writes.push_back({path, member_value});
  }
}

}  // namespace

Status CpuPlanner::plan(const PlanRequest& request, Plan& plan) const {
  std::vector<const Setting*> settings = request.profile.in_domain("cpu");
  if (settings.empty()) return {};
  const auto& order = cpu_keys();
  auto rank = [&](const Setting* s) { return std::find(order.begin(), order.end(), s->key) - order.begin(); };
  std::stable_sort(settings.begin(), settings.end(), [&](const Setting* a, const Setting* b) { return rank(a) < rank(b); });

  const System& system = request.system;
  std::vector<BootWrite> boot;
  std::vector<Change> changes;
  for (const Setting* setting : settings) {
    const std::string& key = setting->key;
    const std::string origin = setting_origin(*setting);
    auto skip = [&](const std::string& reason) {
      plan.skipped.push_back({"cpu", key, setting->want.describe(), reason, origin});
    };
    CpuSetting located = locate_cpu_setting(system, key);
    if (!located.unavailable.empty()) {
      skip("not available here: " + located.unavailable);
      continue;
    }
    if (!located.read_only.empty()) {
      skip("read-only here: " + located.read_only);
      continue;
    }
    auto live = read_cpu_values(system, key, located);
    if (!live) return live.error();
    const Want want = normalized(key, setting->want);
    const auto offered = offered_cpu_values(system, key, located);
    const std::string driver =
        trim(system.read_file(std::string(kCpuDir) + "/cpufreq/" + located.members.front() + "/scaling_driver").value_or_default());
    MemberValues wanted;
    std::string refusal;
    for (const auto& [member, value] : *live) {
      MemberPlan member_plan = plan_member(system, key, member, value, want, offered, driver.empty() ? "this host" : driver);
      if (!member_plan.refusal.empty()) {
        refusal = member_plan.refusal;
        break;
      }
      wanted.emplace_back(member, member_plan.value);
    }
    if (!refusal.empty()) {
      skip(refusal);
      continue;
    }
    Change change;
    change.domain = "cpu";
    change.target = key;
    change.before = encode_members(*live);
    change.after = encode_members(wanted);
    change.action = same_cpu_value(key, *change.before, *change.after) ? Action::None : Action::Modify;
    if (change.action == Action::None) change.after = change.before;
    change.persistence = Persistence::File;
    change.reason = origin;
    change.note = note_for(system, key, located, want);
    add_boot_writes(system, key, located, *change.after, boot);
    changes.push_back(std::move(change));
  }
  // Lowering both frequency limits: the new maximum is below the old minimum
  // somewhere, so the minimum must come down first.
  auto at = [&](const char* key) {
    return std::find_if(changes.begin(), changes.end(), [&](const Change& c) { return c.target == key; });
  };
  auto max_change = at("max_freq_khz");
  auto min_change = at("min_freq_khz");
  if (max_change != changes.end() && min_change != changes.end() && max_change->after && min_change->before) {
    auto new_max = decode_members(*max_change->after, locate_cpu_setting(system, "max_freq_khz").members);
    auto old_min = decode_members(*min_change->before, locate_cpu_setting(system, "min_freq_khz").members);
    bool lowering = false;
    if (new_max && old_min) {
      for (const auto& [member, value] : *new_max) {
        auto it = old_min->find(member);
        if (it != old_min->end() && compare_whole_numbers(value, it->second).value_or(0) < 0) lowering = true;
      }
    }
    if (lowering) std::iter_swap(max_change, min_change);
  }
  if (changes.empty()) return {};
  for (auto& change : changes) plan.changes.push_back(std::move(change));
  auto file = plan_file(system, kCpuBootFile, tmpfiles_text(request.profile.name, "CPU frequency and idle settings", boot),
                        0644, request.profile.name + " (cpu settings, so they hold after a reboot)");
  if (!file) return file.error();
  plan.changes.push_back(std::move(*file));
  return {};
}

}  // namespace tune::linux_platform
