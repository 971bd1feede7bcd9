// The shipped workstation-macos profile on the fixture Macs: planned by the
// macOS backend with nothing skipped for want of one, applied through the
// Engine, and rolled back to every prior value.
#include "core/engine.h"
#include "core/profile_store.h"
#include "platform/macos/mac_fixture.h"
#include "platform/macos/macos_platform.h"
#include "platform/platforms.h"
#include "util/dry_run_system.h"

#include <gtest/gtest.h>

namespace tune::macos_platform {
namespace {

using testing::MacFixture;
using testing::TempTree;

constexpr const char* kState = "/var/lib/tune";

Profile workstation_macos() {
  auto profile = ProfileStore({testing::source_dir() + "/profiles"}).resolve("workstation-macos");
  EXPECT_TRUE(profile) << profile.error().message;
  return *profile;
}

class WorkstationMacos : public ::testing::TestWithParam<std::string> {};

TEST_P(WorkstationMacos, PlansWithNoBackendMissing) {
  TempTree tree;
  MacFixture mac(GetParam(), tree);
  Profile profile = workstation_macos();
  HostFacts facts = mac.facts();
  auto plan = make_plan({profile, facts, mac}, platform_for("macos"), "test");
  ASSERT_TRUE(plan) << plan.error().message;
  for (const auto& skip : plan->skipped) {
    EXPECT_EQ(skip.reason.find("no backend"), std::string::npos) << skip.domain << ":" << skip.target;
    EXPECT_EQ(skip.reason.find("only the Linux backend"), std::string::npos) << skip.domain << ":" << skip.target;
    // What is skipped is the parents' Linux settings, or a condition this Mac does not meet.
    EXPECT_TRUE(skip.reason == "a linux setting; this host runs macos" || skip.reason.rfind("when ", 0) == 0)
        << skip.domain << ":" << skip.target << ": " << skip.reason;
  }
  std::set<std::string> domains;
  for (const auto& change : plan->changes) domains.insert(change.domain);
  EXPECT_EQ(domains, (std::set<std::string>{"environment", "file", "limits", "power", "sysctl"}));
  EXPECT_GT(plan->pending(), 0u);
}

TEST_P(WorkstationMacos, ApplyThenRollbackRestoresEveryPriorValue) {
  TempTree tree;
  MacFixture mac(GetParam(), tree);
  const auto sysctl = mac.sysctl;
  const auto pmset = mac.pmset;
  const auto limits = mac.limits;
  const auto environment = mac.environment;
  // A plist of the operator's own that tune's limits plist replaces: it must come back byte for byte.
  const std::string own = "<?xml version=\"1.0\"?>\n<plist><dict><key>Label</key><string>mine</string></dict></plist>\n";
  tree.write("/Library/LaunchDaemons/limit.maxfiles.plist", own, 0640);

  Profile profile = workstation_macos();
  HostFacts facts = mac.facts();
  Platform platform = make_platform();
  auto plan = make_plan({profile, facts, mac}, platform, "test");
  ASSERT_TRUE(plan) << plan.error().message;
  Engine engine(mac, platform.knobs, kState);
  auto applied = engine.apply(*plan, facts.identity);
  ASSERT_TRUE(applied) << applied.error().message;
  ASSERT_FALSE(applied->failed) << applied->failure;
  EXPECT_EQ(mac.sysctl["kern.maxfiles"], "524288");
  EXPECT_EQ(mac.pmset["AC Power"]["sleep"], "0");
  EXPECT_EQ(mac.limits["maxfiles"].first, "65536");
  EXPECT_EQ(mac.environment["OLLAMA_KEEP_ALIVE"], "24h");
  EXPECT_TRUE(tree.exists("/Library/LaunchDaemons/dev.tune.sysctl.plist"));
  EXPECT_NE(tree.read("/Library/LaunchDaemons/limit.maxfiles.plist"), own);
  if (GetParam() == "m3max-64gb") {
    EXPECT_EQ(mac.sysctl["iogpu.wired_limit_mb"], "57344");
  } else {
    EXPECT_EQ(mac.sysctl["iogpu.wired_limit_mb"], "0");
  }

  // The next plan has nothing left to do, and verify finds no drift.
  auto again = make_plan({profile, facts, mac}, platform, "test");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->pending(), 0u);
  auto verified = engine.verify();
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->drift.empty());

