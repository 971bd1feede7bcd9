// Memory and swap totals, transparent hugepages, and hugepage pools (all
// nodes, and per NUMA node where the topology did not already say).
#include "detect/probes.h"

#include "util/text.h"

#include <algorithm>

namespace tune::detect {
namespace {

// "MemTotal:       24684084 kB" -> bytes.
std::optional<uint64_t> meminfo_bytes(Probe& probe, const std::string& meminfo, const std::string& field) {
  for (const auto& line : split_lines(meminfo)) {
    if (!starts_with(line, field + ":")) continue;
    auto parts = split_whitespace(line.substr(field.size() + 1));
    auto kib = parts.empty() ? std::nullopt : parse_integer(parts[0]);
    if (!kib || *kib < 0 || (parts.size() > 1 && parts[1] != "kB")) {
      probe.malformed("/proc/meminfo", field + ": N kB", line);
      return std::nullopt;
    }
    return static_cast<uint64_t>(*kib) * 1024;
  }
  return std::nullopt;
}

// "hugepages-2048kB" -> 2048.
std::optional<uint64_t> pool_size_kib(const std::string& name) {
  if (!starts_with(name, "hugepages-") || !ends_with(name, "kB")) return std::nullopt;
  auto size = parse_integer(name.substr(10, name.size() - 12));
  if (!size || *size <= 0) return std::nullopt;
  return static_cast<uint64_t>(*size);
}

std::vector<HugepagePool> read_pools(Probe& probe, const std::string& dir) {
  std::vector<HugepagePool> pools;
  for (const auto& name : probe.list(dir)) {
    auto size = pool_size_kib(name);
    if (!size) continue;
    HugepagePool pool;
    pool.size_kib = *size;
    auto count = probe.integer(dir + "/" + name + "/nr_hugepages");
    if (count && *count >= 0) pool.count = static_cast<uint64_t>(*count);
    pools.push_back(pool);
  }
  std::sort(pools.begin(), pools.end(), [](const auto& a, const auto& b) { return a.size_kib < b.size_kib; });
  return pools;
}

void read_thp(Probe& probe, const std::string& path, std::string& current, std::vector<std::string>& choices) {
  auto text = probe.read(path);
  if (!text) return;
  if (!parse_bracketed_choice(*text, current, choices)) probe.malformed(path, "choices with one in [brackets]", trim(*text));
}

}  // namespace

void probe_memory(Probe& probe) {
  MemoryFacts& memory = probe.facts().memory;
  if (auto meminfo = probe.read("/proc/meminfo")) {
    memory.total_bytes = meminfo_bytes(probe, *meminfo, "MemTotal");
    memory.swap_bytes = meminfo_bytes(probe, *meminfo, "SwapTotal");
    if (meminfo->find("MemTotal:") == std::string::npos) {
      probe.malformed("/proc/meminfo", "a MemTotal line", meminfo->substr(0, 40));
    }
  }
  read_thp(probe, "/sys/kernel/mm/transparent_hugepage/enabled", memory.thp_enabled, memory.thp_enabled_modes);
  read_thp(probe, "/sys/kernel/mm/transparent_hugepage/defrag", memory.thp_defrag, memory.thp_defrag_modes);
  memory.hugepages = read_pools(probe, "/sys/kernel/mm/hugepages");
}

void probe_node_hugepages(Probe& probe) {
  for (auto& node : probe.facts().topology.numa_nodes) {
    if (!node.hugepages.empty()) continue;
    node.hugepages = read_pools(probe, "/sys/devices/system/node/node" + std::to_string(node.os_index) + "/hugepages");
  }
}

}  // namespace tune::detect
