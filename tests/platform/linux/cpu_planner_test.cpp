#include "platform/linux/cpu_planner.h"

#include "platform/linux/backend_test_util.h"
#include "support/kernel_model_system.h"
#include "support/sysfs_fixture.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

namespace tune::linux_platform {
namespace {

using namespace testing_util;
using tune::testing::CpufreqFixture;
using tune::testing::KernelModelSystem;
using tune::testing::TempTree;

class CpuPlannerTest : public ::testing::Test {
 protected:
  void intel() {
    tune::testing::add_cpufreq(tree, CpufreqFixture{});
    tune::testing::add_cpus(tree, 4, true, {{"POLL", 0}, {"C1", 2}, {"C1E", 10}, {"C6", 133}});
  }
  void acpi() {
    CpufreqFixture fixture;
    fixture.driver = "acpi-cpufreq";
    fixture.governors = {"conservative", "ondemand", "userspace", "powersave", "performance", "schedutil"};
    fixture.governor = "schedutil";
    fixture.epp = false;
    tune::testing::add_cpufreq(tree, fixture);
    tune::testing::add_cpus(tree, 2, false, {});
  }
  TempTree tree;
};

TEST_F(CpuPlannerTest, GovernorIsOneValueOverEveryPolicyAndPersistsAsAGlob) {
  intel();
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\ncpu:\n  governor: performance\n");
  const Change* governor = change_at(plan, "cpu", "governor");
  ASSERT_NE(governor, nullptr);
  EXPECT_EQ(*governor->before, "powersave");
  EXPECT_EQ(*governor->after, "performance");
  EXPECT_EQ(governor->note, "on 2 cpufreq policies");
  const Change* boot = change_at(plan, "file", kCpuBootFile);
  ASSERT_NE(boot, nullptr);
  EXPECT_NE(boot->after->find("w /sys/devices/system/cpu/cpufreq/policy*/scaling_governor - - - - performance\n"),
            std::string::npos);
}

TEST_F(CpuPlannerTest, AHostWithoutCpufreqSaysSoForEveryKey) {
  tune::testing::add_cpus(tree, 2, false, {});
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\ncpu:\n  governor: performance\n  boost: true\n  min_freq_khz: 1000000\n");
  EXPECT_TRUE(plan.changes.empty());
  for (const char* key : {"governor", "boost", "min_freq_khz"}) {
    ASSERT_NE(skip_at(plan, "cpu", key), nullptr) << key;
    EXPECT_EQ(skip_at(plan, "cpu", key)->reason, "not available here: no cpufreq driver");
  }
}

TEST_F(CpuPlannerTest, AGovernorTheDriverDoesNotOfferIsSkippedWithTheOfferedList) {
  intel();
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\ncpu:\n  governor: schedutil\n");
  ASSERT_NE(skip_at(plan, "cpu", "governor"), nullptr);
  EXPECT_EQ(skip_at(plan, "cpu", "governor")->reason, "value not offered: intel_pstate offers performance powersave");
}

TEST_F(CpuPlannerTest, OneOfTakesTheFirstOfferedAlternative) {
  intel();
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\ncpu:\n  governor: { one_of: [schedutil, performance] }\n");
  ASSERT_NE(change_at(plan, "cpu", "governor"), nullptr);
  EXPECT_EQ(*change_at(plan, "cpu", "governor")->after, "performance");
}

TEST_F(CpuPlannerTest, EnergyPreferenceIsRefusedWhereTheDriverHasNone) {
  acpi();
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\ncpu:\n  energy_performance_preference: performance\n  max_perf_pct: 90\n");
  EXPECT_EQ(skip_at(plan, "cpu", "energy_performance_preference")->reason,
            "not available here: acpi-cpufreq has no energy_performance_preference");
  EXPECT_EQ(skip_at(plan, "cpu", "max_perf_pct")->reason,
            "not available here: max_perf_pct is intel_pstate's, and this host runs acpi-cpufreq (use max_freq_khz)");
}

TEST_F(CpuPlannerTest, BoostUsesTheCpufreqFileOrIntelPstatesNoTurbo) {
  acpi();
  {
    KernelModelSystem system(tree.root());
    Plan plan = plan_of(system, "name: t\ncpu:\n  boost: false\n");
    ASSERT_NE(change_at(plan, "cpu", "boost"), nullptr);
    EXPECT_EQ(*change_at(plan, "cpu", "boost")->before, "true");
    auto report = apply_plan(system, plan);
    ASSERT_TRUE(report && !report->failed) << (report ? report->failure : report.error().message);
    EXPECT_EQ(tree.read("/sys/devices/system/cpu/cpufreq/boost"), "0\n");
  }
  TempTree intel_tree;
  tune::testing::add_cpufreq(intel_tree, CpufreqFixture{});
  KernelModelSystem system(intel_tree.root());
  Plan plan = plan_of(system, "name: t\ncpu:\n  boost: false\n");
  ASSERT_TRUE(apply_plan(system, plan));
  EXPECT_EQ(intel_tree.read("/sys/devices/system/cpu/intel_pstate/no_turbo"), "1\n");
  EXPECT_NE(change_at(plan, "file", kCpuBootFile)->after->find("w /sys/devices/system/cpu/intel_pstate/no_turbo - - - - 1"),
            std::string::npos);
}

TEST_F(CpuPlannerTest, EnergyBiasNamesAreTheNumbersTheKernelReadsBack) {
  intel();
  KernelModelSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\ncpu:\n  energy_perf_bias: performance\n");
  const Change* bias = change_at(plan, "cpu", "energy_perf_bias");
  ASSERT_NE(bias, nullptr);
  EXPECT_EQ(*bias->before, "6");
  EXPECT_EQ(*bias->after, "0");
  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report && !report->failed);
  EXPECT_EQ(tree.read("/sys/devices/system/cpu/cpu3/power/energy_perf_bias"), "0\n");
}

TEST_F(CpuPlannerTest, FrequencyOutsideTheHardwareRangeIsSkippedWithTheRange) {
  intel();
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\ncpu:\n  max_freq_khz: 5000000\n");
  EXPECT_EQ(skip_at(plan, "cpu", "max_freq_khz")->reason, "out of range here: policy0 runs from 800000 to 3500000 kHz");
}

TEST_F(CpuPlannerTest, LoweringBothFrequencyLimitsWritesTheMinimumFirst) {
  intel();
  tree.write("/sys/devices/system/cpu/cpufreq/policy0/scaling_min_freq", "3000000\n");
  tree.write("/sys/devices/system/cpu/cpufreq/policy1/scaling_min_freq", "3000000\n");
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\ncpu:\n  min_freq_khz: 1000000\n  max_freq_khz: 2000000\n");
  ASSERT_GE(plan.changes.size(), 2u);
  EXPECT_EQ(plan.changes[0].target, "min_freq_khz");
  EXPECT_EQ(plan.changes[1].target, "max_freq_khz");
  Plan raising = plan_of(system, "name: t\ncpu:\n  min_freq_khz: 3200000\n  max_freq_khz: 3500000\n");
  EXPECT_EQ(raising.changes[0].target, "max_freq_khz");
}

TEST_F(CpuPlannerTest, PoliciesThatDifferAreShownAndRestoredOneByOne) {
  intel();
  tree.write("/sys/devices/system/cpu/cpufreq/policy1/scaling_governor", "performance\n");
  KernelModelSystem system(tree.root());
  auto before = snapshot(tree);
  Plan plan = plan_of(system, "name: t\ncpu:\n  governor: performance\n");
  EXPECT_EQ(*change_at(plan, "cpu", "governor")->before, "policy0=powersave policy1=performance");
  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report && !report->failed);
  EXPECT_EQ(tree.read("/sys/devices/system/cpu/cpufreq/policy0/scaling_governor"), "performance\n");
  ASSERT_TRUE(rollback_last(system));
  EXPECT_EQ(tree.read("/sys/devices/system/cpu/cpufreq/policy0/scaling_governor"), "powersave\n");
  EXPECT_EQ(tree.read("/sys/devices/system/cpu/cpufreq/policy1/scaling_governor"), "performance\n");
  EXPECT_EQ(snapshot(tree), before);
}

