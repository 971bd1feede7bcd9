#include "platform/linux/limit_table.h"

#include "util/text.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>

namespace tune::linux_platform {
namespace {

constexpr unsigned long long kMax = ULLONG_MAX;

// RLIMIT_NICE holds 20 - nice: raw 40 lets a process go down to nice -20.
constexpr long long kNiceBase = 20;

std::optional<unsigned long long> parse_digits(std::string_view text) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  unsigned long long value = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    const unsigned digit = static_cast<unsigned>(c - '0');
    if (value > (kMax - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

// n * factor, or unlimited where it overflows: pam's rule for large KiB and minutes.
Rlim scaled(unsigned long long n, unsigned long long factor) {
  if (n >= kMax / factor) return Rlim::unlimited();
  return Rlim::of(n * factor);
}

// A number with an optional fraction ("1.5") as integer and fraction parts.
bool split_decimal(std::string_view text, size_t& end, unsigned long long& whole, long double& fraction) {
  size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == 0) return false;
  auto parsed = parse_digits(text.substr(0, i));
  if (!parsed) return false;
  whole = *parsed;
  fraction = 0;
  if (i < text.size() && text[i] == '.') {
    size_t start = ++i;
    long double scale = 0.1L;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      fraction += scale * (text[i] - '0');
      scale /= 10;
      ++i;
    }
    if (i == start) return false;
  }
  end = i;
  return true;
}

// systemd's parse_size with base 1024: "8M", "512K", "1.5G", "4096".
std::optional<unsigned long long> parse_size_1024(std::string_view text) {
  size_t end = 0;
  unsigned long long whole = 0;
  long double fraction = 0;
  if (!split_decimal(text, end, whole, fraction)) return std::nullopt;
  const std::string suffix(text.substr(end));
  static const std::pair<const char*, int> kSuffixes[] = {{"", 0}, {"B", 0}, {"K", 1}, {"M", 2},
                                                          {"G", 3}, {"T", 4}, {"P", 5}, {"E", 6}};
  for (const auto& [name, power] : kSuffixes) {
    if (suffix != name) continue;
    unsigned long long factor = 1;
    for (int i = 0; i < power; ++i) factor *= 1024;
    if (whole > kMax / factor) return std::nullopt;
    const auto extra = static_cast<unsigned long long>(std::floor(fraction * static_cast<long double>(factor)));
    if (whole * factor > kMax - extra) return std::nullopt;
    return whole * factor + extra;
  }
  return std::nullopt;
}

// systemd's time span, "90", "5min", "1h 30min", in seconds rounded up as
// its rlimit parser does. Bare numbers are seconds.
std::optional<unsigned long long> parse_seconds(std::string_view text) {
  static const std::pair<const char*, unsigned long long> kUnits[] = {
      {"usec", 1ULL},         {"us", 1ULL},           {"msec", 1000ULL},         {"ms", 1000ULL},
      {"seconds", 1000000ULL}, {"second", 1000000ULL}, {"sec", 1000000ULL},       {"s", 1000000ULL},
      {"minutes", 60000000ULL}, {"minute", 60000000ULL}, {"min", 60000000ULL},     {"m", 60000000ULL},
      {"hours", 3600000000ULL}, {"hour", 3600000000ULL}, {"hr", 3600000000ULL},   {"h", 3600000000ULL},
      {"days", 86400000000ULL}, {"day", 86400000000ULL}, {"d", 86400000000ULL},
      {"weeks", 604800000000ULL}, {"week", 604800000000ULL}, {"w", 604800000000ULL}};
  long double usec = 0;
  size_t i = 0;
  bool any = false;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    if (i == text.size()) break;
    size_t end = 0;
    unsigned long long whole = 0;
    long double fraction = 0;
    if (!split_decimal(text.substr(i), end, whole, fraction)) return std::nullopt;
    i += end;
    while (i < text.size() && text[i] == ' ') ++i;
    size_t unit_end = i;
    while (unit_end < text.size() && std::isalpha(static_cast<unsigned char>(text[unit_end]))) ++unit_end;
    const std::string unit(text.substr(i, unit_end - i));
    unsigned long long factor = 0;
    if (unit.empty()) factor = 1000000ULL;
    for (const auto& [name, usec_per] : kUnits) {
      if (unit == name) factor = usec_per;
    }
    if (factor == 0) return std::nullopt;
    usec += (static_cast<long double>(whole) + fraction) * static_cast<long double>(factor);
    i = unit_end;
    any = true;
  }
  if (!any) return std::nullopt;
  const long double seconds = std::ceil(usec / 1000000.0L);
  if (seconds >= static_cast<long double>(kMax)) return std::nullopt;
  return static_cast<unsigned long long>(seconds);
}

// A nice value -20..19 as RLIMIT_NICE holds it, clamped as pam clamps it.
Rlim nice_rlim(long long nice) {
  return Rlim::of(static_cast<unsigned long long>(kNiceBase - std::clamp(nice, -20LL, 19LL)));
}

long long nice_of(const Rlim& raw) {
  if (raw.kind == Rlim::Kind::Unlimited || raw.number >= 40) return -20;
  return std::min<long long>(19, kNiceBase - static_cast<long long>(raw.number));
}

}  // namespace

