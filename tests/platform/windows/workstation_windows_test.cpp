// workstation-windows, and a profile that uses every Windows setting, planned
// on the fixture hosts and applied, verified and rolled back through tune's
// Engine over the recorded Windows API.
#include "core/engine.h"
#include "core/planner.h"
#include "core/profile_store.h"
#include "detect/probe.h"
#include "detect/windows_facts.h"
#include "platform/platforms.h"
#include "platform/windows/windows_fixture.h"
#include "util/dry_run_system.h"
#include "util/local_system.h"
#include "util/text.h"

#include <gtest/gtest.h>

namespace tune {
namespace {

const char* const kEveryWindowsSetting = R"(name: every-windows-setting
summary: every Windows setting tune has, for the tests
extends: [workstation-windows]
power:
  # The hidden plan, copied first.
  scheme: ultimate-performance
  monitor_timeout_ac_min: 0
  processor_max_state_pct: 100
  win32_priority_separation: 38
  network_throttling_index: 4294967295
windows:
  # Registry, page file and the large-page right.
  tcp_timed_wait_delay: 30
  pagefile_mb: 16384
  lock_pages_account: Administrators
services:
  # Windows services by name.
  WSearch: { start_type: disabled }
  SysMain: { start_type: manual }
)";

struct Planned {
  std::unique_ptr<testing::WindowsHost> host;
  HostIdentity identity;
  Plan plan;
};

Planned plan_on(const std::string& fixture, const std::string& profile_name, const std::string& extra_dir = "") {
  Planned planned;
  planned.host = std::make_unique<testing::WindowsHost>(fixture);
  auto facts = detect_host(*planned.host->door, DetectOptions{});
  EXPECT_TRUE(facts) << facts.error().message;
  planned.identity = facts->identity;
  std::vector<std::string> dirs;
  if (!extra_dir.empty()) dirs.push_back(extra_dir);
  dirs.push_back(testing::source_dir() + "/profiles");
  auto profile = ProfileStore(dirs).resolve(profile_name);
  EXPECT_TRUE(profile) << profile.error().message;
  auto plan = make_plan({*profile, *facts, *planned.host->door}, platform_for(facts->os), "test");
  EXPECT_TRUE(plan) << plan.error().message;
  planned.plan = std::move(*plan);
  return planned;
}

std::string skips_of(const Plan& plan) {
  std::string text;
  for (const auto& skip : plan.skipped) text += skip.domain + ":" + skip.target + " (" + skip.reason + ")\n";
  return text;
}

const Change* find_change(const Plan& plan, const std::string& address) {
  for (const auto& change : plan.changes) {
    if (change.address() == address) return &change;
  }
  return nullptr;
}

class WorkstationWindows : public ::testing::TestWithParam<std::string> {};

TEST_P(WorkstationWindows, PlansWithNoSkipForWantOfABackend) {
  Planned planned = plan_on(GetParam(), "workstation-windows");
  for (const auto& skip : planned.plan.skipped) {
    EXPECT_EQ(skip.reason.find("no backend"), std::string::npos) << skips_of(planned.plan);
    EXPECT_EQ(skip.reason.find("only the Linux backend"), std::string::npos) << skips_of(planned.plan);
  }
  const Change* scheme = find_change(planned.plan, "power:scheme");
  ASSERT_NE(scheme, nullptr);
  EXPECT_EQ(scheme->before, "balanced");
  EXPECT_EQ(scheme->after, "high-performance");
  EXPECT_EQ(scheme->action, Action::Modify);
  // The scheme switch comes first: the values are written into the new scheme.
  EXPECT_EQ(planned.plan.changes.front().address(), "power:scheme");
  const Change* standby = find_change(planned.plan, "power:standby_timeout_ac_min");
  ASSERT_NE(standby, nullptr);
  EXPECT_EQ(standby->after, "0");
  EXPECT_NE(standby->note.find("high-performance"), std::string::npos);
  const Change* responsiveness = find_change(planned.plan, "registry:system_responsiveness_pct");
  ASSERT_NE(responsiveness, nullptr);
  EXPECT_EQ(responsiveness->before, "20");
  EXPECT_EQ(responsiveness->after, "10");
}

TEST_P(WorkstationWindows, ApplyThenRollbackRestoresEveryPriorValue) {
  Planned planned = plan_on(GetParam(), "workstation-windows");
  auto& api = planned.host->door->api();
  const auto before = api.state();
  Platform const& platform = platform_for("windows");
  Engine engine(*planned.host->door, platform.knobs, "/var/lib/tune");
  auto applied = engine.apply(planned.plan, planned.identity);
  ASSERT_TRUE(applied) << applied.error().message;
  ASSERT_FALSE(applied->failed) << applied->failure;
  EXPECT_NE(api.state(), before);
  EXPECT_EQ(*api.active_power_scheme(), "8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c");
  auto verified = engine.verify();
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_TRUE(verified->drift.empty());
  auto rolled = engine.rollback(std::nullopt);
  ASSERT_TRUE(rolled) << rolled.error().message;
  EXPECT_TRUE(rolled->errors.empty()) << join(rolled->errors, "\n");
  EXPECT_EQ(api.state(), before);
}

TEST(WorkstationWindowsElsewhere, FactsOfAWindowsHostPlannedOnADoorWithoutTheApiSkipSayingWhy) {
  auto api = testing::load_windows_fixture("workstation-nvidia");
  auto facts = detect_windows_host(api);
  ASSERT_TRUE(facts);
  testing::TempTree tree;
  LocalSystem linux_door(tree.root());
  auto profile = ProfileStore({testing::source_dir() + "/profiles"}).resolve("workstation-windows");
  ASSERT_TRUE(profile) << profile.error().message;
  auto plan = make_plan({*profile, *facts, linux_door}, platform_for("windows"), "test");
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->pending(), 0u);
  bool said = false;
  for (const auto& skip : plan->skipped) said = said || skip.reason.find("only on the Windows host itself") != std::string::npos;
  EXPECT_TRUE(said) << skips_of(*plan);
}

