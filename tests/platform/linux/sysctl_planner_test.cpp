#include "platform/linux/sysctl_planner.h"

#include "core/engine.h"
#include "platform/linux/linux_platform.h"
#include "support/temp_tree.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

namespace tune::linux_platform {
namespace {

using testing::TempTree;

Profile profile_from(const std::string& text) {
  auto profile = parse_profile(text, "test.yaml");
  EXPECT_TRUE(profile) << profile.error().message;
  return *profile;
}

class SysctlPlannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tree.write("/proc/sys/vm/swappiness", "60\n");
    tree.write("/proc/sys/net/core/somaxconn", "4096\n");
    tree.write("/proc/sys/net/ipv4/tcp_rmem", "4096\t131072\t6291456\n");
    tree.write("/proc/sys/kernel/osrelease", "6.1.0\n", 0444);
    facts.identity = {"host", "id", "6.1.0"};
  }

  Plan plan(const std::string& text) {
    profile = profile_from(text);
    LocalSystem system(tree.root());
    Platform platform = make_platform();
    auto made = make_plan({profile, facts, system}, platform, "test");
    EXPECT_TRUE(made) << made.error().message;
    return *made;
  }

  const Change* find(const Plan& p, const std::string& target) {
    for (const auto& change : p.changes) {
      if (change.target == target) return &change;
    }
    return nullptr;
  }

  TempTree tree;
  HostFacts facts;
  Profile profile;
};

TEST_F(SysctlPlannerTest, PlansEachKeyAndThePersistedFile) {
  Plan p = plan("name: t\nsysctl:\n  vm.swappiness: 10\n  net.core.somaxconn: 4096\n");
  ASSERT_EQ(p.changes.size(), 3u);
  EXPECT_EQ(find(p, "vm.swappiness")->action, Action::Modify);
  EXPECT_EQ(*find(p, "vm.swappiness")->after, "10");
  EXPECT_EQ(find(p, "net.core.somaxconn")->action, Action::None);
  const Change* file = find(p, kSysctlFile);
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->action, Action::Create);
  EXPECT_EQ(*file->after, sysctl_file_text("t", {{"vm.swappiness", "10"}, {"net.core.somaxconn", "4096"}}));
  EXPECT_NE(file->after->find("# Written by tune for profile 't'."), std::string::npos);
  EXPECT_NE(find(p, "vm.swappiness")->reason.find("test.yaml:3:3"), std::string::npos);
}

TEST_F(SysctlPlannerTest, UnknownAndReadOnlyKeysAreSkippedWithTheReason) {
  Plan p = plan("name: t\nsysctl:\n  net.ipv4.tcp_tw_recycle: 1\n  kernel.osrelease: x\n  vm.swappiness: 10\n");
  ASSERT_EQ(p.skipped.size(), 2u);
  EXPECT_EQ(p.skipped[0].target, "net.ipv4.tcp_tw_recycle");
  EXPECT_EQ(p.skipped[0].reason, "unsupported here: no such key on this kernel");
  EXPECT_EQ(p.skipped[1].reason, "read-only on this kernel");
  EXPECT_EQ(p.pending(), 2u);
}

TEST_F(SysctlPlannerTest, AtLeastNeverLowersAndRaisesFieldByField) {
  tree.write("/proc/sys/net/core/somaxconn", "100000\n");
  Plan p = plan(
      "name: t\nsysctl:\n  net.core.somaxconn: { at_least: 65535 }\n"
      "  net.ipv4.tcp_rmem: { at_least: \"4096 87380 16777216\" }\n");
  EXPECT_EQ(find(p, "net.core.somaxconn")->action, Action::None);
  EXPECT_EQ(*find(p, "net.ipv4.tcp_rmem")->after, "4096 131072 16777216");
  // The persisted file keeps the live value that already satisfies the bound.
  EXPECT_NE(find(p, kSysctlFile)->after->find("net.core.somaxconn = 100000"), std::string::npos);
}

TEST_F(SysctlPlannerTest, AProfileWithoutSysctlsPlansNothingHere) {
  Plan p = plan("name: t\n");
  EXPECT_TRUE(p.changes.empty());
}

TEST_F(SysctlPlannerTest, WarnsWhenALaterFileSetsTheSameKey) {
  tree.write("/etc/sysctl.d/99-sysctl.conf", "# comment\nvm.swappiness=30\n");
  tree.write("/usr/lib/sysctl.d/10-early.conf", "vm.swappiness=30\n");
  Plan p = plan("name: t\nsysctl:\n  vm.swappiness: 10\n");
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_NE(p.warnings[0].find("/etc/sysctl.d/99-sysctl.conf also sets vm.swappiness"), std::string::npos);
}

TEST_F(SysctlPlannerTest, ApplyingThePlanMakesTheNextPlanEmpty) {
  const std::string text = "name: t\nsysctl:\n  vm.swappiness: 10\n  net.ipv4.tcp_rmem: 4096 87380 16777216\n";
  Plan first = plan(text);
  LocalSystem system(tree.root());
  Platform platform = make_platform();
  Engine engine(system, platform.knobs, "/var/lib/tune");
  auto report = engine.apply(first, facts.identity);
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_FALSE(report->failed) << report->failure;
  EXPECT_EQ(tree.read("/proc/sys/vm/swappiness"), "10");
  Plan second = plan(text);
  EXPECT_EQ(second.pending(), 0u);
  ASSERT_TRUE(engine.rollback(std::nullopt));
  EXPECT_EQ(tree.read("/proc/sys/vm/swappiness"), "60");
  EXPECT_FALSE(tree.exists(kSysctlFile));
}

}  // namespace
}  // namespace tune::linux_platform
