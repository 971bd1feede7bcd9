#include "util/swap_table.h"

#include "util/system.h"
#include "util/text.h"

#include <fmt/format.h>

namespace tune {
namespace {

constexpr uint64_t kPageKib = 4;
constexpr const char* kHeader = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";

// The kernel writes blanks, tabs, newlines and backslashes in paths as octal
// escapes (\040), so a path never breaks a line into more fields.
std::string unescape(const std::string& field) {
  std::string out;
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size()) {
      const std::string digits = field.substr(i + 1, 3);
      if (digits.size() == 3 && digits.find_first_not_of("01234567") == std::string::npos) {
        out += static_cast<char>(std::stoi(digits, nullptr, 8));
        i += 3;
        continue;
      }
    }
    out += field[i];
  }
  return out;
}

std::string escape(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\\') out += fmt::format("\\{:03o}", static_cast<unsigned char>(c));
    else out += c;
  }
  return out;
}

std::string format_line(const SwapArea& area) {
  return fmt::format("{:<40}{}\t{}\t\t{}\t\t{}\n", escape(area.path), area.type == "partition" ? "partition" : "file\t",
                     area.size_kib, area.used_kib, area.priority);
}

}  // namespace

std::vector<SwapArea> parse_swap_table(const std::string& text) {
  std::vector<SwapArea> areas;
  for (const auto& line : split_lines(text)) {
    auto fields = split_whitespace(line);
    if (fields.size() != 5 || fields[0] == "Filename") continue;
    auto size = parse_integer(fields[2]);
    auto used = parse_integer(fields[3]);
    auto priority = parse_integer(fields[4]);
    if (!size || !used || !priority || *size < 0 || *used < 0) continue;
    areas.push_back({unescape(fields[0]), fields[1], static_cast<uint64_t>(*size), static_cast<uint64_t>(*used),
                     static_cast<int>(*priority)});
  }
  return areas;
}

std::optional<SwapArea> find_swap_area(const std::vector<SwapArea>& areas, const std::string& path) {
  for (const auto& area : areas) {
    if (area.path == path) return area;
  }
  return std::nullopt;
}

std::string swap_table_with(const std::string& text, const SwapArea& area) {
  std::string out = kHeader;
  for (const auto& existing : parse_swap_table(text)) {
    if (existing.path != area.path) out += format_line(existing);
  }
  return out + format_line(area);
}

std::string swap_table_without(const std::string& text, const std::string& path) {
  std::string out = kHeader;
  for (const auto& existing : parse_swap_table(text)) {
    if (existing.path != path) out += format_line(existing);
  }
  return out;
}

uint64_t swap_area_kib(uint64_t bytes) {
  const uint64_t pages = bytes / (kPageKib * 1024);
  return pages == 0 ? 0 : (pages - 1) * kPageKib;
}

int next_automatic_priority(const std::vector<SwapArea>& areas) {
  int lowest = -1;
  for (const auto& area : areas) {
    if (area.priority < 0 && area.priority <= lowest) lowest = area.priority;
  }
  return lowest - 1;
}

Result<std::string> modelled_swap_on(const System& door, const std::string& path, int priority) {
  auto info = door.stat(path);
  if (!info) return info.error();
  if (!info->exists) return make_error("swapon {}: No such file or directory", path);
  std::string table = door.read_file("/proc/swaps").value_or_default();
  auto areas = parse_swap_table(table);
  if (find_swap_area(areas, path)) return make_error("swapon {}: Device or resource busy", path);
  const bool device = starts_with(path, "/dev/");
  uint64_t bytes = info->size;
  if (device) {
    // A device's size is what sysfs says: zram's disksize in bytes, others' size in sectors.
    const std::string block = "/sys/block/" + path.substr(path.find_last_of('/') + 1);
    if (auto disksize = door.read_file(block + "/disksize")) {
      bytes = static_cast<uint64_t>(parse_integer(trim(*disksize)).value_or(0));
    } else if (auto sectors = door.read_file(block + "/size")) {
      bytes = static_cast<uint64_t>(parse_integer(trim(*sectors)).value_or(0)) * 512;
    }
  }
  if (swap_area_kib(bytes) == 0) return make_error("swapon {}: Invalid argument", path);
  SwapArea area{path, device ? "partition" : "file", swap_area_kib(bytes), 0,
                priority >= 0 ? priority : next_automatic_priority(areas)};
  return swap_table_with(table, area);
}

Result<std::string> modelled_swap_off(const System& door, const std::string& path) {
  std::string table = door.read_file("/proc/swaps").value_or_default();
  if (!find_swap_area(parse_swap_table(table), path)) return make_error("swapoff {}: Invalid argument", path);
  return swap_table_without(table, path);
}

}  // namespace tune
