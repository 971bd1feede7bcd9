// The hwloc topology: synthetic descriptions, XML exports, and a rooted
// tree's Linux files, and how each fails.
#include "probe_harness.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace tune::testing {
namespace {

std::string fixture(const std::string& relative) { return source_dir() + "/tests/fixtures/hosts/" + relative; }

Status load(ProbeHarness& h, const detect::TopologyInput& input) { return detect::probe_topology(h.probe, input); }

detect::TopologyInput synthetic(const std::string& description) {
  detect::TopologyInput input;
  input.synthetic = description;
  return input;
}

detect::TopologyInput xml(const std::string& path) {
  detect::TopologyInput input;
  input.xml = path;
  return input;
}

TEST(TopologyProbe, ASyntheticDescriptionGivesTheCounts) {
  ProbeHarness h;
  ASSERT_TRUE(load(h, synthetic("pack:2 numa:2 core:4 pu:2")));
  EXPECT_EQ(h.facts.cpu.packages, 2);
  EXPECT_EQ(h.facts.cpu.cores, 16);
  EXPECT_EQ(h.facts.cpu.logical, 32);
  EXPECT_EQ(h.facts.cpu.threads_per_core(), 2);
  ASSERT_TRUE(h.facts.topology.numa_known);
  EXPECT_EQ(h.facts.topology.numa_nodes.size(), 4u);
  EXPECT_EQ(h.facts.topology.source, "hwloc synthetic 'pack:2 numa:2 core:4 pu:2'");
}

TEST(TopologyProbe, SyntheticMemoryIsKnownOnlyWhereTheDescriptionSaysIt) {
  ProbeHarness vague;
  ASSERT_TRUE(load(vague, synthetic("pack:1 numa:2 core:2 pu:1")));
  EXPECT_FALSE(vague.facts.topology.numa_nodes[0].memory_bytes) << "hwloc's default node size is its own invention";
  ProbeHarness sized;
  ASSERT_TRUE(load(sized, synthetic("pack:1 numa:2(memory=64GiB) core:2 pu:1")));
  EXPECT_EQ(sized.facts.topology.numa_nodes[1].memory_bytes, 64ull << 30);
  EXPECT_EQ(flatten_facts(sized.facts).at("numa.node_memory_gib"), "64");
}

TEST(TopologyProbe, ABadSyntheticDescriptionIsAnError) {
  ProbeHarness h;
  Status status = load(h, synthetic("pack:two core:banana"));
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message,
            "--synthetic 'pack:two core:banana': not an hwloc synthetic description (e.g. \"pack:2 numa:2 core:8 pu:2\")");
}

TEST(TopologyProbe, AnXmlExportGivesTopologyAndPciDevices) {
  ProbeHarness h;
  ASSERT_TRUE(load(h, xml(fixture("gpu-server/topology.xml"))));
  EXPECT_EQ(h.facts.cpu.packages, 2);
  EXPECT_EQ(h.facts.cpu.cores, 32);
  EXPECT_EQ(h.facts.cpu.logical, 64);
  EXPECT_EQ(h.facts.topology.numa_nodes.size(), 2u);
  EXPECT_EQ(h.facts.topology.numa_nodes[0].memory_bytes, 1ull << 40);
  ASSERT_EQ(h.facts.topology.numa_nodes[0].hugepages.size(), 2u) << "the base page is not a hugepage pool";
  EXPECT_EQ(h.facts.topology.numa_nodes[0].hugepages[0].size_kib, 2048u);
  const DeviceFacts& d = h.facts.devices;
  ASSERT_TRUE(d.pci_known);
  ASSERT_EQ(d.gpus.size(), 4u) << "the BMC's ASPEED display is not a GPU";
  for (const auto& gpu : d.gpus) {
    EXPECT_EQ(gpu.vendor, "nvidia");
    EXPECT_EQ(gpu.memory_bytes, 80ull << 30) << "from the CUDA OS device's CUDAGlobalMemorySize";
    EXPECT_EQ(gpu.name, "GH100 [H100 SXM5 80GB]");
  }
  EXPECT_EQ(d.gpus[0].numa_node, 0);
  EXPECT_EQ(d.gpus[3].numa_node, 1);
  EXPECT_EQ(d.nics.size(), 2u);
  EXPECT_EQ(d.nvme.size(), 2u);
  FactMap map = flatten_facts(h.facts);
  EXPECT_EQ(map.at("gpu.nvidia.count"), "4");
  EXPECT_EQ(map.at("gpu.memory_gib"), "320");
  EXPECT_EQ(map.at("cache.l3_kib"), "107520");
}

TEST(TopologyProbe, AnXmlExportFillsWhatTheHostFilesDidNot) {
  ProbeHarness h;
  ASSERT_TRUE(load(h, xml(fixture("gpu-server/topology.xml"))));
  EXPECT_EQ(h.facts.identity.hostname, "gpu-node-07");
  EXPECT_EQ(h.facts.identity.kernel, "6.1.0-18-amd64");
  EXPECT_EQ(h.facts.arch, "x86_64");
  EXPECT_EQ(h.facts.os, "linux");
  EXPECT_EQ(h.facts.cpu.vendor, "GenuineIntel");
  EXPECT_EQ(h.facts.platform.dmi_vendor, "Supermicro");
  EXPECT_EQ(h.facts.platform.chassis, "server");
  EXPECT_TRUE(h.facts.virtualization.empty()) << "an export that names no hypervisor does not prove there is none";
}

