// The domain sections of a profile (sysctl, cpu, block, memory, swap, limits,
// services, environment, boot, power), each read into Settings and checked
// against the knowledge base.
#include "core/profile_reader.h"
#include "core/declare_or_return.h"

#include <cctype>

namespace tune {
namespace {

const std::vector<std::string> kBlockClasses = {"all", "nvme", "ssd", "hdd", "virtual"};
const std::vector<std::string> kThpKeys = {"enabled", "defrag", "khugepaged_defrag", "shmem_enabled"};
const std::vector<std::string> kMemoryKeys = {"transparent_hugepages", "hugepages", "when"};
const std::vector<std::string> kSwapKeys = {"swappiness", "swapfile", "zram", "when"};
const std::vector<std::string> kSwapfileKeys = {"size", "path", "when"};
const std::vector<std::string> kZramKeys = {"size", "algorithm", "priority", "when"};
const std::vector<std::string> kHugepageSizes = {"64K", "2M", "32M", "512M", "1G", "16G"};
const std::vector<std::string> kUnitSuffixes = {".service", ".socket", ".timer", ".target", ".slice",
                                                ".mount", ".path", ".scope"};

bool has_variable(const std::string& text) { return text.find("${") != std::string::npos; }

bool valid_unit_name(const std::string& unit) {
  if (has_variable(unit)) return true;  // checked once substituted
  if (unit.empty() || unit.size() > 255) return false;
  for (char c : unit) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && std::string(":_.\\@-").find(c) == std::string::npos) return false;
  }
  if (std::any_of(kUnitSuffixes.begin(), kUnitSuffixes.end(),
                  [&](const std::string& suffix) { return ends_with(unit, suffix) && unit.size() > suffix.size(); })) {
    return true;
  }
  // A launchd label (macOS): reverse-DNS with at least two dots, "com.ollama.ollama".
  return std::isalpha(static_cast<unsigned char>(unit[0])) && std::count(unit.begin(), unit.end(), '.') >= 2 &&
         unit.find("..") == std::string::npos && unit.back() != '.' &&
         unit.find_first_of(":\\@") == std::string::npos;
}

// A Windows service's key name: letters, digits, '_', '-' and '.', no path
// separators (the service control manager's rule for names).
bool valid_windows_service_name(const std::string& name) {
  if (name.empty() || name.size() > 256) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

// A block scope: a class, or kernel device names. A bare word that is
// neither (a misspelt class, "nmve") is refused rather than matched to no
// device: device names carry a digit or a glob, or are sd/vd/xvd/hd disks.
bool is_block_scope(const std::string& scope) {
  if (std::find(kBlockClasses.begin(), kBlockClasses.end(), scope) != kBlockClasses.end()) return true;
  if (has_variable(scope) || !valid_block_device_pattern(scope)) return false;
  if (scope.find_first_of("0123456789*?") != std::string::npos) return true;
  for (const char* disk : {"sd", "vd", "xvd", "hd"}) {
    const std::string prefix = disk;
    if (starts_with(scope, prefix) && scope.size() > prefix.size() &&
        std::all_of(scope.begin() + static_cast<long>(prefix.size()), scope.end(),
                    [](char c) { return c >= 'a' && c <= 'z'; })) {
      return true;
    }
  }
  return false;
}

bool valid_environment_name(const std::string& name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

}  // namespace

// The `when:` of a mapping, added to what encloses it.
Result<std::vector<Condition>> conditions_of(const Reader& reader, const YAML::Node& map,
                                             const std::vector<Condition>& enclosing) {
  std::vector<Condition> conditions = enclosing;
  if (!map.IsMap()) return conditions;
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (!it->first.IsScalar() || it->first.Scalar() != "when") continue;
    TUNE_DECLARE_OR_RETURN(std::vector<Condition> own, parse_conditions(reader, it->second));
    conditions.insert(conditions.end(), own.begin(), own.end());
  }
  return conditions;
}

namespace {

// A unit's values go into a drop-in line: one that holds a line break (or,
// outside Environment='s quotes, ends in a backslash, which continues the
// line) would start a second directive of the author's choosing.
std::optional<std::string> unit_value_problem(const std::string& domain, const ParsedValue& parsed) {
  if (domain != "services" && domain != "environment") return std::nullopt;
  for (const auto& value : parsed.want.values) {
    if (value.find_first_of(std::string("\n\r\0", 3)) != std::string::npos) {
      return "a value with a line break would start a second directive in the unit's drop-in";
    }
    if (domain == "services" && !value.empty() && value.back() == '\\') {
      return "a directive value ending in a backslash would continue onto the next line of the drop-in";
    }
  }
  return std::nullopt;
}

}  // namespace


