// The sysfs domain: raw /sys attributes planned, applied and rolled back in
// a rooted tree, globs expanded to concrete files, and every kind of refusal
// (the path's shape, another domain's file, a file that acts, a symlink that
// leaves /sys) at parse time where the text shows it and at plan time where
// only the host does.
#include "platform/linux/sysfs_planner.h"

#include "platform/linux/backend_test_util.h"
#include "platform/linux/sysfs_knob.h"
#include "support/kernel_model_system.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace tune::linux_platform {
namespace {

using namespace testing_util;
using tune::testing::KernelModelSystem;
using tune::testing::TempTree;

void symlink_in(const TempTree& tree, const std::string& target, const std::string& link) {
  std::filesystem::create_directories(std::filesystem::path(tree.real(link)).parent_path());
  std::filesystem::create_symlink(target, tree.real(link));
}

class SysfsPlannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tree.write("/sys/kernel/mm/ksm/run", "0\n");
    tree.write("/sys/devices/virtual/workqueue/cpumask", "00000000,000000ff\n");
    tree.write("/sys/devices/virtual/workqueue/writeback/cpumask", "ff\n");
    tree.write("/sys/devices/virtual/workqueue/blkcg_punt_bio/cpumask", "ff\n");
    tree.write("/sys/devices/virtual/workqueue/blkcg_punt_bio/nice", "0\n");
    tree.write("/sys/devices/virtual/widget/w0/mode", "[slow] fast\n");
    tree.write("/etc/hostname", "host\n");
  }
  TempTree tree;
};

TEST_F(SysfsPlannerTest, AppliesReadsBackAndRollsBackEveryByteIncludingTheBootFile) {
  KernelModelSystem system(tree.root());
  const auto before = snapshot(tree);
  Plan plan = plan_of(system,
                      "name: t\nsysfs:\n  /sys/kernel/mm/ksm/run: 1\n"
                      "  /sys/devices/virtual/widget/w0/mode: { value: fast, unchecked: true }\n");
  const Change* run = change_at(plan, "sysfs", "/sys/kernel/mm/ksm/run");
  ASSERT_NE(run, nullptr);
  EXPECT_EQ(*run->before, "0");
  EXPECT_EQ(*run->after, "1");
  const Change* mode = change_at(plan, "sysfs", "/sys/devices/virtual/widget/w0/mode");
  ASSERT_NE(mode, nullptr);
  EXPECT_EQ(*mode->before, "slow");  // the bracketed word of a choice line
  const Change* boot = change_at(plan, "file", kSysfsBootFile);
  ASSERT_NE(boot, nullptr);
  EXPECT_NE(boot->after->find("w /sys/kernel/mm/ksm/run - - - - 1\n"), std::string::npos);
  EXPECT_NE(boot->after->find("w /sys/devices/virtual/widget/w0/mode - - - - fast\n"), std::string::npos);

  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report && !report->failed) << (report ? report->failure : report.error().message);
  EXPECT_EQ(tree.read("/sys/kernel/mm/ksm/run"), "1\n");
  EXPECT_EQ(tree.read("/sys/devices/virtual/widget/w0/mode"), "slow [fast]\n");
  EXPECT_TRUE(tree.exists(kSysfsBootFile));
  auto verified = verify_host(system);
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->drift.empty());

  auto rolled = rollback_last(system);
  ASSERT_TRUE(rolled && rolled->errors.empty()) << (rolled ? rolled->errors.front() : rolled.error().message);
  EXPECT_EQ(snapshot(tree), before);
}

