// detect_host: the probes together, the what-if inputs, and robustness
// against missing, malformed and truncated files.
#include "host_fixture.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

namespace tune::testing {
namespace {

namespace fs = std::filesystem;

TEST(DetectHost, AnEmptyTreeIsAllUnknownAndNoCrash) {
  TempTree tree;
  LocalSystem system(tree.root());
  DetectOptions options;
  options.hwloc_fsroot = tree.root();
  auto facts = detect_host(system, options);
  ASSERT_TRUE(facts) << facts.error().message;
  EXPECT_TRUE(flatten_facts(*facts).empty()) << flatten_facts(*facts).begin()->first;
  EXPECT_FALSE(facts->cpu.logical);
  EXPECT_TRUE(facts->topology.source.empty());
}

TEST(DetectHost, ThisHostReadsWithoutErrors) {
  // Read-only: the machine running the tests, whatever it is.
  LocalSystem host;
  HostFacts facts = detect_host(host);
  EXPECT_GT(facts.cpu.logical.value_or(0), 0);
  EXPECT_FALSE(facts.arch.empty());
  EXPECT_GT(facts.memory.total_bytes.value_or(0), 0u);
  EXPECT_EQ(facts.os, "linux");
  EXPECT_EQ(facts.topology.source, "hwloc linux");
}

TEST(DetectHost, CpuinfoCountsStandInWhenNoTopologyLoads) {
  TempTree tree;
  tree.write("/proc/cpuinfo", "processor : 0\nvendor_id : GenuineIntel\nflags : fpu lm avx2\n\n"
                              "processor : 1\nvendor_id : GenuineIntel\nflags : fpu lm avx2\n\n");
  LocalSystem system(tree.root());
  DetectOptions options;
  options.hwloc_fsroot = tree.root();
  auto facts = detect_host(system, options);
  ASSERT_TRUE(facts);
  EXPECT_EQ(facts->cpu.logical, 2);
  EXPECT_EQ(facts->topology.source, "/proc/cpuinfo");
  EXPECT_FALSE(facts->topology.numa_known);
}

TEST(DetectHost, ATopologyWithoutARootDescribesAnotherMachine) {
  TempTree tree;
  tree.write("/proc/sys/kernel/hostname", "this-one\n");
  LocalSystem system(tree.root());
  DetectOptions options;
  options.synthetic = "pack:2 numa:2(memory=32GiB) core:4 pu:2";
  options.read_host_files = false;
  auto facts = detect_host(system, options);
  ASSERT_TRUE(facts);
  EXPECT_TRUE(facts->identity.hostname.empty()) << "this host's files are not the described machine's";
  EXPECT_EQ(facts->cpu.logical, 32);
  EXPECT_EQ(facts->memory.total_bytes, 128ull << 30) << "the nodes' memory, summed";
  EXPECT_TRUE(facts->virtualization.empty());
}

TEST(DetectHost, AnXmlTopologyBringsItsOwnPciDevices) {
  // The root's sysfs has no GPU; the XML's machine has four.
  TempTree tree;
  tree.write("/sys/bus/pci/devices/0000:00:03.0/class", "0x020000\n");
  tree.write("/sys/bus/pci/devices/0000:00:03.0/vendor", "0x1af4\n");
  tree.write("/sys/bus/pci/devices/0000:00:03.0/device", "0x1041\n");
  LocalSystem system(tree.root());
  DetectOptions options;
  options.hwloc_fsroot = tree.root();
  options.topology_xml = host_fixture_dir("gpu-server") + "/topology.xml";
  auto facts = detect_host(system, options);
  ASSERT_TRUE(facts);
  EXPECT_EQ(facts->devices.gpus.size(), 4u);
  EXPECT_EQ(facts->devices.nics.size(), 2u) << "the ConnectX-7s of the XML, not the root's virtio NIC";
}

TEST(DetectHost, ABadTopologyInputIsAnError) {
  TempTree tree;
  LocalSystem system(tree.root());
  DetectOptions options;
  options.synthetic = "numa:banana";
  EXPECT_FALSE(detect_host(system, options));
}

TEST(DetectIdentity, ReadsNameMachineIdAndKernel) {
  TempTree tree;
  tree.write("/proc/sys/kernel/hostname", "node-1\n");
  tree.write("/etc/machine-id", "0123456789abcdef0123456789abcdef\n");
  tree.write("/proc/sys/kernel/osrelease", "6.1.0-18-amd64\n");
  HostIdentity identity = detect_identity(LocalSystem(tree.root()));
  EXPECT_EQ(identity.hostname, "node-1");
  EXPECT_EQ(identity.machine_id, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(identity.kernel, "6.1.0-18-amd64");
}

// Copy a fixture's root into a scratch tree the test may damage.
std::string copy_fixture_root(const std::string& name, const TempTree& tree) {
  const std::string target = tree.root() + "/root";
  fs::copy(host_fixture_dir(name) + "/root", target, fs::copy_options::recursive);
  return target;
}

std::vector<std::string> files_under(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

void overwrite(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

// Every file of a fixture, damaged one at a time: detection still answers,
// with one-line warnings, and never crashes or throws.
void damage_each_file(const std::string& name, const std::function<std::string(const std::string&)>& damage) {
  TempTree tree;
  const std::string root = copy_fixture_root(name, tree);
  for (const auto& path : files_under(root)) {
    std::ifstream in(path, std::ios::binary);
    std::string original((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    overwrite(path, damage(original));
    auto facts = detect_fixture(name, root);
    ASSERT_TRUE(facts) << name << ", damaged " << path << ": " << facts.error().message;
    for (const auto& warning : facts->warnings) {
      EXPECT_EQ(warning.find('\n'), std::string::npos) << path << ": " << warning;
    }
    overwrite(path, original);
  }
}

TEST(DetectHost, SurvivesEachFileTruncated) {
  for (const char* name : {"arm-board", "laptop-battery", "small-vm"}) {
    damage_each_file(name, [](const std::string& text) { return text.substr(0, text.size() / 2); });
  }
}

TEST(DetectHost, SurvivesEachFileReplacedByGarbage) {
  std::mt19937 random(42);
  for (const char* name : {"arm-board", "gpu-server", "small-vm"}) {
    damage_each_file(name, [&](const std::string& text) {
      std::string garbage(text.size() + 7, '\0');
      for (char& c : garbage) c = static_cast<char>(random() & 0xff);
      return garbage;
    });
  }
}

TEST(DetectHost, MalformedFilesAreWarnedAboutAndUnknown) {
  TempTree tree;
  const std::string root = copy_fixture_root("laptop-battery", tree);
  overwrite(root + "/proc/meminfo", "MemTotal: many kB\n");
  overwrite(root + "/sys/class/power_supply/AC/online", "perhaps\n");
  overwrite(root + "/sys/block/nvme0n1/queue/scheduler", "\n");
  auto facts = detect_fixture("laptop-battery", root);
  ASSERT_TRUE(facts);
  FactMap flat = flatten_facts(*facts);
  EXPECT_EQ(flat.count("memory.total_gib"), 0u);
  EXPECT_EQ(flat.count("block.nvme0n1.scheduler"), 0u);
  EXPECT_EQ(flat.at("power.on_battery"), "true") << "the battery still says it is discharging";
  EXPECT_EQ(facts->warnings.size(), 3u);
}

}  // namespace
}  // namespace tune::testing
