#include "util/text.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <charconv>
#include <cstdlib>

namespace tune {

std::string ascii_lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string trim(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return std::string(text.substr(begin, end - begin));
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t at = text.find(separator, start);
    if (at == std::string_view::npos) {
      parts.emplace_back(text.substr(start));
      return parts;
    }
    parts.emplace_back(text.substr(start, at - start));
    start = at + 1;
  }
}

std::vector<std::string> split_whitespace(std::string_view text) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) parts.emplace_back(text.substr(start, i - start));
  }
  return parts;
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines = split(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += separator;
    out += parts[i];
  }
  return out;
}

std::string normalize_spaces(std::string_view text) { return join(split_whitespace(text), " "); }

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::optional<long long> parse_integer(std::string_view text) {
  std::string trimmed = trim(text);
  if (trimmed.empty()) return std::nullopt;
  long long value = 0;
  const char* first = trimmed.data();
  const char* last = trimmed.data() + trimmed.size();
  if (*first == '+') ++first;
  auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || ptr != last) return std::nullopt;
  return value;
}

std::optional<double> parse_number(std::string_view text) {
  std::string trimmed = trim(text);
  if (trimmed.empty()) return std::nullopt;
  char* end = nullptr;
  double value = std::strtod(trimmed.c_str(), &end);
  if (end != trimmed.c_str() + trimmed.size()) return std::nullopt;
  return value;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  size_t best_distance = std::max<size_t>(2, word.size() / 3) + 1;
  for (const auto& candidate : candidates) {
    size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

bool parse_bracketed_choice(const std::string& text, std::string& current, std::vector<std::string>& choices) {
  std::string chosen;
  std::vector<std::string> all;
  for (const auto& word : split_whitespace(text)) {
    if (word.size() >= 3 && word.front() == '[' && word.back() == ']') {
      if (!chosen.empty()) return false;  // two current values: not a kernel choice line
      chosen = word.substr(1, word.size() - 2);
      all.push_back(chosen);
    } else {
      all.push_back(word);
    }
  }
  if (chosen.empty()) return false;
  current = chosen;
  choices = all;
  return true;
}

namespace {

std::string hex_byte(unsigned char c) {
  static const char kDigits[] = "0123456789abcdef";
  return std::string("\\x") + kDigits[c >> 4] + kDigits[c & 15];
}

// tune's own colours (core/render.cpp), the only escapes that reach a terminal.
size_t own_colour_at(std::string_view text, size_t i) {
  static const char* const kOwn[] = {"\033[0m", "\033[1m", "\033[2m", "\033[31m", "\033[32m", "\033[33m", "\033[36m"};
  for (const char* sequence : kOwn) {
    const std::string_view own(sequence);
    if (text.substr(i, own.size()) == own) return own.size();
  }
  return 0;
}

std::string escape_controls(std::string_view text, bool keep_newlines, bool allow_colours) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\033' && allow_colours) {
      if (size_t length = own_colour_at(text, i)) {
        out.append(text.substr(i, length));
        i += length - 1;
        continue;
      }
    }
    if ((c == '\n' && keep_newlines) || c == '\t') {
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      out += hex_byte(c);
    } else if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      out += hex_byte(c) + hex_byte(static_cast<unsigned char>(text[i + 1]));  // a C1 control, as UTF-8
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

std::string safe_for_terminal(std::string_view text) { return escape_controls(text, true, true); }

std::string printable_line(std::string_view text) { return escape_controls(text, false, false); }

bool has_control_bytes(std::string_view text, bool lines) {
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (lines && (c == '\n' || c == '\t')) continue;
    if (c < 0x20 || c == 0x7f) return true;
    if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      return true;
    }
  }
  return false;
}

bool is_utf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char lead = static_cast<unsigned char>(text[i]);
    size_t length = 0;
    uint32_t point = 0;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2, point = lead & 0x1fu;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3, point = lead & 0x0fu;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4, point = lead & 0x07u;
    } else {
      return false;  // a continuation byte, an overlong lead (c0, c1) or past U+10FFFF
    }
    if (text.size() - i < length) return false;
    for (size_t k = 1; k < length; ++k) {
      const unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0u) != 0x80u) return false;
      point = (point << 6) | (next & 0x3fu);
    }
    const uint32_t smallest = length == 3 ? 0x800u : length == 4 ? 0x10000u : 0x80u;
    if (point < smallest || point > 0x10ffffu || (point >= 0xd800u && point <= 0xdfffu)) return false;
    i += length;
  }
  return true;
}

bool is_plain_text(std::string_view text, bool lines) { return is_utf8(text) && !has_control_bytes(text, lines); }

std::string quoted_name(std::string_view text) {
  const bool plain = !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("_.@/+-").find(c) != std::string_view::npos;
  });
  if (plain) return "'" + std::string(text) + "'";
  return "that is not a plain name (" + std::to_string(text.size()) + " bytes, not repeated here)";
}

}  // namespace tune
