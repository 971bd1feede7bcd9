#include "platform/linux/swap_area.h"

#include "util/text.h"

#include <fmt/format.h>

#include <cctype>
#include <cstring>
#include <random>

namespace tune::linux_platform {

std::string size_text(uint64_t bytes) {
  if (bytes == 0) return "0";
  if (bytes % (1ull << 30) == 0) return std::to_string(bytes >> 30) + "G";
  if (bytes % (1ull << 20) == 0) return std::to_string(bytes >> 20) + "M";
  if (bytes % (1ull << 10) == 0) return std::to_string(bytes >> 10) + "K";
  return std::to_string(bytes);
}

std::string format_swap_state(const SwapState& state) {
  if (!state.in_use) return state.algorithm.empty() ? "unused" : "unused " + state.algorithm;
  std::string text = size_text(state.bytes);
  if (!state.algorithm.empty()) text += " " + state.algorithm;
  text += state.on ? " on" : " off";
  if (state.on && state.priority >= 0) text += " priority " + std::to_string(state.priority);
  return text;
}

std::optional<SwapState> parse_swap_state(const std::string& text) {
  SwapState state;
  auto words = split_whitespace(text);
  if (!words.empty() && words[0] == "unused" && words.size() <= 2) {
    if (words.size() == 2) state.algorithm = words[1];
    return state;
  }
  if (words.size() < 2) return std::nullopt;
  size_t at = 0;
  // Sizes as size_text writes them.
  const std::string& size = words[at++];
  uint64_t unit = 1;
  std::string digits = size;
  if (!digits.empty() && std::string("KMG").find(digits.back()) != std::string::npos) {
    unit = digits.back() == 'K' ? 1ull << 10 : digits.back() == 'M' ? 1ull << 20 : 1ull << 30;
    digits.pop_back();
  }
  auto number = parse_integer(digits);
  if (!number || *number <= 0 || digits.size() > 15) return std::nullopt;
  state.in_use = true;
  state.bytes = static_cast<uint64_t>(*number) * unit;
  if (words[at] != "on" && words[at] != "off") state.algorithm = words[at++];
  if (at >= words.size() || (words[at] != "on" && words[at] != "off")) return std::nullopt;
  state.on = words[at++] == "on";
  if (at < words.size()) {
    if (words[at] != "priority" || at + 2 != words.size()) return std::nullopt;
    auto priority = parse_integer(words[at + 1]);
    if (!priority || *priority < 0 || *priority > 32767) return std::nullopt;
    state.priority = static_cast<int>(*priority);
  } 
  return state;
}

std::string swap_header(uint64_t bytes, uint64_t page) {
  std::string header(page, '\0');
  auto put32 = [&](size_t offset, uint32_t value) { std::memcpy(&header[offset], &value, sizeof value); };
  put32(1024, 1);                                              // version
  put32(1028, static_cast<uint32_t>(bytes / page - 1));       // last_page
  put32(1032, 0);                                              // nr_badpages
  std::random_device random;
  for (size_t i = 0; i < 16; ++i) header[1036 + i] = static_cast<char>(random() & 0xff);
  header[1036 + 6] = static_cast<char>((header[1036 + 6] & 0x0f) | 0x40);  // a version 4 UUID
  header[1036 + 8] = static_cast<char>((header[1036 + 8] & 0x3f) | 0x80);
  std::memcpy(&header[page - 10], "SWAPSPACE2", 10);
  return header;
}

uint64_t page_size(const System& system) {
  // The auxiliary vector the kernel gave this process: (type, value) words,
  // AT_PAGESZ (6) among them. Cheap to read, unlike /proc/self/smaps.
  constexpr uint64_t kAtPageSize = 6;
  const std::string auxv = system.read_file("/proc/self/auxv").value_or_default();
  for (size_t at = 0; at + 2 * sizeof(uint64_t) <= auxv.size(); at += 2 * sizeof(uint64_t)) {
    uint64_t type = 0;
    uint64_t value = 0;
    std::memcpy(&type, auxv.data() + at, sizeof type);
    std::memcpy(&value, auxv.data() + at + sizeof type, sizeof value);
    if (type == kAtPageSize && value >= 4096 && (value & (value - 1)) == 0) return value;
  }
  return 4096;
}

std::string systemd_path_name(const std::string& path) {
  std::string trimmed = path;
  while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
  size_t start = trimmed.find_first_not_of('/');
  if (start == std::string::npos) return "-";
  std::string out;
  for (size_t i = start; i < trimmed.size(); ++i) {
    const char c = trimmed[i];
    if (c == '/') {
      if (out.empty() || out.back() != '-' || trimmed[i - 1] != '/') out += '-';
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == ':' || c == '_' || (c == '.' && i != start)) {
      out += c;
    } else {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    }
  }
  return out;
}

bool valid_swapfile_path(const std::string& path) {
  if (path.size() < 2 || path.size() > 1024 || path[0] != '/' || path.back() == '/') return false;
  if (path.find("/../") != std::string::npos || path.find("/./") != std::string::npos ||
      path.find("//") != std::string::npos || ends_with(path, "/..") || ends_with(path, "/.")) {
    return false;
  }
  for (const char* kernel : {"/proc/", "/sys/", "/dev/"}) {
    if (starts_with(path, kernel)) return false;
  }
  for (char c : path) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && std::string("/._-+@").find(c) == std::string::npos) return false;
  }
  return true;
}

}  // namespace tune::linux_platform