const std::vector<LimitInfo>& limit_table() {
  static const std::vector<LimitInfo> kTable = {
      {"nofile", LimitUnit::Count, "NOFILE", "Max open files"},
      {"nproc", LimitUnit::Count, "NPROC", "Max processes"},
      {"memlock", LimitUnit::KiB, "MEMLOCK", "Max locked memory"},
      {"stack", LimitUnit::KiB, "STACK", "Max stack size"},
      {"core", LimitUnit::KiB, "CORE", "Max core file size"},
      {"as", LimitUnit::KiB, "AS", "Max address space"},
      {"fsize", LimitUnit::KiB, "FSIZE", "Max file size"},
      {"data", LimitUnit::KiB, "DATA", "Max data size"},
      {"cpu", LimitUnit::Minutes, "CPU", "Max cpu time"},
      {"rtprio", LimitUnit::Count, "RTPRIO", "Max realtime priority"},
      {"nice", LimitUnit::Nice, "NICE", "Max nice priority"},
      {"msgqueue", LimitUnit::Bytes, "MSGQUEUE", "Max msgqueue size"},
      {"sigpending", LimitUnit::Count, "SIGPENDING", "Max pending signals"},
      {"locks", LimitUnit::Count, "LOCKS", "Max file locks"},
      {"maxlogins", LimitUnit::Logins, "", ""},
  };
  return kTable;
}

const LimitInfo* find_limit(std::string_view name) {
  for (const auto& limit : limit_table()) {
    if (limit.name == name) return &limit;
  }
  return nullptr;
}

const LimitInfo* find_directive(std::string_view directive) {
  if (directive.empty()) return nullptr;
  for (const auto& limit : limit_table()) {
    if (limit.directive == directive) return &limit;
  }
  return nullptr;
}

std::optional<bool> looser(const Rlim& a, const Rlim& b) {
  if (!a.known() || !b.known()) return std::nullopt;
  if (b.kind == Rlim::Kind::Unlimited) return false;
  if (a.kind == Rlim::Kind::Unlimited) return true;
  return a.number > b.number;
}

std::string pam_text(const LimitInfo& limit, const Rlim& value) {
  if (!value.known()) return "-";
  if (limit.unit == LimitUnit::Nice) return std::to_string(nice_of(value));
  if (value.kind == Rlim::Kind::Unlimited) return "unlimited";
  switch (limit.unit) {
    case LimitUnit::KiB: return std::to_string(value.number / 1024);
    case LimitUnit::Minutes: return std::to_string(value.number / 60);
    default: return std::to_string(value.number);
  }
}

std::optional<Rlim> parse_pam_text(const LimitInfo& limit, std::string_view text) {
  if (text == "-") return Rlim::unknown();
  if (text == "unlimited" || text == "infinity") return Rlim::unlimited();
  if (limit.unit == LimitUnit::Nice) {
    auto nice = parse_integer(text);
    if (!nice) return std::nullopt;
    return nice_rlim(*nice);
  }
  auto number = parse_digits(text);
  if (!number) return std::nullopt;
  switch (limit.unit) {
    case LimitUnit::KiB: return scaled(*number, 1024);
    case LimitUnit::Minutes: return scaled(*number, 60);
    default: return Rlim::of(*number);
  }
}

std::string pair_text(const LimitInfo& limit, const RlimPair& value) {
  return pam_text(limit, value.soft) + ":" + pam_text(limit, value.hard);
}

std::optional<RlimPair> parse_pair_text(const LimitInfo& limit, std::string_view text) {
  // A nice value may be negative, so the separator is the one colon.
  auto colon = text.find(':');
  if (colon == std::string_view::npos || text.find(':', colon + 1) != std::string_view::npos) return std::nullopt;
  auto soft = parse_pam_text(limit, text.substr(0, colon));
  auto hard = parse_pam_text(limit, text.substr(colon + 1));
  if (!soft || !hard) return std::nullopt;
  return RlimPair{*soft, *hard};
}

std::string systemd_text(const LimitInfo& limit, const Rlim& value) {
  if (!value.known()) return "-";
  if (value.kind == Rlim::Kind::Unlimited) return "infinity";
  switch (limit.unit) {
    case LimitUnit::KiB:
      return value.number != 0 && value.number % 1024 == 0 ? std::to_string(value.number / 1024) + "K"
                                                           : std::to_string(value.number);
    case LimitUnit::Nice: {
      // Signed, systemd reads a nice value; unsigned, a raw one (0 allows no lowering at all).
      if (value.number == 0) return "0";
      const long long nice = nice_of(value);
      return (nice >= 0 ? "+" : "") + std::to_string(nice);
    }
    default: return std::to_string(value.number);
  }
}

std::optional<Rlim> parse_systemd_value(const LimitInfo& limit, std::string_view text) {
  const std::string value = trim(text);
  if (value == "infinity") return Rlim::unlimited();
  switch (limit.unit) {
    case LimitUnit::KiB:
    case LimitUnit::Bytes: {
      auto bytes = parse_size_1024(value);
      if (!bytes) return std::nullopt;
      return Rlim::of(*bytes);
    }
    case LimitUnit::Minutes: {
      auto seconds = parse_seconds(value);
      if (!seconds) return std::nullopt;
      return Rlim::of(*seconds);
    }
    case LimitUnit::Nice: {
      if (!value.empty() && (value[0] == '+' || value[0] == '-')) {
        auto nice = parse_integer(value);
        if (!nice || *nice < -20 || *nice > 19) return std::nullopt;
        return nice_rlim(*nice);
      }
      auto raw = parse_digits(value);
      if (!raw || *raw > 40) return std::nullopt;
      return Rlim::of(*raw);
    }
    default: {
      auto number = parse_digits(value);
      if (!number) return std::nullopt;
      return Rlim::of(*number);
    }
  }
}

}  // namespace tune::linux_platform
