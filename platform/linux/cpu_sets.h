// Sets of CPUs in the forms the kernel and systemd write them: a CPU list
// ("0-3,8", smp_affinity_list, Cpus_allowed_list, profiles), a hex mask in
// 32-bit groups ("ff,00000000", default_smp_affinity) and systemd's list,
// which may separate with blanks. Two texts name the same CPUs when their
// sets are equal, whatever the form ("0,1" and "0-1").
#pragma once

#include "util/result.h"
#include "util/system.h"

#include <optional>
#include <set>
#include <string>

namespace tune::linux_platform {

using CpuSet = std::set<unsigned>;

// Beyond any machine Linux runs on (NR_CPUS tops out at 8192): a larger number
// in a list is a mistake, and refusing it keeps "0-4294967295" from filling memory.
inline constexpr unsigned kMaxCpus = 8192;

// "0-3,8"; the empty text is the empty set. nullopt: not a CPU list.
std::optional<CpuSet> parse_cpulist(const std::string& text);
// The shortest list, ranges joined: {0,1,2,5} -> "0-2,5"; the empty set -> "".
std::string format_cpulist(const CpuSet& cpus);

// "3", "00000003", "ff,00000000": the kernel's cpumask text.
std::optional<CpuSet> parse_cpu_mask(const std::string& text);
// The mask the kernel reads: hex, 32-bit groups joined by commas, the
// highest first; the empty set -> "0".
std::string format_cpu_mask(const CpuSet& cpus);

// systemd's CPU list: ranges and numbers separated by commas or blanks.
std::optional<CpuSet> parse_systemd_cpus(const std::string& text);

// Whether two CPU lists name the same CPUs (texts that are not lists compare as text).
bool same_cpulist(const std::string& a, const std::string& b);

// The CPUs a /sys/devices/system/cpu list names ("possible", "online");
// nullopt where the file is absent or unreadable (a bare tree).
std::optional<CpuSet> host_cpus(const System& system, const std::string& which);

// "CPU 9" or "CPUs 9-12": for messages.
std::string describe_cpus(const CpuSet& cpus);

}  // namespace tune::linux_platform
