#include "platform/linux/backend_test_util.h"
#include "platform/linux/cpu_knob.h"

#include "platform/linux/member_values.h"
#include "support/sysfs_fixture.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

namespace tune::linux_platform {
namespace {

using namespace testing_util;

using tune::testing::TempTree;

TEST(CpuKnob, RefusesTargetsThatAreNotCpuKeys) {
  TempTree tree;
  LocalSystem system(tree.root());
  CpuKnob knob;
  expect_refuses_targets(knob, system, {"../../../etc/passwd", "scaling_governor", "governor/../x", ""});
}

TEST(CpuKnob, BoostComparesAsAFlag) {
  CpuKnob knob;
  EXPECT_TRUE(knob.same_at("boost", std::string("true"), std::string("1")));
  EXPECT_FALSE(knob.same_at("boost", std::string("false"), std::string("1")));
  EXPECT_TRUE(knob.same_at("energy_perf_bias", std::string("0"), std::string("performance")));
  EXPECT_TRUE(knob.same_at("cstate_latency_us", std::string("C6,C1E"), std::string("C1E,C6")));
}

TEST(CpuKnob, RestoreTakesEitherFormAndRefusesAnotherHostsPolicies) {
  TempTree tree;
  tune::testing::add_cpufreq(tree, tune::testing::CpufreqFixture{});
  LocalSystem system(tree.root());
  CpuKnob knob;
  ASSERT_TRUE(knob.restore(system, "governor", PriorState::of_value("policy0=performance policy1=powersave")));
  EXPECT_EQ(tree.read("/sys/devices/system/cpu/cpufreq/policy0/scaling_governor"), "performance");
  ASSERT_TRUE(knob.restore(system, "governor", PriorState::of_value("powersave")));
  EXPECT_EQ(tree.read("/sys/devices/system/cpu/cpufreq/policy0/scaling_governor"), "powersave");
  auto wrong = knob.restore(system, "governor", PriorState::of_value("policy0=performance policy7=powersave"));
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("does not give a value for each of policy0, policy1"), std::string::npos);
}

TEST(MemberValues, OneValueWhenAllAgreeElseEachMember) {
  EXPECT_EQ(encode_members({{"policy0", "a"}, {"policy1", "a"}}), "a");
  EXPECT_EQ(encode_members({{"policy0", "a"}, {"policy1", "b"}}), "policy0=a policy1=b");
  auto decoded = decode_members("a", {"policy0", "policy1"});
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->at("policy1"), "a");
  EXPECT_FALSE(decode_members("policy0=a", {"policy0", "policy1"}));
  EXPECT_TRUE(same_members("a", "policy0=a policy1=a"));
  EXPECT_FALSE(same_members("a", "policy0=a policy1=b"));
  EXPECT_TRUE(same_members("policy1=b policy0=a", "policy0=a policy1=b"));
}

}  // namespace
}  // namespace tune::linux_platform
