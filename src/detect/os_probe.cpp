// Operating system, kernel and architecture.
#include "detect/probes.h"

#include "util/text.h"

namespace tune::detect {
namespace {

// KEY=value or KEY="value" lines (os-release).
std::string shell_variable(const std::string& text, const std::string& key) {
  for (const auto& line : split_lines(text)) {
    if (!starts_with(line, key + "=")) continue;
    std::string value = trim(line.substr(key.size() + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    return value;
  }
  return "";
}

// Architecture as /proc/cpuinfo tells it, for kernels without kernel.arch.
std::string arch_from_cpuinfo(const std::string& cpuinfo) {
  bool x86 = false;
  for (const auto& line : split_lines(cpuinfo)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = trim(line.substr(0, colon));
    const std::string value = trim(line.substr(colon + 1));
    if (key == "vendor_id") x86 = true;
    // "lm" (long mode) is the 64-bit flag.
    if (key == "flags" && x86) return (" " + value + " ").find(" lm ") != std::string::npos ? "x86_64" : "i686";
    if (key == "CPU implementer" || key == "Features") return "aarch64";
    if (key == "isa" && starts_with(value, "rv64")) return "riscv64";
    if (key == "cpu" && starts_with(value, "POWER")) return "ppc64le";
  }
  return "";
}

}  // namespace

void probe_os(Probe& probe) {
  HostFacts& facts = probe.facts();
  // /proc itself says the OS is Linux; a tree without it says nothing.
  const std::string ostype = probe.line("/proc/sys/kernel/ostype");
  if (ostype == "Linux") facts.os = "linux";
  else if (!ostype.empty()) facts.os = lower_ascii(ostype);

  const std::string os_release_path = probe.exists("/etc/os-release") ? "/etc/os-release" : "/usr/lib/os-release";
  if (auto release = probe.read(os_release_path)) {
    facts.os_id = shell_variable(*release, "ID");
    facts.os_version = shell_variable(*release, "VERSION_ID");
    facts.os_name = shell_variable(*release, "PRETTY_NAME");
    if (facts.os_id.empty()) probe.malformed(os_release_path, "an ID= line", release->substr(0, 40));
  }

  facts.arch = probe.line("/proc/sys/kernel/arch");  // Linux 6.1 and later
  // os.uname() as TuneD joins it for uname_regex: sysname, nodename, release,
  // version, machine. Known only when the kernel tells all five.
  const std::string version = probe.line("/proc/sys/kernel/version");
  if (!ostype.empty() && !facts.identity.hostname.empty() && !facts.identity.kernel.empty() && !version.empty() &&
      !facts.arch.empty()) {
    facts.uname = join({ostype, facts.identity.hostname, facts.identity.kernel, version, facts.arch}, " ");
  }
  if (facts.arch.empty()) {
    if (auto cpuinfo = probe.read("/proc/cpuinfo")) {
      facts.arch = arch_from_cpuinfo(*cpuinfo);
      if (!facts.arch.empty()) probe.note("arch", "from /proc/cpuinfo (this kernel has no kernel.arch)");
    }
  }
}

}  // namespace tune::detect
