#include "platform/macos/pmset_values.h"

#include "util/text.h"

#include <cctype>

namespace tune::macos_platform {
namespace {

// Keys are words, some of them several ("Sleep On Power Button 1"); the value
// is the first word that starts like one (a number or a path), and what
// follows it is pmset's commentary ("1 (sleep prevented by powerd)").
bool value_word(const std::string& word) {
  return !word.empty() && (std::isdigit(static_cast<unsigned char>(word[0])) || word[0] == '/' || word[0] == '-');
}

}  // namespace

PmsetSources parse_pmset(const std::string& output) {
  PmsetSources sources;
  std::string source = "Currently in use";
  for (const auto& line : split_lines(output)) {
    if (trim(line).empty()) continue;
    const bool indented = line[0] == ' ' || line[0] == '\t';
    const std::string text = trim(line);
    if (!indented && text.back() == ':') {
      source = text.substr(0, text.size() - 1);
      continue;
    }
    if (!indented) continue;  // "System-wide power settings:" lines and the like
    auto words = split_whitespace(text);
    size_t at = 1;
    while (at < words.size() && !value_word(words[at])) ++at;
    if (at >= words.size()) continue;
    std::vector<std::string> key(words.begin(), words.begin() + static_cast<long>(at));
    sources[source][join(key, " ")] = words[at];
  }
  return sources;
}

std::optional<std::string> pmset_source_flag(const std::string& source) {
  if (source == "AC Power") return std::string("-c");
  if (source == "Battery Power") return std::string("-b");
  if (source == "UPS Power") return std::string("-u");
  return std::nullopt;
}

std::optional<std::string> pmset_value(const PmsetSources& sources, const std::string& key) {
  std::map<std::string, std::string> found;
  for (const auto& [source, values] : sources) {
    auto it = values.find(key);
    if (it != values.end()) found[source] = it->second;
  }
  if (found.empty()) return std::nullopt;
  bool agree = true;
  for (const auto& [source, value] : found) agree = agree && value == found.begin()->second;
  if (agree) return found.begin()->second;
  std::vector<std::string> parts;
  for (const auto& [source, value] : found) parts.push_back(source + "=" + value);
  return join(parts, ";");
}

std::map<std::string, std::string> split_pmset_value(const std::string& value) {
  if (value.find('=') == std::string::npos) return {{"", value}};
  std::map<std::string, std::string> parts;
  for (const auto& part : split(value, ';')) {
    auto equals = part.find('=');
    if (equals != std::string::npos) parts[part.substr(0, equals)] = part.substr(equals + 1);
  }
  return parts;
}

}  // namespace tune::macos_platform
