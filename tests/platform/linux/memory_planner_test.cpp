#include "platform/linux/memory_planner.h"

#include "platform/linux/backend_test_util.h"
#include "platform/linux/memory_knob.h"
#include "support/kernel_model_system.h"
#include "support/sysfs_fixture.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

namespace tune::linux_platform {
namespace {

using namespace testing_util;
using tune::testing::KernelModelSystem;
using tune::testing::TempTree;

// Transparent hugepages, 2M and 1G pools on two NUMA nodes, 64 GiB of RAM.
class MemoryPlannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tune::testing::add_thp(tree);
    tune::testing::add_hugepages(tree, {2048, 1048576}, 2);
    tune::testing::add_meminfo(tree, 64ull << 20, 3ull << 20);
  }
  TempTree tree;
};

TEST_F(MemoryPlannerTest, TransparentHugepagesReadAndWriteTheKernelsChoice) {
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nmemory:\n  transparent_hugepages: { enabled: never, defrag: defer+madvise }\n");
  EXPECT_EQ(*change_at(plan, "memory", "transparent_hugepages.enabled")->before, "madvise");
  EXPECT_EQ(*change_at(plan, "memory", "transparent_hugepages.enabled")->after, "never");
  EXPECT_EQ(*change_at(plan, "memory", "transparent_hugepages.defrag")->after, "defer+madvise");
  const std::string boot = *change_at(plan, "file", kMemoryBootFile)->after;
  EXPECT_NE(boot.find("w /sys/kernel/mm/transparent_hugepage/enabled - - - - never\n"), std::string::npos);
}

TEST_F(MemoryPlannerTest, AModeTheKernelDoesNotOfferIsSkippedWithTheOfferedList) {
  tree.write("/sys/kernel/mm/transparent_hugepage/shmem_enabled", "always within_size advise [never]\n");
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nmemory:\n  transparent_hugepages: { shmem_enabled: force }\n");
  EXPECT_EQ(skip_at(plan, "memory", "transparent_hugepages.shmem_enabled")->reason,
            "value not offered: this kernel offers always within_size advise never");
}

TEST_F(MemoryPlannerTest, HugepagesPerNodeGoToEachNodesPool) {
  KernelModelSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nmemory:\n  hugepages:\n    2M: { node0: 512, node1: 256 }\n");
  const Change* node1 = change_at(plan, "memory", "2M/hugepages.node1");
  ASSERT_NE(node1, nullptr);
  EXPECT_EQ(*node1->after, "256");
  EXPECT_EQ(node1->note, "on NUMA node 1");
  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report && !report->failed) << (report ? report->failure : report.error().message);
  EXPECT_EQ(tree.read("/sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages"), "256\n");
  EXPECT_NE(change_at(plan, "file", kMemoryBootFile)
                ->after->find("w /sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages - - - - 512\n"),
            std::string::npos);
}

TEST_F(MemoryPlannerTest, FewerPagesThanAskedFailsTheStepWithBothNumbersAndPutsEverythingBack) {
  KernelModelSystem system(tree.root());
  system.hugepage_limit["/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages"] = 100;
  auto before = snapshot(tree);
  Plan plan = plan_of(system, "name: t\nmemory:\n  transparent_hugepages: never\n  hugepages: { 2M: 512 }\n");
  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report);
  ASSERT_TRUE(report->failed);
  EXPECT_NE(report->failure.find("memory 2M/hugepages.count: the kernel reserved 100 of the 512 2 MiB pages asked "
                                 "(free memory 3.0 GiB, available 4.5 GiB"),
            std::string::npos)
      << report->failure;
  EXPECT_NE(report->failure.find("hugepagesz=2M hugepages=512"), std::string::npos) << report->failure;
  EXPECT_EQ(snapshot(tree), before);
}

TEST_F(MemoryPlannerTest, OneGigabytePagesAreTriedAndPointAtTheBootDomain) {
  KernelModelSystem system(tree.root());
  system.hugepage_limit["/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages"] = 0;
  Plan plan = plan_of(system, "name: t\nmemory:\n  hugepages: { 1G: 4 }\n");
  EXPECT_NE(change_at(plan, "memory", "1G/hugepages.count")->note.find("the boot domain reserves them reliably"),
            std::string::npos);
  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report && report->failed);
  EXPECT_NE(report->failure.find("reserve them at boot (boot domain: hugepagesz=1G hugepages=4)"), std::string::npos);
}

TEST_F(MemoryPlannerTest, AbsentSizesNodesAndImpossibleCountsAreSkipped) {
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nmemory:\n  hugepages:\n    16G: 1\n    2M: { node5: 1 }\n    1G: 65\n");
  EXPECT_EQ(skip_at(plan, "memory", "16G/hugepages.count")->reason, "not available here: this kernel offers no 16 GiB pages");
  EXPECT_EQ(skip_at(plan, "memory", "2M/hugepages.node5")->reason, "not available here: there is no NUMA node 5");
  EXPECT_EQ(skip_at(plan, "memory", "1G/hugepages.count")->reason,
            "would reserve 65.0 GiB in 1G pages, more than this host's memory (64.0 GiB)");
}

TEST_F(MemoryPlannerTest, AReadOnlyFileIsSkippedNamingIt) {
  tree.write("/sys/kernel/mm/transparent_hugepage/defrag", "always defer [madvise] never\n", 0444);
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nmemory:\n  transparent_hugepages: { defrag: defer }\n");
  EXPECT_EQ(skip_at(plan, "memory", "transparent_hugepages.defrag")->reason,
            "read-only here: /sys/kernel/mm/transparent_hugepage/defrag");
}

TEST_F(MemoryPlannerTest, AValueTheKernelRejectsNamesTheFileAndPutsBackTheEarlierSteps) {
  KernelModelSystem system(tree.root());
  system.refuse_value["/sys/kernel/mm/transparent_hugepage/defrag"] = "defer";
  auto before = snapshot(tree);
  Plan plan = plan_of(system, "name: t\nmemory:\n  transparent_hugepages: { enabled: never, defrag: defer }\n");
  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report);
  ASSERT_TRUE(report->failed);
  EXPECT_EQ(report->failure,
            "memory transparent_hugepages.defrag: writing /sys/kernel/mm/transparent_hugepage/defrag: Invalid argument");
  EXPECT_EQ(snapshot(tree), before);
}

TEST_F(MemoryPlannerTest, ApplyThenRollbackPutsBackEveryByte) {
  KernelModelSystem system(tree.root());
  auto before = snapshot(tree);
  Plan plan = plan_of(system, "name: t\nmemory:\n  transparent_hugepages: { enabled: never, defrag: defer, "
                              "khugepaged_defrag: 0, shmem_enabled: advise }\n  hugepages: { 2M: 64, 1G: 2 }\n");
  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report && !report->failed) << (report ? report->failure : report.error().message);
  EXPECT_EQ(tree.read("/sys/kernel/mm/transparent_hugepage/enabled"), "always madvise [never]\n");
  ASSERT_TRUE(rollback_last(system));
  EXPECT_EQ(snapshot(tree), before);
}

TEST(MemoryKnob, RefusesTargetsThatAreNotMemorySettings) {
  for (const char* target : {"../../etc/passwd", "3M/hugepages.count", "2M/hugepages.node-1", "2M/hugepages.node01",
                             "2M/nr_hugepages", "transparent_hugepages.x", "2M/hugepages.node1/../../x"}) {
    EXPECT_FALSE(memory_target(target)) << target;
  }
  EXPECT_EQ(memory_target("2M/hugepages.node1")->path,
            "/sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages");
}

}  // namespace
}  // namespace tune::linux_platform
