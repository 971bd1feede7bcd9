#include "platform/linux/cpu_sets.h"

#include "util/text.h"

#include <cctype>

namespace tune::linux_platform {
namespace {

std::optional<unsigned> cpu_number(const std::string& text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  const unsigned number = static_cast<unsigned>(std::stoul(text));
  if (number >= kMaxCpus) return std::nullopt;
  return number;
}

// One "N" or "A-B" into cpus.
bool add_part(const std::string& part, CpuSet& cpus) {
  auto dash = part.find('-');
  if (dash == std::string::npos) {
    auto cpu = cpu_number(part);
    if (!cpu) return false;
    cpus.insert(*cpu);
    return true;
  }
  auto low = cpu_number(part.substr(0, dash));
  auto high = cpu_number(part.substr(dash + 1));
  if (!low || !high || *low > *high) return false;
  for (unsigned cpu = *low; cpu <= *high; ++cpu) cpus.insert(cpu);
  return true;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<CpuSet> parse_cpulist(const std::string& text) {
  CpuSet cpus;
  const std::string trimmed = trim(text);
  if (trimmed.empty()) return cpus;
  for (const auto& part : split(trimmed, ',')) {
    if (!add_part(part, cpus)) return std::nullopt;
  }
  return cpus;
}

std::string format_cpulist(const CpuSet& cpus) {
  std::string text;
  for (auto it = cpus.begin(); it != cpus.end();) {
    unsigned first = *it;
    unsigned last = first;
    for (++it; it != cpus.end() && *it == last + 1; ++it) last = *it;
    if (!text.empty()) text += ",";
    text += std::to_string(first);
    if (last != first) text += "-" + std::to_string(last);
  }
  return text;
}

std::optional<CpuSet> parse_cpu_mask(const std::string& text) {
  const std::string trimmed = trim(text);
  if (trimmed.empty()) return std::nullopt;
  // Groups from the lowest CPUs up; each group is at most 32 bits.
  const auto groups = split(trimmed, ',');
  CpuSet cpus;
  unsigned base = 0;
  for (auto group = groups.rbegin(); group != groups.rend(); ++group, base += 32) {
    if (group->empty() || (groups.size() > 1 && group->size() > 8)) return std::nullopt;
    unsigned bit = base;
    for (auto c = group->rbegin(); c != group->rend(); ++c, bit += 4) {
      const int digit = hex_digit(*c);
      if (digit < 0) return std::nullopt;
      for (int i = 0; i < 4; ++i) {
        if ((digit >> i & 1) == 0) continue;
        if (bit + static_cast<unsigned>(i) >= kMaxCpus) return std::nullopt;
        cpus.insert(bit + static_cast<unsigned>(i));
      }
    }
  }
  return cpus;
}

std::string format_cpu_mask(const CpuSet& cpus) {
  if (cpus.empty()) return "0";
  const unsigned groups = *cpus.rbegin() / 32 + 1;
  std::string text;
  for (unsigned group = groups; group-- > 0;) {
    uint32_t word = 0;
    for (unsigned cpu = group * 32; cpu < group * 32 + 32; ++cpu) {
      if (cpus.count(cpu)) word |= uint32_t{1} << (cpu - group * 32);
    }
    text += group + 1 == groups ? fmt::format("{:x}", word) : fmt::format(",{:08x}", word);
  }
  return text;
}

std::optional<CpuSet> parse_systemd_cpus(const std::string& text) {
  CpuSet cpus;
  std::string list = text;
  for (char& c : list) {
    if (std::isspace(static_cast<unsigned char>(c))) c = ',';
  }
  for (const auto& part : split(list, ',')) {
    if (part.empty()) continue;
    if (!add_part(part, cpus)) return std::nullopt;
  }
  return cpus;
}

bool same_cpulist(const std::string& a, const std::string& b) {
  auto left = parse_cpulist(a);
  auto right = parse_cpulist(b);
  if (!left || !right) return trim(a) == trim(b);
  return *left == *right;
}

std::optional<CpuSet> host_cpus(const System& system, const std::string& which) {
  auto text = system.read_file("/sys/devices/system/cpu/" + which);
  if (!text) return std::nullopt;
  auto cpus = parse_cpulist(*text);
  if (!cpus || cpus->empty()) return std::nullopt;
  return cpus;
}

std::string describe_cpus(const CpuSet& cpus) {
  return (cpus.size() == 1 ? "CPU " : "CPUs ") + format_cpulist(cpus);
}

}  // namespace tune::linux_platform
