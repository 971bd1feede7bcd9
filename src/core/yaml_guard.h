// Guards around yaml-cpp for text tune did not write. It parses nested
// collections recursively, so a few kilobytes of "[[[[" overflow the stack:
// such text is refused up front (profiles are small and shallow). And its
// LoadAll never returns on some malformed input, so documents are loaded
// one at a time, never more than two.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

namespace tune {

inline constexpr size_t kMaxYamlBytes = 1 << 20;
inline constexpr int kMaxYamlDepth = 64;

// The reason to refuse text, or nothing when it is safe to hand to yaml-cpp.
inline std::optional<std::string> refuse_hostile_yaml(const std::string& text) {
  if (text.size() > kMaxYamlBytes) return "larger than 1 MiB; a profile is a short text file";
  int flow = 0;
  size_t line_start = 0;
  while (line_start <= text.size()) {
    size_t line_end = text.find('\n', line_start);
    if (line_end == std::string::npos) line_end = text.size();
    size_t i = line_start;
    int block = 0;
    while (i < line_end && text[i] == ' ') ++i;
    block += static_cast<int>(i - line_start);
    // Compact nested sequences and keys: "- - - x", "? ? x".
    while (i + 1 < line_end && (text[i] == '-' || text[i] == '?' || text[i] == ':') && text[i + 1] == ' ') {
      block += 2;
      i += 2;
      while (i < line_end && text[i] == ' ') ++i;
    }
    char quote = 0;
    for (; i < line_end; ++i) {
      char c = text[i];
      if (quote) {
        if (c == quote) quote = 0;
        continue;
      }
      if (c == '\'' || c == '"') quote = c;
      else if (c == '#' && (i == line_start || text[i - 1] == ' ')) break;
      else if (c == '[' || c == '{') ++flow;
      else if ((c == ']' || c == '}') && flow > 0) --flow;
      if (flow > kMaxYamlDepth) return "nested more than 64 levels deep";
    }
    if (block > 4 * kMaxYamlDepth || block / 2 + flow > kMaxYamlDepth) return "nested more than 64 levels deep";
    line_start = line_end + 1;
  }
  return std::nullopt;
}

struct FirstYamlDocument {
  YAML::Node root;      // null when the text holds no document
  bool has_more = false;  // a second document follows
};

// The first document of text, and whether another follows it. Throws
// YAML::Exception as yaml-cpp does. Call refuse_hostile_yaml first.
FirstYamlDocument load_first_yaml_document(const std::string& text);

}  // namespace tune
