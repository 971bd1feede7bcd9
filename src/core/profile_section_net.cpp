// The net section: per interface scope, ethtool's four groups of settings.
//
//   net:
//     all:                     # every interface backed by a device; or a name (eth0), or a glob (enp*)
//       features: { gro: off, tx-tcp-segmentation: on }
//       channels: { combined: 4 }
//       rings: { rx: 4096 }
//       coalesce: { adaptive-rx: off, rx-usecs: 50 }
//
// Each value becomes the setting "GROUP.NAME" of the scope ("features.gro").
// Features take ethtool's short names or the kernel's feature strings; which
// ones an interface has is known only on the host, so the planner says so.
#include "core/declare_or_return.h"
#include "core/profile_reader.h"

#include <algorithm>
#include <cctype>

namespace tune {
namespace {

const std::vector<std::string> kNetGroups = {"features", "channels", "rings", "coalesce", "when"};

// ethtool -K's short names (the knowledge base describes each).
const std::vector<std::string> kShortFeatures = {"rx",  "tx",     "sg",     "tso",    "ufo",   "gso",
                                                 "gro", "lro",    "rxvlan", "txvlan", "ntuple", "rxhash"};

bool plain_interface_glob(const std::string& scope) {
  if (scope.empty() || scope.size() > 15 || scope == "." || scope == "..") return false;
  return std::all_of(scope.begin(), scope.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '@' || c == '*' ||
           c == '?' || c == '[' || c == ']';
  });
}

// A short name, or what looks like a kernel feature string (they are
// lowercase words joined by '-': rx-gro, tx-udp_tnl-segmentation).
std::optional<std::string> check_feature_name(const std::string& name) {
  if (std::find(kShortFeatures.begin(), kShortFeatures.end(), name) != kShortFeatures.end()) return std::nullopt;
  bool kernel_like = !name.empty() && name.size() <= 31 && (name.find('-') != std::string::npos || name == "highdma" || name == "loopback") &&
                     std::all_of(name.begin(), name.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                     });
  if (kernel_like) return std::nullopt;
  std::string message = "unknown feature " + quoted_name(name) +
                        " (ethtool's short names: " + join(kShortFeatures, ", ") + ", or a kernel feature such as rx-gro)";
  if (auto hint = closest_match(name, kShortFeatures)) message = "unknown feature " + quoted_name(name) + " (did you mean '" + *hint + "'?)";
  return message;
}

}  // namespace

Status parse_net_section(const Reader& reader, const YAML::Node& node, Profile& profile) {
  TUNE_DECLARE_OR_RETURN(std::vector<Condition> section_when, conditions_of(reader, node, {}));
  return reader.each_entry(node, "net", nullptr,
                           [&](const std::string& scope, const YAML::Node& scope_node, const YAML::Node& body) -> Status {
    if (scope == "when") return {};
    if (scope != "all" && !plain_interface_glob(scope)) {
      return reader.error_at(scope_node, "net: '" + one_line(scope) +
                                             "' is neither all nor an interface name or glob (eth0, enp*)");
    }
    TUNE_DECLARE_OR_RETURN(std::vector<Condition> scope_when, conditions_of(reader, body, section_when));
    return reader.each_entry(body, "net " + scope, &kNetGroups,
                             [&](const std::string& group, const YAML::Node&, const YAML::Node& settings) -> Status {
      if (group == "when") return {};
      TUNE_DECLARE_OR_RETURN(std::vector<Condition> group_when, conditions_of(reader, settings, scope_when));
      std::vector<std::string> names;  // the fixed groups' names, from the knowledge base
      if (group != "features") {
        for (const auto& key : reader.knowledge().keys("net")) {
          if (key.rfind(group + ".", 0) == 0) names.push_back(key.substr(group.size() + 1));
        }
        names.push_back("when");
      }
      const std::string what = "net " + scope + " " + group;
      return reader.each_entry(settings, what, group == "features" ? nullptr : &names,
                               [&](const std::string& name, const YAML::Node& key_node, const YAML::Node& value) -> Status {
        if (name == "when") return {};
        if (group == "features") {
          if (auto problem = check_feature_name(name)) return reader.error_at(key_node, what + ": " + *problem);
        }
        const std::string key = group + "." + name;
        // Kernel feature strings are one entry in the knowledge base (features.*).
        return add_setting(reader, profile, {"net", scope, key, "net", key, what + " " + name}, key_node, value, group_when);
      });
    });
  });
}

}  // namespace tune
