#include "platform/linux/block_planner.h"

#include "platform/linux/backend_test_util.h"
#include "platform/linux/block_knob.h"
#include "support/kernel_model_system.h"
#include "support/sysfs_fixture.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

namespace tune::linux_platform {
namespace {

using namespace testing_util;
using tune::testing::KernelModelSystem;
using tune::testing::TempTree;

// NVMe, a SATA hard disk with a partition, a SATA SSD, a virtio disk, two
// loop devices and an LVM volume over the SSD's partition.
class BlockPlannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tune::testing::add_block_device(tree, {"nvme0n1", false, "[none] mq-deadline", "128", "1023", {"nvme0n1p1"}, {}});
    tune::testing::add_block_device(tree, {"sda", true, "[mq-deadline] none bfq", "128", "64", {"sda1", "sda2"}, {}});
    tune::testing::add_block_device(tree, {"sdb", false, "[mq-deadline] none", "128", "64", {"sdb1"}, {}});
    tune::testing::add_block_device(tree, {"vda", false, "[mq-deadline] none kyber", "128", "256", {}, {}});
    tune::testing::add_block_device(tree, {"loop0", false, "[none] mq-deadline", "128", "128", {}, {}});
    tune::testing::add_block_device(tree, {"loop1", false, "[none] mq-deadline", "128", "128", {}, {}});
    tune::testing::add_block_device(tree, {"dm-0", false, "none", "128", "128", {}, {"sdb1"}});
  }
  TempTree tree;
};

TEST_F(BlockPlannerTest, ClassesReachTheirDisksAndNothingElse) {
  LocalSystem system(tree.root());
  Plan plan = plan_of(system,
                      "name: t\nblock:\n  nvme: { scheduler: none, read_ahead_kb: 1024 }\n  hdd: { scheduler: bfq }\n"
                      "  ssd: { read_ahead_kb: 512 }\n  virtual: { scheduler: none }\n");
  EXPECT_EQ(change_at(plan, "block", "nvme0n1/scheduler")->action, Action::None);
  EXPECT_EQ(*change_at(plan, "block", "nvme0n1/read_ahead_kb")->after, "1024");
  EXPECT_EQ(*change_at(plan, "block", "sda/scheduler")->after, "bfq");
  EXPECT_EQ(*change_at(plan, "block", "sdb/read_ahead_kb")->after, "512");
  EXPECT_EQ(*change_at(plan, "block", "vda/scheduler")->after, "none");
  EXPECT_EQ(change_at(plan, "block", "vda/scheduler")->note, "virtual disks");
  EXPECT_EQ(change_at(plan, "block", "loop0/read_ahead_kb"), nullptr);
  EXPECT_EQ(change_at(plan, "block", "dm-0/read_ahead_kb"), nullptr);
}

TEST_F(BlockPlannerTest, ANameOrGlobReachesDevicesNoClassHasAndBeatsTheClass) {
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nblock:\n  all: { read_ahead_kb: 256 }\n  loop*: { read_ahead_kb: 64 }\n"
                              "  sda: { read_ahead_kb: 4096 }\n");
  EXPECT_EQ(*change_at(plan, "block", "loop0/read_ahead_kb")->after, "64");
  EXPECT_EQ(*change_at(plan, "block", "loop1/read_ahead_kb")->after, "64");
  EXPECT_EQ(*change_at(plan, "block", "sda/read_ahead_kb")->after, "4096");
  EXPECT_EQ(*change_at(plan, "block", "sdb/read_ahead_kb")->after, "256");
  const std::string rules = *change_at(plan, "file", kBlockRulesFile)->after;
  // Least specific first, so at boot the named disk's line wins as it does now.
  EXPECT_LT(rules.find("KERNEL==\"nvme*|vd*|xvd*|sd*|hd*|mmcblk*\""), rules.find("KERNEL==\"loop*\""));
  EXPECT_LT(rules.find("KERNEL==\"loop*\""), rules.find("KERNEL==\"sda\""));
  EXPECT_NE(rules.find("ACTION==\"add|change\", SUBSYSTEM==\"block\", ENV{DEVTYPE}==\"disk\", KERNEL==\"sda\", "
                       "ATTR{queue/read_ahead_kb}=\"4096\"\n"),
            std::string::npos);
}

TEST_F(BlockPlannerTest, APartitionMeansItsDiskAndAVolumeItsDisksForTheScheduler) {
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nblock:\n  sda2: { read_ahead_kb: 2048 }\n  dm-0: { scheduler: none, read_ahead_kb: 512 }\n");
  EXPECT_EQ(*change_at(plan, "block", "sda/read_ahead_kb")->after, "2048");
  EXPECT_EQ(change_at(plan, "block", "sda/read_ahead_kb")->note, "named sda2; sda2 is a partition of sda");
  // The volume keeps its own read-ahead; its scheduler is its disk's.
  EXPECT_EQ(*change_at(plan, "block", "dm-0/read_ahead_kb")->after, "512");
  EXPECT_EQ(*change_at(plan, "block", "sdb/scheduler")->after, "none");
  EXPECT_EQ(change_at(plan, "block", "sdb/scheduler")->note, "named dm-0; a disk of dm-0");
}

