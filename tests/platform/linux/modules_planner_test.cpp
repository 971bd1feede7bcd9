// The modules and selinux domains in rooted trees: a loaded module's
// writable parameter is set live and in modprobe.d, a module not loaded (or
// a read-only parameter) waits in modprobe.d as pending, a built-in module's
// parameter is written again at boot by tmpfiles; rollback puts back every
// byte. SELinux's AVC threshold is skipped where SELinux is off.
#include "platform/linux/modules_planner.h"

#include "platform/linux/backend_test_util.h"
#include "platform/linux/modprobe_options.h"
#include "platform/linux/selinux_planner.h"
#include "support/kernel_model_system.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

namespace tune::linux_platform {
namespace {

using namespace testing_util;
using tune::testing::KernelModelSystem;
using tune::testing::TempTree;

class ModulesPlannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // nf_conntrack: loaded from a file, hashsize writable, expect_hashsize read-only.
    tree.write("/sys/module/nf_conntrack/initstate", "live\n", 0444);
    tree.write("/sys/module/nf_conntrack/parameters/hashsize", "65536\n", 0600);
    tree.write("/sys/module/nf_conntrack/parameters/expect_hashsize", "1024\n", 0400);
    // printk: built in (no initstate).
    tree.write("/sys/module/printk/parameters/time", "Y\n", 0644);
    tree.write("/sys/module/printk/parameters/always_kmsg_dump", "N\n", 0444);
    tree.write("/etc/modprobe.d/50-local.conf", "# the admin's own\noptions snd-hda-intel power_save=1 model=auto\n");
  }
  TempTree tree;
};

TEST_F(ModulesPlannerTest, ALoadedModulesParameterIsSetLiveAndInModprobeAndRolledBackByteForByte) {
  KernelModelSystem system(tree.root());
  const auto before = snapshot(tree);
  Plan plan = plan_of(system, "name: t\nmodules:\n  nf_conntrack: { hashsize: 1048576 }\n");
  const Change* live = change_at(plan, "modules", "nf_conntrack/hashsize");
  ASSERT_NE(live, nullptr);
  EXPECT_EQ(*live->before, "65536");
  EXPECT_EQ(*live->after, "1048576");
  const Change* file = change_at(plan, "file", kModprobeFile);
  ASSERT_NE(file, nullptr);
  EXPECT_NE(file->after->find("\noptions nf_conntrack hashsize=1048576\n"), std::string::npos) << *file->after;

  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report && !report->failed) << (report ? report->failure : report.error().message);
  EXPECT_EQ(tree.read("/sys/module/nf_conntrack/parameters/hashsize"), "1048576\n");
  EXPECT_TRUE(tree.exists(kModprobeFile));
  auto rolled = rollback_last(system);
  ASSERT_TRUE(rolled && rolled->errors.empty()) << (rolled ? rolled->errors.front() : rolled.error().message);
  EXPECT_EQ(snapshot(tree), before);
}

TEST_F(ModulesPlannerTest, AModuleNotLoadedWaitsInModprobeAsPending) {
  KernelModelSystem system(tree.root());
  const auto before = snapshot(tree);
  Plan plan = plan_of(system, "name: t\nmodules:\n  snd_hda_intel: { power_save: 10, power_save_controller: false }\n");
  const Change* power_save = change_at(plan, "modprobe", "snd_hda_intel/power_save");
  ASSERT_NE(power_save, nullptr);
  EXPECT_EQ(*power_save->before, "1");  // what 50-local.conf gives it
  EXPECT_EQ(*power_save->after, "10");
  EXPECT_EQ(power_save->note, "pending: takes effect when snd_hda_intel is next loaded");
  const Change* controller = change_at(plan, "modprobe", "snd_hda_intel/power_save_controller");
  ASSERT_NE(controller, nullptr);
  EXPECT_EQ(controller->action, Action::Create);
  EXPECT_NE(change_at(plan, "file", kModprobeFile)->after->find("options snd_hda_intel power_save=10 power_save_controller=false\n"),
            std::string::npos);

  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report && !report->failed) << (report ? report->failure : report.error().message);
  auto verified = verify_host(system);
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->drift.empty());
  ASSERT_EQ(verified->pending.size(), 2u);
  EXPECT_EQ(verified->pending[0].note, "takes effect when snd_hda_intel is next loaded");
  auto rolled = rollback_last(system);
  ASSERT_TRUE(rolled && rolled->errors.empty()) << (rolled ? rolled->errors.front() : rolled.error().message);
  EXPECT_EQ(snapshot(tree), before);
  EXPECT_FALSE(tree.exists(kModprobeFile));
}

