#include "support/sysfs_fixture.h"

#include <fmt/format.h>

namespace tune::testing {

void add_cpufreq(const TempTree& tree, const CpufreqFixture& fixture) {
  const std::string base = "/sys/devices/system/cpu/cpufreq";
  std::string governors;
  for (const auto& governor : fixture.governors) governors += (governors.empty() ? "" : " ") + governor;
  for (int i = 0; i < fixture.policies; ++i) {
    const std::string policy = base + "/policy" + std::to_string(i) + "/";
    tree.write(policy + "scaling_driver", fixture.driver + "\n");
    tree.write(policy + "scaling_available_governors", governors + " \n", 0444);
    tree.write(policy + "scaling_governor", fixture.governor + "\n");
    tree.write(policy + "cpuinfo_min_freq", std::to_string(fixture.min_khz) + "\n", 0444);
    tree.write(policy + "cpuinfo_max_freq", std::to_string(fixture.max_khz) + "\n", 0444);
    tree.write(policy + "scaling_min_freq", std::to_string(fixture.min_khz) + "\n");
    tree.write(policy + "scaling_max_freq", std::to_string(fixture.max_khz) + "\n");
    if (fixture.epp) {
      tree.write(policy + "energy_performance_available_preferences",
                 "default performance balance_performance balance_power power \n", 0444);
      tree.write(policy + "energy_performance_preference", fixture.epp_value + "\n");
    }
  }
  if (fixture.driver == "intel_pstate") {
    const std::string pstate = "/sys/devices/system/cpu/intel_pstate/";
    tree.write(pstate + "status", "active\n");
    tree.write(pstate + "min_perf_pct", "22\n");
    tree.write(pstate + "max_perf_pct", "100\n");
    tree.write(pstate + "no_turbo", "0\n");
  } else {
    tree.write(base + "/boost", "1\n");
  }
}

void add_cpus(const TempTree& tree, int count, bool energy_bias, const std::vector<IdleStateFixture>& idle_states) {
  for (int cpu = 0; cpu < count; ++cpu) {
    const std::string base = "/sys/devices/system/cpu/cpu" + std::to_string(cpu);
    tree.mkdir(base);
    if (energy_bias) tree.write(base + "/power/energy_perf_bias", "6\n");
    for (size_t i = 0; i < idle_states.size(); ++i) {
      const std::string state = base + "/cpuidle/state" + std::to_string(i) + "/";
      tree.write(state + "name", idle_states[i].name + "\n", 0444);
      tree.write(state + "latency", std::to_string(idle_states[i].latency_us) + "\n", 0444);
      tree.write(state + "disable", "0\n");
    }
  }
}

void add_block_device(const TempTree& tree, const BlockFixture& fixture) {
  const std::string base = "/sys/block/" + fixture.name;
  tree.write(base + "/queue/rotational", fixture.rotational ? "1\n" : "0\n");
  tree.write(base + "/queue/scheduler", fixture.scheduler + "\n");
  tree.write(base + "/queue/read_ahead_kb", fixture.read_ahead_kb + "\n");
  tree.write(base + "/queue/nr_requests", fixture.nr_requests + "\n");
  tree.write(base + "/queue/add_random", "0\n");
  tree.write(base + "/queue/rq_affinity", "1\n");
  tree.write(base + "/queue/max_sectors_kb", "1280\n");
  tree.write(base + "/size", "2097152\n", 0444);
  for (const auto& partition : fixture.partitions) tree.write(base + "/" + partition + "/partition", "1\n", 0444);
  for (const auto& slave : fixture.slaves) tree.mkdir(base + "/slaves/" + slave);
}

void add_thp(const TempTree& tree) {
  const std::string base = "/sys/kernel/mm/transparent_hugepage/";
  tree.write(base + "enabled", "always [madvise] never\n");
  tree.write(base + "defrag", "always defer defer+madvise [madvise] never\n");
  tree.write(base + "shmem_enabled", "always within_size advise [never] deny force\n");
  tree.write(base + "khugepaged/defrag", "1\n");
}

void add_hugepages(const TempTree& tree, const std::vector<uint64_t>& sizes_kib, int nodes) {
  for (uint64_t kib : sizes_kib) {
    const std::string pool = "hugepages-" + std::to_string(kib) + "kB";
    tree.write("/sys/kernel/mm/hugepages/" + pool + "/nr_hugepages", "0\n");
    tree.write("/sys/kernel/mm/hugepages/" + pool + "/free_hugepages", "0\n", 0444);
    for (int node = 0; node < nodes; ++node) {
      tree.write("/sys/devices/system/node/node" + std::to_string(node) + "/hugepages/" + pool + "/nr_hugepages", "0\n");
    }
  }
}

void add_meminfo(const TempTree& tree, uint64_t total_kib, uint64_t free_kib) {
  tree.write("/proc/meminfo", fmt::format("MemTotal:       {} kB\nMemFree:        {} kB\nMemAvailable:   {} kB\n"
                                          "Hugepagesize:       2048 kB\n",
                                          total_kib, free_kib, free_kib + free_kib / 2));
}

void add_zram(const TempTree& tree, const std::string& name, const std::string& algorithms) {
  const std::string base = "/sys/block/" + name;
  tree.write(base + "/disksize", "0\n");
  tree.write(base + "/comp_algorithm", algorithms + "\n");
  tree.write(base + "/reset", "");
  tree.write(base + "/queue/rotational", "0\n");
  tree.write(base + "/queue/scheduler", "none\n");
  tree.write("/dev/" + name, "");
}

void add_swaps(const TempTree& tree) {
  tree.write("/proc/swaps", "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n", 0444);
}

}  // namespace tune::testing
