// Every shipped profile passes validation and plans cleanly against several
// host shapes: no error, and every setting it asks for appears in the plan
// as a change or as a skip with a reason.
#include "core/planner.h"
#include "core/profile_store.h"
#include "core/fixture_hosts.h"
#include "util/text.h"
#include "platform/linux/linux_platform.h"
#include "platform/platforms.h"
#include "platform/linux/sysctl_planner.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace tune {
namespace {

std::vector<std::string> shipped_profiles() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(testing::source_dir() + "/profiles")) {
    if (entry.path().extension() == ".yaml") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

ProfileStore shipped_store() { return ProfileStore({testing::source_dir() + "/profiles"}); }

TEST(ShippedProfiles, AtLeastTwelveAllValidWithoutWarnings) {
  auto names = shipped_profiles();
  EXPECT_GE(names.size(), 12u);
  for (const auto& name : names) {
    auto profile = shipped_store().resolve(name);
    ASSERT_TRUE(profile) << profile.error().message;
    EXPECT_EQ(profile->name, name);
    EXPECT_FALSE(profile->summary.empty()) << name;
    EXPECT_TRUE(profile->warnings.empty()) << name << ": " << profile->warnings.front();
  }
}

TEST(ShippedProfiles, EverySettingHasACommentSayingWhy) {
  for (const auto& name : shipped_profiles()) {
    auto profile = shipped_store().load(name);
    ASSERT_TRUE(profile) << profile.error().message;
    auto lines = split_lines(profile->text);
    for (const auto& setting : profile->settings) {
      // The comment sits in the same paragraph above the key: directly, or
      // above the group of related keys (or the device class) it belongs to.
      bool commented = false;
      for (int line = setting.origin.line - 2; line >= 0 && line >= setting.origin.line - 14; --line) {
        std::string text = trim(lines[static_cast<size_t>(line)]);
        if (text.empty()) break;
        if (starts_with(text, "#")) {
          commented = true;
          break;
        }
      }
      EXPECT_TRUE(commented) << setting.origin.str() << ": " << setting.address() << " has no comment saying why";
    }
  }
}

TEST(ShippedProfiles, PlanCleanlyOnEveryFixtureHost) {
  auto hosts = testing::fixture_hosts();
  ASSERT_GE(hosts.size(), 3u);
  Platform platform = linux_platform::make_platform();
  for (const auto& name : shipped_profiles()) {
    auto profile = shipped_store().resolve(name);
    ASSERT_TRUE(profile) << profile.error().message;
    for (const auto& host : hosts) {
      SCOPED_TRACE(name + " on the " + host.name);
      LocalSystem system(host.tree->root());
      auto plan = make_plan({*profile, host.facts, system}, platform, "test");
      ASSERT_TRUE(plan) << plan.error().message;
      for (const auto& setting : profile->settings) {
        // A change names its setting by target, or by the setting's origin where one setting
        // reaches several devices or two make one swap area.
        bool changed = std::any_of(plan->changes.begin(), plan->changes.end(), [&](const Change& change) {
          return change.domain == setting.domain &&
                 (change.target == setting.target() || change.reason.find(setting.origin.str()) != std::string::npos);
        });
        bool skipped = std::any_of(plan->skipped.begin(), plan->skipped.end(), [&](const Skip& skip) {
          return skip.domain == setting.domain && skip.target == setting.target() && !skip.reason.empty();
        });
        EXPECT_TRUE(changed || skipped) << setting.address() << " is neither a change nor a skip";
        EXPECT_FALSE(changed && skipped) << setting.address() << " is both a change and a skip";
      }
      // Nothing appears that the profile did not ask for, besides the files that persist the values: a
      // change names the setting it comes from (one setting may reach several devices).
      for (const auto& change : plan->changes) {
        if (change.domain == "file") continue;
        bool requested = std::any_of(profile->settings.begin(), profile->settings.end(), [&](const Setting& setting) {
          return setting.domain == change.domain && change.reason.find(setting.origin.str()) != std::string::npos;
        });
        EXPECT_TRUE(requested) << change.address();
      }
    }
  }
}

TEST(ShippedProfiles, DomainsWithoutABackendAreSkippedWithTheWantedValue) {
  // A platform with only the sysctl backend, as a new platform starts out.
  auto hosts = testing::fixture_hosts();
  auto profile = shipped_store().resolve("throughput");
  ASSERT_TRUE(profile);
  Platform only_sysctl;
  only_sysctl.planners.push_back(std::make_unique<linux_platform::SysctlPlanner>());
  LocalSystem system(hosts[0].tree->root());
  auto plan = make_plan({*profile, hosts[0].facts, system}, only_sysctl, "test");
  ASSERT_TRUE(plan);
  auto governor = std::find_if(plan->skipped.begin(), plan->skipped.end(),
                               [](const Skip& skip) { return skip.domain == "cpu" && skip.target == "governor"; });
  ASSERT_NE(governor, plan->skipped.end());
  EXPECT_EQ(governor->wanted, "performance");
  EXPECT_EQ(governor->reason, "no backend for the cpu domain yet");
  EXPECT_NE(governor->origin.find("throughput ("), std::string::npos);
}

TEST(ShippedProfiles, LinuxDomainsPlanOnEveryLinuxFixtureWithoutANoBackendSkip) {
  auto hosts = testing::fixture_hosts();
  Platform platform = linux_platform::make_platform();
  for (const char* name : {"llm-inference-cpu", "throughput", "latency", "vector-database", "laptop-battery"}) {
    auto profile = shipped_store().resolve(name);
    ASSERT_TRUE(profile) << profile.error().message;
    for (size_t i = 0; i + 1 < hosts.size(); ++i) {  // the Linux ones
      LocalSystem system(hosts[i].tree->root());
      auto plan = make_plan({*profile, hosts[i].facts, system}, platform, "test");
      ASSERT_TRUE(plan) << plan.error().message;
      for (const auto& skip : plan->skipped) {
        for (const char* domain : {"cpu", "block", "memory", "swap", "limits", "services", "environment", "boot"}) {
          if (skip.domain != domain) continue;
          EXPECT_EQ(skip.reason.find("no backend"), std::string::npos)
              << name << " on the " << hosts[i].name << ": " << skip.target << ": " << skip.reason;
        }
      }
    }
  }
}

TEST(ShippedProfiles, CpuSettingsApplyWhereCpufreqIsAndSaySoWhereItIsNot) {
  auto hosts = testing::fixture_hosts();
  Platform platform = linux_platform::make_platform();
  auto profile = shipped_store().resolve("throughput");
  ASSERT_TRUE(profile);
  LocalSystem server(hosts[0].tree->root());
  auto on_server = make_plan({*profile, hosts[0].facts, server}, platform, "test");
  ASSERT_TRUE(on_server);
  auto governor = std::find_if(on_server->changes.begin(), on_server->changes.end(),
                               [](const Change& c) { return c.domain == "cpu" && c.target == "governor"; });
  ASSERT_NE(governor, on_server->changes.end());
  EXPECT_EQ(*governor->before, "powersave");
  EXPECT_EQ(*governor->after, "performance");
  LocalSystem guest(hosts[1].tree->root());
  auto on_guest = make_plan({*profile, hosts[1].facts, guest}, platform, "test");
  ASSERT_TRUE(on_guest);
  auto skipped_governor = std::find_if(on_guest->skipped.begin(), on_guest->skipped.end(),
                                       [](const Skip& skip) { return skip.domain == "cpu" && skip.target == "governor"; });
  ASSERT_NE(skipped_governor, on_guest->skipped.end());
  EXPECT_EQ(skipped_governor->wanted, "performance");
  EXPECT_EQ(skipped_governor->reason, "not available here: no cpufreq driver");
}

TEST(ShippedProfiles, MacSkipsLinuxSettingsAndKeepsItsOwn) {
  auto hosts = testing::fixture_hosts();
  const auto& mac = hosts.back();
  auto profile = shipped_store().resolve("workstation-macos");
  ASSERT_TRUE(profile);
  LocalSystem system(mac.tree->root());
  // Planned by the platform of the facts' OS, as `tune plan` does: the macOS
  // backend takes its own settings. A tree runs no programs, so what it would
  // read with sysctl or pmset is unknown here (tests/platform/macos plans them
  // on fixture Macs that answer).
  auto plan = make_plan({*profile, mac.facts, system}, platform_for("macos"), "test");
  ASSERT_TRUE(plan) << plan.error().message;
  bool power_seen = false;
  for (const auto& skip : plan->skipped) {
    EXPECT_EQ(skip.reason.find("only the Linux backend"), std::string::npos) << skip.reason;
    EXPECT_EQ(skip.reason.find("no backend"), std::string::npos) << skip.reason;
    if (skip.target == "vm.swappiness") {
      EXPECT_EQ(skip.reason, "a linux setting; this host runs macos");
    }
    if (skip.domain == "power") {
      power_seen = true;
      EXPECT_EQ(skip.reason.rfind("unsupported here: cannot be read (pmset -g custom: cannot run", 0), 0u) << skip.reason;
    }
  }
  EXPECT_TRUE(power_seen);
}

}  // namespace
}  // namespace tune

