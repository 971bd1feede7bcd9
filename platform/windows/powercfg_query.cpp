#include "platform/windows/powercfg_query.h"

#include "util/text.h"

#include <cctype>
#include <cstdlib>

namespace tune::windows_platform {
namespace {

bool is_guid(const std::string& text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

// "GUID  (Friendly name) *" after a label: the GUID, the name and the star.
struct Labeled {
  std::string guid;
  std::string name;
  bool starred = false;
};

std::optional<Labeled> after_label(const std::string& line, const std::string& label) {
  if (!starts_with(line, label)) return std::nullopt;
  std::string rest = trim(line.substr(label.size()));
  Labeled labeled;
  labeled.guid = ascii_lower(rest.substr(0, rest.find(' ')));
  if (!is_guid(labeled.guid)) return std::nullopt;
  auto open = rest.find('(');
  auto close = rest.rfind(')');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    labeled.name = rest.substr(open + 1, close - open - 1);
  }
  labeled.starred = !rest.empty() && rest.back() == '*';
  return labeled;
}

std::optional<uint32_t> hex_index(const std::string& line, const std::string& label) {
  std::string rest = trim(line.substr(label.size()));
  if (!starts_with(rest, "0x")) return std::nullopt;
  char* end = nullptr;
  unsigned long value = std::strtoul(rest.c_str() + 2, &end, 16);
  if (*end != '\0' || rest.size() == 2) return std::nullopt;
  return static_cast<uint32_t>(value);
}

}  // namespace

Result<PowercfgOutput> parse_powercfg(const std::string& text) {
  PowercfgOutput output;
  std::string scheme, subgroup;
  PowercfgSetting* setting = nullptr;
  auto lines = split_lines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string line = trim(lines[i]);
    if (auto labeled = after_label(line, "Power Scheme GUID:")) {
      scheme = labeled->guid;
      subgroup.clear();
      setting = nullptr;
      bool known = false;
      for (const auto& existing : output.schemes) known = known || existing.guid == scheme;
      if (!known) output.schemes.push_back({scheme, labeled->name});
      if (labeled->starred) output.active = scheme;
    } else if (auto sub = after_label(line, "Subgroup GUID:")) {
      if (scheme.empty()) return make_error("powercfg output line {}: a subgroup outside any scheme", i + 1);
      subgroup = sub->guid;
      setting = nullptr;
    } else if (auto power = after_label(line, "Power Setting GUID:")) {
      if (subgroup.empty()) return make_error("powercfg output line {}: a setting outside any subgroup", i + 1);
      output.settings.push_back({scheme, subgroup, power->guid, std::nullopt, std::nullopt});
      setting = &output.settings.back();
    } else if (starts_with(line, "Current AC Power Setting Index:") || starts_with(line, "Current DC Power Setting Index:")) {
      if (setting == nullptr) return make_error("powercfg output line {}: an index outside any setting", i + 1);
      const bool ac = line[8] == 'A';
      auto value = hex_index(line, "Current AC Power Setting Index:");
      if (!value) return make_error("powercfg output line {}: '{}' is not a hexadecimal index", i + 1, line);
      (ac ? setting->ac : setting->dc) = value;
    }
    // Aliases, ranges, units and possible values describe a setting; they hold no state.
  }
  if (output.schemes.empty()) return make_error("powercfg output: no power scheme in it");
  return output;
}

}  // namespace tune::windows_platform
