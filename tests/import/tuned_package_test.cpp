// Issue 14's check on Debian's TuneD package: every option of every shipped
// profile becomes a tune setting or a refusal with its reason, and the
// profiles people pick for latency, real time and partitioned CPUs plan on
// the fixture hosts with the values TuneD itself would write.
#include "import/tuned_import.h"
#include "import/tuned_report.h"

#include "core/fixture_hosts.h"
#include "core/planner.h"
#include "core/profile_variables.h"
#include "platform/linux/linux_platform.h"
#include "support/corpora.h"
#include "util/local_system.h"
#include "util/text.h"

#include <gtest/gtest.h>

#include <fnmatch.h>

#include <cstdio>
#include <fstream>
#include <set>

namespace tune::import {
namespace {

std::vector<std::string> shipped() { return tuned_profiles_in(testing::tuned_profiles_dir()); }

// The variables Debian's profiles use that TuneD gives no value unless the
// user does: cpu-partitioning's no_balance_cores, realtime's netdev_queue_count.
const std::set<std::string> kWithoutDefault = {"no_balance_cores", "netdev_queue_count"};

TEST(TunedPackageCoverage, EveryOptionIsConvertedOrRefusedWithAReason) {
  auto names = shipped();
  if (names.empty()) GTEST_SKIP() << "TuneD's profiles are not here: scripts/install-deps.sh unpacks them into .deps/tuned";
  for (const auto& name : names) {
    auto converted = convert_tuned_with_coverage(name, "", {testing::tuned_profiles_dir()});
    ASSERT_TRUE(converted) << name << ": " << converted.error().message;
    const std::string yaml = converted->writer.yaml();
    for (const char* phrase : {"has no equivalent", "cannot evaluate", "no value here"}) {
      EXPECT_EQ(yaml.find(phrase), std::string::npos) << name << " says '" << phrase << "':\n" << yaml;
    }
    EXPECT_EQ(converted->coverage.unconverted, 0) << name << ":\n  " << join(converted->coverage.not_converted, "\n  ");
    for (const auto& refusal : converted->coverage.refusals) {
      EXPECT_GT(refusal.size(), refusal.find(": ") + 20) << name << ": a refusal needs its reason: " << refusal;
    }
    for (const auto& variable : converted->coverage.without_default) {
      EXPECT_TRUE(kWithoutDefault.count(variable)) << name << ": " << variable << " has no value";
      EXPECT_NE(yaml.find("TuneD has no value for " + variable), std::string::npos) << name << ": not listed";
    }
  }
}

TEST(TunedPackageCoverage, PrintsTheTotals) {
  auto names = shipped();
  if (names.empty()) GTEST_SKIP() << "TuneD's profiles are not here";
  std::vector<TunedCoverage> coverages;
  for (const auto& name : names) {
    auto converted = convert_tuned_with_coverage(name, "", {testing::tuned_profiles_dir()});
    ASSERT_TRUE(converted) << name;
    coverages.push_back(converted->coverage);
  }
  TunedCoverage total = total_coverage(coverages);
  std::printf("TuneD coverage over %zu Debian profiles: %d options, %d converted, %d refused, %d not converted; "
              "variables without a default: %s\n",
              coverages.size(), total.total(), total.converted, total.refused, total.unconverted,
              join(total.without_default, ", ").c_str());
  EXPECT_GT(total.converted, total.refused);
  auto json = coverage_json(coverages);
  EXPECT_EQ(json["total"]["converted"], total.converted);
  EXPECT_EQ(json["profiles"].size(), coverages.size());
}

// ---- plans on the fixture hosts ------------------------------------------

// A cpulist's CPUs; {-1} for text that is none (a missing change).
std::set<int> unpack(const std::string& list) {
  std::set<int> cpus;
  if (list.empty() || list.find_first_not_of("0123456789,- ") != std::string::npos) return {-1};
  for (const auto& part : split(list, ',')) {
    std::string item = trim(part);
    if (item.empty()) continue;
    auto dash = item.find('-');
    int first = std::stoi(item.substr(0, dash));
    int last = dash == std::string::npos ? first : std::stoi(item.substr(dash + 1));
    for (int cpu = first; cpu <= last; ++cpu) cpus.insert(cpu);
  }
  return cpus;
}

std::set<int> unhex(std::string mask) {
  mask.erase(std::remove(mask.begin(), mask.end(), ','), mask.end());
  if (mask.empty() || mask.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) return {-1};
  std::set<int> cpus;
  int bit = 0;
  for (auto it = mask.rbegin(); it != mask.rend(); ++it, bit += 4) {
    int digit = std::stoi(std::string(1, *it), nullptr, 16);
    for (int i = 0; i < 4; ++i) {
      if (digit & (1 << i)) cpus.insert(bit + i);
    }
  }
  return cpus;
}

// The CPUs the host has online, as the plan-time functions read them (the
// fact cpu.online, else the tree's /sys/devices/system/cpu/online, else
// every logical CPU).
std::set<int> online_cpus(const testing::FixtureHost& host) {
  if (!host.facts.cpu.online.empty()) return unpack(host.facts.cpu.online);
  std::ifstream online(host.tree->real("/sys/devices/system/cpu/online"));
  std::string text;
  if (online && std::getline(online, text)) return unpack(text);
  return unpack("0-" + std::to_string(host.facts.cpu.logical.value_or(1) - 1));
}

struct Planned {
  Profile profile;
  Plan plan;
};

const Change* change_at(const Plan& plan, const std::string& domain, const std::string& target) {
  for (const auto& c : plan.changes) {
    if (c.domain == domain && c.target == target) return &c;
  }
  return nullptr;
}

// A setting shows in the plan as a change or a skip of its domain whose
// target names it (block devices and sysfs globs expand into several).
bool visible(const Plan& plan, const Setting& setting) {
  auto names = [&](const std::string& domain, const std::string& target) {
    if (domain != setting.domain) return false;
    return target == setting.target() || target == setting.key || ends_with(target, "/" + setting.key) ||
           ends_with(target, "." + setting.key) || target.find(setting.key) != std::string::npos ||
           fnmatch(setting.key.c_str(), target.c_str(), 0) == 0;
  };
  for (const auto& c : plan.changes) {
    if (names(c.domain, c.target)) return true;
  }
  for (const auto& s : plan.skipped) {
    if (names(s.domain, s.target) && !s.reason.empty()) return true;
  }
  return false;
}

const std::vector<std::string> kPlanned = {"cpu-partitioning",       "network-latency",   "realtime",
                                           "throughput-performance", "latency-performance", "virtual-host"};

class TunedPackagePlans : public ::testing::TestWithParam<std::string> {};

TEST_P(TunedPackagePlans, EveryOptionIsAChangeOrASkipOnEveryLinuxFixtureHost) {
  if (shipped().empty()) GTEST_SKIP() << "TuneD's profiles are not here";
  TunedVariableSources sources;
  sources.overrides = {{"isolated_cores", "2-3"}};
  auto converted = convert_tuned_with_coverage(GetParam(), "", {testing::tuned_profiles_dir()}, sources);
  ASSERT_TRUE(converted) << converted.error().message;
  auto profile = parse_profile(converted->writer.yaml(), GetParam() + ".yaml");
  ASSERT_TRUE(profile) << profile.error().message << "\n" << converted->writer.yaml();
  auto substituted = substitute_variables(*profile);  // what resolution does
  ASSERT_TRUE(substituted) << substituted.error().message;
  auto hosts = testing::fixture_hosts();
  for (size_t i = 0; i + 1 < hosts.size(); ++i) {  // the Linux ones
    LocalSystem system(hosts[i].tree->root());
    auto plan = make_plan({*profile, hosts[i].facts, system}, linux_platform::make_platform(), "test");
    ASSERT_TRUE(plan) << GetParam() << " on the " << hosts[i].name << ": " << plan.error().message;
    for (const auto& setting : profile->settings) {
      EXPECT_TRUE(visible(*plan, setting)) << GetParam() << " on the " << hosts[i].name << ": " << setting.address()
                                           << " is neither a change nor a skip";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Debian, TunedPackagePlans, ::testing::ValuesIn(kPlanned),
                         [](const auto& param_info) {
                           std::string name = param_info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

// The values TuneD would write, compared on the two-socket server fixture.
TEST(TunedPackageValues, ConvertedValuesAreTuneDsOnTheServer) {
  if (shipped().empty()) GTEST_SKIP() << "TuneD's profiles are not here";
  auto hosts = testing::fixture_hosts();
  auto& server = hosts.front();
  server.facts.cpu.online = "0-63";  // the 64 logical CPUs the fixture's facts say it has
  // The files TuneD's cpu-partitioning writes, and a boot loader.
  server.tree->write("/sys/devices/virtual/workqueue/cpumask", "ffffffff,ffffffff\n");
  server.tree->write("/sys/bus/workqueue/devices/writeback/cpumask", "ffffffff,ffffffff\n");
  server.tree->write("/proc/irq/default_smp_affinity", "ffffffff,ffffffff\n");
  server.tree->write("/etc/default/grub", "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\nGRUB_CMDLINE_LINUX=\"\"\n");
  LocalSystem system(server.tree->root());
  Profile last;  // the converted profile, variables substituted
  auto plan_of = [&](const std::string& name) -> std::optional<Plan> {
    TunedVariableSources sources;
    sources.overrides = {{"isolated_cores", "2-3"}};
    auto converted = convert_tuned_with_coverage(name, "", {testing::tuned_profiles_dir()}, sources);
    if (!converted) return std::nullopt;
    auto profile = parse_profile(converted->writer.yaml(), name + ".yaml");
    EXPECT_TRUE(profile) << name << ": " << profile.error().message;
    if (!profile) return std::nullopt;
    auto substituted = substitute_variables(*profile);
    EXPECT_TRUE(substituted) << name << ": " << substituted.error().message;
    last = *profile;
    auto plan = make_plan({*profile, server.facts, system}, linux_platform::make_platform(), "test");
    EXPECT_TRUE(plan) << name << ": " << plan.error().message;
    if (!plan) return std::nullopt;
    return *plan;
  };
  auto after = [](const Plan& plan, const std::string& domain, const std::string& target) {
    const Change* c = change_at(plan, domain, target);
    return c && c->after ? *c->after : std::string("(no change)");
  };

  auto latency = plan_of("latency-performance");
  ASSERT_TRUE(latency);
  EXPECT_EQ(after(*latency, "sysctl", "vm.dirty_ratio"), "10");
  EXPECT_EQ(after(*latency, "sysctl", "vm.dirty_background_ratio"), "3");

  auto host_profile = plan_of("virtual-host");
  ASSERT_TRUE(host_profile);
  EXPECT_EQ(after(*host_profile, "sysctl", "vm.dirty_background_ratio"), "5");
  EXPECT_EQ(after(*host_profile, "sysctl", "vm.dirty_ratio"), "40");

  auto network = plan_of("network-latency");
  ASSERT_TRUE(network);
  EXPECT_EQ(after(*network, "sysctl", "net.core.busy_read"), "50");

  // cpu-partitioning with CPUs 2-3 isolated: everything else keeps the IRQs,
  // the workqueues and the services.
  auto partitioned = plan_of("cpu-partitioning");
  ASSERT_TRUE(partitioned);
  std::string listing;
  for (const auto& c : partitioned->changes) listing += c.domain + " " + c.target + " = " + c.after.value_or("") + "\n";
  for (const auto& s : partitioned->skipped) listing += "skip " + s.domain + " " + s.target + ": " + s.reason + "\n";
  SCOPED_TRACE("cpu-partitioning's plan:\n" + listing);
  std::set<int> housekeeping = online_cpus(server);
  housekeeping.erase(2);
  housekeeping.erase(3);
  auto wanted = [&](const std::string& address) {
    for (const auto& setting : last.settings) {
      if (setting.address() == address) return setting.want.describe();
    }
    return std::string("(absent)");
  };
  EXPECT_EQ(wanted("irq:banned_cpus"), "2-3");  // the fixture has no irqbalance to plan it on
  EXPECT_EQ(unpack(after(*partitioned, "irq", "default_affinity")), housekeeping);
  EXPECT_EQ(unpack(after(*partitioned, "systemd_manager", "CPUAffinity")), housekeeping);
  EXPECT_EQ(unhex(after(*partitioned, "sysfs", "/sys/devices/virtual/workqueue/cpumask")), housekeeping);
  EXPECT_EQ(after(*partitioned, "boot", "nohz_full"), "2-3");

  auto realtime = plan_of("realtime");
  ASSERT_TRUE(realtime);
  EXPECT_EQ(after(*realtime, "sysctl", "kernel.sched_rt_runtime_us"), "-1");
  EXPECT_EQ(after(*realtime, "boot", "isolcpus"), "managed_irq,domain,2-3");
}

}  // namespace
}  // namespace tune::import
