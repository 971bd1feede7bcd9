// The small pieces of the profile model: names, addresses, domain order.
#include "core/profile.h"
#include "core/recommend.h"

#include "util/text.h"

#include <algorithm>
#include <cctype>

namespace tune {

const std::vector<std::string>& profile_domains() {
  static const std::vector<std::string> kDomains = {"sysctl", "cpu",      "block",       "memory", "swap",
                                                    "limits", "services", "environment", "boot",   "power",
                                                    "net",    "irq",      "systemd",     "sysfs",  "modules",
                                                    "selinux", "windows", "macos"};
  return kDomains;
}

bool valid_sysctl_key(const std::string& key) {
  if (key.empty() || key.front() == '.' || key.back() == '.' || key.front() == '/') return false;
  if (key.find("..") != std::string::npos || key.find("//") != std::string::npos) return false;
  if (key.find('.') == std::string::npos) return false;  // every sysctl lives in a directory
  for (char c : key) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' || c == '/' || c == '@' ||
              c == ':' || c == '+';
    if (!ok) return false;
  }
  return true;
}

bool valid_block_device_pattern(const std::string& text) {
  if (text.empty() || text.size() > 64 || text == "." || text == "..") return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ':' || c == '*' ||
           c == '?';
  });
}

bool valid_limits_item(const std::string& item) {
  if (item == "*") return true;
  std::string name = item.size() > 1 && (item[0] == '@' || item[0] == '%') ? item.substr(1) : item;
  if (name.empty() || name.size() > 32) return false;
  if (!std::isalpha(static_cast<unsigned char>(name[0])) && name[0] != '_') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

std::string Condition::describe() const {
  std::vector<std::string> wanted;
  for (const auto& alternative : alternatives) wanted.push_back(describe_alternative(alternative));  // recommend.h
  return fact + " " + join(wanted, " or ");
}

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
