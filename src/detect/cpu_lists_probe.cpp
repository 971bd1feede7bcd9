// Which CPUs exist and run (the kernel's present and online cpulists), and
// the CPUs of each package: what plan-time cpulist functions compute with.
#include "detect/probes.h"

#include "core/profile_functions.h"
#include "util/text.h"

#include <algorithm>
#include <map>
#include <set>

namespace tune::detect {
namespace {

const std::string kCpuDir = "/sys/devices/system/cpu";

// A cpulist file, checked: nothing when absent, a warning when malformed.
std::optional<std::vector<int>> read_cpulist(Probe& probe, const std::string& path) {
  auto text = probe.read(path);
  if (!text) return std::nullopt;
  auto cpus = parse_kernel_cpulist(*text);
  if (!cpus || cpus->empty()) probe.malformed(path, "a cpulist such as 0-3,8-11", trim(*text));
  if (!cpus || cpus->empty()) return std::nullopt;
  return cpus;
}

// CPUs by physical_package_id, as TuneD's calc_isolated_cores groups them.
// One package's CPUs are read at once from the first one's package_cpus_list
// (core_siblings_list before Linux 5.8), so a 256-CPU host costs a few reads;
// a CPU those lists leave out (offline) is read on its own.
void read_packages(Probe& probe, const std::vector<int>& present) {
  std::map<int, std::set<int>> packages;
  std::set<int> placed;
  for (int cpu : present) {
    if (placed.count(cpu)) continue;
    const std::string topology = kCpuDir + "/cpu" + std::to_string(cpu) + "/topology/";
    auto id_text = probe.read(topology + "physical_package_id");
    if (!id_text) continue;
    const std::string id_word = trim(*id_text);
    // "-1" where firmware names no package: TuneD leaves such CPUs out.
    auto id = parse_integer(id_word);
    if (!id || *id < 0 || *id > 1 << 20) {
      if (id_word != "-1") probe.malformed(topology + "physical_package_id", "a package number", id_word);
      continue;
    }
    std::optional<std::vector<int>> siblings;
    for (const char* name : {"package_cpus_list", "core_siblings_list"}) {
      if (auto text = probe.read(topology + name)) {
        siblings = parse_kernel_cpulist(*text);
        break;
      }
    }
    auto& members = packages[static_cast<int>(*id)];
    if (siblings && std::binary_search(siblings->begin(), siblings->end(), cpu)) {
      for (int sibling : *siblings) {
        if (std::binary_search(present.begin(), present.end(), sibling) && placed.insert(sibling).second) members.insert(sibling);
      }
    } else {
      members.insert(cpu);
      placed.insert(cpu);
    }
  }
  for (const auto& [id, cpus] : packages) {
    probe.facts().cpu.package_cpus[id] = pack_cpulist(std::vector<int>(cpus.begin(), cpus.end()));
  }
}

}  // namespace

void probe_cpu_lists(Probe& probe) {
  CpuFacts& cpu = probe.facts().cpu;
  auto present = read_cpulist(probe, kCpuDir + "/present");
  auto online = read_cpulist(probe, kCpuDir + "/online");
  if (present) cpu.present = pack_cpulist(*present);
  if (online) cpu.online = pack_cpulist(*online);
  if (present) read_packages(probe, *present);
}

}  // namespace tune::detect