namespace tune {
namespace {

const Skip* skipped(const Plan& plan, const std::string& domain, const std::string& target) {
  for (const auto& skip : plan.skipped) {
    if (skip.domain == domain && skip.target == target) return &skip;
  }
  return nullptr;
}

TEST(ShippedProfiles, ConditionsAreDecidedOnEachHost) {
  auto hosts = testing::fixture_hosts();
  Platform platform = linux_platform::make_platform();
  auto inference = shipped_store().resolve("llm-inference-cpu");
  ASSERT_TRUE(inference);
  LocalSystem server(hosts[0].tree->root());
  auto on_server = make_plan({*inference, hosts[0].facts, server}, platform, "test");
  ASSERT_TRUE(on_server) << on_server.error().message;
  // Two NUMA nodes: NUMA balancing goes off, and the unit interleaves its memory.
  auto numa = std::find_if(on_server->changes.begin(), on_server->changes.end(),
                           [](const Change& c) { return c.target == "kernel.numa_balancing"; });
  ASSERT_NE(numa, on_server->changes.end());
  EXPECT_EQ(*numa->after, "0");
  EXPECT_EQ(skipped(*on_server, "services", "ollama.service/NUMAPolicy")->reason,
            "not available here: no unit ollama.service on this host (install it, or give the profile `template:` to "
            "install one)");
  EXPECT_EQ(skipped(*on_server, "environment", "ollama.service/OMP_NUM_THREADS")->wanted, "32");  // ${facts.cpu.cores}
  LocalSystem guest(hosts[1].tree->root());
  auto on_guest = make_plan({*inference, hosts[1].facts, guest}, platform, "test");
  ASSERT_TRUE(on_guest);
  EXPECT_EQ(skipped(*on_guest, "sysctl", "kernel.numa_balancing")->reason,
            "when numa.nodes >=2 does not hold here (numa.nodes = unknown)");

  auto battery = shipped_store().resolve("laptop-battery");
  ASSERT_TRUE(battery);
  LocalSystem laptop(hosts[2].tree->root());
  auto on_laptop = make_plan({*battery, hosts[2].facts, laptop}, platform, "test");
  ASSERT_TRUE(on_laptop);
  // On battery, boost goes off: acpi-cpufreq's boost file, true -> false.
  auto boost = std::find_if(on_laptop->changes.begin(), on_laptop->changes.end(),
                            [](const Change& c) { return c.domain == "cpu" && c.target == "boost"; });
  ASSERT_NE(boost, on_laptop->changes.end());
  EXPECT_EQ(*boost->before, "true");
  EXPECT_EQ(*boost->after, "false");
  // acpi-cpufreq offers schedutil, which it already runs; it has no EPP.
  auto governor = std::find_if(on_laptop->changes.begin(), on_laptop->changes.end(),
                               [](const Change& c) { return c.domain == "cpu" && c.target == "governor"; });
  ASSERT_NE(governor, on_laptop->changes.end());
  EXPECT_EQ(governor->action, Action::None);
  EXPECT_EQ(skipped(*on_laptop, "cpu", "energy_performance_preference")->reason,
            "not available here: acpi-cpufreq has no energy_performance_preference");
  auto on_ac = make_plan({*battery, hosts[0].facts, server}, platform, "test");
  ASSERT_TRUE(on_ac);
  EXPECT_EQ(skipped(*on_ac, "cpu", "boost")->reason, "when power.on_battery true does not hold here (power.on_battery = unknown)");
}

}  // namespace
}  // namespace tune