TEST(TopologyProbe, MalformedXmlIsAnError) {
  ProbeHarness h;
  // Complete, but the Machine element is never closed and a PU has no cpuset.
  h.tree.write("/bad.xml", "<?xml version=\"1.0\"?>\n<topology version=\"2.0\">\n"
                           "  <object type=\"Machine\" os_index=\"0\">\n    <object type=\"PU\" os_index=\"zz\">\n"
                           "</topology>\n");
  Status status = load(h, xml(h.tree.real("/bad.xml")));
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("bad.xml: hwloc could not load it as a topology"), std::string::npos)
      << status.error().message;
}

TEST(TopologyProbe, TruncatedXmlIsAnErrorAtEveryCut) {
  std::ifstream in(fixture("gpu-server/topology.xml"));
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  for (size_t cut : {text.size() / 5, text.size() / 2, text.size() * 4 / 5, text.size() - 12}) {
    ProbeHarness h;
    h.tree.write("/cut.xml", text.substr(0, cut));
    Status status = load(h, xml(h.tree.real("/cut.xml")));
    ASSERT_FALSE(status) << "cut at " << cut;
    EXPECT_NE(status.error().message.find("cut.xml: truncated"), std::string::npos) << status.error().message;
  }
}

TEST(TopologyProbe, NotAnXmlTopologyIsAnError) {
  ProbeHarness h;
  h.tree.write("/facts.json", "{\"kind\": \"tune-facts\"}\n");
  Status status = load(h, xml(h.tree.real("/facts.json")));
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("not an hwloc XML topology (no <topology> element"), std::string::npos);
  status = load(h, xml(h.tree.real("/missing.xml")));
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("missing.xml"), std::string::npos) << status.error().message;
}

TEST(TopologyProbe, AnXmlWithoutIoLeavesDevicesUnknown) {
  ProbeHarness h;
  h.tree.write("/plain.xml",
               "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE topology SYSTEM \"hwloc2.dtd\">\n"
               "<topology version=\"2.0\">\n"
               "  <object type=\"Machine\" os_index=\"0\" cpuset=\"0x00000001\" complete_cpuset=\"0x00000001\" "
               "allowed_cpuset=\"0x00000001\" nodeset=\"0x00000001\" complete_nodeset=\"0x00000001\" "
               "allowed_nodeset=\"0x00000001\" gp_index=\"1\">\n"
               "    <object type=\"NUMANode\" os_index=\"0\" cpuset=\"0x00000001\" complete_cpuset=\"0x00000001\" "
               "nodeset=\"0x00000001\" complete_nodeset=\"0x00000001\" gp_index=\"3\" local_memory=\"8589934592\"/>\n"
               "    <object type=\"PU\" os_index=\"0\" cpuset=\"0x00000001\" complete_cpuset=\"0x00000001\" "
               "nodeset=\"0x00000001\" complete_nodeset=\"0x00000001\" gp_index=\"2\"/>\n"
               "  </object>\n</topology>\n");
  ASSERT_TRUE(load(h, xml(h.tree.real("/plain.xml"))));
  EXPECT_EQ(h.facts.cpu.logical, 1);
  EXPECT_FALSE(h.facts.devices.pci_known);
}

TEST(TopologyProbe, ATreeWithoutCpuFilesIsUnknownNotThisMachine) {
  ProbeHarness h;
  detect::TopologyInput input;
  input.fsroot = h.tree.root();
  ASSERT_TRUE(load(h, input));
  EXPECT_FALSE(h.facts.cpu.logical) << "hwloc must not fall back to describing the machine running the test";
  EXPECT_FALSE(h.facts.topology.numa_known);
  EXPECT_TRUE(h.facts.warnings.empty()) << "absent files are unknown, not malformed";
  EXPECT_FALSE(h.facts.evidence.at("numa.nodes").empty());
}

TEST(TopologyProbe, ATreesLinuxFilesAreReadByHwloc) {
  LocalSystem board(fixture("arm-board/root"));
  HostFacts facts;
  detect::Probe probe(board, facts);
  detect::TopologyInput input;
  input.fsroot = fixture("arm-board/root");
  ASSERT_TRUE(detect::probe_topology(probe, input));
  EXPECT_EQ(facts.cpu.packages, 1);
  EXPECT_EQ(facts.cpu.cores, 4);
  EXPECT_EQ(facts.cpu.logical, 4);
  EXPECT_EQ(facts.cpu.allowed, 4);
  EXPECT_EQ(facts.topology.numa_nodes.size(), 1u);
  EXPECT_EQ(facts.topology.source, "hwloc linux under " + fixture("arm-board/root"));
  FactMap map = flatten_facts(facts);
  EXPECT_EQ(map.at("cache.l1d_kib"), "32");
  EXPECT_EQ(map.at("cache.l2_kib"), "1024");
}

TEST(TopologyProbe, GarbledCpuFilesDoNotCrash) {
  ProbeHarness h;
  for (int cpu = 0; cpu < 2; ++cpu) {
    const std::string base = "/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology/";
    h.tree.write(base + "core_id", "zz\n");
    h.tree.write(base + "physical_package_id", "\n");
    h.tree.write(base + "core_cpus", "not-a-mask\n");
    h.tree.write(base + "package_cpus", "");
  }
  h.tree.write("/sys/devices/system/cpu/online", "0-");
  h.tree.write("/proc/cpuinfo", "processor : 0\n");
  detect::TopologyInput input;
  input.fsroot = h.tree.root();
  EXPECT_TRUE(load(h, input));  // whatever hwloc makes of it, never a crash or an error
}

}  // namespace
}  // namespace tune::testing
