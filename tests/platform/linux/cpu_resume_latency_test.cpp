// cpu resume_latency_us: every CPU's PM QoS resume latency limit, as one
// value over the CPUs, set again at boot through 90-tune-cpu.conf.
#include "platform/linux/cpu_planner.h"

#include "platform/linux/backend_test_util.h"
#include "support/kernel_model_system.h"
#include "support/sysfs_fixture.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

namespace tune::linux_platform {
namespace {

using namespace testing_util;
using tune::testing::KernelModelSystem;
using tune::testing::TempTree;

std::string latency_file(int cpu) {
  return "/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/power/pm_qos_resume_latency_us";
}

class CpuResumeLatencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tune::testing::add_cpus(tree, 4, false, {});
    for (int cpu = 0; cpu < 4; ++cpu) tree.write(latency_file(cpu), "0\n");
  }
  TempTree tree;
};

TEST_F(CpuResumeLatencyTest, OneValueOverEveryCpuPersistedAsAGlob) {
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\ncpu:\n  resume_latency_us: 3\n");
  const Change* change = change_at(plan, "cpu", "resume_latency_us");
  ASSERT_NE(change, nullptr);
  EXPECT_EQ(*change->before, "0");
  EXPECT_EQ(*change->after, "3");
  EXPECT_EQ(change->note, "idle states that resume within 3 us on 4 CPUs");
  const Change* boot = change_at(plan, "file", kCpuBootFile);
  ASSERT_NE(boot, nullptr);
  EXPECT_NE(boot->after->find("w /sys/devices/system/cpu/cpu*/power/pm_qos_resume_latency_us - - - - 3\n"),
            std::string::npos);
}

TEST_F(CpuResumeLatencyTest, TheKernelsSpecialValuesAreSaidInWords) {
  LocalSystem system(tree.root());
  Plan polling = plan_of(system, "name: t\ncpu:\n  resume_latency_us: n/a\n");
  ASSERT_NE(change_at(polling, "cpu", "resume_latency_us"), nullptr);
  EXPECT_EQ(change_at(polling, "cpu", "resume_latency_us")->note, "no resume latency: idle CPUs only poll on 4 CPUs");
  tree.write(latency_file(2), "50\n");
  Plan plan = plan_of(system, "name: t\ncpu:\n  resume_latency_us: 0\n");
  const Change* change = change_at(plan, "cpu", "resume_latency_us");
  ASSERT_NE(change, nullptr);
  EXPECT_EQ(change->note, "no resume latency limit on 4 CPUs");
  EXPECT_EQ(*change->before, "cpu0=0 cpu1=0 cpu2=50 cpu3=0");
  EXPECT_EQ(change->action, Action::Modify);
}

TEST_F(CpuResumeLatencyTest, CpusThatDifferAreRestoredOneByOne) {
  tree.write(latency_file(1), "n/a\n");
  tree.write(latency_file(3), "20\n");
  KernelModelSystem system(tree.root());
  auto before = snapshot(tree);
  Plan plan = plan_of(system, "name: t\ncpu:\n  resume_latency_us: n/a\n");
  EXPECT_EQ(*change_at(plan, "cpu", "resume_latency_us")->before, "cpu0=0 cpu1=n/a cpu2=0 cpu3=20");
  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report && !report->failed) << (report ? report->failure : report.error().message);
  for (int cpu = 0; cpu < 4; ++cpu) EXPECT_EQ(tree.read(latency_file(cpu)), "n/a\n") << cpu;
  ASSERT_TRUE(rollback_last(system));
  EXPECT_EQ(tree.read(latency_file(3)), "20\n");
  EXPECT_EQ(snapshot(tree), before);
}

TEST_F(CpuResumeLatencyTest, AKernelRefusingTheValueLeavesEveryCpuAsItWas) {
  KernelModelSystem system(tree.root());
  system.refuse_value[latency_file(3)] = "7";
  auto before = snapshot(tree);
  auto report = apply_plan(system, plan_of(system, "name: t\ncpu:\n  resume_latency_us: 7\n"));
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->failed);
  EXPECT_EQ(snapshot(tree), before);
}

TEST(CpuResumeLatency, AKernelWithoutTheFileSaysSo) {
  TempTree tree;
  tune::testing::add_cpus(tree, 2, false, {});
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\ncpu:\n  resume_latency_us: 3\n");
  ASSERT_NE(skip_at(plan, "cpu", "resume_latency_us"), nullptr);
  EXPECT_EQ(skip_at(plan, "cpu", "resume_latency_us")->reason,
            "not available here: this kernel shows no CPU pm_qos_resume_latency_us");
}

TEST(CpuResumeLatency, OnlyNumbersAndNaAreValues) {
  for (const char* value : {"-1", "never", "none", "3us"}) {
    EXPECT_FALSE(parse_profile(std::string("name: t\ncpu:\n  resume_latency_us: ") + value + "\n", "test.yaml")) << value;
  }
  EXPECT_TRUE(parse_profile("name: t\ncpu:\n  resume_latency_us: n/a\n", "test.yaml"));
  EXPECT_TRUE(parse_profile("name: t\ncpu:\n  resume_latency_us: 0\n", "test.yaml"));
}

}  // namespace
}  // namespace tune::linux_platform
