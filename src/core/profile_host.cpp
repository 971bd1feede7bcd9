#include "core/profile_host.h"

#include "core/profile_functions.h"
#include "core/profile_variables.h"
#include "core/recommend.h"
#include "util/text.h"

#include <algorithm>

namespace tune {
namespace {

Skip skip_of(const Setting& setting, const std::string& reason) {
  return {setting.domain, setting.target(), setting.want.describe(), reason, setting_origin(setting)};
}

// The first condition that fails, described with the host's value.
std::optional<std::string> failing_condition(const Setting& setting, const FactMap& facts) {
  for (const auto& condition : setting.when) {
    std::string actual;
    if (!condition_holds(condition, facts, &actual)) {
      return "when " + condition.describe() + " does not hold here (" + condition.fact + " = " + actual + ")";
    }
  }
  return std::nullopt;
}

// Fill ${facts.X} and evaluate ${f:...} (profile_functions.h); the reason
// it cannot be done (an unknown fact, a failed assertion, a bad argument), or nothing.
std::optional<std::string> fill_facts(Setting& setting, const FactMap& facts) {
  for (auto& value : setting.want.values) {
    auto filled = evaluate_plan_time(value, facts);
    if (!filled) return filled.error().message;
    // A profile cannot write an empty value; one that becomes empty here
    // (no CPUs left after an inversion) is not set rather than set to nothing.
    if (trim(*filled).empty()) return "'" + value + "' is empty on this host";
    value = std::move(*filled);
  }
  return std::nullopt;
}

// Where a setting exists. The knowledge base names the OS where it matters;
// kernel domains without one are Linux's, the others (limits, services,
// environment) exist everywhere tune runs.
std::vector<std::string> operating_systems(const Setting& setting) {
  const KnowledgeEntry* entry = knowledge_for(setting);
  if (entry && !entry->os.empty()) return entry->os;
  static const std::vector<std::string> kLinuxDomains = {"sysctl", "cpu",     "block",   "memory",  "swap", "boot",
                                                         "net",    "irq",     "systemd", "sysfs",   "modules",
                                                         "selinux"};
  if (std::find(kLinuxDomains.begin(), kLinuxDomains.end(), setting.domain) != kLinuxDomains.end()) return {"linux"};
  return {};
}

bool mentions_facts(const Setting& setting) {
  return std::any_of(setting.want.values.begin(), setting.want.values.end(), has_plan_time_parts);
}

}  // namespace

std::string os_family(const FactMap& facts) {
  auto it = facts.find("os");
  if (it == facts.end() || it->second.empty()) return "";
  if (it->second == "macos" || it->second == "darwin") return "macos";
  if (it->second == "windows") return "windows";
  return "linux";
}

std::string setting_origin(const Setting& setting) { return setting.profile + " (" + setting.origin.str() + ")"; }

HostProfile specialize_for_host(const Profile& resolved, const FactMap& facts, const std::vector<std::string>& leave_alone) {
  HostProfile host;
  host.profile = resolved;
  host.profile.settings.clear();
  const std::string family = os_family(facts);
  for (const auto& requested : resolved.settings) {
    if (std::find(leave_alone.begin(), leave_alone.end(), requested.domain) != leave_alone.end()) {
      host.skipped.push_back(skip_of(requested, "the host policy leaves the " + requested.domain + " domain alone"));
      continue;
    }
    // The nearest definition whose conditions hold wins.
    const Setting* chosen = nullptr;
    if (!failing_condition(requested, facts)) chosen = &requested;
    for (size_t i = 0; !chosen && i < requested.otherwise.size(); ++i) {
      if (!failing_condition(requested.otherwise[i], facts)) chosen = &requested.otherwise[i];
    }
    if (!chosen) {
      host.skipped.push_back(skip_of(requested, *failing_condition(requested, facts)));
      continue;
    }
    Setting setting = *chosen;
    setting.otherwise.clear();
    if (auto systems = operating_systems(setting); !family.empty() && !systems.empty() &&
                                                   std::find(systems.begin(), systems.end(), family) == systems.end()) {
      host.skipped.push_back(skip_of(setting, "a " + join(systems, "/") + " setting; this host runs " + family));
      continue;
    }
    if (mentions_facts(setting)) {
      if (auto why = fill_facts(setting, facts)) {
        host.skipped.push_back(skip_of(setting, *why));
        continue;
      }
      if (auto status = check_setting(setting, &host.profile.warnings); !status) {
        host.skipped.push_back(skip_of(setting, "with this host's facts: " + status.error().message));
        continue;
      }
    }
    host.profile.settings.push_back(std::move(setting));
  }
  return host;
}

}  // namespace tune
