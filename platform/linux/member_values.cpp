#include "platform/linux/member_values.h"

#include "util/text.h"

namespace tune::linux_platform {
namespace {

// A member-form text: every word is member=value.
std::optional<std::map<std::string, std::string>> parse_member_form(const std::string& text) {
  std::map<std::string, std::string> values;
  auto words = split_whitespace(text);
  if (words.empty()) return std::nullopt;
  for (const auto& word : words) {
    auto equals = word.find('=');
    if (equals == std::string::npos || equals == 0) return std::nullopt;
    values[word.substr(0, equals)] = word.substr(equals + 1);
  }
  return values;
}

bool plain_equal(const std::string& a, const std::string& b) { return a == b; }

}  // namespace

std::string encode_members(const MemberValues& values) {
  if (values.empty()) return "";
  bool uniform = true;
  for (const auto& [member, value] : values) uniform = uniform && value == values.front().second;
  if (uniform) return values.front().second;
  std::string text;
  for (const auto& [member, value] : values) text += (text.empty() ? "" : " ") + member + "=" + value;
  return text;
}

std::optional<std::map<std::string, std::string>> decode_members(const std::string& text,
                                                                 const std::vector<std::string>& members) {
  std::map<std::string, std::string> values;
  if (auto listed = parse_member_form(text)) {
    if (listed->size() != members.size()) return std::nullopt;
    for (const auto& member : members) {
      auto it = listed->find(member);
      if (it == listed->end()) return std::nullopt;
      values[member] = it->second;
    }
    return values;
  }
  for (const auto& member : members) values[member] = trim(text);
  return values;
}

bool same_members(const std::string& a, const std::string& b, bool (*equal)(const std::string&, const std::string&)) {
  if (!equal) equal = plain_equal;
  auto listed_a = parse_member_form(a);
  auto listed_b = parse_member_form(b);
  if (!listed_a && !listed_b) return equal(trim(a), trim(b));
  if (listed_a && listed_b) {
    if (listed_a->size() != listed_b->size()) return false;
    for (const auto& [member, value] : *listed_a) {
      auto it = listed_b->find(member);
      if (it == listed_b->end() || !equal(value, it->second)) return false;
    }
    return true;
  }
  // One side gives a single value: every member of the other must have it.
  const auto& listed = listed_a ? *listed_a : *listed_b;
  const std::string single = trim(listed_a ? b : a);
  for (const auto& [member, value] : listed) {
    if (!equal(value, single)) return false;
  }
  return true;
}

}  // namespace tune::linux_platform
