// CPU vendor, model and ISA flags from /proc/cpuinfo. Its processor and core
// counts stand in only when no hwloc topology could be loaded.
#include "detect/probes.h"

#include "util/text.h"

#include <cctype>
#include <cstdlib>
#include <set>

namespace tune::detect {
namespace {

// The flags profiles and the inference runner care about, by kernel name.
const std::set<std::string> kInterestingFlags = {
    "avx",        "avx2",        "fma",         "f16c",    "avx512f",  "avx512bw", "avx512cd", "avx512dq",
    "avx512vl",   "avx512_vnni", "avx512_bf16", "avx512_fp16", "avx_vnni", "amx_tile", "amx_bf16", "amx_int8",
    "hypervisor", "asimd",       "asimddp",     "asimdhp", "sve",      "sve2",     "i8mm",     "bf16"};

// Arm MIDR implementer codes (Arm ARM, MIDR_EL1.Implementer); code is "0x41".
std::string arm_implementer(const std::string& code) {
  switch (std::strtol(code.c_str(), nullptr, 16)) {
    case 0x41: return "ARM";
    case 0x42: return "Broadcom";
    case 0x43: return "Cavium";
    case 0x46: return "Fujitsu";
    case 0x48: return "HiSilicon";
    case 0x4e: return "NVIDIA";
    case 0x50: return "APM";
    case 0x51: return "Qualcomm";
    case 0x61: return "Apple";
    case 0xc0: return "Ampere";
    default: return "";
  }
}

// Arm Ltd part numbers of cores common in servers and boards.
std::string arm_part(const std::string& code) {
  static const std::pair<const char*, const char*> kParts[] = {
      {"0xd03", "Cortex-A53"}, {"0xd04", "Cortex-A35"},   {"0xd05", "Cortex-A55"},   {"0xd07", "Cortex-A57"},
      {"0xd08", "Cortex-A72"}, {"0xd09", "Cortex-A73"},   {"0xd0a", "Cortex-A75"},   {"0xd0b", "Cortex-A76"},
      {"0xd0c", "Neoverse-N1"}, {"0xd0d", "Cortex-A77"},  {"0xd40", "Neoverse-V1"},  {"0xd41", "Cortex-A78"},
      {"0xd49", "Neoverse-N2"}, {"0xd4f", "Neoverse-V2"}, {"0xd8e", "Neoverse-N3"}};
  for (const auto& [part, name] : kParts) {
    if (lower_ascii(code) == part) return name;
  }
  return "";
}

bool hex_code(const std::string& text) {
  if (text.size() < 3 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) return false;
  for (size_t i = 2; i < text.size(); ++i) {
    if (!std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

}  // namespace

void probe_cpuinfo(Probe& probe) {
  auto cpuinfo = probe.read("/proc/cpuinfo");
  if (!cpuinfo) return;
  CpuFacts& cpu = probe.facts().cpu;
  probe.facts().cpuinfo = cpuinfo_deduplicated(*cpuinfo);
  std::set<std::string> flags;
  bool saw_flags = false;
  std::set<std::pair<std::string, std::string>> cores;  // (physical id, core id)
  std::set<std::string> packages;
  int processors = 0;
  std::string physical_id, implementer, part;
  for (const auto& raw : split_lines(*cpuinfo)) {
    auto colon = raw.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = trim(raw.substr(0, colon));
    const std::string value = trim(raw.substr(colon + 1));
    if (key == "processor") {
      if (parse_integer(value)) ++processors;
    } else if (key == "vendor_id" && cpu.vendor.empty()) {
      cpu.vendor = value;
    } else if (key == "model name" && cpu.model.empty()) {
      cpu.model = value;
    } else if (key == "CPU implementer" && implementer.empty()) {
      implementer = value;
    } else if (key == "CPU part" && part.empty()) {
      part = value;
    } else if (key == "physical id") {
      physical_id = value;
      packages.insert(value);
    } else if (key == "core id") {
      cores.insert({physical_id, value});
    } else if ((key == "flags" || key == "Features") && !saw_flags) {
      saw_flags = true;
      for (const auto& flag : split_whitespace(value)) {
        if (kInterestingFlags.count(flag)) flags.insert(flag);
        if (flag == "asimd") flags.insert("neon");  // Advanced SIMD is what people call NEON
      }
    }
  }
  if (!implementer.empty()) {
    if (!hex_code(implementer)) {
      probe.malformed("/proc/cpuinfo", "a hexadecimal CPU implementer", implementer);
    } else if (cpu.vendor.empty()) {
      cpu.vendor = arm_implementer(implementer);
      if (cpu.vendor.empty()) cpu.vendor = "arm-implementer-" + implementer;
    }
    if (cpu.model.empty() && hex_code(part)) {
      std::string name = implementer == "0x41" ? arm_part(part) : "";
      cpu.model = name.empty() ? cpu.vendor + " part " + part : name;
    }
  }
  if (processors == 0 && !cpuinfo->empty()) {
    probe.malformed("/proc/cpuinfo", "'processor' lines", cpuinfo->substr(0, 40));
  }
  if (processors > 0) cpu.logical = processors;
  if (!cores.empty()) cpu.cores = static_cast<int>(cores.size());
  if (!packages.empty()) cpu.packages = static_cast<int>(packages.size());
  cpu.flags_known = saw_flags;
  cpu.flags.assign(flags.begin(), flags.end());
}

}  // namespace tune::detect