INSTANTIATE_TEST_SUITE_P(FixtureHosts, WorkstationWindows, ::testing::Values("workstation-nvidia", "laptop-igpu"));

class EveryWindowsSetting : public ::testing::Test {
 protected:
  testing::TempTree profiles;
  void SetUp() override { profiles.write("/every-windows-setting.yaml", kEveryWindowsSetting); }
};

TEST_F(EveryWindowsSetting, PlansEachDomainInOrder) {
  Planned planned = plan_on("workstation-nvidia", "every-windows-setting", profiles.root());
  const auto& changes = planned.plan.changes;
  ASSERT_GE(changes.size(), 2u) << skips_of(planned.plan);
  EXPECT_EQ(changes[0].address(), "power:ultimate-performance-copy");
  EXPECT_EQ(changes[0].action, Action::Create);
  EXPECT_EQ(changes[1].address(), "power:scheme");
  EXPECT_EQ(changes[1].after, "ultimate-performance");
  const Change* pagefile = find_change(planned.plan, "pagefile:PagingFiles");
  ASSERT_NE(pagefile, nullptr);
  EXPECT_EQ(pagefile->after, "C:\\pagefile.sys 16384 16384");
  EXPECT_TRUE(pagefile->needs_reboot);
  const Change* right = find_change(planned.plan, "account_right:Administrators/SeLockMemoryPrivilege");
  ASSERT_NE(right, nullptr);
  EXPECT_EQ(right->action, Action::Create);
  ASSERT_NE(find_change(planned.plan, "service_start:WSearch"), nullptr);
  ASSERT_NE(find_change(planned.plan, "registry:tcp_timed_wait_delay"), nullptr);
  ASSERT_NE(find_change(planned.plan, "registry:network_throttling_index"), nullptr);
  EXPECT_TRUE(planned.plan.skipped.size() == 0 || skips_of(planned.plan).find("no backend") == std::string::npos)
      << skips_of(planned.plan);
}

TEST_F(EveryWindowsSetting, ApplyThenRollbackLeavesTheRecordedHostAsItWas) {
  for (const std::string fixture : {"workstation-nvidia", "laptop-igpu"}) {
    SCOPED_TRACE(fixture);
    Planned planned = plan_on(fixture, "every-windows-setting", profiles.root());
    auto& api = planned.host->door->api();
    const auto before = api.state();
    Engine engine(*planned.host->door, platform_for("windows").knobs, "/var/lib/tune");
    auto applied = engine.apply(planned.plan, planned.identity);
    ASSERT_TRUE(applied) << applied.error().message;
    ASSERT_FALSE(applied->failed) << applied->failure;
    EXPECT_EQ(api.state().schemes.size(), before.schemes.size() + 1);  // the Ultimate copy
    auto rolled = engine.rollback(std::nullopt);
    ASSERT_TRUE(rolled) << rolled.error().message;
    EXPECT_TRUE(rolled->errors.empty()) << join(rolled->errors, "\n");
    EXPECT_EQ(api.state(), before);
  }
}

TEST_F(EveryWindowsSetting, AFailedStepPutsBackTheStepsBeforeIt) {
  Planned planned = plan_on("workstation-nvidia", "every-windows-setting", profiles.root());
  auto& api = planned.host->door->api();
  const auto before = api.state();
  api.fail_calls("add_account_right");
  Engine engine(*planned.host->door, platform_for("windows").knobs, "/var/lib/tune");
  auto applied = engine.apply(planned.plan, planned.identity);
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_TRUE(applied->failed);
  EXPECT_NE(applied->failure.find("Access is denied"), std::string::npos) << applied->failure;
  EXPECT_TRUE(applied->undo_errors.empty());
  EXPECT_EQ(api.state(), before);
}

TEST_F(EveryWindowsSetting, ADryRunChangesNothingInTheRecordedHost) {
  Planned planned = plan_on("workstation-nvidia", "every-windows-setting", profiles.root());
  auto& api = planned.host->door->api();
  const auto before = api.state();
  const size_t writes_before = api.writes().size();
  DryRunSystem dry(*planned.host->door);
  ASSERT_NE(dry.windows(), nullptr);
  Engine engine(dry, platform_for("windows").knobs, "/var/lib/tune");
  auto applied = engine.apply(planned.plan, planned.identity);
  ASSERT_TRUE(applied) << applied.error().message;
  ASSERT_FALSE(applied->failed) << applied->failure;
  EXPECT_EQ(api.state(), before);
  EXPECT_EQ(api.writes().size(), writes_before);
  size_t recorded = 0;
  for (const auto& action : dry.actions()) recorded += action.verb == "windows";
  EXPECT_GE(recorded, planned.plan.pending());
  // The dry run reads its own writes back: the scheme it switched to is active there.
  auto active = dry.windows()->active_power_scheme();
  ASSERT_TRUE(active);
  EXPECT_NE(*active, before.active_scheme);
}

}  // namespace
}  // namespace tune
