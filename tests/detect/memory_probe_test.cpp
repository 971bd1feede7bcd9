// Memory and swap totals, transparent hugepages, hugepage pools.
#include "probe_harness.h"

#include <gtest/gtest.h>

namespace tune::testing {
namespace {

TEST(MemoryProbe, ReadsTotalsModesAndPools) {
  ProbeHarness h;
  h.tree.write("/proc/meminfo", "MemTotal:       65536000 kB\nMemFree: 1 kB\nSwapTotal:       2097148 kB\n");
  h.tree.write("/sys/kernel/mm/transparent_hugepage/enabled", "always [madvise] never\n");
  h.tree.write("/sys/kernel/mm/transparent_hugepage/defrag", "always defer defer+madvise [madvise] never\n");
  h.tree.write("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "512\n");
  h.tree.write("/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages", "4\n");
  detect::probe_memory(h.probe);
  const MemoryFacts& m = h.facts.memory;
  EXPECT_EQ(m.total_bytes, 65536000ull * 1024);
  EXPECT_EQ(m.swap_bytes, 2097148ull * 1024);
  EXPECT_EQ(m.thp_enabled, "madvise");
  EXPECT_EQ(m.thp_enabled_modes.size(), 3u);
  EXPECT_EQ(m.thp_defrag, "madvise");
  ASSERT_EQ(m.hugepages.size(), 2u);
  EXPECT_EQ(m.hugepages[0].size_kib, 2048u) << "pools sort by size, not by name";
  EXPECT_EQ(m.hugepages[0].count, 512u);
  EXPECT_EQ(m.hugepages[1].size_kib, 1048576u);
  EXPECT_EQ(m.hugepages[1].count, 4u);
  EXPECT_TRUE(h.facts.warnings.empty());
}

TEST(MemoryProbe, AMalformedMemTotalWarnsAndStaysUnknown) {
  ProbeHarness h;
  h.tree.write("/proc/meminfo", "MemTotal:       lots kB\nSwapTotal: 0 kB\n");
  detect::probe_memory(h.probe);
  EXPECT_FALSE(h.facts.memory.total_bytes);
  EXPECT_EQ(h.facts.memory.swap_bytes, 0u);
  EXPECT_TRUE(h.warned("/proc/meminfo: expected MemTotal: N kB"));
}

TEST(MemoryProbe, ATruncatedMeminfoWithoutMemTotalWarns) {
  ProbeHarness h;
  h.tree.write("/proc/meminfo", "MemFr");
  detect::probe_memory(h.probe);
  EXPECT_FALSE(h.facts.memory.total_bytes);
  EXPECT_TRUE(h.warned("expected a MemTotal line"));
}

TEST(MemoryProbe, AThpFileWithoutACurrentModeWarns) {
  ProbeHarness h;
  h.tree.write("/sys/kernel/mm/transparent_hugepage/enabled", "always madvise never\n");
  detect::probe_memory(h.probe);
  EXPECT_TRUE(h.facts.memory.thp_enabled.empty());
  EXPECT_TRUE(h.warned("transparent_hugepage/enabled: expected choices with one in [brackets]"));
}

TEST(MemoryProbe, AMalformedPoolCountIsUnknownButThePoolExists) {
  ProbeHarness h;
  h.tree.write("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "-\n");
  h.tree.mkdir("/sys/kernel/mm/hugepages/not-a-pool");
  detect::probe_memory(h.probe);
  ASSERT_EQ(h.facts.memory.hugepages.size(), 1u);
  EXPECT_FALSE(h.facts.memory.hugepages[0].count);
  EXPECT_TRUE(h.warned("nr_hugepages: expected a whole number"));
  EXPECT_EQ(flatten_facts(h.facts).count("hugepages.2M.count"), 0u);
}

TEST(MemoryProbe, NodePoolsComeFromTheNodeDirectories) {
  ProbeHarness h;
  h.facts.topology.numa_known = true;
  h.facts.topology.numa_nodes = {NumaNodeFacts{1, {}, {}, {}}};
  h.tree.write("/sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages", "64\n");
  detect::probe_node_hugepages(h.probe);
  ASSERT_EQ(h.facts.topology.numa_nodes[0].hugepages.size(), 1u);
  EXPECT_EQ(h.facts.topology.numa_nodes[0].hugepages[0].count, 64u);
}

}  // namespace
}  // namespace tune::testing