TEST_F(CpuPlannerTest, WakeUpLatencyDisablesTheSlowerIdleStates) {
  intel();
  KernelModelSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\ncpu:\n  cstate_latency_us: 3\n");
  const Change* change = change_at(plan, "cpu", "cstate_latency_us");
  ASSERT_NE(change, nullptr);
  EXPECT_EQ(*change->before, "none");
  EXPECT_EQ(*change->after, "C1E,C6");
  EXPECT_EQ(change->note, "idle states slower to wake than 3 us are disabled: C1E (10 us), C6 (133 us)");
  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report && !report->failed);
  EXPECT_EQ(tree.read("/sys/devices/system/cpu/cpu2/cpuidle/state3/disable"), "1\n");
  EXPECT_EQ(tree.read("/sys/devices/system/cpu/cpu2/cpuidle/state1/disable"), "0\n");
  EXPECT_NE(change_at(plan, "file", kCpuBootFile)->after->find("w /sys/devices/system/cpu/cpu*/cpuidle/state3/disable - - - - 1"),
            std::string::npos);
}

TEST_F(CpuPlannerTest, AHostWithoutIdleStatesSaysSo) {
  intel();
  TempTree bare;
  tune::testing::add_cpus(bare, 2, false, {});
  LocalSystem system(bare.root());
  Plan plan = plan_of(system, "name: t\ncpu:\n  cstate_latency_us: 3\n");
  EXPECT_EQ(skip_at(plan, "cpu", "cstate_latency_us")->reason, "not available here: no cpuidle driver");
}