TEST_F(ModulesPlannerTest, AModprobeFileReadAfterTunesOverridesItAndFailsTheApply) {
  tree.write("/etc/modprobe.d/zz-admin.conf", "options snd_hda_intel power_save=2\n");
  KernelModelSystem system(tree.root());
  const auto before = snapshot(tree);
  Plan plan = plan_of(system, "name: t\nmodules:\n  snd_hda_intel: { power_save: 10 }\n");
  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report);
  ASSERT_TRUE(report->failed);
  EXPECT_EQ(report->failure, "modprobe snd_hda_intel/power_save: the applied files give '2', not '10'");
  EXPECT_EQ(snapshot(tree), before);
}

TEST_F(ModulesPlannerTest, AReadOnlyParameterOfALoadedModuleIsPendingUntilTheNextLoad) {
  KernelModelSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nmodules:\n  nf_conntrack: { expect_hashsize: { value: 4096, unchecked: true } }\n");
  const Change* change = change_at(plan, "modprobe", "nf_conntrack/expect_hashsize");
  ASSERT_NE(change, nullptr);
  EXPECT_EQ(change->note, "pending: expect_hashsize is read-only while nf_conntrack is loaded; takes effect when it is next "
                          "loaded (or at the next boot)");
  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report && !report->failed) << (report ? report->failure : report.error().message);
  EXPECT_EQ(tree.read("/sys/module/nf_conntrack/parameters/expect_hashsize"), "1024\n");
  auto verified = verify_host(system);
  ASSERT_TRUE(verified && verified->pending.size() == 1u);
  EXPECT_EQ(verified->pending[0].note,
            "nf_conntrack is loaded with expect_hashsize=1024; takes effect when nf_conntrack is next loaded (or at the next boot)");
}

TEST_F(ModulesPlannerTest, ABuiltInModulesParameterIsWrittenLiveAndAgainAtBoot) {
  KernelModelSystem system(tree.root());
  const auto before = snapshot(tree);
  Plan plan = plan_of(system,
                      "name: t\nmodules:\n  printk: { time: { value: N, unchecked: true }, "
                      "always_kmsg_dump: { value: Y, unchecked: true } }\n");
  const Change* time = change_at(plan, "modules", "printk/time");
  ASSERT_NE(time, nullptr);
  EXPECT_EQ(*time->after, "N");
  EXPECT_EQ(change_at(plan, "file", kModprobeFile), nullptr);  // modprobe.d never reaches a built-in module
  const Change* boot = change_at(plan, "file", kModulesBootFile);
  ASSERT_NE(boot, nullptr);
  EXPECT_NE(boot->after->find("w /sys/module/printk/parameters/time - - - - N\n"), std::string::npos);
  const Skip* ro = skip_at(plan, "modules", "printk/always_kmsg_dump");
  ASSERT_NE(ro, nullptr);
  EXPECT_NE(ro->reason.find("built into this kernel and always_kmsg_dump is read-only"), std::string::npos);

  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report && !report->failed) << (report ? report->failure : report.error().message);
  EXPECT_EQ(tree.read("/sys/module/printk/parameters/time"), "N\n");
  auto rolled = rollback_last(system);
  ASSERT_TRUE(rolled && rolled->errors.empty());
  EXPECT_EQ(snapshot(tree), before);
}

