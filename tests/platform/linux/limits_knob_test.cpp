#include "platform/linux/limits_knob.h"

#include "limits_fixture.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

namespace tune::linux_platform {
namespace {

using testing::TempTree;

class LimitsKnobTest : public ::testing::Test {
 protected:
  void SetUp() override { limits_testing::write_host(tree); }

  std::optional<std::string> observe(const std::string& target) {
    LocalSystem system(tree.root());
    auto observed = knob.observe(system, target);
    EXPECT_TRUE(observed) << target << ": " << observed.error().message;
    return observed ? observed->value : std::nullopt;
  }

  TempTree tree;
  LimitsKnob knob;
};

TEST_F(LimitsKnobTest, IsADerivedKnobOfTheLimitsDomain) {
  EXPECT_EQ(knob.domain(), "limits");
  EXPECT_TRUE(knob.derived());
}

TEST_F(LimitsKnobTest, ObservesWhatANewLoginSessionGets) {
  tree.write("/etc/security/limits.conf", "* soft nofile 4096\n@ai - memlock unlimited\nalice hard nproc 500\n");
  EXPECT_EQ(observe("*/nofile"), "4096:524288");
  EXPECT_EQ(observe("@ai/memlock"), "unlimited:unlimited");
  EXPECT_EQ(observe("alice/memlock"), "unlimited:unlimited");  // alice is in ai
  EXPECT_EQ(observe("bob/memlock"), "8192:8192");              // bob is not: PID 1's
  EXPECT_EQ(observe("alice/nproc"), "500:500");                // the soft part is lowered to the hard one
  EXPECT_EQ(observe("*/maxlogins"), "unlimited:unlimited");
}

TEST_F(LimitsKnobTest, ObservesWhatTheServiceManagerGivesServices) {
  tree.write("/etc/systemd/system.conf.d/50-x.conf", "[Manager]\nDefaultLimitMEMLOCK=64M\n");
  EXPECT_EQ(observe("DefaultLimitNOFILE"), "1024:524288");
  EXPECT_EQ(observe("DefaultLimitMEMLOCK"), "65536:65536");
  // And a login inherits it where no limits.conf line says otherwise.
  EXPECT_EQ(observe("*/memlock"), "65536:65536");
}

TEST_F(LimitsKnobTest, PartsTuneCannotTellShowAsADash) {
  tree.write("/proc/1/limits", "");
  EXPECT_EQ(observe("*/memlock"), "-:-");
  tree.write("/etc/security/limits.conf", "* soft memlock 64\n");
  EXPECT_EQ(observe("*/memlock"), "64:-");
}

TEST_F(LimitsKnobTest, RefusesHostileOrMalformedTargets) {
  LocalSystem system(tree.root());
  const std::vector<std::string> targets = {
      "", "*", "nofile", "/nofile", "*/", "*/rss", "*/nofile/x", "../../etc/shadow", "*/../../etc/shadow",
      "alice;rm -rf /nofile", "a b/nofile", "@/nofile", "@../x/nofile", "*/NOFILE", "DefaultLimit",
      "DefaultLimitRSS", "DefaultLimitnofile", "DefaultLimitNOFILE/../x", std::string("al\0ce/nofile", 12),
      std::string(40, 'a') + "/nofile"};
  for (const auto& target : targets) {
    EXPECT_FALSE(knob.observe(system, target)) << target;
    Change change;
    change.domain = "limits";
    change.target = target;
    change.after = "1:1";
    EXPECT_FALSE(knob.apply(system, change)) << target;
    EXPECT_FALSE(knob.restore(system, target, PriorState::of_value("1:1"))) << target;
  }
}

TEST_F(LimitsKnobTest, ApplyAndRestoreChangeNothingOnTheHost) {
  tree.write("/etc/security/limits.conf", "* soft nofile 4096\n");
  LocalSystem system(tree.root());
  Change change;
  change.domain = "limits";
  change.target = "*/nofile";
  change.before = "4096:524288";
  change.after = "65535:65535";
  EXPECT_TRUE(knob.apply(system, change));
  EXPECT_TRUE(knob.restore(system, "*/nofile", PriorState::of_value("1:1")));
  EXPECT_EQ(tree.read("/etc/security/limits.conf"), "* soft nofile 4096\n");
  EXPECT_FALSE(tree.exists("/etc/security/limits.d"));
  EXPECT_EQ(observe("*/nofile"), "4096:524288");
}

TEST_F(LimitsKnobTest, SameTreatsSpellingsOfOneValueAlike) {
  EXPECT_TRUE(knob.same_at("*/memlock", std::string("unlimited:unlimited"), std::string("infinity:unlimited")));
  EXPECT_TRUE(knob.same_at("*/nofile", std::string("065535:65535"), std::string("65535:65535")));
  EXPECT_FALSE(knob.same_at("*/nofile", std::string("65535:65535"), std::string("65535:65536")));
  EXPECT_FALSE(knob.same_at("*/nofile", std::string("-:65535"), std::string("1024:65535")));
  EXPECT_TRUE(knob.same_at("*/nofile", std::nullopt, std::nullopt));
  EXPECT_FALSE(knob.same_at("*/nofile", std::string("1:1"), std::nullopt));
}

TEST_F(LimitsKnobTest, PercentItemsAreReportedUnsupported) {
  LocalSystem system(tree.root());
  auto observed = knob.observe(system, "%ai/maxlogins");
  ASSERT_TRUE(observed) << observed.error().message;
  EXPECT_FALSE(observed->supported);
}

}  // namespace
}  // namespace tune::linux_platform
