#include "bench/prompt_tokens.h"

#include <fmt/format.h>

#include <cctype>
#include <fstream>
#include <limits>
#include <sstream>

namespace tune::bench {

Result<std::vector<int>> parse_prompt_tokens(std::string_view text, const std::string& source) {
  std::vector<int> tokens;
  size_t at = 0;
  int line = 1;
  const auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (at < text.size()) {
    if (is_space(text[at])) {
      if (text[at] == '\n') ++line;
      ++at;
      continue;
    }
    size_t end = at;
    while (end < text.size() && !is_space(text[end])) ++end;
    const std::string_view word = text.substr(at, end - at);
    const size_t position = tokens.size() + 1;
    // Digits only: a sign, a decimal point or a hex prefix is not an id.
    long long value = 0;
    bool digits = true;
    for (char c : word) {
      if (c < '0' || c > '9') {
        digits = false;
        break;
      }
      value = value * 10 + (c - '0');
      if (value > std::numeric_limits<int>::max()) break;
    }
    if (!digits || value > std::numeric_limits<int>::max()) {
      const std::string shown = word.size() > 24 ? std::string(word.substr(0, 24)) + "..." : std::string(word);
      return make_error("{}: token {} (line {}) is '{}', not a token id (a non-negative integer)", source, position,
                        line, shown);
    }
    tokens.push_back(static_cast<int>(value));
    at = end;
  }
  if (tokens.empty()) return make_error("{}: no token ids (expected integers separated by whitespace)", source);
  return tokens;
}

Result<std::vector<int>> read_prompt_tokens(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("{}: cannot read the prompt tokens", path);
  std::ostringstream text;
  text << in.rdbuf();
  return parse_prompt_tokens(text.str(), path);
}

Status check_prompt_tokens(const std::vector<int>& tokens, int vocab_size, const std::string& source) {
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i] < 0 || tokens[i] >= vocab_size) {
      return make_error("{}: token {} is id {}, outside the model's vocabulary of {} tokens (ids 0 to {})", source,
                        i + 1, tokens[i], vocab_size, vocab_size - 1);
    }
  }
  return {};
}

}  // namespace tune::bench
