#include "platform/linux/sysfs_attribute.h"

#include "util/text.h"

#include <algorithm>
#include <cctype>

namespace tune::linux_platform {

Result<Attribute> read_attribute(const System& system, const std::string& path) {
  Attribute attribute;
  auto info = system.stat(path);
  if (!info) return info.error();
  if (!info->exists || info->is_dir) return attribute;
  attribute.exists = true;
  attribute.writable = (info->mode & 0222) != 0;
  auto text = system.read_file(path);
  if (!text) return text.error();
  attribute.text = trim(*text);
  return attribute;
}

Choice parse_choice(const std::string& text) {
  Choice choice;
  if (parse_bracketed_choice(text, choice.current, choice.offered)) return choice;
  choice.current = normalize_spaces(text);
  if (!choice.current.empty()) choice.offered = {choice.current};
  return choice;
}

std::vector<std::string> numbered_entries(const System& system, const std::string& dir, const std::string& prefix) {
  std::vector<std::pair<long long, std::string>> found;
  for (const auto& name : system.list_dir(dir).value_or_default()) {
    if (!starts_with(name, prefix) || name.size() == prefix.size()) continue;
    const std::string digits = name.substr(prefix.size());
    if (!std::all_of(digits.begin(), digits.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      continue;
    }
    if (digits.size() > 9) continue;
    found.emplace_back(std::stoll(digits), name);
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> names;
  for (auto& [number, name] : found) names.push_back(std::move(name));
  return names;
}

std::map<std::string, uint64_t> read_meminfo(const System& system) {
  std::map<std::string, uint64_t> fields;
  for (const auto& line : split_lines(system.read_file("/proc/meminfo").value_or_default())) {
    auto words = split_whitespace(line);
    if (words.size() < 2 || !ends_with(words[0], ":")) continue;
    if (auto number = parse_integer(words[1]); number && *number >= 0) {
      fields[words[0].substr(0, words[0].size() - 1)] = static_cast<uint64_t>(*number);
    }
  }
  return fields;
}

std::optional<uint64_t> memory_total_bytes(const System& system) {
  auto fields = read_meminfo(system);
  if (!fields.count("MemTotal") || fields["MemTotal"] == 0) return std::nullopt;
  return fields["MemTotal"] * 1024;
}

std::string offered_list(const std::vector<std::string>& offered) { return offered.empty() ? "nothing" : join(offered, " "); }

}  // namespace tune::linux_platform
