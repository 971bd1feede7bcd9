// Builders for the /sys and /proc files a Linux host shows the backends:
// cpufreq policies, idle states, block devices, hugepage pools per NUMA
// node, transparent hugepages, zram. Tests and fixture hosts compose them in
// rooted temporary trees.
#pragma once

#include "support/temp_tree.h"

#include <cstdint>
#include <string>
#include <vector>

namespace tune::testing {

struct CpufreqFixture {
  std::string driver = "intel_pstate";  // or "acpi-cpufreq", "amd-pstate-epp"
  int policies = 2;
  std::vector<std::string> governors = {"performance", "powersave"};
  std::string governor = "powersave";
  bool epp = true;  // energy_performance_preference and its choices
  std::string epp_value = "balance_performance";
  long long min_khz = 800000;
  long long max_khz = 3500000;
};
// Policies policy0..N-1 (and an intel_pstate directory, or a cpufreq/boost file).
void add_cpufreq(const TempTree& tree, const CpufreqFixture& fixture);

// cpu0..N-1 directories; with the energy bias (Intel) and idle states when asked.
struct IdleStateFixture {
  std::string name;
  long long latency_us = 0;
};
void add_cpus(const TempTree& tree, int count, bool energy_bias, const std::vector<IdleStateFixture>& idle_states);

struct BlockFixture {
  std::string name;                 // "nvme0n1", "sda", "vda", "loop0", "dm-0"
  bool rotational = false;
  std::string scheduler = "[none] mq-deadline kyber bfq";
  std::string read_ahead_kb = "128";
  std::string nr_requests = "256";
  std::vector<std::string> partitions;  // "sda1"
  std::vector<std::string> slaves;      // for dm/md: the devices under it
};
void add_block_device(const TempTree& tree, const BlockFixture& fixture);

// Transparent hugepages with the kernel's choice lines.
void add_thp(const TempTree& tree);
// Hugepage pools of these sizes (in KiB), in total and on nodes 0..nodes-1.
void add_hugepages(const TempTree& tree, const std::vector<uint64_t>& sizes_kib, int nodes);
// /proc/meminfo with MemTotal, MemFree and MemAvailable (KiB).
void add_meminfo(const TempTree& tree, uint64_t total_kib, uint64_t free_kib);
// A zram device with no size yet, the compression algorithms offered, and /dev/NAME.
void add_zram(const TempTree& tree, const std::string& name, const std::string& algorithms = "[lzo-rle] lzo lz4 zstd");
// An empty kernel swap table.
void add_swaps(const TempTree& tree);

}  // namespace tune::testing
