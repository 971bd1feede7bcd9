#include "platform/linux/net_planner.h"

#include "core/file_knob.h"
#include "core/profile_host.h"
#include "platform/linux/net_ethtool.h"
#include "platform/linux/net_knob.h"
#include "util/text.h"

#if defined(_WIN32)
#include "core/knowledge.h"
#else
#include <fnmatch.h>
#endif

#include <algorithm>
#include <map>
#include <set>

namespace tune::linux_platform {
namespace {

int specificity(const std::string& scope) {
  if (scope == "all") return 0;
  if (scope.find_first_of("*?[") != std::string::npos) return 1;
  return 2;
}

std::string scope_words(const std::string& scope) {
  if (scope == "all") return "backed by a device";
  return "named " + scope;
}

// "features.gro" -> "features.rx-gro": one target per kernel feature, whatever name the profile used.
std::string canonical_key(const std::string& key) {
  auto dot = key.find('.');
  if (dot == std::string::npos || key.substr(0, dot) != "features") return key;
  return "features." + canonical_feature(key.substr(dot + 1));
}

bool interface_matches(const std::string& pattern, const std::string& name) {
#if defined(_WIN32)
  return glob_match(pattern, name, '\0');  // MinGW has no fnmatch: '*' globs only there
#else
  return ::fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
#endif
}

std::vector<std::string> interfaces_of(const System& system, const std::string& scope) {
  if (scope == "all") return nic_interfaces(system);
  std::vector<std::string> reached;
  for (const auto& name : all_interfaces(system)) {
    if (interface_matches(scope, name)) reached.push_back(name);
  }
  return reached;
}

// The ethtool option that sets a group, in the udev rule.
const char* ethtool_option(const std::string& group) {
  if (group == "features") return "-K";
  if (group == "channels") return "-L";
  if (group == "rings") return "-G";
  return "-C";
}

std::string udev_match(const std::string& scope) {
  // "all" is what the planner reached: interfaces backed by a device.
  if (scope == "all") return "TEST==\"device\"";
  return "KERNEL==\"" + scope + "\"";
}

size_t group_rank(const std::string& group) {
  const auto& groups = nic_groups();
  return static_cast<size_t>(std::find(groups.begin(), groups.end(), group) - groups.begin());
}

}  // namespace

Status NetPlanner::plan(const PlanRequest& request, Plan& plan) const {
  const std::vector<const Setting*> settings = request.profile.in_domain("net");
  if (settings.empty()) return {};
  const System& system = request.system;

  // (interface, canonical key) -> the setting that decides it.
  std::map<std::pair<std::string, std::string>, const Setting*> chosen;
  for (const Setting* setting : settings) {
    auto reached = interfaces_of(system, setting->scope);
    if (reached.empty()) {
      plan.skipped.push_back({"net", setting->target(), setting->want.describe(),
                              "not available here: no network interface here is " + scope_words(setting->scope),
                              setting_origin(*setting)});
      continue;
    }
    for (const auto& interface : reached) {
      const Setting*& slot = chosen[{interface, canonical_key(setting->key)}];
      if (!slot || specificity(setting->scope) > specificity(slot->scope)) slot = setting;
    }
  }

  // Interfaces in name order; in each, the groups in apply order (channels before rings).
  std::vector<std::pair<std::string, std::string>> order;
  for (const auto& [address, setting] : chosen) order.push_back(address);
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return group_rank(a.second.substr(0, a.second.find('.'))) < group_rank(b.second.substr(0, b.second.find('.')));
  });

  NetKnob knob;
  std::set<const Setting*> decided;
  std::map<const Setting*, std::set<std::string>> persisted_values;
  std::map<const Setting*, std::vector<std::string>> refusals;
  for (const auto& address : order) {
    const auto& [interface, key] = address;
    const Setting& setting = *chosen[address];
    const std::string target = interface + "/" + key;
    // Every reason names the interface already.
    auto refuse = [&](const std::string& why) { refusals[&setting].push_back(why); };
    auto parsed = parse_net_target(target);
    if (!parsed) return parsed.error();
    auto observed = knob.observe(system, target);
    if (!observed) return observed.error();
    if (!observed->supported || !observed->writable) {
      refuse(observed->note);
      continue;
    }
    const std::string live = *observed->value;
    std::string wanted = setting.want.satisfied_by(live) ? live : setting.want.target_for(live);
    if (parsed->group == "channels" || parsed->group == "rings") {
      auto group = read_nic_group(system, interface, parsed->group);
      if (!group) return group.error();
      const NicSetting* current = find_nic_setting(*group, parsed->name);
      auto number = parse_integer(wanted);
      if (current && current->max && number && *number >= 0 && static_cast<uint64_t>(*number) > *current->max) {
        refuse("the driver of " + interface + " allows at most " + std::to_string(*current->max) + " " + parsed->name +
               (parsed->group == "channels" ? " channels" : " ring entries"));
        continue;
      }
    }
    Change change;
    change.domain = "net";
    change.target = target;
    change.before = live;
    change.after = wanted;
    change.action = wanted == live ? Action::None : Action::Modify;
    change.persistence = Persistence::File;
    change.reason = setting_origin(setting);
    if (setting.scope != interface) change.note = setting.scope == "all" ? "all NICs" : "named " + setting.scope;
    plan.changes.push_back(std::move(change));
    decided.insert(&setting);
    persisted_values[&setting].insert(wanted);
  }
  for (const Setting* setting : settings) {
    if (decided.count(setting)) continue;
    auto it = refusals.find(setting);
    bool reached = std::any_of(chosen.begin(), chosen.end(), [&](const auto& entry) { return entry.second == setting; });
    if (it != refusals.end()) {
      plan.skipped.push_back({"net", setting->target(), setting->want.describe(), join(it->second, "; "), setting_origin(*setting)});
    } else if (!reached && !interfaces_of(system, setting->scope).empty()) {
      plan.skipped.push_back({"net", setting->target(), setting->want.describe(),
                              "every interface it names is set by a more specific scope", setting_origin(*setting)});
    }
  }
  if (decided.empty()) return {};

  // One line per scope and group, least specific scope first: udev runs them
  // in order, so at boot the more specific value wins, as it does here.
  std::map<std::string, std::vector<const Setting*>> by_scope;
  for (const Setting* setting : settings) {
    if (decided.count(setting)) by_scope[setting->scope].push_back(setting);
  }
  std::vector<std::string> scopes;
  for (const auto& [scope, members] : by_scope) scopes.push_back(scope);
  std::stable_sort(scopes.begin(), scopes.end(),
                   [](const std::string& a, const std::string& b) { return specificity(a) < specificity(b); });
  std::string rules = tune_file_header(request.profile.name,
                                       "NIC settings through ethtool, for the interfaces present at boot and any added later");
  for (const auto& scope : scopes) {
    for (const auto& group : nic_groups()) {
      std::string arguments;
      for (const Setting* setting : by_scope[scope]) {
        const std::string key = canonical_key(setting->key);
        if (key.substr(0, key.find('.')) != group) continue;
        const auto& values = persisted_values[setting];
        std::string value = values.size() == 1 ? *values.begin() : setting->want.values.front();
        if (values.size() > 1) {
          plan.warnings.push_back("net " + setting->target() + ": the interfaces here differ (" +
                                  join(std::vector<std::string>(values.begin(), values.end()), ", ") + "), so " +
                                  kNetRulesFile + " sets " + value + " at boot");
        }
        arguments += " " + key.substr(key.find('.') + 1) + " " + value;
      }
      if (arguments.empty()) continue;
      rules += "ACTION==\"add|move\", SUBSYSTEM==\"net\", " + udev_match(scope) + ", RUN+=\"" + kEthtoolProgram + " " +
               ethtool_option(group) + " $name" + arguments + "\"\n";
    }
  }
  auto ethtool = system.stat(kEthtoolProgram);
  if (ethtool && !ethtool->exists) {
    plan.warnings.push_back(std::string("net: ") + kNetRulesFile + " runs " + kEthtoolProgram +
                            " at boot, which this host lacks: install ethtool, or the settings last only until the reboot");
  }
  auto file = plan_file(system, kNetRulesFile, rules, 0644,
                        request.profile.name + " (NIC settings, so they hold after a reboot and for new interfaces)");
  if (!file) return file.error();
  plan.changes.push_back(std::move(*file));
  return {};
}

}  // namespace tune::linux_platform
