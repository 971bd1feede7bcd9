#include "platform/linux/net_knob.h"

#include "platform/linux/net_ethtool.h"
#include "util/text.h"

namespace tune::linux_platform {
namespace {

std::string group_words(const std::string& group) {
  if (group == "channels") return "channel count";
  if (group == "rings") return "ring size";
  if (group == "coalesce") return "interrupt coalescing setting";
  return "feature";
}

// The kernel features a target's name stands for on this interface, and
// which of them the driver lets change.
struct Members {
  std::vector<NicSetting> present;
  std::vector<NicSetting> changeable;
};

Members members_of(const std::vector<NicSetting>& settings, const std::string& name) {
  Members members;
  for (const auto& member : feature_members(name)) {
    const NicSetting* found = find_nic_setting(settings, member);
    if (!found) continue;
    members.present.push_back(*found);
    if (!found->fixed) members.changeable.push_back(*found);
  }
  return members;
}

// One value when the features agree, else each one's.
std::string value_of(const std::vector<NicSetting>& features) {
  bool same = true;
  for (const auto& feature : features) same = same && feature.value == features.front().value;
  if (same) return features.front().value;
  std::vector<std::string> each;
  for (const auto& feature : features) each.push_back(feature.name + "=" + feature.value);
  return join(each, " ");
}

// The lines write_nic takes for a value: a name and value, or for features
// every changeable member's.
Result<std::string> changes_for(const System& system, const NetTarget& target, const std::string& value) {
  if (target.group != "features") {
    if (!parse_integer(value) && value != "on" && value != "off") {
      return make_error("net {}: '{}' is not a count or on/off", target.str(), printable_line(value));
    }
    return target.name + " " + value + "\n";
  }
  std::vector<NicSetting> settings;
  TUNE_ASSIGN_OR_RETURN(settings, read_nic_group(system, target.interface, "features"));
  Members members = members_of(settings, target.name);
  if (members.changeable.empty()) return make_error("net {}: no feature here can be changed", target.str());
  std::string lines;
  if (value == "on" || value == "off") {
    for (const auto& member : members.changeable) lines += member.name + " " + value + "\n";
    return lines;
  }
  // Each member's own value, as observe wrote it.
  for (const auto& word : split_whitespace(value)) {
    auto equals = word.find('=');
    const std::string name = equals == std::string::npos ? "" : word.substr(0, equals);
    const std::string state = equals == std::string::npos ? "" : word.substr(equals + 1);
    bool member = false;
    for (const auto& candidate : members.changeable) member = member || candidate.name == name;
    if (!member || (state != "on" && state != "off")) {
      return make_error("net {}: '{}' is not on, off or MEMBER=on|off", target.str(), printable_line(value));
    }
    lines += name + " " + state + "\n";
  }
  return lines;
}

}  // namespace

Result<Observation> NetKnob::observe(const System& system, const std::string& target) const {
  NetTarget parsed;
  TUNE_ASSIGN_OR_RETURN(parsed, parse_net_target(target));
  Observation observation;
  auto interface = system.stat("/sys/class/net/" + parsed.interface);
  if (!interface) return interface.error();
  if (!interface->exists) {
    observation.supported = false;
    observation.writable = false;
    observation.note = "not available here: no interface " + parsed.interface;
    return observation;
  }
  std::vector<NicSetting> settings;
  TUNE_ASSIGN_OR_RETURN(settings, read_nic_group(system, parsed.interface, parsed.group));
  if (parsed.group == "features") {
    Members members = members_of(settings, parsed.name);
    if (members.present.empty()) {
      observation.supported = false;
      observation.writable = false;
      observation.note = "not available here: " + parsed.interface + " has no feature " + parsed.name;
      return observation;
    }
    if (members.changeable.empty()) {
      observation.writable = false;
      observation.note = "fixed: the driver of " + parsed.interface + " does not let " + parsed.name + " change";
      observation.value = value_of(members.present);
    } else {
      observation.value = value_of(members.changeable);
    }
  } else {
    const NicSetting* setting = find_nic_setting(settings, parsed.name);
    if (!setting) {
      observation.supported = false;
      observation.writable = false;
      observation.note = "not available here: " + parsed.interface + " has no " + parsed.name + " " + group_words(parsed.group);
      return observation;
    }
    observation.value = setting->value;
  }
  observation.prior = PriorState::of_value(*observation.value);
  return observation;
}

Status NetKnob::apply(System& system, const Change& change) const {
  NetTarget parsed;
  TUNE_ASSIGN_OR_RETURN(parsed, parse_net_target(change.target));
  if (!change.after) return make_error("net {}: a NIC setting cannot be removed", change.target);
  std::string lines;
  TUNE_ASSIGN_OR_RETURN(lines, changes_for(system, parsed, *change.after));
  return system.write_nic(parsed.interface, parsed.group, lines);
}

Status NetKnob::restore(System& system, const std::string& target, const PriorState& prior) const {
  NetTarget parsed;
  TUNE_ASSIGN_OR_RETURN(parsed, parse_net_target(target));
  if (prior.kind != PriorState::Kind::Value) return make_error("net {}: the journal holds no value to restore", target);
  std::string lines;
  TUNE_ASSIGN_OR_RETURN(lines, changes_for(system, parsed, prior.value));
  return system.write_nic(parsed.interface, parsed.group, lines);
}

}  // namespace tune::linux_platform
