#include "detect/macos_facts.h"

#include "platform/macos/mac_fixture.h"

#include <gtest/gtest.h>

namespace tune {
namespace {

using testing::MacFixture;
using testing::TempTree;

TEST(MacosFacts, AnM2AirWith16GiBOnBattery) {
  TempTree tree;
  MacFixture mac("m2-16gb", tree);
  HostFacts facts = mac.facts();
  EXPECT_TRUE(facts.warnings.empty()) << facts.warnings.front();
  EXPECT_EQ(facts.os, "macos");
  EXPECT_EQ(facts.os_version, "14.5");
  EXPECT_EQ(facts.os_name, "macOS 14.5");
  EXPECT_EQ(facts.arch, "aarch64");
  EXPECT_EQ(facts.cpu.vendor, "Apple");
  EXPECT_EQ(facts.cpu.model, "Apple M2");
  EXPECT_EQ(facts.cpu.cores, 8);
  EXPECT_EQ(facts.cpu.logical, 8);
  EXPECT_EQ(facts.cpu.performance_cores, 4);
  EXPECT_EQ(facts.cpu.efficiency_cores, 4);
  EXPECT_EQ(facts.memory.total_bytes, 16ull << 30);
  ASSERT_EQ(facts.devices.gpus.size(), 1u);
  EXPECT_EQ(facts.devices.gpus[0].name, "Apple M2");
  EXPECT_EQ(facts.devices.gpus[0].vendor, "apple");
  EXPECT_EQ(facts.devices.gpus[0].cores, 10);
  EXPECT_TRUE(facts.devices.gpus[0].unified_memory);
  EXPECT_EQ(facts.power.on_battery, true);
  EXPECT_EQ(facts.power.battery_percent, 85);
  EXPECT_EQ(facts.identity.hostname, "studio-air.local");
  EXPECT_EQ(facts.identity.kernel, "23.5.0");
  EXPECT_EQ(facts.identity.machine_id, "6F1A2C3D-4B5E-4F60-8A7B-9C0D1E2F3A4B");
  EXPECT_EQ(facts.virtualization, "none");

  FactMap flat = flatten_facts(facts);
  EXPECT_EQ(flat["os"], "macos");
  EXPECT_EQ(flat["gpu.count"], "1");
  EXPECT_EQ(flat["gpu.cores"], "10");
  EXPECT_EQ(flat["memory.total_gib"], "16");
}

TEST(MacosFacts, AnM3MaxWith64GiBOnAc) {
  TempTree tree;
  MacFixture mac("m3max-64gb", tree);
  HostFacts facts = mac.facts();
  EXPECT_TRUE(facts.warnings.empty()) << facts.warnings.front();
  EXPECT_EQ(facts.os_version, "15.1");
  EXPECT_EQ(facts.cpu.model, "Apple M3 Max");
  EXPECT_EQ(facts.cpu.cores, 16);
  EXPECT_EQ(facts.cpu.performance_cores, 12);
  EXPECT_EQ(facts.cpu.efficiency_cores, 4);
  EXPECT_EQ(facts.memory.total_bytes, 64ull << 30);
  ASSERT_EQ(facts.devices.gpus.size(), 1u);
  EXPECT_EQ(facts.devices.gpus[0].cores, 40);
  EXPECT_EQ(facts.power.on_battery, false);
  EXPECT_EQ(facts.power.ac_online, true);
}

TEST(MacosFacts, MalformedInputsAreWarningsAndUnknownFacts) {
  MacInputs inputs;
  inputs.sysctl = "hw.memsize: lots\nhw.physicalcpu: 8\nthis is not a sysctl line\n";
  inputs.pmset_batt = "Battery is charging\n";
  inputs.ioreg_gpu = "+-o AGXAcceleratorG14G  <class AGXAcceleratorG14G>\n";
  HostFacts facts = macos_facts(inputs);
  EXPECT_FALSE(facts.memory.total_bytes);
  EXPECT_EQ(facts.cpu.cores, 8);
  EXPECT_FALSE(facts.power.on_battery);
  EXPECT_TRUE(facts.devices.gpus.empty());
  ASSERT_EQ(facts.warnings.size(), 4u);
  EXPECT_NE(facts.warnings[0].find("1 lines were not"), std::string::npos) << facts.warnings[0];
  EXPECT_NE(facts.warnings[1].find("hw.memsize: 'lots' is not a count"), std::string::npos) << facts.warnings[1];
  EXPECT_NE(facts.warnings[2].find("Now drawing from"), std::string::npos);
  EXPECT_NE(facts.warnings[3].find("gpu-core-count"), std::string::npos);
}

TEST(MacosFacts, AnIntelMacHasNoCoreClasses) {
  MacInputs inputs;
  inputs.sysctl = "hw.machine: x86_64\nhw.nperflevels: 1\nhw.perflevel0.physicalcpu: 8\n"
                  "machdep.cpu.brand_string: Intel(R) Core(TM) i9-9880H CPU @ 2.30GHz\n";
  HostFacts facts = macos_facts(inputs);
  EXPECT_EQ(facts.arch, "x86_64");
  EXPECT_EQ(facts.cpu.vendor, "GenuineIntel");
  EXPECT_FALSE(facts.cpu.performance_cores);
  EXPECT_FALSE(facts.cpu.efficiency_cores);
}

TEST(MacosFacts, ProgramsThatFailAreWarnings) {
  class NoPrograms final : public testing::RootedDoor {
   public:
    using RootedDoor::RootedDoor;
    Result<ProcessResult> run(const std::vector<std::string>& argv) override {
      return ProcessResult{1, "", argv[0] + ": not found\n"};
    }
  };
  TempTree tree;
  NoPrograms door(tree.root());
  HostFacts facts = detect_macos_host(door);
  EXPECT_EQ(facts.os, "macos");
  EXPECT_FALSE(facts.cpu.cores);
  EXPECT_EQ(facts.warnings.size(), 4u);
}

TEST(MacosFacts, SysctlValuesOverSeveralLinesAreJoined) {
  auto values = parse_sysctl_output("kern.version: Darwin Kernel Version 23.5.0:\n    Wed May  1 20:12:58 PDT 2024\nhw.ncpu: 8\n");
  EXPECT_EQ(values["kern.version"], "Darwin Kernel Version 23.5.0: Wed May  1 20:12:58 PDT 2024");
  EXPECT_EQ(values["hw.ncpu"], "8");
}

}  // namespace
}  // namespace tune