  auto rolled = engine.rollback(std::nullopt);
  ASSERT_TRUE(rolled) << rolled.error().message;
  EXPECT_TRUE(rolled->errors.empty()) << rolled->errors.front();
  EXPECT_EQ(mac.sysctl, sysctl);
  EXPECT_EQ(mac.pmset, pmset);
  EXPECT_EQ(mac.limits, limits);
  EXPECT_EQ(mac.environment, environment);
  EXPECT_FALSE(tree.exists("/Library/LaunchDaemons/dev.tune.sysctl.plist"));
  EXPECT_FALSE(tree.exists("/Library/LaunchDaemons/limit.maxproc.plist"));
  EXPECT_FALSE(tree.exists("/Library/LaunchAgents/dev.tune.environment.OLLAMA_KEEP_ALIVE.plist"));
  EXPECT_EQ(tree.read("/Library/LaunchDaemons/limit.maxfiles.plist"), own);
  EXPECT_EQ(tree.mode("/Library/LaunchDaemons/limit.maxfiles.plist"), 0640u);
}

TEST_P(WorkstationMacos, ADryRunReadsTheMacRunsNothingThatChangesItAndReadsItsOwnChangesBack) {
  TempTree tree;
  MacFixture mac(GetParam(), tree);
  const auto sysctl = mac.sysctl;
  const auto pmset = mac.pmset;
  const auto limits = mac.limits;
  const auto environment = mac.environment;
  Profile profile = workstation_macos();
  HostFacts facts = mac.facts();
  Platform platform = make_platform();
  auto plan = make_plan({profile, facts, mac}, platform, "test");
  ASSERT_TRUE(plan) << plan.error().message;
  DryRunSystem dry(mac);
  Engine engine(dry, platform.knobs, kState);
  auto applied = engine.apply(*plan, facts.identity);
  ASSERT_TRUE(applied) << applied.error().message;
  // Every step was read back (from the dry run's notes) as the plan wanted it.
  ASSERT_FALSE(applied->failed) << applied->failure;
  EXPECT_EQ(applied->applied, plan->pending());
  // The Mac was read (sysctl -n, pmset -g, launchctl limit/getenv) and nothing on it changed.
  EXPECT_EQ(mac.sysctl, sysctl);
  EXPECT_EQ(mac.pmset, pmset);
  EXPECT_EQ(mac.limits, limits);
  EXPECT_EQ(mac.environment, environment);
  EXPECT_FALSE(tree.exists("/Library/LaunchDaemons/dev.tune.sysctl.plist"));
  for (const auto& call : mac.calls) {
    EXPECT_EQ(call.find(" -w "), std::string::npos) << call;
    EXPECT_EQ(call.find("setenv"), std::string::npos) << call;
    EXPECT_EQ(call.find("pmset -a"), std::string::npos) << call;
  }
  bool recorded_a_write = false;
  for (const auto& action : dry.actions()) recorded_a_write = recorded_a_write || action.path.find("sysctl -w") != std::string::npos;
  EXPECT_TRUE(recorded_a_write);
}

TEST_P(WorkstationMacos, AStepTheMacRefusesPutsBackTheStepsBeforeIt) {
  TempTree tree;
  MacFixture mac(GetParam(), tree);
  const auto sysctl = mac.sysctl;
  const auto environment = mac.environment;
  Profile profile = workstation_macos();
  HostFacts facts = mac.facts();
  Platform platform = make_platform();
  auto plan = make_plan({profile, facts, mac}, platform, "test");
  ASSERT_TRUE(plan) << plan.error().message;
  mac.refuse_sysctl["kern.maxfilesperproc"] = {"65536"};
  // kern.maxfilesperproc is 122880 on the fixtures, already above 65536: refuse kern.maxfiles instead.
  mac.refuse_sysctl["kern.maxfiles"] = {"524288"};
  Engine engine(mac, platform.knobs, kState);
  auto applied = engine.apply(*plan, facts.identity);
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_TRUE(applied->failed);
  EXPECT_NE(applied->failure.find("Invalid argument"), std::string::npos) << applied->failure;
  EXPECT_EQ(mac.sysctl, sysctl);
  EXPECT_EQ(mac.environment, environment);
}

INSTANTIATE_TEST_SUITE_P(FixtureMacs, WorkstationMacos, ::testing::Values("m2-16gb", "m3max-64gb"),
                         [](const ::testing::TestParamInfo<std::string>& mac) { return mac.param == "m2-16gb" ? "M2_16GiB" : "M3Max_64GiB"; });

}  // namespace
}  // namespace tune::macos_platform
