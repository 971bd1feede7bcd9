#include "detect/probe.h"

#include "util/text.h"

#include <set>

namespace tune {
namespace {

std::string read_trimmed(const System& system, const std::string& path) {
  auto text = system.read_file(path);
  return text ? trim(*text) : std::string();
}

// "KEY=value" or KEY="value" lines (os-release, environ-like files).
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

std::optional<uint64_t> meminfo_bytes(const std::string& meminfo, const std::string& field) {
  for (const auto& line : split_lines(meminfo)) {
    if (!starts_with(line, field + ":")) continue;
    auto parts = split_whitespace(line.substr(field.size() + 1));
    if (parts.empty()) return std::nullopt;
    auto kib = parse_integer(parts[0]);
    if (!kib || *kib < 0) return std::nullopt;
    return static_cast<uint64_t>(*kib) * 1024;
  }
  return std::nullopt;
}

void read_cpu(const System& system, CpuFacts& cpu) {
  auto cpuinfo = system.read_file("/proc/cpuinfo");
  if (!cpuinfo) return;
  static const std::set<std::string> kInteresting = {"avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl",
                                                     "avx512_vnni", "avx512_bf16", "amx_tile", "amx_bf16",
                                                     "amx_int8", "neon", "asimd", "sve", "hypervisor"};
  std::set<std::string> flags;
  std::set<std::pair<std::string, std::string>> cores;  // (physical id, core id)
  std::set<std::string> packages;
  int processors = 0;
  std::string physical_id;
  for (const auto& line : split_lines(*cpuinfo)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = trim(line.substr(0, colon));
    std::string value = trim(line.substr(colon + 1));
    if (key == "processor") ++processors;
    else if (key == "vendor_id" && cpu.vendor.empty()) cpu.vendor = value;
    else if ((key == "model name" || key == "Model") && cpu.model.empty()) cpu.model = value;
    else if (key == "CPU implementer" && cpu.vendor.empty()) cpu.vendor = "ARM";
    else if (key == "physical id") {
      physical_id = value;
      packages.insert(value);
    } else if (key == "core id") {
      cores.insert({physical_id, value});
    } else if ((key == "flags" || key == "Features") && flags.empty()) {
      for (const auto& flag : split_whitespace(value)) {
        if (kInteresting.count(flag)) flags.insert(flag == "asimd" ? "neon" : flag);
      }
    }
  }
  if (processors > 0) cpu.logical = processors;
  if (!cores.empty()) cpu.cores = static_cast<int>(cores.size());
  if (!packages.empty()) cpu.packages = static_cast<int>(packages.size());
  cpu.flags.assign(flags.begin(), flags.end());
}

std::string detect_virtualization(const System& system, const CpuFacts& cpu) {
  const std::string vendor = read_trimmed(system, "/sys/class/dmi/id/sys_vendor");
  const std::string product = read_trimmed(system, "/sys/class/dmi/id/product_name");
  const std::string hypervisor_type = read_trimmed(system, "/sys/hypervisor/type");
  auto has = [](const std::string& text, const char* needle) { return text.find(needle) != std::string::npos; };
  if (has(vendor, "QEMU") || has(product, "KVM") || has(product, "QEMU")) return "kvm";
  if (has(vendor, "VMware")) return "vmware";
  if (has(vendor, "Microsoft") && has(product, "Virtual")) return "microsoft";
  if (has(vendor, "Xen") || hypervisor_type == "xen") return "xen";
  if (has(vendor, "innotek") || has(product, "VirtualBox")) return "oracle";
  if (has(vendor, "Amazon EC2")) return "amazon";
  if (has(vendor, "Firecracker")) return "firecracker";
  bool flagged = false;
  for (const auto& flag : cpu.flags) flagged |= flag == "hypervisor";
  if (flagged) {
    // A guest without DMI tables: Firecracker boots without them.
    auto dmi = system.stat("/sys/class/dmi/id");
    if (dmi && !dmi->exists) return "firecracker";
    return "vm-other";
  }
  if (!vendor.empty() || !cpu.flags.empty()) return "none";
  return "";
}

std::string detect_container(const System& system) {
  if (auto env = system.read_file("/proc/1/environ")) {
    std::string text = *env;
    for (char& c : text) c = c == '\0' ? '\n' : c;
    std::string container = shell_variable(text, "container");
    if (!container.empty()) return container == "oci" ? "docker" : container;
  }
  if (system.stat("/.dockerenv").value_or_default().exists) return "docker";
  if (system.stat("/run/.containerenv").value_or_default().exists) return "podman";
  if (system.stat("/var/run/secrets/kubernetes.io").value_or_default().exists) return "kubernetes";
  auto cgroup = system.read_file("/proc/1/cgroup");
  if (!cgroup) return "";
  for (const char* marker : {"kubepods", "docker", "libpod", "lxc"}) {
    if (cgroup->find(marker) != std::string::npos) {
      std::string name = marker;
      if (name == "kubepods") return "kubernetes";
      if (name == "libpod") return "podman";
      return name;
    }
  }
  return "none";
}

}  // namespace

HostIdentity detect_identity(const System& system) {
  HostIdentity identity;
  identity.hostname = read_trimmed(system, "/proc/sys/kernel/hostname");
  identity.machine_id = read_trimmed(system, "/etc/machine-id");
  identity.kernel = read_trimmed(system, "/proc/sys/kernel/osrelease");
  return identity;
}

HostFacts detect_host(const System& system) {
  HostFacts facts;
  facts.identity = detect_identity(system);
  if (auto release = system.read_file("/etc/os-release")) {
    facts.os_id = shell_variable(*release, "ID");
    facts.os_name = shell_variable(*release, "PRETTY_NAME");
  }
  read_cpu(system, facts.cpu);
  if (facts.cpu.flags.empty() && facts.cpu.vendor.empty()) facts.arch = "";
  else facts.arch = facts.cpu.vendor == "ARM" ? "aarch64" : "x86_64";
  if (auto meminfo = system.read_file("/proc/meminfo")) {
    facts.memory.total_bytes = meminfo_bytes(*meminfo, "MemTotal");
    facts.memory.swap_bytes = meminfo_bytes(*meminfo, "SwapTotal");
  }
  facts.virtualization = detect_virtualization(system, facts.cpu);
  facts.container = detect_container(system);
  return facts;
}

}  // namespace tune
