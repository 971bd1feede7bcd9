// Properties of apply and rollback, over randomly generated profiles on the
// fixture hosts (tests/fixtures/hosts), each given a kernel model of the
// files the backends write (sysctl, cpufreq, block queues, THP, hugepage
// pools, swap, limits, a service unit, GRUB's defaults):
//   - apply, then rollback, is the identity: every file of the tree, bytes
//     and mode, is as before;
//   - apply twice is apply once: the second plan has nothing to change, and
//     applying it leaves the tree as the first apply did;
//   - what apply wrote verifies without drift.
// Seeded and reproducible: TUNE_PROPERTY_SEED picks the seed (the default is
// fixed), TUNE_PROPERTY_CASES the cases per host; a failure names the seed,
// the host and the generated profile.
#include "platform/linux/backend_test_util.h"
#include "support/fake_service_manager.h"
#include "support/kernel_model_system.h"
#include "support/sysfs_fixture.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <sstream>

namespace tune::linux_platform {
namespace {

using namespace testing_util;
using tune::testing::KernelModelSystem;
using tune::testing::TempTree;
namespace fs = std::filesystem;

unsigned long env_number(const char* name, unsigned long fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::strtoul(value, nullptr, 10) : fallback;
}

// The sysctl keys a generated profile draws from: the kernel's default, and
// values the kernel would take.
struct SysctlKey {
  const char* key;
  const char* initial;
  std::vector<std::string> values;
};
const std::vector<SysctlKey>& sysctl_keys() {
  static const std::vector<SysctlKey> keys = {
      {"vm.swappiness", "60", {"0", "1", "10", "60", "100", "180"}},
      {"vm.dirty_ratio", "20", {"5", "10", "20", "40"}},
      {"vm.dirty_background_ratio", "10", {"1", "2", "3"}},
      {"vm.max_map_count", "65530", {"65530", "262144", "1048576"}},
      {"vm.overcommit_memory", "0", {"0", "1"}},
      {"net.core.somaxconn", "4096", {"1024", "4096", "8192", "65535"}},
      {"net.core.netdev_max_backlog", "1000", {"1000", "5000", "16384"}},
      {"net.ipv4.tcp_slow_start_after_idle", "1", {"0", "1"}},
      {"kernel.numa_balancing", "1", {"0", "1"}},
      {"kernel.sched_autogroup_enabled", "1", {"0", "1"}},
  };
  return keys;
}

// The choices in a kernel choice line: "[none] mq-deadline kyber".
std::vector<std::string> choices(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream words(line);
  for (std::string word; words >> word;) {
    if (word.front() == '[') word = word.substr(1, word.size() - 2);
    out.push_back(word);
  }
  return out;
}

// A fixture host's tree, completed with what the backends write.
void make_host(const TempTree& tree, const std::string& host) {
  const std::string fixture = tune::testing::source_dir() + "/tests/fixtures/hosts/" + host + "/root";
  fs::copy(fixture, tree.root(), fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  for (const auto& key : sysctl_keys()) {
    std::string path = "/proc/sys/" + std::string(key.key);
    for (char& c : path) c = c == '.' ? '/' : c;
    tree.write(path, std::string(key.initial) + "\n");
  }
  if (!tree.exists("/sys/devices/system/cpu/cpufreq") && host != "container" && host != "small-vm") {
    tune::testing::CpufreqFixture cpufreq;
    if (host == "large-numa-server") {
      cpufreq.driver = "acpi-cpufreq";
      cpufreq.governors = {"ondemand", "powersave", "performance", "schedutil"};
      cpufreq.governor = "schedutil";
      cpufreq.epp = false;
    }
    tune::testing::add_cpufreq(tree, cpufreq);
  }
  tune::testing::add_thp(tree);
  if (!tree.exists("/sys/kernel/mm/hugepages/hugepages-2048kB")) tune::testing::add_hugepages(tree, {2048}, 1);
  tune::testing::add_meminfo(tree, 16ull << 20, 8ull << 20);
  tune::testing::add_swaps(tree);
  tree.mkdir("/var/swap");
  tree.write("/proc/1/limits", "Limit                     Soft Limit           Hard Limit           Units     \n"
                               "Max open files            1073741816           1073741816           files     \n"
                               "Max processes             63476                63476                processes \n");
  tree.write("/proc/sys/fs/nr_open", "1048576\n");
  tree.write("/usr/lib/systemd/system/ollama.service",
             "[Unit]\nDescription=Ollama\n\n[Service]\nExecStart=/usr/bin/ollama serve\n\n"
             "[Install]\nWantedBy=multi-user.target\n");
  tree.mkdir("/etc/systemd/system");
  tree.write("/etc/default/grub", "GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\nGRUB_CMDLINE_LINUX=\"\"\n");
  tree.write("/proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/vda1 quiet\n");
}

class ProfileGenerator {
 public:
  ProfileGenerator(const TempTree& tree, unsigned long seed) : tree_(tree), random_(seed) {}

  std::string profile() {
    std::ostringstream out;
    out << "name: generated\n";
    if (chance(0.8)) sysctl(out);
    if (chance(0.5)) cpu(out);
    if (chance(0.6)) block(out);
    if (chance(0.5)) memory(out);
    if (chance(0.3)) out << "swap:\n  swapfile: { size: " << pick<std::string>({"4M", "8M"}) << ", path: /var/swap/file }\n";
    if (chance(0.4)) out << "limits:\n  \"*\":\n    nofile: " << pick<std::string>({"65536", "{ at_least: 70000 }", "1048576"}) << "\n";
    if (chance(0.4)) services(out);
    if (chance(0.3)) out << "boot:\n  " << pick<std::string>({"nosoftlockup: true", "mitigations: \"off\"", "hugepages: 16"}) << "\n";
    return out.str();
  }

 private:
  bool chance(double p) { return std::bernoulli_distribution(p)(random_); }
  template <typename T>
  T pick(const std::vector<T>& from) {
    return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(random_)];
  }

  void sysctl(std::ostringstream& out) {
    out << "sysctl:\n";
    bool any = false;
    for (const auto& key : sysctl_keys()) {
      if (!chance(0.4)) continue;
      out << "  " << key.key << ": " << pick(key.values) << "\n";
      any = true;
    }
    if (!any) out << "  vm.swappiness: " << pick(sysctl_keys()[0].values) << "\n";
  }
  void cpu(std::ostringstream& out) {
    const std::string policy = "/sys/devices/system/cpu/cpufreq/policy0/scaling_available_governors";
    std::vector<std::string> governors = tree_.exists(policy) ? choices(tree_.read(policy)) : std::vector<std::string>{};
    governors.push_back("performance");
    out << "cpu:\n  governor: " << pick(governors) << "\n";
  }
  void block(std::ostringstream& out) {
    out << "block:\n";
    bool any = false;
    for (const auto& device : fs::directory_iterator(tree_.real("/sys/block"))) {
      const std::string name = device.path().filename();
      const std::string scheduler = "/sys/block/" + name + "/queue/scheduler";
      if (!chance(0.7)) continue;
      out << "  " << name << ": { read_ahead_kb: " << pick<std::string>({"128", "256", "1024", "4096"});
      if (tree_.exists(scheduler) && chance(0.6)) {
        std::vector<std::string> offered = choices(tree_.read(scheduler));
        if (offered.size() > 1) out << ", scheduler: " << pick(offered);
      }
      out << " }\n";
      any = true;
    }
    if (!any) out << "  all: { read_ahead_kb: 512 }\n";
  }
  void memory(std::ostringstream& out) {
    out << "memory:\n  transparent_hugepages: { enabled: " << pick<std::string>({"always", "madvise", "never"})
        << ", defrag: " << pick<std::string>({"always", "defer", "defer+madvise", "madvise", "never"}) << " }\n";
    if (chance(0.5)) out << "  hugepages: { 2M: " << pick<std::string>({"0", "8", "64"}) << " }\n";
  }
  void services(std::ostringstream& out) {
    out << "services:\n  ollama.service:\n    LimitNOFILE: " << pick<std::string>({"65536", "1048576"}) << "\n";
    if (chance(0.5)) out << "    CPUAffinity: 0-1\n";
    if (chance(0.5)) out << "    restart: on-change\n";
    out << "environment:\n  ollama.service:\n    OLLAMA_KEEP_ALIVE: " << pick<std::string>({"5m", "24h", "\"-1\""}) << "\n";
  }

  const TempTree& tree_;
  std::mt19937_64 random_;
};

// A door that models the kernel and has a systemd that knows ollama.service;
// the door's fault injection counts systemd's calls too.
std::unique_ptr<KernelModelSystem> door_for(const TempTree& tree) {
  auto door = std::make_unique<KernelModelSystem>(tree.root());
  auto systemd = std::make_unique<tune::testing::FakeServiceManager>();
  systemd->units["ollama.service"] = UnitStatus{"loaded", "active", "enabled"};
  systemd->before_call = [model = door.get()](const std::string& call) { return model->count(call); };
  door->set_services(std::move(systemd));
  return door;
}

// The paths whose bytes or mode differ between two snapshots ("" when none):
// printing the snapshots themselves would print whole swap files.
std::string differences(const std::map<std::string, std::string>& a, const std::map<std::string, std::string>& b) {
  std::string out;
  for (const auto& [path, entry] : a) {
    auto other = b.find(path);
    if (other == b.end()) out += " " + path + " (gone)";
    else if (other->second != entry) out += " " + path;
  }
  for (const auto& [path, entry] : b) {
    if (!a.count(path)) out += " " + path + " (new)";
  }
  return out;
}

size_t changes_in(const Plan& plan) {
  size_t count = 0;
  for (const auto& change : plan.changes) count += change.action != Action::None;
  return count;
}

// A fixture host in a fresh tree, behind its kernel-model door.
struct TestHost {
  explicit TestHost(const std::string& name) {
    make_host(tree, name);
    door = door_for(tree);
  }
  TempTree tree;
  std::unique_ptr<KernelModelSystem> door;
};

// What a failure prints to reproduce the case.
std::string case_trace(unsigned long seed, unsigned long n, const std::string& host, const std::string& text,
                       int fault = -1, int calls = 0) {
  std::string trace = "TUNE_PROPERTY_SEED=" + std::to_string(seed) + " case " + std::to_string(n) + " on " + host;
  if (fault >= 0) trace += ", fault at call " + std::to_string(fault) + " of " + std::to_string(calls);
  return trace + ", profile:\n" + text;
}

enum class Phase { Apply, Rollback };

// The calls that change the host while a case's profile is applied, or while
// the apply is rolled back (0 when the profile changes nothing).
int calls_during(Phase phase, const std::string& host, const std::string& text) {
  TestHost h(host);
  auto applied = apply_plan(*h.door, plan_of(*h.door, text));
  EXPECT_TRUE(applied && !applied->failed);
  if (!applied || applied->transaction == 0) return 0;
  if (phase == Phase::Apply) return h.door->mutations;
  h.door->mutations = 0;
  EXPECT_TRUE(rollback_last(*h.door));
  return h.door->mutations;
}

// The generated profile of a case, on a fresh tree of the host.
std::string profile_of_case(const std::string& host, unsigned long seed) {
  TestHost h(host);
  return ProfileGenerator(h.tree, seed).profile();
}

class ApplyProperties : public ::testing::TestWithParam<std::string> {
 protected:
  const unsigned long seed = env_number("TUNE_PROPERTY_SEED", 20261207);
  const unsigned long cases = env_number("TUNE_PROPERTY_CASES", 25);
  // Each fault is a whole apply on a fresh tree: fewer cases, every call of each.
  const unsigned long fault_cases = std::max(1ul, cases / 12);
};

TEST_P(ApplyProperties, RollbackIsTheIdentityAndApplyingTwiceIsApplyingOnce) {
  size_t steps_applied = 0;
  for (unsigned long n = 0; n < cases; ++n) {
    TestHost h(GetParam());
    const std::string text = ProfileGenerator(h.tree, seed + n).profile();
    SCOPED_TRACE(case_trace(seed, n, GetParam(), text));
    const auto before = snapshot(h.tree);

    auto applied = apply_plan(*h.door, plan_of(*h.door, text));
    ASSERT_TRUE(applied) << applied.error().message;
    ASSERT_FALSE(applied->failed) << applied->failure;
    steps_applied += applied->applied;
    const auto once = snapshot(h.tree);
    auto verified = verify_host(*h.door);
    ASSERT_TRUE(verified) << verified.error().message;
    for (const auto& drift : verified->drift) ADD_FAILURE() << "drift after apply: " << drift.domain << " " << drift.target;

    Plan second = plan_of(*h.door, text);
    EXPECT_EQ(changes_in(second), 0u) << "the second plan still changes something";
    auto again = apply_plan(*h.door, second);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->transaction, 0) << "applying twice recorded a second transaction";
    EXPECT_EQ(differences(once, snapshot(h.tree)), "") << "applying twice differs from applying once";

    if (applied->transaction != 0) {
      auto rolled = rollback_last(*h.door);
      ASSERT_TRUE(rolled) << rolled.error().message;
      EXPECT_TRUE(rolled->errors.empty()) << rolled->errors.front();
    }
    EXPECT_EQ(differences(before, snapshot(h.tree)), "") << "rollback did not put the tree back";
  }
  // For docs/RELIABILITY.md (scripts/reliability-report.sh reads the test's XML).
  RecordProperty("cases", static_cast<int>(cases));
  RecordProperty("steps", static_cast<int>(steps_applied));
  // The generator must reach the backends, or the properties hold vacuously.
  EXPECT_GT(steps_applied, cases) << "generated profiles changed almost nothing on " << GetParam();
}

// A fault at any call that changes the host during apply (a write, a removal,
// a swapon, a systemd call, the journal's own appends) fails the apply, and
// what was done before it is put back: the tree is as before, nothing stays
// in effect, and the journal can still be read.
TEST_P(ApplyProperties, AFaultAtAnyCallOfApplyLeavesTheTreeAsItWas) {
  size_t faults = 0;
  for (unsigned long n = 0; n < fault_cases; ++n) {
    const std::string text = profile_of_case(GetParam(), seed + 1000 + n);
    const int calls = calls_during(Phase::Apply, GetParam(), text);
    for (int fault = 0; fault < calls; ++fault, ++faults) {
      SCOPED_TRACE(case_trace(seed, n, GetParam(), text, fault, calls));
      TestHost h(GetParam());
      const auto before = snapshot(h.tree);
      Plan plan = plan_of(*h.door, text);
      h.door->mutations = 0;
      h.door->fail_at = fault;
      auto applied = apply_plan(*h.door, plan);
      h.door->fail_at = -1;
      SCOPED_TRACE("the call that failed: " + h.door->failed_call);
      if (applied) {
        EXPECT_TRUE(applied->failed) << "a fault went unnoticed";
        EXPECT_TRUE(applied->undo_errors.empty()) << applied->undo_errors.front();
      }
      EXPECT_EQ(differences(before, snapshot(h.tree)), "") << "a failed apply left the tree changed";
      auto verified = verify_host(*h.door);
      ASSERT_TRUE(verified) << verified.error().message;
      EXPECT_TRUE(verified->active.empty()) << "a failed apply is still in effect";
      EXPECT_TRUE(verified->interrupted.empty()) << "a failed apply is left for recovery";
    }
  }
  RecordProperty("faults", static_cast<int>(faults));
  EXPECT_GT(faults, fault_cases) << "the generated profiles made almost no calls on " << GetParam();
}

// A fault at any call of a rollback leaves a host that the next rollback
// puts back byte for byte, with nothing left in effect.
TEST_P(ApplyProperties, AFaultAtAnyCallOfRollbackIsMadeGoodByTheNextRollback) {
  size_t faults = 0;
  for (unsigned long n = 0; n < fault_cases; ++n) {
    const std::string text = profile_of_case(GetParam(), seed + 2000 + n);
    const int calls = calls_during(Phase::Rollback, GetParam(), text);
    for (int fault = 0; fault < calls; ++fault, ++faults) {
      SCOPED_TRACE(case_trace(seed, n, GetParam(), text, fault, calls));
      TestHost h(GetParam());
      const auto before = snapshot(h.tree);
      auto applied = apply_plan(*h.door, plan_of(*h.door, text));
      ASSERT_TRUE(applied && !applied->failed);
      h.door->mutations = 0;
      h.door->fail_at = fault;
      auto first = rollback_last(*h.door);
      h.door->fail_at = -1;
      SCOPED_TRACE("the call that failed: " + h.door->failed_call);
      EXPECT_TRUE(!first || !first->errors.empty()) << "a fault in a rollback went unnoticed";
      auto second = rollback_last(*h.door);
      ASSERT_TRUE(second) << second.error().message;
      EXPECT_TRUE(second->errors.empty()) << second->errors.front();
      EXPECT_EQ(differences(before, snapshot(h.tree)), "") << "the second rollback did not put the tree back";
      auto verified = verify_host(*h.door);
      ASSERT_TRUE(verified) << verified.error().message;
      EXPECT_TRUE(verified->active.empty()) << "the transaction is still in effect after two rollbacks";
    }
  }
  RecordProperty("faults", static_cast<int>(faults));
  EXPECT_GT(faults, fault_cases) << "the generated profiles made almost no calls on " << GetParam();
}

INSTANTIATE_TEST_SUITE_P(FixtureHosts, ApplyProperties,
                         ::testing::Values("gpu-server", "large-numa-server", "small-vm", "container", "laptop-battery",
                                           "arm-board"),
                         [](const auto& host) {
                           std::string name = host.param;
                           for (char& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

}  // namespace
}  // namespace tune::linux_platform