TEST_F(ModulesPlannerTest, BooleansAreComparedAsTheKernelPrintsThem) {
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nmodules:\n  printk: { time: { value: \"1\", unchecked: true } }\n");
  ASSERT_NE(change_at(plan, "modules", "printk/time"), nullptr);
  EXPECT_EQ(change_at(plan, "modules", "printk/time")->action, Action::None);
}

TEST_F(ModulesPlannerTest, ModprobeReadsTheLastValueInNameOrderAndEtcHidesLib) {
  tree.write("/lib/modprobe.d/50-local.conf", "options snd_hda_intel power_save=7\n");
  tree.write("/lib/modprobe.d/zz.conf", "options snd-hda-intel \\\n  power_save=3\n");
  LocalSystem system(tree.root());
  EXPECT_EQ(configured_option(system, "snd_hda_intel", "power_save"), std::optional<std::string>("3"));
  EXPECT_EQ(configured_option(system, "snd_hda_intel", "model"), std::optional<std::string>("auto"));
  EXPECT_EQ(configured_option(system, "snd_hda_intel", "nothing"), std::nullopt);
}

TEST(ModulesProfileTest, NamesAndValuesAreCheckedWhereTheyAreWritten) {
  EXPECT_NE(parse_error("name: t\nmodules:\n  nf.conntrack: { hashsize: 1 }\n").find("test.yaml:3:3: modules: 'nf.conntrack' is not a module name"),
            std::string::npos);
  EXPECT_NE(parse_error("name: t\nmodules:\n  nf_conntrack: { hash/size: 1 }\n").find("test.yaml:3:19: modules nf_conntrack: 'hash/size' is not a parameter name"),
            std::string::npos);
  EXPECT_NE(parse_error("name: t\nmodules:\n  foo: { bar: \"a b\" }\n").find("one word without blanks"), std::string::npos);
  EXPECT_NE(parse_error("name: t\nmodules:\n  nf_conntrack: { hashsize: lots }\n").find("whole number"), std::string::npos);
  EXPECT_NE(parse_error("name: t\nmodules:\n  nf_conntrack: 5\n").find("must be a mapping of parameters"), std::string::npos);
  EXPECT_NE(parse_error("name: t\nmodules:\n  nf-conntrack: { hashsize: 1 }\n  nf_conntrack: { hashsize: 2 }\n").find("already set"),
            std::string::npos);
  EXPECT_EQ(parse_error("name: t\nmodules:\n  foo: { bar: 1 }\n"), "");  // unknown: taken, with a warning
}

TEST(SelinuxTest, SkippedWhereSelinuxIsOff) {
  TempTree tree;
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nselinux:\n  avc_cache_threshold: 8192\n");
  ASSERT_NE(skip_at(plan, "selinux", "avc_cache_threshold"), nullptr);
  EXPECT_EQ(skip_at(plan, "selinux", "avc_cache_threshold")->reason, "SELinux is not enabled here");
  EXPECT_TRUE(plan.changes.empty());
}

TEST(SelinuxTest, SetLiveAndAtBootAndRolledBack) {
  TempTree tree;
  tree.write("/sys/fs/selinux/enforce", "1\n");
  tree.write("/sys/fs/selinux/avc/cache_threshold", "512\n");
  KernelModelSystem system(tree.root());
  const auto before = snapshot(tree);
  Plan plan = plan_of(system, "name: t\nselinux:\n  avc_cache_threshold: 8192\n");
  ASSERT_NE(change_at(plan, "selinux", "avc_cache_threshold"), nullptr);
  EXPECT_NE(change_at(plan, "file", kSelinuxBootFile)->after->find("w /sys/fs/selinux/avc/cache_threshold - - - - 8192\n"),
            std::string::npos);
  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report && !report->failed) << (report ? report->failure : report.error().message);
  EXPECT_EQ(tree.read("/sys/fs/selinux/avc/cache_threshold"), "8192\n");
  auto rolled = rollback_last(system);
  ASSERT_TRUE(rolled && rolled->errors.empty());
  EXPECT_EQ(snapshot(tree), before);
}

TEST(SelinuxTest, KeysAndValuesAreChecked) {
  EXPECT_NE(parse_error("name: t\nselinux:\n  avc_cache_treshold: 1\n").find("did you mean 'avc_cache_threshold'"),
            std::string::npos);
  EXPECT_NE(parse_error("name: t\nselinux:\n  avc_cache_threshold: -1\n").find("test.yaml:3:24"), std::string::npos);
}

}  // namespace
}  // namespace tune::linux_platform