TEST_F(BlockPlannerTest, SchedulerNamesMapToWhatTheKernelOffers) {
  tune::testing::add_block_device(tree, {"sdc", true, "noop [deadline] cfq", "128", "128", {}, {}});
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nblock:\n  sdc: { scheduler: none }\n");
  const Change* change = change_at(plan, "block", "sdc/scheduler");
  ASSERT_NE(change, nullptr);
  EXPECT_EQ(*change->before, "deadline");
  EXPECT_EQ(*change->after, "noop");
  EXPECT_EQ(change->note, "none is called noop by this kernel");
  Plan already = plan_of(system, "name: t\nblock:\n  sdc: { scheduler: mq-deadline }\n");
  EXPECT_EQ(change_at(already, "block", "sdc/scheduler")->action, Action::None);
  // An old name in a profile (a warning when it is read) asks a blk-mq device for its name.
  Plan legacy = plan_of(system, "name: t\nblock:\n  sdb: { scheduler: noop }\n");
  const Change* sdb = change_at(legacy, "block", "sdb/scheduler");
  ASSERT_NE(sdb, nullptr);
  EXPECT_EQ(*sdb->after, "none");
  EXPECT_EQ(sdb->note, "noop is called none by this kernel");
  EXPECT_NE(change_at(legacy, "file", kBlockRulesFile)->after->find("ATTR{queue/scheduler}=\"none\""), std::string::npos);
}

TEST_F(BlockPlannerTest, ASchedulerNotOfferedIsSkippedWithTheOfferedList) {
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nblock:\n  nvme: { scheduler: kyber }\n");
  ASSERT_NE(skip_at(plan, "block", "nvme/scheduler"), nullptr);
  EXPECT_EQ(skip_at(plan, "block", "nvme/scheduler")->reason, "nvme0n1: value not offered: nvme0n1 offers none mq-deadline");
}

TEST_F(BlockPlannerTest, AbsentReadOnlyAndRaiseOnlyAreSkippedWithTheirReasons) {
  tree.write("/sys/block/sdb/queue/read_ahead_kb", "128\n", 0444);
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nblock:\n  sdb: { read_ahead_kb: 256, wbt_lat_usec: 0 }\n  sda: { nr_requests: 32 }\n"
                              "  nvme9n1: { scheduler: none }\n");
  EXPECT_EQ(skip_at(plan, "block", "sdb/read_ahead_kb")->reason, "sdb: read-only here: /sys/block/sdb/queue/read_ahead_kb");
  EXPECT_EQ(skip_at(plan, "block", "sdb/wbt_lat_usec")->reason, "sdb: not available here: no /sys/block/sdb/queue/wbt_lat_usec");
  EXPECT_EQ(skip_at(plan, "block", "sda/nr_requests")->reason, "sda: would lower a raise-only limit (sda has 64)");
  EXPECT_EQ(skip_at(plan, "block", "nvme9n1/scheduler")->reason, "not available here: no block device here is named nvme9n1");
}

TEST_F(BlockPlannerTest, ApplyThenRollbackPutsBackEveryByte) {
  KernelModelSystem system(tree.root());
  auto before = snapshot(tree);
  Plan plan = plan_of(system, "name: t\nblock:\n  all: { scheduler: none, read_ahead_kb: { at_least: 1024 } }\n"
                              "  loop*: { scheduler: mq-deadline, nr_requests: 512 }\n");
  EXPECT_TRUE(plan.skipped.empty()) << plan.skipped.front().reason;
  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report && !report->failed) << (report ? report->failure : report.error().message);
  EXPECT_EQ(tree.read("/sys/block/sda/queue/scheduler"), "mq-deadline [none] bfq\n");
  EXPECT_EQ(tree.read("/sys/block/loop1/queue/nr_requests"), "512\n");
  auto verify = verify_host(system);
  ASSERT_TRUE(verify && verify->drift.empty());
  ASSERT_TRUE(rollback_last(system));
  EXPECT_EQ(snapshot(tree), before);
}

TEST_F(BlockPlannerTest, AValueTheKernelRejectsNamesTheFileAndPutsBackTheEarlierSteps) {
  KernelModelSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nblock:\n  loop*: { read_ahead_kb: 512, scheduler: mq-deadline }\n");
  tree.write("/sys/block/loop1/queue/scheduler", "[none]\n");  // the kernel no longer offers mq-deadline here
  auto before = snapshot(tree);
  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report);
  ASSERT_TRUE(report->failed);
  EXPECT_EQ(report->failure, "block loop1/scheduler: writing /sys/block/loop1/queue/scheduler: Invalid argument");
  EXPECT_EQ(snapshot(tree), before);
}

TEST(BlockKnob, RefusesTargetsThatAreNotADeviceAndAQueueKey) {
  for (const char* target : {"../../etc/passwd/scheduler", "sda/../../x", "sda/queue", "sda", "/sda/scheduler",
                             "sd*/scheduler", "sda/scheduler/x"}) {
    EXPECT_FALSE(block_attribute_path(target)) << target;
  }
  EXPECT_EQ(*block_attribute_path("nvme0n1/read_ahead_kb"), "/sys/block/nvme0n1/queue/read_ahead_kb");
}

}  // namespace
}  // namespace tune::linux_platform