TEST_F(SysfsPlannerTest, AGlobIsOneChangePerFileAndTheBootFileNamesTheFiles) {
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nsysfs:\n  /sys/devices/virtual/workqueue/*/cpumask: f\n");
  const Change* writeback = change_at(plan, "sysfs", "/sys/devices/virtual/workqueue/writeback/cpumask");
  const Change* punt = change_at(plan, "sysfs", "/sys/devices/virtual/workqueue/blkcg_punt_bio/cpumask");
  ASSERT_NE(writeback, nullptr);
  ASSERT_NE(punt, nullptr);
  EXPECT_EQ(*writeback->after, "f");
  EXPECT_EQ(writeback->note, "matched by /sys/devices/virtual/workqueue/*/cpumask");
  EXPECT_EQ(change_at(plan, "sysfs", "/sys/devices/virtual/workqueue/*/cpumask"), nullptr);
  const std::string boot = *change_at(plan, "file", kSysfsBootFile)->after;
  EXPECT_NE(boot.find("w /sys/devices/virtual/workqueue/writeback/cpumask - - - - f\n"), std::string::npos);
  EXPECT_EQ(boot.find('*'), std::string::npos) << boot;
}

TEST_F(SysfsPlannerTest, AGlobThatMatchesNothingIsSkipped) {
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nsysfs:\n  /sys/devices/virtual/nothing*/x: { value: 1, unchecked: true }\n");
  ASSERT_NE(skip_at(plan, "sysfs", "/sys/devices/virtual/nothing*/x"), nullptr);
  EXPECT_EQ(skip_at(plan, "sysfs", "/sys/devices/virtual/nothing*/x")->reason, "not available here: no file matches");
  EXPECT_EQ(change_at(plan, "file", kSysfsBootFile), nullptr);
}

TEST_F(SysfsPlannerTest, AHexMaskWithLeadingZerosIsTheSameMask) {
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nsysfs:\n  /sys/devices/virtual/workqueue/cpumask: ff\n");
  const Change* mask = change_at(plan, "sysfs", "/sys/devices/virtual/workqueue/cpumask");
  ASSERT_NE(mask, nullptr);
  EXPECT_EQ(mask->action, Action::None);
}

TEST_F(SysfsPlannerTest, ValuesAreCheckedAgainstTheKnowledgeBase) {
  EXPECT_NE(parse_error("name: t\nsysfs:\n  /sys/kernel/mm/ksm/run: 5\n").find("test.yaml:3:27"), std::string::npos)
      << parse_error("name: t\nsysfs:\n  /sys/kernel/mm/ksm/run: 5\n");
}

TEST(SysfsProfileTest, PathsOfTheWrongShapeAreRefusedWhereTheyAreWritten) {
  for (const std::string path : {"sys/kernel/x", "/proc/sys/vm/swappiness", "/sys/kernel/../../etc/passwd",
                                 "/sys/kernel//x", "/sys/kernel/x/", "/sys/kernel/a b", "/sys/kernel/${x}"}) {
    const std::string error = parse_error("name: t\nsysfs:\n  \"" + path + "\": 1\n");
    EXPECT_NE(error.find("test.yaml:3:3: sysfs '" + path + "'"), std::string::npos) << path << ": " << error;
  }
}

TEST(SysfsProfileTest, FilesThatActAreRefusedWithTheReason) {
  for (const std::string path : {"/sys/power/state", "/sys/power/disk", "/sys/kernel/kexec_loaded",
                                 "/sys/firmware/efi/efivars/x", "/sys/bus/pci/drivers/e1000e/bind",
                                 "/sys/bus/pci/devices/*/remove", "/sys/bus/pci/rescan", "/sys/bus/pci/drivers_probe",
                                 "/sys/class/leds/input0::capslock/trigger", "/sys/kernel/debug/sched/verbose",
                                 "/sys/block/sda/device/delete", "/sys/fs/selinux/enforce"}) {
    const std::string error = parse_error("name: t\nsysfs:\n  " + path + ": 1\n");
    EXPECT_NE(error.find("test.yaml:3:3: sysfs " + path + " is refused: tune never writes it: "), std::string::npos)
        << path << ": " << error;
  }
}

