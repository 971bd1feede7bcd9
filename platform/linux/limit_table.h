// The resource limits of the limits domain: their names in limits.conf(5),
// systemd and /proc/PID/limits, and how a value converts between the units
// each counts in. Values are held in the kernel's units (bytes, seconds, the
// raw RLIMIT_NICE), so a limits.conf line and a system.conf line compare.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tune::linux_platform {

// How a limit counts: this fixes every conversion.
enum class LimitUnit {
  Count,    // files, processes, signals, locks, priorities: the same everywhere
  KiB,      // pam counts KiB; the kernel and systemd bytes
  Bytes,    // bytes everywhere (msgqueue)
  Minutes,  // pam counts minutes; the kernel and systemd seconds (cpu)
  Nice,     // pam takes a nice value -20..19; the kernel holds 20 - nice
  Logins,   // maxlogins: pam's own count, not an rlimit
};

struct LimitInfo {
  std::string name;        // "nofile", as limits.conf and profiles name it
  LimitUnit unit;
  std::string directive;   // "NOFILE" for DefaultLimitNOFILE=; empty: systemd has none
  std::string proc_label;  // "Max open files" in /proc/PID/limits; empty: none
};

// Every limit a profile may set, in the order docs/PROFILES.md lists them.
const std::vector<LimitInfo>& limit_table();
const LimitInfo* find_limit(std::string_view name);
// By systemd's name without the prefix: "NOFILE".
const LimitInfo* find_directive(std::string_view directive);

// One limit in the kernel's units: a number, unlimited, or unknown (tune
// could not tell where the value would come from).
struct Rlim {
  enum class Kind { Unknown, Number, Unlimited };
  Kind kind = Kind::Unknown;
  unsigned long long number = 0;

  static Rlim unknown() { return {}; }
  static Rlim unlimited() { return {Kind::Unlimited, 0}; }
  static Rlim of(unsigned long long n) { return {Kind::Number, n}; }
  bool known() const { return kind != Kind::Unknown; }
  bool operator==(const Rlim&) const = default;
};

struct RlimPair {
  Rlim soft;
  Rlim hard;
  bool operator==(const RlimPair&) const = default;
};

// Whether a allows more than b (unlimited above every number); nullopt when
// either is unknown.
std::optional<bool> looser(const Rlim& a, const Rlim& b);

// In pam's units, as plans show it: "65535", "unlimited", "-" when unknown.
std::string pam_text(const LimitInfo& limit, const Rlim& value);
// A value in pam's units ("65535", "unlimited", "infinity", "-10" for nice);
// "-" reads as unknown. Nullopt when it is none of these.
std::optional<Rlim> parse_pam_text(const LimitInfo& limit, std::string_view text);

// "SOFT:HARD" in pam's units, the value of a limits target.
std::string pair_text(const LimitInfo& limit, const RlimPair& value);
std::optional<RlimPair> parse_pair_text(const LimitInfo& limit, std::string_view text);

// As system.conf takes it: "65535", "8192K", "infinity", "+0" for nice.
std::string systemd_text(const LimitInfo& limit, const Rlim& value);
// One side of a DefaultLimitX= value: numbers, sizes with K/M/G/T/P/E
// (base 1024) for byte limits, time spans for CPU, +/- nice values or raw
// ones for NICE, "infinity". Nullopt when systemd would refuse it.
std::optional<Rlim> parse_systemd_value(const LimitInfo& limit, std::string_view text);

}  // namespace tune::linux_platform
