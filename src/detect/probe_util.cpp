// The reading helpers every probe shares.
#include "detect/probes.h"

#include "util/text.h"

namespace tune::detect {
namespace {

// Malformed content is quoted in warnings; keep the quote short and on one line.
std::string quoted(const std::string& text) {
  std::string shown = text.size() > 40 ? text.substr(0, 40) + "..." : text;
  for (char& c : shown) {
    if (c == '\n' || c == '\r' || c == '\t' || c == '\0') c = ' ';
  }
  return "'" + shown + "'";
}

}  // namespace

std::optional<std::string> Probe::read(const std::string& path) const {
  auto text = system_.read_file(path);
  if (!text) return std::nullopt;
  return std::move(*text);
}

std::string Probe::line(const std::string& path) const {
  auto text = read(path);
  if (!text) return "";
  auto newline = text->find('\n');
  return trim(newline == std::string::npos ? *text : text->substr(0, newline));
}

std::optional<long long> Probe::integer(const std::string& path) {
  auto text = read(path);
  if (!text) return std::nullopt;
  auto value = parse_integer(trim(*text));
  if (!value) malformed(path, "a whole number", trim(*text));
  return value;
}

std::optional<bool> Probe::flag(const std::string& path) {
  auto text = read(path);
  if (!text) return std::nullopt;
  const std::string value = trim(*text);
  if (value == "0") return false;
  if (value == "1") return true;
  malformed(path, "0 or 1", value);
  return std::nullopt;
}

std::vector<std::string> Probe::list(const std::string& path) const {
  auto names = system_.list_dir(path);
  return names ? std::move(*names) : std::vector<std::string>{};
}

bool Probe::exists(const std::string& path) const {
  auto info = system_.stat(path);
  return info && info->exists;
}

void Probe::warn(const std::string& message) { facts_.warnings.push_back(message); }

void Probe::malformed(const std::string& path, const std::string& expected, const std::string& found) {
  warn(path + ": expected " + expected + ", found " + (found.empty() ? "nothing" : quoted(found)) +
       "; treated as unknown");
}

std::string lower_ascii(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

std::optional<int> count_cpu_list(const std::string& text) {
  const std::string list = trim(text);
  if (list.empty()) return std::nullopt;
  int count = 0;
  for (const auto& range : split(list, ',')) {
    auto dash = range.find('-');
    auto first = parse_integer(range.substr(0, dash));
    auto last = dash == std::string::npos ? first : parse_integer(range.substr(dash + 1));
    if (!first || !last || *first < 0 || *last < *first) return std::nullopt;
    count += static_cast<int>(*last - *first + 1);
  }
  return count;
}

}  // namespace tune::detect
