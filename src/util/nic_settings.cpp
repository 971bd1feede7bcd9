#include "util/nic_settings.h"

#include "util/text.h"

#include <algorithm>

namespace tune {

const std::vector<std::string>& nic_groups() {
  // Channels first: a driver may resize its rings when the queue count changes.
  static const std::vector<std::string> groups = {"channels", "rings", "coalesce", "features"};
  return groups;
}

bool is_nic_group(const std::string& group) {
  const auto& groups = nic_groups();
  return std::find(groups.begin(), groups.end(), group) != groups.end();
}

bool valid_interface_name(std::string_view name) {
  if (name.empty() || name.size() > 15 || name == "." || name == "..") return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f && c != '/' && c != ':';
  });
}

Result<std::vector<NicSetting>> parse_nic_settings(std::string_view text) {
  std::vector<NicSetting> settings;
  for (const auto& line : split_lines(text)) {
    auto words = split_whitespace(line);
    if (words.empty()) continue;
    if (words.size() < 2) return make_error("nic settings: '{}' is not NAME VALUE", printable_line(line));
    NicSetting setting{words[0], words[1], std::nullopt, false};
    for (size_t i = 2; i < words.size(); ++i) {
      if (words[i] == "fixed") {
        setting.fixed = true;
      } else if (words[i] == "max" && i + 1 < words.size()) {
        auto max = parse_integer(words[++i]);
        if (!max || *max < 0) return make_error("nic settings: '{}' has a bad maximum", printable_line(line));
        setting.max = static_cast<uint64_t>(*max);
      } else {
        return make_error("nic settings: '{}' has an unknown word", printable_line(line));
      }
    }
    settings.push_back(std::move(setting));
  }
  return settings;
}

std::string format_nic_settings(const std::vector<NicSetting>& settings) {
  std::string text;
  for (const auto& setting : settings) {
    text += setting.name + " " + setting.value;
    if (setting.max) text += " max " + std::to_string(*setting.max);
    if (setting.fixed) text += " fixed";
    text += "\n";
  }
  return text;
}

const NicSetting* find_nic_setting(const std::vector<NicSetting>& settings, const std::string& name) {
  for (const auto& setting : settings) {
    if (setting.name == name) return &setting;
  }
  return nullptr;
}

Result<std::string> merge_nic_settings(std::string_view current, std::string_view changes, const std::string& where) {
  std::vector<NicSetting> state;
  std::vector<NicSetting> wanted;
  TUNE_ASSIGN_OR_RETURN(state, parse_nic_settings(current));
  TUNE_ASSIGN_OR_RETURN(wanted, parse_nic_settings(changes));
  for (const auto& change : wanted) {
    auto it = std::find_if(state.begin(), state.end(), [&](const NicSetting& s) { return s.name == change.name; });
    if (it == state.end()) return make_error("{} {}: Operation not supported", where, change.name);
    const bool is_switch = it->value == "on" || it->value == "off";
    if (is_switch) {
      if (change.value != "on" && change.value != "off") return make_error("{} {}: Invalid argument", where, change.name);
    } else {
      auto number = parse_integer(change.value);
      if (!number || *number < 0 || *number > 0xffffffffLL) return make_error("{} {}: Invalid argument", where, change.name);
      if (it->max && static_cast<uint64_t>(*number) > *it->max) {
        return make_error("{} {}: Invalid argument (at most {})", where, change.name, *it->max);
      }
    }
    if (it->fixed && it->value != change.value) return make_error("{} {}: the feature is fixed", where, change.name);
    it->value = change.value;
  }
  return format_nic_settings(state);
}

std::string nic_state_path(const std::string& interface, const std::string& group) {
  return "/sys/class/net/" + interface + "/ethtool/" + group;
}

}  // namespace tune
