// CPU frequency scaling facts.
#include "probe_harness.h"

#include <gtest/gtest.h>

namespace tune::testing {
namespace {

void write_policy(const TempTree& tree, const std::string& driver) {
  const std::string p = "/sys/devices/system/cpu/cpufreq/policy0/";
  tree.write(p + "scaling_driver", driver + "\n");
  tree.write(p + "scaling_governor", "powersave\n");
  tree.write(p + "scaling_available_governors", "performance powersave\n");
  tree.write(p + "energy_performance_preference", "balance_performance\n");
  tree.write(p + "energy_performance_available_preferences", "default performance balance_performance power\n");
}

TEST(CpufreqProbe, ReadsTheFirstPolicy) {
  ProbeHarness h;
  write_policy(h.tree, "amd-pstate-epp");
  h.tree.write("/sys/devices/system/cpu/cpufreq/policy12/scaling_driver", "other\n");
  h.tree.write("/sys/devices/system/cpu/cpufreq/boost", "1\n");
  detect::probe_cpufreq(h.probe);
  const CpuFreqFacts& f = h.facts.cpufreq;
  EXPECT_EQ(f.driver, "amd-pstate-epp");
  EXPECT_EQ(f.governor, "powersave");
  EXPECT_EQ(f.governors, (std::vector<std::string>{"performance", "powersave"}));
  EXPECT_EQ(f.epp, "balance_performance");
  EXPECT_EQ(f.epp_choices.size(), 4u);
  EXPECT_EQ(f.boost, true);
}

TEST(CpufreqProbe, IntelNoTurboIsBoostOff) {
  ProbeHarness h;
  write_policy(h.tree, "intel_pstate");
  h.tree.write("/sys/devices/system/cpu/intel_pstate/no_turbo", "1\n");
  detect::probe_cpufreq(h.probe);
  EXPECT_EQ(h.facts.cpufreq.boost, false);
}

TEST(CpufreqProbe, NoPolicyOnAReadableCpuDirectoryMeansNoDriver) {
  ProbeHarness h;
  h.tree.mkdir("/sys/devices/system/cpu/cpu0");
  h.tree.mkdir("/sys/devices/system/cpu/cpufreq");
  detect::probe_cpufreq(h.probe);
  EXPECT_EQ(h.facts.cpufreq.driver, "none");
  EXPECT_EQ(flatten_facts(h.facts).at("cpufreq.driver"), "none");
  EXPECT_FALSE(h.facts.evidence.at("cpufreq.driver").empty());
}

TEST(CpufreqProbe, NoCpuDirectoryLeavesItUnknown) {
  ProbeHarness h;
  detect::probe_cpufreq(h.probe);
  EXPECT_TRUE(h.facts.cpufreq.driver.empty());
}

TEST(CpufreqProbe, AGovernorNotOfferedWarns) {
  ProbeHarness h;
  write_policy(h.tree, "acpi-cpufreq");
  h.tree.write("/sys/devices/system/cpu/cpufreq/policy0/scaling_governor", "ludicrous\n");
  detect::probe_cpufreq(h.probe);
  EXPECT_TRUE(h.warned("'ludicrous' is not among the available governors"));
}

TEST(CpufreqProbe, AMalformedBoostWarnsAndStaysUnknown) {
  ProbeHarness h;
  write_policy(h.tree, "acpi-cpufreq");
  h.tree.write("/sys/devices/system/cpu/cpufreq/boost", "on\n");
  detect::probe_cpufreq(h.probe);
  EXPECT_FALSE(h.facts.cpufreq.boost);
  EXPECT_TRUE(h.warned("cpufreq/boost: expected 0 or 1, found 'on'"));
}

}  // namespace
}  // namespace tune::testing
