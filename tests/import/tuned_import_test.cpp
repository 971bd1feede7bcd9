// tune import tuned: TuneD's profile format (includes, variables, section
// conditions, `>` bounds) mapped onto tune's domains, tested on fixtures and
// on every profile Debian's tuned package ships.
#include "import/tuned_import.h"

#include "core/fixture_hosts.h"
#include "core/planner.h"
#include "platform/linux/linux_platform.h"
#include "support/corpora.h"
#include "support/temp_tree.h"
#include "util/local_system.h"
#include "util/text.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace tune::import {
namespace {

using testing::TempTree;

const Setting* find(const Profile& profile, const std::string& address) {
  for (const auto& setting : profile.settings) {
    if (setting.address() == address) return &setting;
  }
  return nullptr;
}

// What a profile asks for at an address, or "(absent)".
std::string want_at(const Profile& profile, const std::string& address) {
  const Setting* setting = find(profile, address);
  return setting ? setting->want.describe() : "(absent)";
}

bool left_out_mentions(const ProfileWriter& writer, const std::string& needle) {
  return std::any_of(writer.left_out().begin(), writer.left_out().end(),
                     [&](const std::string& line) { return line.find(needle) != std::string::npos; });
}

class TunedFixture : public ::testing::Test {
 protected:
  void profile(const std::string& name, const std::string& text) { tree_.write("/tuned/" + name + "/tuned.conf", text); }
  Result<ProfileWriter> convert(const std::string& name) { return convert_tuned(name, "", {tree_.real("/tuned")}); }
  Profile parsed(const ProfileWriter& writer) {
    auto result = parse_profile(writer.yaml(), "converted.yaml");
    EXPECT_TRUE(result) << result.error().message << "\n" << writer.yaml();
    return result ? *result : Profile{};
  }
  TempTree tree_;
};

TEST_F(TunedFixture, MapsPluginsIncludesVariablesAndConditions) {
  profile("base", R"(# a comment
[main]
summary=Base profile

[variables]
sw=10
[sysctl]
vm.swappiness=${sw}
net.core.somaxconn=>2048
net.ipv4.tcp_rmem="4096 87380 16777216"
[cpu]
governor=performance|powersave
priority=10
[disk]
readahead=>4096
[vm]
transparent_hugepages=never
[sysctl.arm]
type=sysctl
uname_regex=aarch64
kernel.numa_balancing=0
[vm.special]
type=vm
cpuinfo_regex=model name.*Special
transparent_hugepages=always
[scheduler]
sched_min_granularity_ns=10000000
[bootloader]
cmdline=+skew_tick=1 -intel_pstate=disable isolcpus=${isolated_cores}
[sysfs]
/sys/kernel/mm/transparent_hugepage/defrag=defer
[audio]
timeout=10
)");
  profile("child", R"([main]
summary=Child profile
include=base
[sysctl]
vm.swappiness=30
[cpu]
replace=1
governor=schedutil
[disk-nvme]
type=disk
devices=nvme*
elevator=none
)");
  auto writer = convert("child");
  ASSERT_TRUE(writer) << writer.error().message;
  Profile profile = parsed(*writer);
  EXPECT_EQ(profile.name, "tuned-child");
  EXPECT_EQ(profile.summary, "Child profile");
  EXPECT_EQ(want_at(profile, "sysctl:vm.swappiness"), "30");  // the child wins
  EXPECT_EQ(want_at(profile, "sysctl:net.core.somaxconn"), "at least 2048");
  EXPECT_EQ(want_at(profile, "sysctl:net.ipv4.tcp_rmem"), "4096 87380 16777216");
  EXPECT_EQ(want_at(profile, "cpu:governor"), "schedutil");  // replace=1 dropped the base's [cpu]
  EXPECT_EQ(want_at(profile, "block:all/read_ahead_kb"), "at least 4096");
  EXPECT_EQ(want_at(profile, "block:nvme/scheduler"), "none");
  EXPECT_EQ(want_at(profile, "memory:transparent_hugepages.enabled"), "never");
  EXPECT_EQ(want_at(profile, "memory:transparent_hugepages.defrag"), "defer");  // from [sysfs]
  const Setting* numa = find(profile, "sysctl:kernel.numa_balancing");
  ASSERT_TRUE(numa);
  ASSERT_EQ(numa->when.size(), 1u);
  EXPECT_EQ(numa->when[0].describe(), "arch aarch64");
  EXPECT_EQ(want_at(profile, "boot:skew_tick"), "1");
  EXPECT_FALSE(find(profile, "boot:isolcpus"));
  EXPECT_TRUE(left_out_mentions(*writer, "[vm.special] (3 options): it applies only where TuneD's cpuinfo_regex matches"));
  EXPECT_TRUE(left_out_mentions(*writer, "sched_min_granularity_ns=10000000 (base/tuned.conf:27): obsolete as a sysctl"));
  EXPECT_TRUE(left_out_mentions(*writer, "-intel_pstate=disable"));
  EXPECT_TRUE(left_out_mentions(*writer, "isolcpus=${isolated_cores}: uses a TuneD variable or function with no value here"));
  EXPECT_TRUE(left_out_mentions(*writer, "[audio] timeout=10 (base/tuned.conf:33): tune has no equivalent of TuneD's audio plugin"));
}

TEST_F(TunedFixture, ConditionalIncludeTakesTheBareMetalBranch) {
  profile("vm", "[sysctl]\nvm.swappiness=30\n");
  profile("metal", "[sysctl]\nvm.swappiness=10\n");
  profile("both", "[main]\ninclude=${f:virt_check:vm:metal}\n");
  auto writer = convert("both");
  ASSERT_TRUE(writer) << writer.error().message;
  EXPECT_EQ(want_at(parsed(*writer), "sysctl:vm.swappiness"), "10");
  EXPECT_TRUE(left_out_mentions(*writer, "chooses vm on virtual machines and metal elsewhere"));
}

TEST_F(TunedFixture, SysctlKeysTuneDoesNotKnowAreCarriedUnchecked) {
  profile("p", "[sysctl]\nnet.example.made_up=1\n");
  auto writer = convert("p");
  ASSERT_TRUE(writer);
  Profile profile = parsed(*writer);
  EXPECT_TRUE(find(profile, "sysctl:net.example.made_up"));
  EXPECT_NE(writer->yaml().find("unchecked: true"), std::string::npos);
}

TEST_F(TunedFixture, IncludeCyclesAndMissingProfilesAreErrors) {
  profile("a", "[main]\ninclude=b\n");
  profile("b", "[main]\ninclude=a\n");
  auto cycle = convert("a");
  ASSERT_FALSE(cycle);
  EXPECT_EQ(cycle.error().message, "TuneD profiles include each other in a cycle: a -> b -> a");
  profile("c", "[main]\ninclude=nowhere\n");
  auto missing = convert("c");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("no TuneD profile named 'nowhere'"), std::string::npos);
  profile("bad", "[main\nsummary=x\n");
  auto malformed = convert("bad");
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().message, "bad/tuned.conf:1: a section header looks like [name]");
}

