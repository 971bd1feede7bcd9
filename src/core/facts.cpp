// HostFacts flattened to the names of docs/FACTS.md.
#include "core/facts.h"

#include "util/text.h"

#include <algorithm>

namespace tune {
namespace {

void put(FactMap& map, const std::string& key, const std::string& value) {
  if (!value.empty()) map[key] = value;
}
template <class T>
void put(FactMap& map, const std::string& key, const std::optional<T>& value) {
  if (value) map[key] = std::to_string(*value);
}
void put_bool(FactMap& map, const std::string& key, const std::optional<bool>& value) {
  if (value) map[key] = *value ? "true" : "false";
}

// Rounded to nearest: a "64 GiB" machine reports a little less as MemTotal.
std::string rounded_units(uint64_t bytes, int shift) {
  const uint64_t half = 1ull << (shift - 1);
  return std::to_string((bytes + half) >> shift);
}

void flatten_identity(const HostFacts& facts, FactMap& map) {
  put(map, "hostname", facts.identity.hostname);
  put(map, "kernel", facts.identity.kernel);
  // "6.1.0-18-amd64" -> 6 and 1: numbers compare as numbers, a release does not.
  auto parts = split(facts.identity.kernel, '.');
  if (parts.size() >= 2) {
    auto major = parse_integer(parts[0]);
    std::string minor_digits;
    for (char c : parts[1]) {
      if (c < '0' || c > '9') break;
      minor_digits += c;
    }
    auto minor = parse_integer(minor_digits);
    if (major && minor) {
      map["kernel.major"] = std::to_string(*major);
      map["kernel.minor"] = std::to_string(*minor);
    }
  }
  put(map, "arch", facts.arch);
  put(map, "os", facts.os);
  put(map, "os.id", facts.os_id);
  put(map, "os.version", facts.os_version);
  put(map, "uname", facts.uname);
  put(map, "cpuinfo", facts.cpuinfo);
}

void flatten_cpu(const CpuFacts& cpu, FactMap& map) {
  put(map, "cpu.vendor", cpu.vendor);
  put(map, "cpu.model", cpu.model);
  put(map, "cpu.packages", cpu.packages);
  put(map, "cpu.cores", cpu.cores);
  put(map, "cpu.logical", cpu.logical);
  put(map, "cpu.allowed", cpu.allowed);
  put(map, "cpu.performance_cores", cpu.performance_cores);
  put(map, "cpu.efficiency_cores", cpu.efficiency_cores);
  if (auto threads = cpu.threads_per_core()) {
    map["cpu.threads_per_core"] = std::to_string(*threads);
    map["cpu.smt"] = *threads > 1 ? "true" : "false";
  }
  put(map, "cpu.present", cpu.present);
  put(map, "cpu.online", cpu.online);
  for (const auto& [package, cpus] : cpu.package_cpus) put(map, "cpu.package." + std::to_string(package) + ".cpus", cpus);
  if (cpu.flags_known) {
    map["cpu.flags"] = join(cpu.flags, " ");
    for (const auto& flag : cpu.flags) map["cpu.flag." + flag] = "true";
  }
  // One figure per level: the largest data or unified cache of it.
  std::map<int, const CacheFacts*> largest;
  for (const auto& cache : cpu.caches) {
    if (cache.type == "instruction") continue;
    auto& slot = largest[cache.level];
    if (!slot || cache.size_bytes > slot->size_bytes) slot = &cache;
  }
  for (const auto& [level, cache] : largest) {
    std::string name = level == 1 ? "cache.l1d_kib" : "cache.l" + std::to_string(level) + "_kib";
    map[name] = std::to_string(cache->size_bytes / 1024);
    if (level == 3) {
      int count = 0;
      for (const auto& other : cpu.caches) count += other.level == 3 && other.type != "instruction" ? other.count : 0;
      map["cache.l3_count"] = std::to_string(count);
    }
  }
}

void flatten_memory(const HostFacts& facts, FactMap& map) {
  const MemoryFacts& memory = facts.memory;
  if (memory.total_bytes) {
    map["memory.total_gib"] = rounded_units(*memory.total_bytes, 30);
    map["memory.total_mib"] = rounded_units(*memory.total_bytes, 20);
  }
  if (memory.swap_bytes) {
    map["memory.swap_gib"] = rounded_units(*memory.swap_bytes, 30);
    map["memory.swap_mib"] = rounded_units(*memory.swap_bytes, 20);
  }
  put(map, "memory.thp", memory.thp_enabled);
  put(map, "memory.thp_defrag", memory.thp_defrag);
  for (const auto& pool : memory.hugepages) put(map, "hugepages." + hugepage_size_name(pool.size_kib) + ".count", pool.count);

  if (facts.topology.numa_known) {
    map["numa.nodes"] = std::to_string(facts.topology.numa_nodes.size());
    std::optional<uint64_t> smallest;
    bool all_known = !facts.topology.numa_nodes.empty();
    for (const auto& node : facts.topology.numa_nodes) {
      if (!node.memory_bytes) all_known = false;
      else if (!smallest || *node.memory_bytes < *smallest) smallest = node.memory_bytes;
    }
    if (all_known && smallest) map["numa.node_memory_gib"] = rounded_units(*smallest, 30);
  }
}

void flatten_cpufreq(const CpuFreqFacts& cpufreq, FactMap& map) {
  put(map, "cpufreq.driver", cpufreq.driver);
  put(map, "cpufreq.governor", cpufreq.governor);
  if (!cpufreq.governors.empty()) map["cpufreq.governors"] = join(cpufreq.governors, " ");
  put(map, "cpufreq.epp", cpufreq.epp);
  put_bool(map, "cpufreq.boost", cpufreq.boost);
}

void flatten_devices(const DeviceFacts& devices, FactMap& map) {
  if (!devices.pci_known) return;
  map["gpu.count"] = std::to_string(devices.gpus.size());
  for (const char* vendor : {"nvidia", "amd", "intel"}) {
    auto count = std::count_if(devices.gpus.begin(), devices.gpus.end(),
                               [&](const GpuFacts& gpu) { return gpu.vendor == vendor; });
    map[std::string("gpu.") + vendor + ".count"] = std::to_string(count);
  }
  uint64_t total = 0;
  bool all_known = !devices.gpus.empty();
  for (const auto& gpu : devices.gpus) {
    if (gpu.memory_bytes) total += *gpu.memory_bytes;
    else all_known = false;
  }
  if (all_known) map["gpu.memory_gib"] = rounded_units(total, 30);
  // Apple's GPU cores: counted where the source counts them.
  int gpu_cores = 0;
  for (const auto& gpu : devices.gpus) gpu_cores += gpu.cores.value_or(0);
  if (gpu_cores > 0) map["gpu.cores"] = std::to_string(gpu_cores);
  map["nic.count"] = std::to_string(devices.nics.size());
  map["nvme.count"] = std::to_string(devices.nvme.size());
}

void flatten_block(const BlockFacts& block, FactMap& map) {
  if (!block.known) return;
  int disks = 0, rotational = 0, nvme = 0, virtio = 0;
  for (const auto& device : block.devices) {
    if (!device.is_disk()) continue;  // loop, zram...: not what profiles tune
    const std::string prefix = "block." + device.name + ".";
    put(map, prefix + "kind", device.kind);
    put_bool(map, prefix + "rotational", device.rotational);
    put(map, prefix + "scheduler", device.scheduler);
    put(map, prefix + "read_ahead_kb", device.read_ahead_kb);
    ++disks;
    rotational += device.rotational.value_or(false);
    nvme += device.kind == "nvme";
    virtio += device.kind == "virtio";
  }
  map["block.disks"] = std::to_string(disks);
  map["block.rotational"] = std::to_string(rotational);
  map["block.nvme"] = std::to_string(nvme);
  map["block.virtio"] = std::to_string(virtio);
}

void flatten_platform(const HostFacts& facts, FactMap& map) {
  put(map, "virtualization", facts.virtualization);
  put(map, "container", facts.container);
  const PlatformFacts& platform = facts.platform;
  if (!platform.cgroup_mode.empty()) {
    map["cgroup.mode"] = platform.cgroup_mode;
    map["cgroup.version"] = platform.cgroup_mode == "unified" ? "2" : "1";
  }
  put(map, "dmi.vendor", platform.dmi_vendor);
  put(map, "dmi.product", platform.dmi_product);
  put(map, "dmi.chassis", platform.chassis);
  put_bool(map, "power.ac", facts.power.ac_online);
  put_bool(map, "power.battery", facts.power.battery_present);
  put_bool(map, "power.on_battery", facts.power.on_battery);
  put(map, "power.battery_percent", facts.power.battery_percent);
}

}  // namespace

std::optional<int> CpuFacts::threads_per_core() const {
  if (!logical || !cores || *cores <= 0 || *logical % *cores != 0) return std::nullopt;
  return *logical / *cores;
}

bool BlockDeviceFacts::is_disk() const {
  static const char* const kNotDisks[] = {"loop", "ram", "zram", "dm", "md"};
  return std::none_of(std::begin(kNotDisks), std::end(kNotDisks), [&](const char* k) { return kind == k; });
}

std::string cpuinfo_deduplicated(const std::string& cpuinfo) {
  // Lines that number one CPU or change by the second; everything else
  // (model, flags, bugs, caches, the package) says what kind of CPU it is.
  static const char* const kPerCpu[] = {"processor", "core id", "apicid", "initial apicid", "cpu mhz", "bogomips"};
  auto kind_of = [](const std::vector<std::string>& block) {
    std::string kind;
    for (const auto& line : block) {
      const std::string key = ascii_lower(trim(line.substr(0, line.find(':'))));
      if (std::none_of(std::begin(kPerCpu), std::end(kPerCpu), [&](const char* k) { return key == k; })) kind += line + "\n";
    }
    return kind;
  };
  std::vector<std::vector<std::string>> blocks(1);
  for (const auto& line : split_lines(cpuinfo)) {
    if (trim(line).empty()) {
      if (!blocks.back().empty()) blocks.emplace_back();
    } else {
      blocks.back().push_back(line);
    }
  }
  std::vector<std::string> seen;
  std::string out;
  for (const auto& block : blocks) {
    if (block.empty()) continue;
    std::string kind = kind_of(block);
    if (std::find(seen.begin(), seen.end(), kind) != seen.end()) continue;
    seen.push_back(std::move(kind));
    if (!out.empty()) out += "\n";
    for (const auto& line : block) out += line + "\n";
  }
  return out;
}

std::string hugepage_size_name(uint64_t size_kib) {
  if (size_kib >= (1u << 20) && size_kib % (1u << 20) == 0) return std::to_string(size_kib >> 20) + "G";
  if (size_kib >= 1024 && size_kib % 1024 == 0) return std::to_string(size_kib >> 10) + "M";
  return std::to_string(size_kib) + "K";
}

FactMap flatten_facts(const HostFacts& facts) {
  FactMap map;
  flatten_identity(facts, map);
  flatten_cpu(facts.cpu, map);
  flatten_memory(facts, map);
  flatten_cpufreq(facts.cpufreq, map);
  flatten_devices(facts.devices, map);
  flatten_block(facts.block, map);
  flatten_platform(facts, map);
  return map;
}

}  // namespace tune