TEST(SysfsProfileTest, AnotherDomainsFileIsRefusedNamingThatDomain) {
  EXPECT_NE(parse_error("name: t\nsysfs:\n  /sys/block/sda/queue/scheduler: none\n").find("use block scheduler"),
            std::string::npos);
  EXPECT_NE(parse_error("name: t\nsysfs:\n  /sys/block/*/queue/read_ahead_kb: 128\n").find("use block read_ahead_kb"),
            std::string::npos);
  EXPECT_NE(parse_error("name: t\nsysfs:\n  /sys/kernel/mm/transparent_hugepage/enabled: never\n").find("use memory "),
            std::string::npos);
  EXPECT_NE(parse_error("name: t\nsysfs:\n  /sys/devices/system/cpu/cpufreq/policy0/scaling_governor: x\n").find("use cpu governor"),
            std::string::npos);
  EXPECT_NE(parse_error("name: t\nsysfs:\n  /sys/module/nf_conntrack/parameters/hashsize: 1\n").find("use modules"),
            std::string::npos);
  EXPECT_NE(parse_error("name: t\nsysfs:\n  /sys/module/nvme_core/parameters/io_timeout: 1\n").find(
                "use modules: { nvme_core: { io_timeout: VALUE } }"),
            std::string::npos);
  EXPECT_NE(parse_error("name: t\nsysfs:\n  /sys/fs/selinux/avc/cache_threshold: 1\n").find("use selinux avc_cache_threshold"),
            std::string::npos);
  EXPECT_NE(parse_error("name: t\nsysfs:\n  /sys/devices/system/cpu/intel_pstate/no_turbo: 1\n").find("Use cpu boost instead"),
            std::string::npos);
}

TEST_F(SysfsPlannerTest, AFileReachedThroughALinkIsCheckedWhereItLeads) {
  // /sys/class/block/sda leads to the disk: its scheduler is the block domain's.
  tree.write("/sys/devices/virtual/block/sda/queue/scheduler", "[none] mq-deadline\n");
  symlink_in(tree, "../../devices/virtual/block/sda", "/sys/class/block/sda");
  tree.write("/sys/devices/pci0/dev1/remove", "");
  tree.write("/sys/devices/pci0/dev1/power_level", "1\n");
  LocalSystem system(tree.root());
  Plan plan = plan_of(system,
                      "name: t\nsysfs:\n  /sys/class/block/sda/queue/scheduler: { value: mq-deadline, unchecked: true }\n"
                      "  /sys/devices/pci0/dev1/*: { value: 1, unchecked: true }\n");
  const Skip* scheduler = skip_at(plan, "sysfs", "/sys/class/block/sda/queue/scheduler");
  ASSERT_NE(scheduler, nullptr);
  EXPECT_NE(scheduler->reason.find("refused: it leads to /sys/block/sda/queue/scheduler: it is tune's block scheduler setting"),
            std::string::npos)
      << scheduler->reason;
  const Skip* remove = skip_at(plan, "sysfs", "/sys/devices/pci0/dev1/remove");
  ASSERT_NE(remove, nullptr);
  EXPECT_NE(remove->reason.find("refused: tune never writes it"), std::string::npos) << remove->reason;
  EXPECT_NE(change_at(plan, "sysfs", "/sys/devices/pci0/dev1/power_level"), nullptr);
}

TEST_F(SysfsPlannerTest, ALinkThatLeavesSysIsRefusedAtPlanAndApplyTime) {
  symlink_in(tree, "/etc", "/sys/class/evil");
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nsysfs:\n  /sys/class/evil/hostname: { value: owned, unchecked: true }\n");
  const Skip* evil = skip_at(plan, "sysfs", "/sys/class/evil/hostname");
  ASSERT_NE(evil, nullptr);
  EXPECT_EQ(evil->reason, "refused: its symbolic links lead out of /sys (to /etc/hostname)");
  EXPECT_EQ(change_at(plan, "file", kSysfsBootFile), nullptr);

  // A hand-made plan (or journal) naming it changes nothing either.
  SysfsKnob knob;
  Change change;
  change.domain = "sysfs";
  change.target = "/sys/class/evil/hostname";
  change.after = "owned";
  auto applied = knob.apply(system, change);
  ASSERT_FALSE(applied);
  EXPECT_NE(applied.error().message.find("lead out of /sys"), std::string::npos);
  EXPECT_FALSE(knob.restore(system, "/sys/class/evil/hostname", PriorState::of_value("owned")));
  EXPECT_FALSE(knob.observe(system, "/sys/power/state"));
  EXPECT_FALSE(knob.observe(system, "/sys/kernel/*/run"));
  EXPECT_EQ(tree.read("/etc/hostname"), "host\n");
}