TEST_F(TunedFixture, ControlCharactersAreRefusedWithTheirLine) {
  // Found by fuzzing: an escape, a NUL or stray bytes in a value reached the
  // converted profile, which tune's own profile reader then refused.
  profile("esc", std::string("[variables]\nx=1\x1b[2J\n[sysctl]\nvm.swappiness=${x}\n"));
  auto escaped = convert("esc");
  ASSERT_FALSE(escaped);
  EXPECT_EQ(escaped.error().message, "esc/tuned.conf:2: a line must be UTF-8 text without control characters");
  profile("nul", std::string("[sysctl]\nvm.swappiness=1\0002\n", 27));
  auto nul = convert("nul");
  ASSERT_FALSE(nul);
  EXPECT_EQ(nul.error().message, "nul/tuned.conf:2: a line must be UTF-8 text without control characters");
  profile("latin1", "[sysctl]\nvm.swappiness=caf\xe9\n");  // Latin-1, not UTF-8
  auto latin1 = convert("latin1");
  ASSERT_FALSE(latin1);
  EXPECT_EQ(latin1.error().message, "latin1/tuned.conf:2: a line must be UTF-8 text without control characters");
  profile("crlf", "[sysctl]\r\nvm.swappiness=5\r\n");  // Windows line ends are only white space
  auto crlf = convert("crlf");
  ASSERT_TRUE(crlf) << crlf.error().message;
  EXPECT_EQ(want_at(parsed(*crlf), "sysctl:vm.swappiness"), "5");
}