namespace {

std::string replacement_hint(const KnowledgeEntry& entry) {
  if (entry.replacement.empty()) return "";
  return " Use " + entry.replacement + " instead.";
}

}  // namespace

Status add_setting(const Reader& reader, Profile& profile, const Slot& slot, const YAML::Node& key_node,
                   const YAML::Node& value_node, const std::vector<Condition>& enclosing) {
  // yaml-cpp places an empty value on the next line; the key is where it is missing.
  if (value_node.IsNull()) return reader.error_at(key_node, slot.label + " needs a value");
  TUNE_DECLARE_OR_RETURN(ParsedValue parsed, parse_value(reader, value_node, slot.label));
  if (auto problem = unit_value_problem(slot.domain, parsed)) return reader.error_at(value_node, slot.label + ": " + *problem);
  const Knowledge& knowledge = reader.knowledge();
  const KnowledgeEntry* entry = knowledge.find(slot.kb_domain, slot.kb_key);
  if (!entry) {
    if (!parsed.unchecked) {
      std::string message = "unknown " + slot.kb_domain + " key '" + slot.kb_key + "'";
      if (auto hint = closest_match(slot.kb_key, knowledge.keys(slot.kb_domain))) {
        message += " (did you mean '" + *hint + "'?)";
      } else {
        message += ": tune's knowledge base does not describe it, so its value cannot be checked; if it is right, "
                   "write { value: ..., unchecked: true }";
      }
      return reader.error_at(key_node, message);
    }
    reader.warn_at(reader.origin(key_node), slot.label + " is not in tune's knowledge base; its value is not checked");
  } else {
    if (entry->status == Verdict::Obsolete) {
      // Older kernels still have it, so it stays in the profile: the plan
      // skips it wherever the kernel lacks it, and the reviewer is told why.
      reader.warn_at(reader.origin(key_node), slot.label + " is obsolete: " + entry->say + replacement_hint(*entry));
    } else if (entry->status != Verdict::Valid) {
      return reader.error_at(key_node, slot.label + " is " + verdict_name(entry->status) + ": " + entry->say +
                                           replacement_hint(*entry));
    } else if (auto error = check_want(reader, *entry, parsed.want, slot.label, parsed.origin)) {
      return reader.error_at(value_node, *error);
    }
  }
  Setting setting;
  setting.domain = slot.domain;
  setting.scope = slot.scope;
  setting.key = slot.key;
  setting.want = std::move(parsed.want);
  setting.when = enclosing;
  setting.when.insert(setting.when.end(), parsed.when.begin(), parsed.when.end());
  setting.origin = reader.origin(key_node);
  setting.value_origin = parsed.origin;
  setting.needs_reboot = entry && entry->needs_reboot;
  for (const auto& existing : profile.settings) {
    if (existing.address() == setting.address()) {
      return reader.error_at(key_node, slot.label + " is already set at " + existing.origin.str());
    }
  }
  profile.settings.push_back(std::move(setting));
  return {};
}