TEST_F(SysfsPlannerTest, ARelativeLinkClimbingOutOfSysIsRefused) {
  symlink_in(tree, "../../../etc", "/sys/class/up/etc");
  LocalSystem system(tree.root());
  auto file = check_sysfs_file(system, "/sys/class/up/etc/hostname");
  ASSERT_TRUE(file);
  EXPECT_EQ(file->refused, "its symbolic links lead out of /sys (to /etc/hostname)");
}

TEST_F(SysfsPlannerTest, TwoPathsNamingOneFileSetItOnce) {
  LocalSystem system(tree.root());
  Plan plan = plan_of(system,
                      "name: t\nsysfs:\n  /sys/devices/virtual/workqueue/writeback/cpumask: f\n"
                      "  /sys/devices/virtual/workqueue/*/cpumask: 3\n");
  EXPECT_EQ(*change_at(plan, "sysfs", "/sys/devices/virtual/workqueue/writeback/cpumask")->after, "f");
  const Skip* again = skip_at(plan, "sysfs", "/sys/devices/virtual/workqueue/writeback/cpumask");
  ASSERT_NE(again, nullptr);
  EXPECT_NE(again->reason.find("the same file as sysfs /sys/devices/virtual/workqueue/writeback/cpumask"), std::string::npos)
      << again->reason;
}

TEST_F(SysfsPlannerTest, ALinkAndTheFileItLeadsToAreOneChange) {
  // TuneD's cpu-partitioning names the writeback mask both as
  // /sys/bus/workqueue/devices/writeback (a link) and through a glob.
  symlink_in(tree, "../../../devices/virtual/workqueue/writeback", "/sys/bus/workqueue/devices/writeback");
  LocalSystem system(tree.root());
  Plan plan = plan_of(system,
                      "name: t\nsysfs:\n  /sys/bus/workqueue/devices/writeback/cpumask: f\n"
                      "  /sys/devices/virtual/workqueue/*/cpumask: f\n");
  size_t writeback_changes = 0;
  for (const auto& change : plan.changes) {
    if (change.domain == "sysfs" && change.target.find("writeback") != std::string::npos) ++writeback_changes;
  }
  EXPECT_EQ(writeback_changes, 1u);
  const Skip* again = skip_at(plan, "sysfs", "/sys/devices/virtual/workqueue/writeback/cpumask");
  ASSERT_NE(again, nullptr);
  EXPECT_NE(again->reason.find("the same file as sysfs /sys/bus/workqueue/devices/writeback/cpumask"), std::string::npos)
      << again->reason;
  EXPECT_NE(change_at(plan, "sysfs", "/sys/devices/virtual/workqueue/blkcg_punt_bio/cpumask"), nullptr);
}

TEST_F(SysfsPlannerTest, AReadOnlyOrMissingFileIsSkipped) {
  tree.write("/sys/kernel/ro_thing", "1\n", 0444);
  LocalSystem system(tree.root());
  Plan plan = plan_of(system,
                      "name: t\nsysfs:\n  /sys/kernel/ro_thing: { value: 2, unchecked: true }\n"
                      "  /sys/kernel/mm/ksm/nothing: { value: 2, unchecked: true }\n");
  EXPECT_EQ(skip_at(plan, "sysfs", "/sys/kernel/ro_thing")->reason, "read-only here");
  EXPECT_EQ(skip_at(plan, "sysfs", "/sys/kernel/mm/ksm/nothing")->reason, "not available here: no such file");
}

}  // namespace
}  // namespace tune::linux_platform
