#include "platform/linux/net_planner.h"

#include "platform/linux/backend_test_util.h"
#include "platform/linux/net_fixture.h"
#include "support/kernel_model_system.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

namespace tune::linux_platform {
namespace {

using namespace testing_util;
using tune::testing::KernelModelSystem;
using tune::testing::TempTree;

// Two NICs, a veth without a device, and loopback.
class NetPlannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    add_nic(tree, typical_nic("eth0"));
    add_nic(tree, typical_nic("eth1"));
    add_nic(tree, {"veth0", false, "rx-gro off\ntx-tcp-segmentation on\n", "combined 1 max 4\n", "", ""});
    add_nic(tree, {"lo", false, "rx-gro off fixed\n", "", "", ""});
    tree.write(kEthtoolProgram, "");
  }
  TempTree tree;
};

TEST_F(NetPlannerTest, AllReachesTheInterfacesBackedByADevice) {
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nnet:\n  all:\n    features: { gro: off }\n    channels: { combined: 4 }\n");
  for (const char* nic : {"eth0", "eth1"}) {
    const Change* gro = change_at(plan, "net", std::string(nic) + "/features.rx-gro");
    ASSERT_NE(gro, nullptr) << nic;
    EXPECT_EQ(*gro->before, "on");
    EXPECT_EQ(*gro->after, "off");
    EXPECT_EQ(gro->note, "all NICs");
    EXPECT_EQ(*change_at(plan, "net", std::string(nic) + "/channels.combined")->after, "4");
  }
  EXPECT_EQ(change_at(plan, "net", "veth0/features.rx-gro"), nullptr);
  EXPECT_EQ(change_at(plan, "net", "lo/features.rx-gro"), nullptr);
  // Channels before features, interface by interface.
  EXPECT_EQ(plan.changes[0].target, "eth0/channels.combined");
  const Change* rules = change_at(plan, "file", kNetRulesFile);
  ASSERT_NE(rules, nullptr);
  EXPECT_NE(rules->after->find("ACTION==\"add|move\", SUBSYSTEM==\"net\", TEST==\"device\", "
                               "RUN+=\"/usr/sbin/ethtool -L $name combined 4\"\n"),
            std::string::npos)
      << *rules->after;
  EXPECT_NE(rules->after->find("TEST==\"device\", RUN+=\"/usr/sbin/ethtool -K $name rx-gro off\"\n"), std::string::npos);
  EXPECT_TRUE(plan.warnings.empty());
}

TEST_F(NetPlannerTest, ANameOrGlobReachesAnyInterfaceAndTheMostSpecificWins) {
  LocalSystem system(tree.root());
  Plan plan = plan_of(system,
                      "name: t\nnet:\n  eth1:\n    rings: { rx: 4096 }\n  all:\n    rings: { rx: 1024 }\n"
                      "  eth*:\n    rings: { rx: 2048 }\n  veth0:\n    features: { tso: off }\n");
  EXPECT_EQ(*change_at(plan, "net", "eth0/rings.rx")->after, "2048");
  EXPECT_EQ(change_at(plan, "net", "eth0/rings.rx")->note, "named eth*");
  EXPECT_EQ(*change_at(plan, "net", "eth1/rings.rx")->after, "4096");
  EXPECT_EQ(*change_at(plan, "net", "veth0/features.tso")->after, "off");
  const Skip* all = skip_at(plan, "net", "all/rings.rx");
  ASSERT_NE(all, nullptr);
  EXPECT_EQ(all->reason, "every interface it names is set by a more specific scope");
  const std::string rules = *change_at(plan, "file", kNetRulesFile)->after;
  // Least specific first: at boot the later, more specific line wins, as here.
  EXPECT_LT(rules.find("KERNEL==\"eth*\""), rules.find("KERNEL==\"eth1\""));
  EXPECT_EQ(rules.find("TEST==\"device\""), std::string::npos);  // "all" decided nothing
  EXPECT_NE(rules.find("KERNEL==\"veth0\", RUN+=\"/usr/sbin/ethtool -K $name tso off\""), std::string::npos);
}

TEST_F(NetPlannerTest, WhatAnInterfaceLacksOrKeepsFixedIsSkippedWithItsReason) {
  LocalSystem system(tree.root());
  Plan plan = plan_of(system,
                      "name: t\nnet:\n  eth0:\n    features: { lro: on, ntuple: on, tx-lockless: on }\n"
                      "    channels: { combined: 64 }\n    rings: { rx-jumbo: 1024 }\n  wlan*:\n    features: { gro: off }\n");
  EXPECT_EQ(skip_at(plan, "net", "eth0/features.lro")->reason,
            "fixed: the driver of eth0 does not let rx-lro change");
  EXPECT_EQ(skip_at(plan, "net", "eth0/features.ntuple")->reason, "not available here: eth0 has no feature rx-ntuple-filter");
  EXPECT_NE(skip_at(plan, "net", "eth0/features.tx-lockless"), nullptr);
  EXPECT_EQ(skip_at(plan, "net", "eth0/channels.combined")->reason, "the driver of eth0 allows at most 16 combined channels");
  EXPECT_EQ(skip_at(plan, "net", "eth0/rings.rx-jumbo")->reason, "not available here: eth0 has no rx-jumbo ring size");
  EXPECT_EQ(skip_at(plan, "net", "wlan*/features.gro")->reason, "not available here: no network interface here is named wlan*");
  EXPECT_TRUE(plan.changes.empty());  // nothing decided: no rules file either
}

