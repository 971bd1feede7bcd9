// The facts plan-time functions and regex conditions read (present and online
// CPUs, the CPUs of each package, uname, cpuinfo), detected from the fixture
// hosts, and a TuneD-style profile planned with them.
#include "core/profile_host.h"
#include "core/profile_store.h"
#include "host_fixture.h"
#include "support/temp_tree.h"

#include <gtest/gtest.h>

namespace tune::testing {
namespace {

FactMap flat_facts_of(const std::string& fixture) {
  auto facts = detect_fixture(fixture);
  EXPECT_TRUE(facts) << facts.error().message;
  return flatten_facts(facts.value_or_default());
}

TEST(PlanTimeFacts, CpuListsAndPackagesComeFromSysfs) {
  FactMap board = flat_facts_of("arm-board");
  EXPECT_EQ(board.at("cpu.present"), "0-3");
  EXPECT_EQ(board.at("cpu.online"), "0-3");
  EXPECT_EQ(board.at("cpu.package.0.cpus"), "0-3");
  FactMap vm = flat_facts_of("small-vm");
  EXPECT_EQ(vm.at("cpu.online"), "0-1");
  EXPECT_EQ(vm.at("cpu.package.0.cpus"), "0-1");
}

TEST(PlanTimeFacts, CpuinfoKeepsOneBlockPerKindOfCpu) {
  FactMap vm = flat_facts_of("small-vm");
  const std::string& cpuinfo = vm.at("cpuinfo");
  EXPECT_NE(cpuinfo.find("processor\t: 0"), std::string::npos);
  EXPECT_EQ(cpuinfo.find("processor\t: 1"), std::string::npos) << "CPU 1 repeats CPU 0";
  EXPECT_NE(cpuinfo.find("flags"), std::string::npos);
}

TEST(PlanTimeFacts, UnameIsKnownOnlyWithAllFiveFields) {
  // The fixtures hold no /proc/sys/kernel/version: TuneD's string cannot be built.
  FactMap vm = flat_facts_of("small-vm");
  EXPECT_EQ(vm.count("uname"), 0u);
  TempTree tree;
  tree.write("/proc/sys/kernel/ostype", "Linux\n");
  tree.write("/proc/sys/kernel/hostname", "rt-1\n");
  tree.write("/proc/sys/kernel/osrelease", "6.1.0-18-rt-amd64\n");
  tree.write("/proc/sys/kernel/version", "#1 SMP PREEMPT_RT Debian 6.1.76-1 (2024-02-01)\n");
  tree.write("/proc/sys/kernel/arch", "x86_64\n");
  tree.write("/sys/devices/system/cpu/online", "0-1,3\n");
  tree.write("/sys/devices/system/cpu/present", "not a list\n");
  LocalSystem system(tree.real("/"));
  DetectOptions options;
  auto facts = detect_host(system, options);
  ASSERT_TRUE(facts) << facts.error().message;
  EXPECT_EQ(facts->uname, "Linux rt-1 6.1.0-18-rt-amd64 #1 SMP PREEMPT_RT Debian 6.1.76-1 (2024-02-01) x86_64");
  EXPECT_EQ(facts->cpu.online, "0-1,3");
  EXPECT_TRUE(facts->cpu.present.empty());
  ASSERT_FALSE(facts->warnings.empty());
  EXPECT_NE(facts->warnings.front().find("/sys/devices/system/cpu/present: expected a cpulist"), std::string::npos)
      << facts->warnings.front();
}

TEST(PlanTimeFacts, ATunedStyleProfilePlansTheHousekeepingCpus) {
  TempTree tree;
  tree.write("/p/p.yaml",
             "name: p\n"
             "variables:\n  isolated_cores: \"${f:calc_isolated_cores:1}\"\n"
             "services:\n  app.service:\n"
             "    CPUAffinity: \"${f:cpulist_invert:${isolated_cores}}\"\n"
             "    NUMAPolicy: { value: interleave, when: { cpuinfo: \"~^CPU implementer\\\\s*: 0x41\" } }\n");
  auto profile = ProfileStore({tree.real("/p")}).resolve("p");
  ASSERT_TRUE(profile) << profile.error().message;
  // The Raspberry Pi 4 fixture: one package of CPUs 0-3; CPU 0 is kept for housekeeping.
  HostProfile board = specialize_for_host(*profile, flat_facts_of("arm-board"));
  ASSERT_EQ(board.profile.settings.size(), 2u) << (board.skipped.empty() ? "" : board.skipped.front().reason);
  EXPECT_EQ(board.profile.settings[0].want.describe(), "0");
  EXPECT_EQ(board.profile.settings[1].want.describe(), "interleave");
  // The x86 microVM: the regex condition does not hold there.
  HostProfile vm = specialize_for_host(*profile, flat_facts_of("small-vm"));
  ASSERT_EQ(vm.profile.settings.size(), 1u);
  EXPECT_EQ(vm.profile.settings[0].want.describe(), "0");
  ASSERT_EQ(vm.skipped.size(), 1u);
  EXPECT_NE(vm.skipped[0].reason.find("when cpuinfo matches /^CPU implementer"), std::string::npos) << vm.skipped[0].reason;
}

}  // namespace
}  // namespace tune::testing