TEST_F(CpuPlannerTest, AReadOnlyFileIsSkippedNamingIt) {
  intel();
  tree.write("/sys/devices/system/cpu/cpufreq/policy1/scaling_governor", "powersave\n", 0444);
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\ncpu:\n  governor: performance\n");
  EXPECT_EQ(skip_at(plan, "cpu", "governor")->reason,
            "read-only here: /sys/devices/system/cpu/cpufreq/policy1/scaling_governor");
}

TEST_F(CpuPlannerTest, ApplyThenRollbackPutsBackEveryByte) {
  intel();
  KernelModelSystem system(tree.root());
  auto before = snapshot(tree);
  Plan plan = plan_of(system,
                      "name: t\ncpu:\n  governor: performance\n  energy_performance_preference: performance\n"
                      "  energy_perf_bias: balance-power\n  max_perf_pct: 90\n  min_perf_pct: 50\n  boost: false\n"
                      "  cstate_latency_us: 10\n");
  EXPECT_TRUE(plan.skipped.empty()) << plan.skipped.front().target << ": " << plan.skipped.front().reason;
  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report && !report->failed) << (report ? report->failure : report.error().message);
  EXPECT_EQ(report->applied, 8u);
  auto verify = verify_host(system);
  ASSERT_TRUE(verify);
  EXPECT_TRUE(verify->drift.empty());
  ASSERT_TRUE(rollback_last(system));
  EXPECT_EQ(snapshot(tree), before);
}

TEST_F(CpuPlannerTest, AValueTheKernelRejectsPutsBackTheStepsBefore) {
  intel();
  tune::testing::KernelModelSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\ncpu:\n  governor: performance\n  energy_performance_preference: power\n");
  // The kernel refuses this preference on one policy (intel_pstate does under the performance governor).
  system.refuse_value["/sys/devices/system/cpu/cpufreq/policy1/energy_performance_preference"] = "power";
  auto before = snapshot(tree);
  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->failed);
  EXPECT_NE(report->failure.find("policy1/energy_performance_preference: Invalid argument"), std::string::npos)
      << report->failure;
  EXPECT_EQ(snapshot(tree), before);
}

TEST_F(CpuPlannerTest, DriftOnOnePolicyIsReported) {
  intel();
  KernelModelSystem system(tree.root());
  ASSERT_TRUE(apply_plan(system, plan_of(system, "name: t\ncpu:\n  governor: performance\n")));
  tree.write("/sys/devices/system/cpu/cpufreq/policy1/scaling_governor", "powersave\n");
  auto verify = verify_host(system);
  ASSERT_TRUE(verify);
  ASSERT_EQ(verify->drift.size(), 1u);
  EXPECT_EQ(verify->drift[0].target, "governor");
  EXPECT_EQ(*verify->drift[0].live, "policy0=performance policy1=powersave");
}

}  // namespace
}  // namespace tune::linux_platform