namespace {

// A flat section: key -> value, plus `when`.
Status parse_flat(const Reader& reader, const std::string& domain, const YAML::Node& node, Profile& profile) {
  TUNE_DECLARE_OR_RETURN(std::vector<Condition> section_when, conditions_of(reader, node, {}));
  std::vector<std::string> allowed;
  if (domain != "sysctl") {
    allowed = reader.knowledge().keys(domain);
    allowed.push_back("when");
  }
  return reader.each_entry(node, domain, domain == "sysctl" ? nullptr : &allowed,
                           [&](const std::string& key, const YAML::Node& key_node, const YAML::Node& value) -> Status {
    if (key == "when") return {};
    if (domain == "sysctl" && !valid_sysctl_key(key)) {
      return reader.error_at(key_node, "'" + key + "' is not a sysctl key (they look like vm.swappiness)");
    }
    return add_setting(reader, profile, {domain, "", key, domain, key, domain + " " + key}, key_node, value, section_when);
  });
}

Status parse_block(const Reader& reader, const YAML::Node& node, Profile& profile) {
  TUNE_DECLARE_OR_RETURN(std::vector<Condition> section_when, conditions_of(reader, node, {}));
  std::vector<std::string> keys = reader.knowledge().keys("block");
  keys.push_back("when");
  return reader.each_entry(node, "block", nullptr,
                           [&](const std::string& device_class, const YAML::Node& class_node, const YAML::Node& body) -> Status {
    if (device_class == "when") return {};
    if (!is_block_scope(device_class)) {
      std::string message = "block: '" + device_class + "' is neither a device class (" + join(kBlockClasses, ", ") +
                            ") nor a kernel device name or glob (sda, nvme0n1, loop*)";
      if (auto hint = closest_match(device_class, kBlockClasses)) message = "block: unknown device class '" + device_class + "' (did you mean '" + *hint + "'?)";
      return reader.error_at(class_node, message);
    }
    TUNE_DECLARE_OR_RETURN(std::vector<Condition> class_when, conditions_of(reader, body, section_when));
    return reader.each_entry(body, "block " + device_class, &keys,
                             [&](const std::string& key, const YAML::Node& key_node, const YAML::Node& value) -> Status {
      if (key == "when") return {};
      return add_setting(reader, profile, {"block", device_class, key, "block", key, "block " + device_class + " " + key},
                         key_node, value, class_when);
    });
  });
}

Status parse_memory(const Reader& reader, const YAML::Node& node, Profile& profile) {
  TUNE_DECLARE_OR_RETURN(std::vector<Condition> section_when, conditions_of(reader, node, {}));
  return reader.each_entry(node, "memory", &kMemoryKeys,
                           [&](const std::string& name, const YAML::Node& key_node, const YAML::Node& value) -> Status {
    if (name == "when") return {};
    if (name == "transparent_hugepages") {
      // A value is shorthand for `enabled`.
      if (value.IsScalar() || is_value_mapping(value)) {
        return add_setting(reader, profile,
                           {"memory", "", "transparent_hugepages.enabled", "memory", "transparent_hugepages.enabled",
                            "memory transparent_hugepages"},
                           key_node, value, section_when);
      }
      std::vector<std::string> allowed = kThpKeys;
      allowed.push_back("when");
      TUNE_DECLARE_OR_RETURN(std::vector<Condition> thp_when, conditions_of(reader, value, section_when));
      return reader.each_entry(value, "memory transparent_hugepages", &allowed,
                               [&](const std::string& key, const YAML::Node& inner_key, const YAML::Node& inner) -> Status {
        if (key == "when") return {};
        std::string full = "transparent_hugepages." + key;
        return add_setting(reader, profile, {"memory", "", full, "memory", full, "memory transparent_hugepages " + key},
                           inner_key, inner, thp_when);
      });
    }
    // hugepages: size -> count, or size -> { count, node0, node1, ..., when }
    return reader.each_entry(value, "memory hugepages", nullptr,
                             [&](const std::string& size, const YAML::Node& size_node, const YAML::Node& body) -> Status {
      if (size == "when") return reader.error_at(size_node, "put `when` inside a hugepage size, or on the memory section");
      if (std::find(kHugepageSizes.begin(), kHugepageSizes.end(), size) == kHugepageSizes.end()) {
        std::string message = "hugepage size '" + size + "' is not one Linux offers (" + join(kHugepageSizes, ", ") + ")";
        if (auto hint = closest_match(size, kHugepageSizes)) message += " (did you mean '" + *hint + "'?)";
        return reader.error_at(size_node, message);
      }
      if (body.IsScalar() || is_value_mapping(body)) {
        return add_setting(reader, profile, {"memory", size, "hugepages.count", "memory", "hugepages.count",
                                             "memory hugepages " + size},
                           size_node, body, section_when);
      }
      TUNE_DECLARE_OR_RETURN(std::vector<Condition> size_when, conditions_of(reader, body, section_when));
      bool per_node = false;
      bool total = false;
      Status status = reader.each_entry(body, "memory hugepages " + size, nullptr,
                                        [&](const std::string& key, const YAML::Node& inner_key, const YAML::Node& inner) -> Status {
        if (key == "when") return {};
        std::string kb_key;
        if (key == "count") {
          kb_key = "hugepages.count";
          total = true;
        } else if (starts_with(key, "node") && key.size() > 4 && parse_integer(key.substr(4)) && *parse_integer(key.substr(4)) >= 0) {
          kb_key = "hugepages." + key;
          per_node = true;
        } else {
          return reader.error_at(inner_key, "memory hugepages " + size + ": '" + key +
                                                "' is neither count nor a NUMA node (node0, node1, ...)");
        }
        return add_setting(reader, profile, {"memory", size, kb_key, "memory", kb_key, "memory hugepages " + size + " " + key},
                           inner_key, inner, size_when);
      });
      if (!status) return status;
      if (per_node && total) {
        return reader.error_at(size_node, "memory hugepages " + size + ": give either count or per-node counts, not both");
      }
      return {};
    });
  });
}

Status parse_swap(const Reader& reader, const YAML::Node& node, Profile& profile) {
  TUNE_DECLARE_OR_RETURN(std::vector<Condition> section_when, conditions_of(reader, node, {}));
  return reader.each_entry(node, "swap", &kSwapKeys,
                           [&](const std::string& name, const YAML::Node& key_node, const YAML::Node& value) -> Status {
    if (name == "when") return {};
    if (name == "swappiness") {
      // swap.swappiness is vm.swappiness: one setting under either name.
      return add_setting(reader, profile, {"sysctl", "", "vm.swappiness", "sysctl", "vm.swappiness", "swap swappiness"},
                         key_node, value, section_when);
    }
    const auto& allowed = name == "swapfile" ? kSwapfileKeys : kZramKeys;
    TUNE_DECLARE_OR_RETURN(std::vector<Condition> inner_when, conditions_of(reader, value, section_when));
    return reader.each_entry(value, "swap " + name, &allowed,
                             [&](const std::string& key, const YAML::Node& inner_key, const YAML::Node& inner) -> Status {
      if (key == "when") return {};
      std::string full = name + "." + key;
      return add_setting(reader, profile, {"swap", "", full, "swap", full, "swap " + name + " " + key}, inner_key, inner,
                         inner_when);
    });
  });
}

Status parse_limits(const Reader& reader, const YAML::Node& node, Profile& profile) {
  TUNE_DECLARE_OR_RETURN(std::vector<Condition> section_when, conditions_of(reader, node, {}));
  std::vector<std::string> names = reader.knowledge().keys("limits");
  names.push_back("when");
  return reader.each_entry(node, "limits", nullptr,
                           [&](const std::string& item, const YAML::Node& item_node, const YAML::Node& body) -> Status {
    if (item == "when") return {};
    if (!valid_limits_item(item)) {
      return reader.error_at(item_node, "limits: '" + item + "' is not \"*\", a user name or @group");
    }
    TUNE_DECLARE_OR_RETURN(std::vector<Condition> item_when, conditions_of(reader, body, section_when));
    return reader.each_entry(body, "limits " + item, &names,
                             [&](const std::string& limit, const YAML::Node& key_node, const YAML::Node& value) -> Status {
      if (limit == "when") return {};
      const std::string label = "limits " + item + " " + limit;
      if (value.IsMap() && !is_value_mapping(value)) {
        static const std::vector<std::string> kSoftHard = {"soft", "hard"};
        return reader.each_entry(value, label, &kSoftHard,
                                 [&](const std::string& kind, const YAML::Node& kind_node, const YAML::Node& inner) -> Status {
          return add_setting(reader, profile, {"limits", item, limit + "." + kind, "limits", limit, label + " " + kind},
                             kind_node, inner, item_when);
        });
      }
      return add_setting(reader, profile, {"limits", item, limit, "limits", limit, label}, key_node, value, item_when);
    });
  });
}

Status parse_environment_of(const Reader& reader, const std::string& unit, const YAML::Node& body,
                            const std::vector<Condition>& enclosing, Profile& profile) {
  TUNE_DECLARE_OR_RETURN(std::vector<Condition> unit_when, conditions_of(reader, body, enclosing));
  return reader.each_entry(body, "environment of " + unit, nullptr,
                           [&](const std::string& name, const YAML::Node& key_node, const YAML::Node& value) -> Status {
    if (name == "when") return {};
    if (!valid_environment_name(name)) {
      return reader.error_at(key_node, "'" + name + "' is not an environment variable name (letters, digits and _)");
    }
    const Knowledge& knowledge = reader.knowledge();
    const KnowledgeEntry* entry = knowledge.find("environment", name);
    const std::string label = "environment " + unit + " " + name;
    if (!entry) {
      // Services read variables of their own; tune passes those through.
      if (value.IsNull()) return reader.error_at(key_node, label + " needs a value");
      TUNE_DECLARE_OR_RETURN(ParsedValue parsed, parse_value(reader, value, label));
      if (auto problem = unit_value_problem("environment", parsed)) return reader.error_at(value, label + ": " + *problem);
      reader.warn_at(reader.origin(key_node), label + " is not in tune's knowledge base; it is passed to the service unchecked");
      Setting setting;
      setting.domain = "environment";
      setting.scope = unit;
      setting.key = name;
      setting.want = parsed.want;
      setting.when = unit_when;
      setting.when.insert(setting.when.end(), parsed.when.begin(), parsed.when.end());
      setting.origin = reader.origin(key_node);
      setting.value_origin = parsed.origin;
      profile.settings.push_back(std::move(setting));
      return {};
    }
    if (entry->status != Verdict::Valid && entry->key != name) {
      // A pattern such as OLLAMA_*: say which real variables are close.
      std::vector<std::string> known = knowledge.keys("environment");
      std::string message = label + ": " + entry->say;
      if (auto hint = closest_match(name, known)) message += " Did you mean " + *hint + "?";
      return reader.error_at(key_node, message);
    }
    return add_setting(reader, profile, {"environment", unit, name, "environment", name, label}, key_node, value, unit_when);
  });
}

Status parse_services(const Reader& reader, const YAML::Node& node, Profile& profile) {
  TUNE_DECLARE_OR_RETURN(std::vector<Condition> section_when, conditions_of(reader, node, {}));
  std::vector<std::string> directives = reader.knowledge().keys("services");
  directives.push_back("Environment");
  directives.push_back("when");
  return reader.each_entry(node, "services", nullptr,
                           [&](const std::string& unit, const YAML::Node& unit_node, const YAML::Node& body) -> Status {
    if (unit == "when") return {};
    // A bare name (WSearch) is a Windows service when it sets only start_type.
    const bool windows_service = !valid_unit_name(unit) && valid_windows_service_name(unit) && body.IsMap() &&
                                 std::all_of(body.begin(), body.end(), [](const auto& entry) {
                                   const std::string key = entry.first.template as<std::string>();
                                   return key == "start_type" || key == "when";
                                 });
    if (!valid_unit_name(unit) && !windows_service) {
      return reader.error_at(unit_node, "services: '" + unit + "' is not a systemd unit name (such as ollama.service) or launchd label");
    }
    TUNE_DECLARE_OR_RETURN(std::vector<Condition> unit_when, conditions_of(reader, body, section_when));
    return reader.each_entry(body, "services " + unit, &directives,
                             [&](const std::string& directive, const YAML::Node& key_node, const YAML::Node& value) -> Status {
      if (directive == "when") return {};
      if (directive == "Environment") return parse_environment_of(reader, unit, value, unit_when, profile);
      return add_setting(reader, profile, {"services", unit, directive, "services", directive, "services " + unit + " " + directive},
                         key_node, value, unit_when);
    });
  });
}

Status parse_environment(const Reader& reader, const YAML::Node& node, Profile& profile) {
  TUNE_DECLARE_OR_RETURN(std::vector<Condition> section_when, conditions_of(reader, node, {}));
  return reader.each_entry(node, "environment", nullptr,
                           [&](const std::string& unit, const YAML::Node& unit_node, const YAML::Node& body) -> Status {
    if (unit == "when") return {};
    if (!valid_unit_name(unit)) {
      return reader.error_at(unit_node, "environment: '" + unit +
                                            "' is not a systemd unit name; variables are grouped by the unit that reads them "
                                            "(environment: { ollama.service: { OLLAMA_NUM_PARALLEL: 4 } })");
    }
    return parse_environment_of(reader, unit, body, section_when, profile);
  });
}

}  // namespace

Status parse_section(const Reader& reader, const std::string& domain, const YAML::Node& node, Profile& profile) {
  if (!node.IsMap()) return reader.error_at(node, domain + " must be a mapping");
  if (domain == "block") return parse_block(reader, node, profile);
  if (domain == "memory") return parse_memory(reader, node, profile);
  if (domain == "swap") return parse_swap(reader, node, profile);
  if (domain == "limits") return parse_limits(reader, node, profile);
  if (domain == "services") return parse_services(reader, node, profile);
  if (domain == "environment") return parse_environment(reader, node, profile);
  if (domain == "net") return parse_net_section(reader, node, profile);
  if (domain == "sysfs") return parse_sysfs_section(reader, node, profile);
  if (domain == "modules") return parse_modules_section(reader, node, profile);
  return parse_flat(reader, domain, node, profile);  // sysctl, cpu, boot, power
}

}  // namespace tune
