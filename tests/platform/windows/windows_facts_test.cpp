#include "core/profile_host.h"
#include "detect/probe.h"
#include "detect/windows_facts.h"
#include "platform/windows/windows_fixture.h"

#include <gtest/gtest.h>

namespace tune {
namespace {

TEST(WindowsFacts, WorkstationWithAnNvidiaGpuAndAHybridCpu) {
  auto api = testing::load_windows_fixture("workstation-nvidia");
  auto facts = detect_windows_host(api);
  ASSERT_TRUE(facts) << facts.error().message;
  EXPECT_EQ(facts->os, "windows");
  EXPECT_EQ(facts->os_name, "Windows 11 Pro 23H2 (build 22631)");
  EXPECT_EQ(facts->arch, "x86_64");
  EXPECT_EQ(facts->identity.hostname, "WS-RTX");
  EXPECT_EQ(facts->identity.machine_id, "3f1c9a52-7d0e-4b8a-9c61-2e5f8d4a7b10");
  EXPECT_EQ(facts->cpu.vendor, "GenuineIntel");
  EXPECT_EQ(facts->cpu.cores, 24);
  EXPECT_EQ(facts->cpu.logical, 32);
  EXPECT_EQ(facts->cpu.performance_cores, 8);
  EXPECT_EQ(facts->cpu.efficiency_cores, 16);
  EXPECT_EQ(facts->topology.processor_groups, 1);
  EXPECT_TRUE(facts->topology.numa_known);
  EXPECT_EQ(facts->topology.numa_nodes.size(), 1u);
  EXPECT_EQ(facts->memory.total_bytes, 68719476736u);
  EXPECT_TRUE(facts->devices.pci_known);
  ASSERT_EQ(facts->devices.gpus.size(), 2u);
  EXPECT_EQ(facts->devices.gpus[0].vendor, "nvidia");
  EXPECT_EQ(facts->devices.gpus[0].memory_bytes, 25757220864u);
  EXPECT_EQ(facts->devices.gpus[1].vendor, "other");  // the Basic Render Driver
  EXPECT_FALSE(facts->devices.gpus[1].memory_bytes.has_value());
  EXPECT_EQ(facts->power.on_battery, false);
  EXPECT_EQ(os_family(flatten_facts(*facts)), "windows");
}

TEST(WindowsFacts, LaptopOnBatteryWithoutHybridCores) {
  auto api = testing::load_windows_fixture("laptop-igpu");
  auto facts = detect_windows_host(api);
  ASSERT_TRUE(facts) << facts.error().message;
  EXPECT_EQ(facts->cpu.vendor, "AuthenticAMD");
  EXPECT_FALSE(facts->cpu.performance_cores.has_value());  // one efficiency class: not hybrid
  ASSERT_EQ(facts->devices.gpus.size(), 1u);
  EXPECT_EQ(facts->devices.gpus[0].vendor, "amd");
  EXPECT_EQ(facts->power.on_battery, true);
  EXPECT_EQ(facts->power.battery_present, true);
}

TEST(WindowsFacts, DetectHostGoesThroughTheWindowsDoor) {
  testing::WindowsHost host("workstation-nvidia");
  auto facts = detect_host(*host.door, DetectOptions{});
  ASSERT_TRUE(facts) << facts.error().message;
  EXPECT_EQ(facts->os, "windows");
  EXPECT_EQ(detect_identity(*host.door).machine_id, "3f1c9a52-7d0e-4b8a-9c61-2e5f8d4a7b10");
}

TEST(WindowsFacts, ARegistryFailureLeavesTheMachineIdUnknown) {
  auto api = testing::load_windows_fixture("laptop-igpu");
  api.fail_calls("read_registry");
  // Detection reads the machine through machine(); a registry failure only
  // leaves the machine id unknown.
  auto facts = detect_windows_host(api);
  ASSERT_TRUE(facts);
  EXPECT_EQ(facts->identity.machine_id, "");
}

}  // namespace
}  // namespace tune
