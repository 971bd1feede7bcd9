// Specialising a resolved profile for one host: conditions, fallbacks, facts
// in values, settings of another OS, and domains the host policy excludes.
#include "core/profile_host.h"

#include "core/profile_store.h"
#include "support/temp_tree.h"

#include <gtest/gtest.h>

namespace tune {
namespace {

using testing::TempTree;

class HostSpecialisation : public ::testing::Test {
 protected:
  Profile resolve(const std::string& body) {
    tree_.write("/p/p.yaml", "name: p\n" + body);
    auto profile = ProfileStore({tree_.real("/p")}).resolve("p");
    EXPECT_TRUE(profile) << profile.error().message;
    return profile ? *profile : Profile{};
  }
  static std::string reason_for(const HostProfile& host, const std::string& target) {
    for (const auto& skip : host.skipped) {
      if (skip.target == target) return skip.reason;
    }
    return "(not skipped)";
  }
  TempTree tree_;
};

TEST_F(HostSpecialisation, SettingsWhoseConditionsFailAreSkippedWithTheFact) {
  Profile profile = resolve("sysctl:\n  vm.swappiness: 10\n  kernel.numa_balancing: { value: 0, when: { numa.nodes: \">=2\" } }\n");
  HostProfile host = specialize_for_host(profile, {{"numa.nodes", "1"}});
  ASSERT_EQ(host.profile.settings.size(), 1u);
  EXPECT_EQ(host.profile.settings[0].key, "vm.swappiness");
  EXPECT_EQ(reason_for(host, "kernel.numa_balancing"), "when numa.nodes >=2 does not hold here (numa.nodes = 1)");
  EXPECT_EQ(host.skipped[0].wanted, "0");
  EXPECT_NE(host.skipped[0].origin.find("p ("), std::string::npos);
  HostProfile two = specialize_for_host(profile, {{"numa.nodes", "2"}});
  EXPECT_EQ(two.profile.settings.size(), 2u);
  EXPECT_TRUE(two.skipped.empty());
}

TEST_F(HostSpecialisation, UnknownFactsNeverSatisfyAConditionByAccident) {
  Profile profile = resolve("sysctl:\n  kernel.numa_balancing: { value: 0, when: { numa.nodes: \">=2\" } }\n");
  HostProfile host = specialize_for_host(profile, {});
  EXPECT_EQ(reason_for(host, "kernel.numa_balancing"), "when numa.nodes >=2 does not hold here (numa.nodes = unknown)");
}

TEST_F(HostSpecialisation, FailingChildConditionFallsBackToTheParent) {
  tree_.write("/p/base.yaml", "name: base\nsysctl:\n  vm.swappiness: 10\n");
  Profile profile = resolve("extends: base\nsysctl:\n  vm.swappiness: { value: 1, when: { power.on_battery: \"true\" } }\n");
  HostProfile on_ac = specialize_for_host(profile, {{"power.on_battery", "false"}});
  ASSERT_EQ(on_ac.profile.settings.size(), 1u);
  EXPECT_EQ(on_ac.profile.settings[0].want.describe(), "10");
  EXPECT_EQ(on_ac.profile.settings[0].profile, "base");
  HostProfile on_battery = specialize_for_host(profile, {{"power.on_battery", "true"}});
  EXPECT_EQ(on_battery.profile.settings[0].want.describe(), "1");
}

TEST_F(HostSpecialisation, FactsFillValues) {
  Profile profile = resolve("environment:\n  app.service:\n    OMP_NUM_THREADS: ${facts.cpu.cores}\n");
  HostProfile host = specialize_for_host(profile, {{"cpu.cores", "16"}});
  ASSERT_EQ(host.profile.settings.size(), 1u);
  EXPECT_EQ(host.profile.settings[0].want.describe(), "16");
  HostProfile unknown = specialize_for_host(profile, {});
  EXPECT_EQ(reason_for(unknown, "app.service/OMP_NUM_THREADS"), "needs the fact cpu.cores, which is unknown on this host");
}

TEST_F(HostSpecialisation, FactValuesAreValidatedToo) {
  Profile profile = resolve("environment:\n  app.service:\n    OMP_NUM_THREADS: ${facts.cpu.vendor}\n");
  HostProfile host = specialize_for_host(profile, {{"cpu.vendor", "GenuineIntel"}});
  EXPECT_NE(reason_for(host, "app.service/OMP_NUM_THREADS").find("must be a whole number, not 'GenuineIntel'"),
            std::string::npos);
}

TEST_F(HostSpecialisation, SettingsOfAnotherOsAreSkipped) {
  Profile profile = resolve("power:\n  sleep: 0\nsysctl:\n  kern.maxfiles: 524288\n  vm.swappiness: 10\n");
  HostProfile linux_host = specialize_for_host(profile, {{"os", "debian"}});
  EXPECT_EQ(reason_for(linux_host, "sleep"), "a macos setting; this host runs linux");
  EXPECT_EQ(reason_for(linux_host, "kern.maxfiles"), "a macos setting; this host runs linux");
  ASSERT_EQ(linux_host.profile.settings.size(), 1u);
  HostProfile mac = specialize_for_host(profile, {{"os", "macos"}});
  EXPECT_EQ(reason_for(mac, "vm.swappiness"), "a linux setting; this host runs macos");
  EXPECT_EQ(reason_for(mac, "kern.maxfiles"), "(not skipped)");
}

TEST_F(HostSpecialisation, TheNewKernelDomainsAreLinuxs) {
  Profile profile = resolve(
      "irq:\n  default_affinity: 0-1\nsystemd:\n  CPUAffinity: 0-1\nsysfs:\n  /sys/kernel/mm/ksm/run: 1\n"
      "modules:\n  nf_conntrack:\n    hashsize: 65536\nselinux:\n  avc_cache_threshold: 8192\n"
      "net:\n  all:\n    features:\n      gro: off\n");
  HostProfile mac = specialize_for_host(profile, {{"os", "macos"}});
  EXPECT_TRUE(mac.profile.settings.empty());
  for (const char* key : {"default_affinity", "CPUAffinity", "/sys/kernel/mm/ksm/run", "nf_conntrack/hashsize",
                          "avc_cache_threshold", "all/features.gro"}) {
    EXPECT_EQ(reason_for(mac, key), "a linux setting; this host runs macos") << key;
  }
  HostProfile linux_host = specialize_for_host(profile, {{"os", "debian"}});
  EXPECT_EQ(linux_host.profile.settings.size(), 6u);
}

TEST_F(HostSpecialisation, PolicyLeavesDomainsAlone) {
  Profile profile = resolve("sysctl:\n  vm.swappiness: 10\nboot:\n  transparent_hugepage: madvise\n");
  HostProfile host = specialize_for_host(profile, {}, {"boot"});
  EXPECT_EQ(reason_for(host, "transparent_hugepage"), "the host policy leaves the boot domain alone");
  EXPECT_EQ(host.profile.settings.size(), 1u);
}

}  // namespace
}  // namespace tune
