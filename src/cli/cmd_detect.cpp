// tune detect: what tune knows about this host (a short summary, or the
// facts as JSON, docs/FACTS.md), or a snapshot of the files it reads.
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/planning.h"
#include "detect/capture.h"
#include "util/text.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace tune::cli {
namespace {

std::string or_unknown(const std::string& text) { return text.empty() ? "unknown" : text; }
template <class T>
std::string or_unknown(const std::optional<T>& value) {
  return value ? std::to_string(*value) : "unknown";
}

std::string bytes_text(uint64_t bytes) {
  static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  return value == static_cast<double>(static_cast<uint64_t>(value)) ? fmt::format("{:.0f} {}", value, kUnits[unit])
                                                                   : fmt::format("{:.1f} {}", value, kUnits[unit]);
}
std::string bytes_text(const std::optional<uint64_t>& bytes) { return bytes ? bytes_text(*bytes) : "unknown"; }

std::string pci_id(uint16_t vendor, uint16_t device) { return fmt::format("{:04x}:{:04x}", vendor, device); }

std::string line(const char* label, const std::string& text) { return fmt::format("{:<14}{}\n", label, text); }

std::string cpu_line(const CpuFacts& cpu) {
  std::string threads = or_unknown(cpu.logical) + " threads";
  if (auto per_core = cpu.threads_per_core()) threads += *per_core > 1 ? fmt::format(" (SMT {})", *per_core) : " (no SMT)";
  std::string text = fmt::format("{} ({}): {} package(s), {} cores, {}", or_unknown(cpu.model),
                                 or_unknown(cpu.vendor), or_unknown(cpu.packages), or_unknown(cpu.cores), threads);
  if (cpu.allowed && cpu.logical && *cpu.allowed != *cpu.logical) text += fmt::format(", {} usable here", *cpu.allowed);
  return text;
}

std::string caches_line(const CpuFacts& cpu) {
  std::vector<std::string> parts;
  for (const auto& cache : cpu.caches) {
    std::string name = "L" + std::to_string(cache.level) + (cache.type == "data" ? "d" : cache.type == "instruction" ? "i" : "");
    parts.push_back(fmt::format("{} {} x{}", name, bytes_text(cache.size_bytes), cache.count));
  }
  return parts.empty() ? "unknown" : join(parts, ", ");
}

std::string memory_line(const MemoryFacts& memory) {
  std::string text = bytes_text(memory.total_bytes) + ", swap " +
                     (memory.swap_bytes && *memory.swap_bytes == 0 ? "none" : bytes_text(memory.swap_bytes));
  text += "; THP " + or_unknown(memory.thp_enabled) + " (defrag " + or_unknown(memory.thp_defrag) + ")";
  std::vector<std::string> pools;
  for (const auto& pool : memory.hugepages) pools.push_back(hugepage_size_name(pool.size_kib) + " " + or_unknown(pool.count));
  text += "; hugepages " + (pools.empty() ? std::string("unknown") : join(pools, ", "));
  return text;
}

std::string numa_line(const TopologyFacts& topology) {
  if (!topology.numa_known) return "unknown";
  std::vector<std::string> nodes;
  for (const auto& node : topology.numa_nodes) {
    nodes.push_back(fmt::format("node{} {} ({} CPUs)", node.os_index, bytes_text(node.memory_bytes), or_unknown(node.cpus)));
  }
  return fmt::format("{} node{}: {}", topology.numa_nodes.size(), topology.numa_nodes.size() == 1 ? "" : "s",
                     join(nodes, ", "));
}

std::string cpufreq_line(const CpuFreqFacts& cpufreq) {
  if (cpufreq.driver == "none") return "no cpufreq driver (frequency is the hypervisor's or firmware's)";
  if (cpufreq.driver.empty()) return "unknown";
  std::string text = cpufreq.driver + ", governor " + or_unknown(cpufreq.governor);
  if (!cpufreq.governors.empty()) text += " of " + join(cpufreq.governors, "/");
  if (!cpufreq.epp.empty()) text += ", EPP " + cpufreq.epp;
  if (cpufreq.boost) text += *cpufreq.boost ? ", boost on" : ", boost off";
  return text;
}

std::string gpus_line(const DeviceFacts& devices) {
  if (!devices.pci_known) return "unknown (no PCI information)";
  if (devices.gpus.empty()) return "none";
  std::vector<std::string> parts;
  for (const auto& gpu : devices.gpus) {
    std::string text = gpu.vendor + " " + (gpu.name.empty() ? pci_id(gpu.vendor_id, gpu.device_id) : gpu.name);
    if (gpu.memory_bytes) text += " " + bytes_text(*gpu.memory_bytes);
    if (gpu.numa_node) text += fmt::format(" on node{}", *gpu.numa_node);
    parts.push_back(text);
  }
  return fmt::format("{}: {}", devices.gpus.size(), join(parts, "; "));
}

std::string nics_line(const DeviceFacts& devices) {
  if (!devices.pci_known) return "unknown";
  if (devices.nics.empty()) return "none";
  std::vector<std::string> parts;
  for (const auto& nic : devices.nics) {
    std::string name = nic.interfaces.empty() ? nic.address : join(nic.interfaces, "/");
    parts.push_back(name + " (" + (nic.name.empty() ? pci_id(nic.vendor_id, nic.device_id) : nic.name) + ")");
  }
  return join(parts, ", ");
}

std::string disks_line(const BlockFacts& block) {
  if (!block.known) return "unknown";
  std::vector<std::string> parts;
  for (const auto& disk : block.devices) {
    if (!disk.is_disk()) continue;
    std::string text = disk.name + ": " + disk.kind;
    if (disk.rotational) text += *disk.rotational ? ", rotational" : ", solid-state";
    if (!disk.scheduler.empty()) text += ", scheduler " + disk.scheduler;
    if (disk.read_ahead_kb) text += fmt::format(", read-ahead {} KiB", *disk.read_ahead_kb);
    if (disk.size_bytes) text += ", " + bytes_text(*disk.size_bytes);
    parts.push_back(text);
  }
  return parts.empty() ? "none" : join(parts, "; ");
}

std::string platform_line(const HostFacts& facts) {
  std::string virtualization = facts.virtualization == "none" ? "bare metal"
                               : facts.virtualization.empty() ? "virtualization unknown"
                                                              : facts.virtualization + " VM";
  std::string container = facts.container == "none" ? "no container"
                          : facts.container.empty()  ? "container unknown"
                                                     : "in a " + facts.container + " container";
  std::string text = virtualization + ", " + container;
  if (!facts.platform.cgroup_mode.empty()) text += ", cgroup " + facts.platform.cgroup_mode;
  if (!facts.platform.dmi_vendor.empty()) text += "; " + facts.platform.dmi_vendor + " " + facts.platform.dmi_product;
  if (!facts.platform.chassis.empty() && facts.platform.chassis != "vm") text += " (" + facts.platform.chassis + ")";
  return text;
}

std::string power_line(const PowerFacts& power) {
  if (!power.battery_present) return "unknown";
  if (!*power.battery_present) return "no battery" + std::string(power.ac_online.value_or(false) ? ", on mains" : "");
  std::string state = !power.on_battery ? "state unknown" : *power.on_battery ? "ON BATTERY" : "on mains";
  return "battery" + (power.battery_percent ? fmt::format(" {}%", *power.battery_percent) : std::string()) + ", " + state;
}

std::string summary(const HostFacts& facts) {
  std::string out;
  out += line("Host", fmt::format("{}: {}, kernel {}, {}", or_unknown(facts.identity.hostname), or_unknown(facts.os_name),
                                  or_unknown(facts.identity.kernel), or_unknown(facts.arch)));
  out += line("Platform", platform_line(facts));
  out += line("CPU", cpu_line(facts.cpu));
  out += line("ISA", facts.cpu.flags_known ? (facts.cpu.flags.empty() ? "none of interest" : join(facts.cpu.flags, " ")) : "unknown");
  out += line("Caches", caches_line(facts.cpu));
  out += line("Memory", memory_line(facts.memory));
  out += line("NUMA", numa_line(facts.topology));
  out += line("CPU freq", cpufreq_line(facts.cpufreq));
  out += line("GPUs", gpus_line(facts.devices));
  out += line("NICs", nics_line(facts.devices));
  out += line("NVMe", !facts.devices.pci_known ? "unknown" : std::to_string(facts.devices.nvme.size()) + " controllers");
  out += line("Disks", disks_line(facts.block));
  out += line("Power", power_line(facts.power));
  if (!facts.source.empty()) out += line("Read from", facts.source + (facts.topology.source.empty() ? "" : "; topology: " + facts.topology.source));
  if (!facts.warnings.empty()) out += line("Warnings", fmt::format("{} (shown above on stderr)", facts.warnings.size()));
  return out;
}

int run_capture(Context& context, const std::string& dir) {
  const GlobalOptions& options = context.options;
  if (!options.facts_file.empty() || !options.topology_xml.empty() || !options.synthetic.empty()) {
    return context.fail(make_error("--capture copies a host's files; it cannot take --facts, --topology or --synthetic"),
                        exit_code::kUsage);
  }
  auto report = capture_snapshot(context.system(), dir);
  if (!report) return context.fail(report.error());
  context.out(fmt::format("Captured {} files and {} directories into {}.\nLeft out: {}.\nDetect from it with: tune --root {} detect\n",
                          report->files, report->directories, dir, join(report->left_out, "; "), dir));
  return exit_code::kOk;
}

int run_detect(Context& context) {
  auto facts = gather_facts(context);
  if (!facts) return context.fail(facts.error());
  if (context.options.json) {
    context.out(facts_to_json(*facts).dump(2) + "\n");
  } else {
    context.out(summary(*facts));
  }
  return exit_code::kOk;
}

}  // namespace

void add_detect_command(CLI::App& app, Context& context) {
  auto capture = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand("detect", "Show what tune detects about this host");
  command->add_option("--capture", *capture,
                      "Copy the /proc, /sys and /etc files detection reads into a new DIR (bug reports, fixtures)");
  command->callback([&context, capture] {
    context.exit_code = capture->empty() ? run_detect(context) : run_capture(context, *capture);
  });
}

}  // namespace tune::cli
