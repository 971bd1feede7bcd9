// tune import tuned: TuneD's profile format (includes, variables, section
// conditions, `>` bounds) mapped onto tune's domains, tested on fixtures and
// on every profile Debian's tuned package ships.
#include "import/tuned_import.h"
#include "import/tuned_values.h"

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

bool refused_mentions(const ProfileWriter& writer, const std::string& needle) {
  return std::any_of(writer.refused().begin(), writer.refused().end(),
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
  // [vm.special] holds where /proc/cpuinfo matches: over the base's never,
  // so the one value chooses at plan time.
  EXPECT_EQ(want_at(profile, "memory:transparent_hugepages.enabled"), "${f:cpuinfo_check:model name.*Special:always:never}");
  EXPECT_EQ(want_at(profile, "memory:transparent_hugepages.defrag"), "defer");  // from [sysfs]
  const Setting* numa = find(profile, "sysctl:kernel.numa_balancing");
  ASSERT_TRUE(numa);
  ASSERT_EQ(numa->when.size(), 1u);
  EXPECT_EQ(numa->when[0].describe(), "arch aarch64");
  EXPECT_EQ(want_at(profile, "boot:skew_tick"), "1");
  // isolated_cores is defined nowhere: an empty variable, listed for --set.
  EXPECT_EQ(want_at(profile, "boot:isolcpus"), "${isolated_cores}");
  EXPECT_NE(writer->yaml().find("TuneD has no value for isolated_cores"), std::string::npos);
  // A section that applies only where /proc/cpuinfo matches cannot put its
  // value over an unconditional one in a single setting.
  EXPECT_TRUE(writer->left_out().empty()) << writer->yaml();
  EXPECT_TRUE(refused_mentions(*writer, "sched_min_granularity_ns=10000000 (base/tuned.conf:27): obsolete"));
  EXPECT_TRUE(refused_mentions(*writer, "-intel_pstate=disable: removes a kernel parameter"));
}

TEST_F(TunedFixture, RegexSectionsBecomeRegexConditions) {
  profile("rx", R"([variables]
part=CPU part\s+:\s+0x0?516
[sysctl.special]
type=sysctl
uname_regex=aarch64
cpuinfo_regex=${part}
kernel.numa_balancing=0
[sysctl.rt]
type=sysctl
uname_regex=PREEMPT_RT
vm.swappiness=5
)");
  auto writer = convert("rx");
  ASSERT_TRUE(writer) << writer.error().message;
  Profile profile = parsed(*writer);
  const Setting* numa = find(profile, "sysctl:kernel.numa_balancing");
  ASSERT_TRUE(numa);
  ASSERT_EQ(numa->when.size(), 2u);
  EXPECT_EQ(numa->when[0].fact, "arch");
  EXPECT_EQ(numa->when[1].fact, "cpuinfo");
  EXPECT_EQ(numa->when[1].alternatives, std::vector<std::string>{"~CPU part\\s+:\\s+0x0?516"});
  const Setting* swappiness = find(profile, "sysctl:vm.swappiness");
  ASSERT_TRUE(swappiness);
  ASSERT_EQ(swappiness->when.size(), 1u);
  EXPECT_EQ(swappiness->when[0].fact, "uname");
  EXPECT_EQ(swappiness->when[0].alternatives, std::vector<std::string>{"~PREEMPT_RT"});
  EXPECT_TRUE(writer->left_out().empty());
}

TEST_F(TunedFixture, AnEmptyRegexHoldsEverywhereAndAConditionTheReaderRefusesIsLeftOut) {
  // re.search("", text) matches every text: TuneD applies the section on any host.
  profile("rx", R"([sysctl.any]
type=sysctl
uname_regex=
vm.swappiness=5
[sysctl.broken]
type=sysctl
cpuinfo_regex=(unclosed
kernel.numa_balancing=0
)");
  auto writer = convert("rx");
  ASSERT_TRUE(writer) << writer.error().message;
  Profile profile = parsed(*writer);
  const Setting* swappiness = find(profile, "sysctl:vm.swappiness");
  ASSERT_TRUE(swappiness);
  EXPECT_TRUE(swappiness->when.empty());
  // What the reader would refuse never reaches the file: it is listed with the reader's reason.
  EXPECT_FALSE(find(profile, "sysctl:kernel.numa_balancing"));
  ASSERT_EQ(writer->left_out().size(), 1u);
  EXPECT_NE(writer->left_out()[0].find("kernel.numa_balancing"), std::string::npos) << writer->left_out()[0];
  EXPECT_NE(writer->left_out()[0].find("tune's profile reader refuses it: "), std::string::npos) << writer->left_out()[0];
  EXPECT_EQ(writer->left_out()[0].find("check.yaml"), std::string::npos) << writer->left_out()[0];
}

TEST(TunedValues, VariablesStayByNameWhereTheHostDecidesThem) {
  TunedValues values({{"isolated_cores", "${f:calc_isolated_cores:1}", ""},
                      {"expanded", "${f:cpulist_unpack:${isolated_cores}}", ""},
                      {"mask", "${f:cpulist2hex:${f:cpulist_invert:${expanded}}}", ""},
                      {"no_balance_cores", "", ""},
                      {"cmd_isolcpus", "${f:regex_search_ternary:${no_balance_cores}:\\s*[0-9]: isolcpus=${no_balance_cores}:}", ""},
                      {"managed", "${f:regex_search_ternary:Y:\\b[y,Y,1,t,T]\\b:managed_irq,domain,:}", ""},
                      {"tmpdir", "${f:strip:${f:exec:mktemp:-d}}", ""}},
                     "/usr/lib/tuned/p");
  EXPECT_EQ(*values.to_tune("${mask}"), "${mask}");
  EXPECT_EQ(*values.to_tune("nohz=on${cmd_isolcpus}"), "nohz=on");  // decided here: no CPUs given
  EXPECT_EQ(*values.to_tune("isolcpus=${managed}${isolated_cores}"), "isolcpus=managed_irq,domain,${isolated_cores}");
  EXPECT_EQ(*values.to_tune("${i:PROFILE_DIR}/script.sh"), "/usr/lib/tuned/p/script.sh");
  auto exec = values.to_tune("${tmpdir}");
  ASSERT_FALSE(exec);
  EXPECT_NE(exec.error().message.find("runs a program (mktemp -d)"), std::string::npos) << exec.error().message;
  EXPECT_FALSE(values.to_tune("${f:no_such_function:1}"));  // a function tune does not have
  auto used = values.variables_for({"${mask}"});
  ASSERT_EQ(used.size(), 3u);
  EXPECT_EQ(used[0], (std::pair<std::string, std::string>{"isolated_cores", "${f:calc_isolated_cores:1}"}));
  EXPECT_EQ(used[1], (std::pair<std::string, std::string>{"expanded", "${f:cpulist_unpack:${isolated_cores}}"}));
  EXPECT_EQ(used[2], (std::pair<std::string, std::string>{"mask", "${f:cpulist2hex:${f:cpulist_invert:${expanded}}}"}));
  auto literal = values.literal("${managed}");
  ASSERT_TRUE(literal && *literal);
  EXPECT_EQ(**literal, "managed_irq,domain,");
  EXPECT_FALSE(*values.literal("${isolated_cores}"));  // the host decides
}

TEST_F(TunedFixture, VariablesFilesSetAndSelfReferences) {
  tree_.write("/etc/tuned/cores-variables.conf", "isolated_cores=4-7\n");
  profile("iso", "[variables]\ninclude=" + tree_.real("/etc/tuned/cores-variables.conf") +
                     "\nisolated_cores=${isolated_cores}\nspare=${spare}\n[irqbalance]\nbanned_cpus=${isolated_cores}\n"
                     "[sysfs]\n/sys/kernel/example=${spare}\n");
  auto from_file = load_tuned_profile("iso", {tree_.real("/tuned")});
  ASSERT_TRUE(from_file) << from_file.error().message;
  auto value_of = [](const TunedProfile& p, const std::string& name) {
    for (const auto& v : p.variables) {
      if (v.key == name) return v.value;
    }
    return std::string("(unset)");
  };
  EXPECT_EQ(value_of(*from_file, "isolated_cores"), "4-7");  // `x = ${x}` keeps the file's value
  EXPECT_EQ(from_file->without_default, std::vector<std::string>{"spare"});
  TunedVariableSources sources;
  sources.overrides = {{"isolated_cores", "2-3"}};
  auto overridden = load_tuned_profile("iso", {tree_.real("/tuned")}, sources);
  ASSERT_TRUE(overridden);
  EXPECT_EQ(value_of(*overridden, "isolated_cores"), "2-3");
  auto converted = convert_tuned_with_coverage("iso", "", {tree_.real("/tuned")}, sources);
  ASSERT_TRUE(converted);
  const std::string yaml = converted->writer.yaml();
  EXPECT_NE(yaml.find("variables:\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("  isolated_cores: 2-3\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("  spare: \"\"\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("banned_cpus: \"${isolated_cores}\""), std::string::npos) << yaml;
  EXPECT_EQ(converted->coverage.converted, 2);
  EXPECT_EQ(converted->coverage.without_default, std::vector<std::string>{"spare"});
}

TEST_F(TunedFixture, ScriptsDynamicTuningAndInitrdsAreRefusedWithReasons) {
  tree_.write("/tuned/s/script.sh", "start() {\n    setup_kvm_mod_low_latency\n    disable_ksm\n    return 0\n}\n");
  profile("s", R"([disk]
[net]
[script]
script=${i:PROFILE_DIR}/script.sh
[bootloader]
initrd_add_dir=/tmp/x
[modules]
cpufreq_conservative=+r
netrom=+r, nr_ndevs=2
[disk.spin]
type=disk
apm=128
[scheduler]
group.ksoftirqd=0:f:2:*:^\[ksoftirqd
ps_blacklist=.*pmd.*
runtime=0
[audio]
timeout=10
reset_controller=true
[scsi_host]
alpm=medium_power
[video]
radeon_powersave=dpm-balanced, auto
[usb]
autosuspend=1
[selinux]
avc_cache_threshold=8192
[net.conntrack]
type=net
nf_conntrack_hashsize=131072
[net.ring]
type=net
devices=eth*
ring=rx 4096 tx 4096
features=gro off
)");
  auto converted = convert_tuned_with_coverage("s", "", {tree_.real("/tuned")});
  ASSERT_TRUE(converted) << converted.error().message;
  const ProfileWriter& writer = converted->writer;
  EXPECT_TRUE(writer.left_out().empty()) << writer.yaml();
  EXPECT_TRUE(refused_mentions(writer, "[disk] (no options): TuneD's dynamic tuning"));
  EXPECT_TRUE(refused_mentions(writer, "[net] (no options): TuneD's dynamic tuning"));
  EXPECT_TRUE(refused_mentions(writer, "its start() runs: setup_kvm_mod_low_latency, disable_ksm")) << writer.yaml();
  EXPECT_TRUE(refused_mentions(writer, "initrd_add_dir=/tmp/x"));
  EXPECT_TRUE(refused_mentions(writer, "cpufreq_conservative=+r"));
  EXPECT_TRUE(refused_mentions(writer, "apm=128"));
  EXPECT_TRUE(refused_mentions(writer, "group.ksoftirqd"));
  EXPECT_TRUE(refused_mentions(writer, "ps_blacklist"));
  const std::string yaml = writer.yaml();
  EXPECT_NE(yaml.find("# Refused (what tune deliberately does not do, and why):"), std::string::npos);
  // The agreed schema of the new domains.
  for (const char* expected :
       {"modules:\n  netrom:\n", "    nr_ndevs: 2\n", "  nf_conntrack:\n", "    hashsize: 131072\n",
        "power:\n", "  audio_power_save: 10\n", "  audio_power_save_controller: \"true\"\n",
        "  sata_alpm: medium_power\n", "  gpu_power: { one_of: [dpm-balanced, auto] }\n", "  usb_autosuspend: \"true\"\n",
        "selinux:\n", "  avc_cache_threshold: 8192\n", "net:\n  \"eth*\":\n    rings:\n", "      rx: 4096\n",
        "    features:\n", "      gro: \"off\"\n"}) {
    EXPECT_NE(yaml.find(expected), std::string::npos) << expected << "\n" << yaml;
  }
  EXPECT_EQ(converted->coverage.unconverted, 0);
}

TEST_F(TunedFixture, ConditionalIncludeTakesTheBareMetalBranch) {
  profile("vm", "[sysctl]\nvm.swappiness=30\n");
  profile("metal", "[sysctl]\nvm.swappiness=10\n");
  profile("both", "[main]\ninclude=${f:virt_check:vm:metal}\n");
  auto writer = convert("both");
  ASSERT_TRUE(writer) << writer.error().message;
  EXPECT_EQ(want_at(parsed(*writer), "sysctl:vm.swappiness"), "10");
  EXPECT_TRUE(refused_mentions(*writer, "TuneD includes vm on virtual machines and metal elsewhere"));
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
    EXPECT_GT(writer->size() + writer->left_out().size() + writer->refused().size(), 0u) << name;
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
  // The ThunderX sections hold where uname and /proc/cpuinfo say so: settings
  // with conditions, which the x86 server does not meet.
  const Setting* numa = find(*profile, "sysctl:kernel.numa_balancing");
  ASSERT_TRUE(numa);
  ASSERT_EQ(numa->when.size(), 2u);
  EXPECT_EQ(numa->when[0].describe(), "arch aarch64");
  EXPECT_EQ(numa->when[1].fact, "cpuinfo");
  EXPECT_FALSE(change("kernel.numa_balancing") && change("kernel.numa_balancing")->action != Action::None);
  EXPECT_TRUE(writer->left_out().empty());
  EXPECT_EQ(profile->settings.size(), 10u);
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