// Debian's tuned package's profiles: unpacked by scripts/install-deps.sh into
// .deps/tuned (its daemon is never installed), or an installed /usr/lib/tuned.
std::vector<std::string> shipped_tuned_profiles() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(testing::tuned_profiles_dir(), ec)) {
    if (std::filesystem::is_regular_file(entry.path() / "tuned.conf", ec)) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(TunedPackage, EveryShippedProfileConvertsIntoAValidProfile) {
  auto names = shipped_tuned_profiles();
  if (names.empty()) GTEST_SKIP() << "TuneD's profiles are not here: scripts/install-deps.sh unpacks them into .deps/tuned";
  EXPECT_GE(names.size(), 30u);
  for (const auto& name : names) {
    auto writer = convert_tuned(name, "", {testing::tuned_profiles_dir()});
    ASSERT_TRUE(writer) << name << ": " << writer.error().message;
    auto profile = parse_profile(writer->yaml(), name + ".yaml");
    EXPECT_TRUE(profile) << name << ": " << profile.error().message;
    // Every option is either converted or listed.
    EXPECT_GT(writer->size() + writer->left_out().size(), 0u) << name;
  }
}

TEST(TunedPackage, ThroughputPerformancePlansWhatTheOriginalAsksFor) {
  if (shipped_tuned_profiles().empty()) GTEST_SKIP() << "TuneD's profiles are not installed (apt-get install tuned)";
  auto writer = convert_tuned("throughput-performance", "", {testing::tuned_profiles_dir()});
  ASSERT_TRUE(writer) << writer.error().message;
  auto profile = parse_profile(writer->yaml(), "tuned-throughput-performance.yaml");
  ASSERT_TRUE(profile) << profile.error().message;

  auto hosts = testing::fixture_hosts();
  const auto& server = hosts.front();
  LocalSystem system(server.tree->root());
  auto plan = make_plan({*profile, server.facts, system}, linux_platform::make_platform(), "test");
  ASSERT_TRUE(plan) << plan.error().message;

  auto change = [&](const std::string& key) -> const Change* {
    for (const auto& c : plan->changes) {
      if (c.domain == "sysctl" && c.target == key) return &c;
    }
    return nullptr;
  };
  auto skip = [&](const std::string& domain, const std::string& target) -> const Skip* {
    for (const auto& s : plan->skipped) {
      if (s.domain == domain && s.target == target) return &s;
    }
    return nullptr;
  };
  // [sysctl]: the values TuneD sets, and somaxconn only raised (>2048).
  ASSERT_TRUE(change("vm.dirty_ratio"));
  EXPECT_EQ(*change("vm.dirty_ratio")->after, "40");
  EXPECT_EQ(change("vm.dirty_ratio")->action, Action::Modify);
  ASSERT_TRUE(change("vm.dirty_background_ratio"));
  EXPECT_EQ(*change("vm.dirty_background_ratio")->after, "10");
  ASSERT_TRUE(change("vm.swappiness"));
  EXPECT_EQ(*change("vm.swappiness")->after, "10");
  ASSERT_TRUE(change("net.core.somaxconn"));
  EXPECT_EQ(change("net.core.somaxconn")->action, Action::None);  // 4096 already satisfies >2048
  // [cpu] and [disk] now plan on the server's intel_pstate and disks.
  auto planned = [&](const std::string& domain, const std::string& target) -> const Change* {
    for (const auto& c : plan->changes) {
      if (c.domain == domain && c.target == target) return &c;
    }
    return nullptr;
  };
  ASSERT_TRUE(planned("cpu", "governor"));
  EXPECT_EQ(*planned("cpu", "governor")->after, "performance");
  ASSERT_TRUE(planned("cpu", "energy_perf_bias"));
  EXPECT_EQ(*planned("cpu", "energy_perf_bias")->after, "0");  // "performance", as the kernel reads it back
  ASSERT_TRUE(planned("cpu", "min_perf_pct"));
  EXPECT_EQ(*planned("cpu", "min_perf_pct")->after, "100");
  for (const char* disk : {"nvme0n1", "sda", "sdb"}) {
    ASSERT_TRUE(planned("block", std::string(disk) + "/read_ahead_kb")) << disk;
    EXPECT_EQ(*planned("block", std::string(disk) + "/read_ahead_kb")->after, "4096");
  }
  EXPECT_FALSE(skip("block", "all/read_ahead_kb"));
  // The ThunderX sections depend on /proc/cpuinfo, which tune cannot match: listed, not applied.
  EXPECT_TRUE(left_out_mentions(*writer, "[vm.thunderx]"));
  EXPECT_TRUE(left_out_mentions(*writer, "[sysctl.thunderx]"));
  EXPECT_EQ(profile->settings.size(), 8u);
}


// TuneD's throughput-performance and latency-performance, converted, plan
// every cpu, block and memory option as a change or a skip that says why
// this host cannot take it: never "no backend".
TEST(TunedPackage, PerformanceProfilesHaveABackendForEveryKernelDomainOnEveryFixtureHost) {
  if (shipped_tuned_profiles().empty()) GTEST_SKIP() << "TuneD's profiles are not installed (apt-get install tuned)";
  auto hosts = testing::fixture_hosts();
  for (const char* name : {"throughput-performance", "latency-performance"}) {
    auto writer = convert_tuned(name, "", {testing::tuned_profiles_dir()});
    ASSERT_TRUE(writer) << writer.error().message;
    auto profile = parse_profile(writer->yaml(), std::string(name) + ".yaml");
    ASSERT_TRUE(profile) << profile.error().message;
    for (size_t i = 0; i + 1 < hosts.size(); ++i) {  // the Linux ones
      LocalSystem system(hosts[i].tree->root());
      auto plan = make_plan({*profile, hosts[i].facts, system}, linux_platform::make_platform(), "test");
      ASSERT_TRUE(plan) << plan.error().message;
      for (const auto& skip : plan->skipped) {
        for (const char* domain : {"cpu", "block", "memory", "swap", "limits"}) {
          if (skip.domain == domain) {
            EXPECT_EQ(skip.reason.find("no backend"), std::string::npos)
                << name << " on the " << hosts[i].name << ": " << skip.target << ": " << skip.reason;
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace tune::import