TEST_F(NetPlannerTest, AValueAlreadyThereIsNoStepButStaysInTheRules) {
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nnet:\n  eth0:\n    coalesce: { adaptive-rx: on, rx-usecs: { at_least: 2 } }\n");
  EXPECT_EQ(change_at(plan, "net", "eth0/coalesce.adaptive-rx")->action, Action::None);
  EXPECT_EQ(*change_at(plan, "net", "eth0/coalesce.rx-usecs")->after, "3");
  EXPECT_NE(change_at(plan, "file", kNetRulesFile)->after->find("-C $name adaptive-rx on rx-usecs 3\""), std::string::npos);
}

TEST_F(NetPlannerTest, WithoutEthtoolTheRulesCannotRunAndThePlanSaysSo) {
  std::filesystem::remove(tree.real(kEthtoolProgram));
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nnet:\n  eth0:\n    features: { gro: off }\n");
  ASSERT_EQ(plan.warnings.size(), 1u);
  EXPECT_NE(plan.warnings[0].find("install ethtool"), std::string::npos);
}

TEST_F(NetPlannerTest, ApplyThenRollbackPutsBackEveryByte) {
  KernelModelSystem system(tree.root());
  tree.write("/etc/udev/rules.d/81-tune-net.rules", "# an operator's file that was here first\n", 0640);
  auto before = snapshot(tree);
  Plan plan = plan_of(system,
                      "name: t\nnet:\n  all:\n    features: { gro: off, tso: off }\n    channels: { combined: 2 }\n"
                      "    rings: { rx: 4096, tx: 1024 }\n    coalesce: { adaptive-rx: off, rx-usecs: 50 }\n"
                      "  veth0:\n    features: { rx-gro: on }\n");
  EXPECT_TRUE(plan.skipped.empty()) << plan.skipped.front().reason;
  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report && !report->failed) << (report ? report->failure : report.error().message);
  EXPECT_EQ(tree.read(nic_state_path("eth1", "rings")), "rx 4096 max 4096\ntx 1024 max 4096\n");
  EXPECT_EQ(tree.read(nic_state_path("veth0", "features")), "rx-gro on\ntx-tcp-segmentation on\n");
  EXPECT_NE(tree.read(nic_state_path("eth0", "features")).find("tx-tcp6-segmentation off\n"), std::string::npos);
  auto verify = verify_host(system);
  ASSERT_TRUE(verify && verify->drift.empty());
  // A second plan of the same profile changes nothing.
  Plan again = plan_of(system,
                       "name: t\nnet:\n  all:\n    features: { gro: off, tso: off }\n    channels: { combined: 2 }\n"
                       "    rings: { rx: 4096, tx: 1024 }\n    coalesce: { adaptive-rx: off, rx-usecs: 50 }\n"
                       "  veth0:\n    features: { rx-gro: on }\n");
  for (const auto& change : again.changes) EXPECT_EQ(change.action, Action::None) << change.target;
  ASSERT_TRUE(rollback_last(system));
  EXPECT_EQ(snapshot(tree), before);
}

TEST_F(NetPlannerTest, AValueTheDriverRejectsFailsTheStepAndPutsBackTheEarlierOnes) {
  KernelModelSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nnet:\n  eth0:\n    features: { gro: off }\n    channels: { combined: 12 }\n");
  // The driver now allows fewer channels than when the plan was made.
  tree.write(nic_state_path("eth0", "channels"), "combined 8 max 8\n");
  auto before = snapshot(tree);
  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report);
  ASSERT_TRUE(report->failed);
  EXPECT_NE(report->failure.find("net eth0/channels.combined"), std::string::npos) << report->failure;
  EXPECT_NE(report->failure.find("Invalid argument"), std::string::npos) << report->failure;
  EXPECT_EQ(snapshot(tree), before);
}

TEST(NetProfile, ShortAndKernelNamesAreTheSameTarget) {
  TempTree tree;
  add_nic(tree, typical_nic("eth0"));
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nnet:\n  eth*:\n    features: { rx-gro: on }\n  eth0:\n    features: { gro: off }\n");
  ASSERT_NE(change_at(plan, "net", "eth0/features.rx-gro"), nullptr);
  EXPECT_EQ(*change_at(plan, "net", "eth0/features.rx-gro")->after, "off");
  EXPECT_NE(skip_at(plan, "net", "eth*/features.rx-gro"), nullptr);
}

TEST(NetProfile, MistakesAreOneLineWithTheirPlace) {
  struct Case {
    const char* text;
    const char* message;
  };
  for (const Case& c : {
           Case{"net:\n  all:\n    features: { grp: off }\n", "test.yaml:4:17: net all features: unknown feature 'grp' (did you mean 'gro'?)"},
           Case{"net:\n  all:\n    features: { gro: maybe }\n", "must be one of on, off"},
           Case{"net:\n  all:\n    channels: { combind: 4 }\n", "test.yaml:4:17: unknown key 'combind' in net all channels (did you mean 'combined'?)"},
           Case{"net:\n  all:\n    rings: { rx: -1 }\n", "net all rings rx"},
           Case{"net:\n  all:\n    ringz: { rx: 1 }\n", "unknown key 'ringz' in net all (did you mean 'rings'?)"},
           Case{"net:\n  eth/0:\n    rings: { rx: 1 }\n", "test.yaml:3:3: net: 'eth/0' is neither all nor an interface name or glob"},
       }) {
    auto profile = parse_profile(std::string("name: t\n") + c.text, "test.yaml");
    ASSERT_FALSE(profile) << c.text;
    EXPECT_NE(profile.error().message.find(c.message), std::string::npos) << profile.error().message;
  }
}

}  // namespace
}  // namespace tune::linux_platform
