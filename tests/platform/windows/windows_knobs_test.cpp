#include "platform/windows/account_right_knob.h"
#include "platform/windows/pagefile_knob.h"
#include "platform/windows/power_knob.h"
#include "platform/windows/registry_knob.h"
#include "platform/windows/service_start_knob.h"
#include "platform/windows/windows_fixture.h"
#include "platform/windows/windows_settings.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

namespace tune::windows_platform {
namespace {

const char* const kBalanced = "381b4222-f694-41f0-9685-ff5bb260df2e";
const char* const kMinState = "893dee8e-2bef-41e0-89c6-b55d0929964c";
const char* const kProcessor = "54533251-82be-4824-96c1-47b60b740d00";

Change change_of(const std::string& domain, const std::string& target, std::optional<std::string> after) {
  Change change;
  change.domain = domain;
  change.target = target;
  change.action = Action::Modify;
  change.after = std::move(after);
  return change;
}

TEST(RegistryKnob, ObservesAppliesAndRestoresADword) {
  testing::WindowsHost host("workstation-nvidia");
  RegistryKnob knob;
  auto seen = knob.observe(*host.door, "system_responsiveness_pct");
  ASSERT_TRUE(seen) << seen.error().message;
  EXPECT_EQ(seen->value, "20");
  ASSERT_TRUE(knob.apply(*host.door, change_of("registry", "system_responsiveness_pct", "10")));
  auto written = host.door->api().read_registry(
      "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Multimedia\\SystemProfile", "SystemResponsiveness");
  ASSERT_TRUE(written && *written);
  EXPECT_EQ(**written, (RegistryValue{RegistryValue::Type::Dword, "10"}));
  ASSERT_TRUE(knob.restore(*host.door, "system_responsiveness_pct", seen->prior));
  EXPECT_EQ(knob.observe(*host.door, "system_responsiveness_pct")->value, "20");
}

TEST(RegistryKnob, AnAbsentValueIsDeletedAgainOnRestore) {
  testing::WindowsHost host("workstation-nvidia");
  RegistryKnob knob;
  auto seen = knob.observe(*host.door, "tcp_timed_wait_delay");
  ASSERT_TRUE(seen);
  EXPECT_FALSE(seen->value.has_value());
  EXPECT_EQ(seen->prior.kind, PriorState::Kind::Absent);
  const auto before = host.door->api().state();
  ASSERT_TRUE(knob.apply(*host.door, change_of("registry", "tcp_timed_wait_delay", "30")));
  EXPECT_EQ(knob.observe(*host.door, "tcp_timed_wait_delay")->value, "30");
  ASSERT_TRUE(knob.restore(*host.door, "tcp_timed_wait_delay", seen->prior));
  EXPECT_EQ(host.door->api().state(), before);
}

TEST(RegistryKnob, RefusesKeysOutsideItsTableAndValuesThatAreNotDwords) {
  testing::WindowsHost host("workstation-nvidia");
  RegistryKnob knob;
  EXPECT_FALSE(knob.observe(*host.door, "HKLM\\SOFTWARE\\Evil"));
  EXPECT_FALSE(knob.apply(*host.door, change_of("registry", "tcp_timed_wait_delay", "-1")));
  EXPECT_FALSE(knob.apply(*host.door, change_of("registry", "tcp_timed_wait_delay", "4294967296")));
  host.door->api().fail_calls("write_registry");
  auto denied = knob.apply(*host.door, change_of("registry", "tcp_timed_wait_delay", "30"));
  ASSERT_FALSE(denied);
  EXPECT_NE(denied.error().message.find("Access is denied"), std::string::npos);
}

TEST(RegistryKnob, NeedsAWindowsDoor) {
  testing::TempTree tree;
  LocalSystem linux_door(tree.root());
  auto seen = RegistryKnob().observe(linux_door, "system_responsiveness_pct");
  ASSERT_FALSE(seen);
  EXPECT_NE(seen.error().message.find("not a Windows host"), std::string::npos);
}

TEST(WindowsPowerKnob, ValuesGoToTheActiveSchemeInTheirUnits) {
  testing::WindowsHost host("workstation-nvidia");
  WindowsPowerKnob knob;
  EXPECT_EQ(knob.observe(*host.door, "standby_timeout_ac_min")->value, "30");  // 1800 s
  EXPECT_EQ(knob.observe(*host.door, "processor_min_state_pct")->value, "5");
  ASSERT_TRUE(knob.apply(*host.door, change_of("power", "standby_timeout_ac_min", "0")));
  ASSERT_TRUE(knob.apply(*host.door, change_of("power", "processor_min_state_pct", "100")));
  auto& api = host.door->api();
  EXPECT_EQ(*api.read_power_value(kBalanced, kProcessor, kMinState, PowerSource::Ac), 100u);
  // DC is left alone: these are the AC keys.
  EXPECT_EQ(*api.read_power_value(kBalanced, kProcessor, kMinState, PowerSource::Dc), 5u);
  // Written values take effect by setting the scheme active again.
  EXPECT_EQ(api.writes().back(), std::string("set_active_power_scheme ") + kBalanced);
  ASSERT_TRUE(knob.restore(*host.door, "standby_timeout_ac_min", PriorState::of_value("90s")));
  EXPECT_EQ(knob.observe(*host.door, "standby_timeout_ac_min")->value, "90s");
  EXPECT_FALSE(knob.apply(*host.door, change_of("power", "standby_timeout_ac_min", "soon")));
  EXPECT_FALSE(knob.observe(*host.door, "hibernatemode"));
}

TEST(WindowsPowerKnob, ASettingTheSchemeLacksIsUnsupported) {
  testing::WindowsHost host("laptop-igpu");  // its powercfg /q shows no CPMINCORES
  auto seen = WindowsPowerKnob().observe(*host.door, "core_parking_min_cores_pct");
  ASSERT_TRUE(seen) << seen.error().message;
  EXPECT_FALSE(seen->supported);
}

TEST(WindowsPowerKnob, SchemesByNameAndTheUltimateCopy) {
  testing::WindowsHost host("workstation-nvidia");
  WindowsPowerKnob knob;
  auto& api = host.door->api();
  const auto before = api.state();
  auto scheme = knob.observe(*host.door, kSchemeTarget);
  ASSERT_TRUE(scheme);
  EXPECT_EQ(scheme->value, "balanced");
  auto copy = knob.observe(*host.door, kUltimateCopyTarget);
  ASSERT_TRUE(copy);
  EXPECT_FALSE(copy->value.has_value());
  EXPECT_FALSE(knob.apply(*host.door, change_of("power", kSchemeTarget, "ultimate-performance")));  // no copy yet

  ASSERT_TRUE(knob.apply(*host.door, change_of("power", kUltimateCopyTarget, "present")));
  ASSERT_TRUE(knob.apply(*host.door, change_of("power", kSchemeTarget, "ultimate-performance")));
  EXPECT_EQ(knob.observe(*host.door, kSchemeTarget)->value, "ultimate-performance");
  EXPECT_EQ(knob.observe(*host.door, kUltimateCopyTarget)->value, "present");
  EXPECT_NE(*api.active_power_scheme(), kUltimatePerformanceGuid);  // a copy, not the hidden original
  // Its values came with the copy: Ultimate Performance never sleeps.
  EXPECT_EQ(knob.observe(*host.door, "standby_timeout_ac_min")->value, "0");

  // Rollback's order: the scheme first, then the copy.
  ASSERT_TRUE(knob.restore(*host.door, kSchemeTarget, scheme->prior));
  ASSERT_TRUE(knob.restore(*host.door, kUltimateCopyTarget, copy->prior));
  EXPECT_EQ(api.state(), before);
}

TEST(WindowsPowerKnob, SchemeTextsResolveToGuids) {
  std::vector<PowerScheme> schemes = {{"381b4222-f694-41f0-9685-ff5bb260df2e", "Balanced"},
                                      {"11111111-2222-3333-4444-555555555555", "Mine"}};
  EXPECT_EQ(scheme_text("11111111-2222-3333-4444-555555555555", schemes), "11111111-2222-3333-4444-555555555555");
  EXPECT_EQ(*scheme_guid("11111111-2222-3333-4444-555555555555", schemes), "11111111-2222-3333-4444-555555555555");
  EXPECT_EQ(*scheme_guid("balanced", schemes), "381b4222-f694-41f0-9685-ff5bb260df2e");
  EXPECT_FALSE(scheme_guid("high-performance", schemes));  // not on this host
  EXPECT_FALSE(scheme_guid("turbo", schemes));
}

TEST(ServiceStartKnob, DisablesAndPutsBackADelayedStart) {
  testing::WindowsHost host("workstation-nvidia");
  ServiceStartKnob knob;
  const auto before = host.door->api().state();
  auto seen = knob.observe(*host.door, "WSearch");
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->value, "delayed-auto");
  ASSERT_TRUE(knob.apply(*host.door, change_of("service_start", "WSearch", "disabled")));
  EXPECT_EQ(knob.observe(*host.door, "WSearch")->value, "disabled");
  ASSERT_TRUE(knob.restore(*host.door, "WSearch", seen->prior));
  EXPECT_EQ(host.door->api().state(), before);
}

TEST(ServiceStartKnob, AnAbsentServiceIsUnsupportedAndBadNamesAreRefused) {
  testing::WindowsHost host("laptop-igpu");
  ServiceStartKnob knob;
  auto seen = knob.observe(*host.door, "WSearch");
  ASSERT_TRUE(seen);
  EXPECT_FALSE(seen->supported);
  EXPECT_FALSE(knob.observe(*host.door, "..\\Evil"));
  EXPECT_FALSE(knob.apply(*host.door, change_of("service_start", "SysMain", "sometimes")));
}

TEST(PagefileKnob, RestoresTheListExactlyAndSaysARebootIsPending) {
  testing::WindowsHost host("laptop-igpu");
  PagefileKnob knob;
  const auto before = host.door->api().state();
  auto seen = knob.observe(*host.door, kPagingFilesTarget);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->value, "C:\\pagefile.sys 4096 8192");
  EXPECT_TRUE(seen->pending.empty());
  ASSERT_TRUE(knob.apply(*host.door, change_of("pagefile", kPagingFilesTarget, "D:\\pagefile.sys 16384 16384")));
  auto moved = knob.observe(*host.door, kPagingFilesTarget);
  EXPECT_EQ(moved->value, "D:\\pagefile.sys 16384 16384");
  EXPECT_NE(moved->pending.find("c:\\pagefile.sys"), std::string::npos) << moved->pending;
  ASSERT_TRUE(knob.restore(*host.door, kPagingFilesTarget, seen->prior));
  EXPECT_EQ(host.door->api().state(), before);
  EXPECT_EQ(pagefile_list_for(0, "C:"), "?:\\pagefile.sys");
  EXPECT_FALSE(knob.observe(*host.door, "ExistingPageFiles"));
}

TEST(AccountRightKnob, GrantsOnlyLockPagesAndRemovesOnlyWhatItAdded) {
  testing::WindowsHost host("workstation-nvidia");
  AccountRightKnob knob;
  const std::string target = account_right_target("Administrators", kLockMemoryRight);
  const auto before = host.door->api().state();
  auto seen = knob.observe(*host.door, target);
  ASSERT_TRUE(seen);
  EXPECT_FALSE(seen->value.has_value());
  ASSERT_TRUE(knob.apply(*host.door, change_of("account_right", target, "granted")));
  EXPECT_EQ(knob.observe(*host.door, target)->value, "granted");
  ASSERT_TRUE(knob.restore(*host.door, target, seen->prior));
  // The account's other rights stay.
  EXPECT_EQ(host.door->api().state(), before);
  EXPECT_FALSE(knob.observe(*host.door, "Administrators/SeDebugPrivilege"));
  EXPECT_FALSE(knob.apply(*host.door, change_of("account_right", target, "yes")));
}

}  // namespace
}  // namespace tune::windows_platform
