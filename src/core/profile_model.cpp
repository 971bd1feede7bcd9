// The small pieces of the profile model: names, addresses, domain order.
#include "core/profile.h"

#include "util/text.h"

namespace tune {

const std::vector<std::string>& profile_domains() {
  static const std::vector<std::string> kDomains = {"sysctl", "cpu",      "block",       "memory", "swap",
                                                    "limits", "services", "environment", "boot",   "power"};
  return kDomains;
}

std::string Condition::describe() const { return fact + " " + join(alternatives, " or "); }

std::string Setting::target() const { return scope.empty() ? key : scope + "/" + key; }

std::string Setting::address() const { return domain + ":" + target(); }

std::vector<const Setting*> Profile::in_domain(const std::string& domain) const {
  std::vector<const Setting*> found;
  for (const auto& setting : settings) {
    if (setting.domain == domain) found.push_back(&setting);
  }
  return found;
}

}  // namespace tune
