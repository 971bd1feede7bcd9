// Snapshot capture: what detection reads, copied so that detecting from the
// copy gives the same facts.
#include "detect/capture.h"
#include "host_fixture.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace tune::testing {
namespace {

FactMap without(FactMap map, std::initializer_list<const char*> keys) {
  for (const char* key : keys) map.erase(key);
  return map;
}

TEST(CaptureSnapshot, DetectingFromTheSnapshotGivesTheSameFacts) {
  for (const char* name : {"arm-board", "small-vm", "laptop-battery"}) {
    TempTree out;
    const std::string dir = out.root() + "/snapshot";
    LocalSystem source(host_fixture_dir(name) + "/root");
    auto report = capture_snapshot(source, dir);
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_GT(report->files, 10u);
    auto original = detect_fixture(name);
    auto copy = detect_fixture(name, dir);
    ASSERT_TRUE(original && copy);
    EXPECT_EQ(flatten_facts(*copy), flatten_facts(*original)) << name;
    EXPECT_EQ(copy->evidence, original->evidence) << name;
  }
}

TEST(CaptureSnapshot, ThisHostsSnapshotDetectsAsThisHost) {
  TempTree out;
  const std::string dir = out.root() + "/snapshot";
  LocalSystem host;
  auto report = capture_snapshot(host, dir);
  ASSERT_TRUE(report) << report.error().message;
  HostFacts live = detect_host(host);
  HostFacts copy = detect_host(LocalSystem(dir));
  // Memory a balloon or hotplug moves between two reads is not the point.
  auto volatile_keys = {"numa.node_memory_gib", "power.battery_percent"};
  EXPECT_EQ(without(flatten_facts(copy), volatile_keys), without(flatten_facts(live), volatile_keys));
}

TEST(CaptureSnapshot, LeavesOutTheMachineIdAndForeignEnvironment) {
  TempTree source;
  source.write("/etc/machine-id", "0123456789abcdef0123456789abcdef\n");
  std::string environ;
  for (const char* entry : {"SECRET_TOKEN=hunter2", "container=lxc", "PATH=/bin"}) environ += std::string(entry) + '\0';
  source.write("/proc/1/environ", environ);
  source.write("/proc/sys/kernel/hostname", "box\n");
  TempTree out;
  const std::string dir = out.root() + "/snapshot";
  auto report = capture_snapshot(LocalSystem(source.root()), dir);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_FALSE(std::filesystem::exists(dir + "/etc/machine-id"));
  EXPECT_EQ(out.read("/snapshot/proc/1/environ"), std::string("container=lxc") + '\0');
  EXPECT_EQ(out.read("/snapshot/proc/sys/kernel/hostname"), "box\n");
  EXPECT_TRUE(std::filesystem::exists(dir + "/README.tune-snapshot"));
  EXPECT_EQ(detect_host(LocalSystem(dir)).container, "lxc");
}

TEST(CaptureSnapshot, RefusesADirectoryThatIsNotEmpty) {
  TempTree out;
  out.write("/taken/file", "x");
  auto report = capture_snapshot(LocalSystem(out.root()), out.root() + "/taken");
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().message.find("already exists and is not empty"), std::string::npos);
}

}  // namespace
}  // namespace tune::testing
