#include "platform/linux/swap_planner.h"

#include "platform/linux/backend_test_util.h"
#include "platform/linux/swap_area.h"
#include "platform/linux/swap_knob.h"
#include "support/kernel_model_system.h"
#include "support/sysfs_fixture.h"
#include "util/local_system.h"
#include "util/swap_table.h"

#include <gtest/gtest.h>

#include <cstring>

namespace tune::linux_platform {
namespace {

using namespace testing_util;
using tune::testing::KernelModelSystem;
using tune::testing::TempTree;

class SwapPlannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tune::testing::add_meminfo(tree, 16ull << 20, 8ull << 20);
    tune::testing::add_swaps(tree);
    tree.mkdir("/var/swap");
    tree.mkdir("/etc/systemd/system");
  }
  std::vector<SwapArea> swaps() const { return parse_swap_table(tree.read("/proc/swaps")); }
  TempTree tree;
};

TEST_F(SwapPlannerTest, ASwapFileIsMadeSwappedOnAndEnabledAtBoot) {
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nswap:\n  swapfile: { size: 64M, path: /var/swap/file }\n");
  const Change* file = change_at(plan, "swap", "/var/swap/file");
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->action, Action::Create);
  EXPECT_EQ(*file->after, "64M on");
  EXPECT_NE(file->reason.find("test.yaml:3:"), std::string::npos);
  const Change* unit = change_at(plan, "file", "/etc/systemd/system/var-swap-file.swap");
  ASSERT_NE(unit, nullptr);
  EXPECT_NE(unit->after->find("[Swap]\nWhat=/var/swap/file\n"), std::string::npos);
  EXPECT_NE(change_at(plan, "file", kSwapTargetDropIn)->after->find("[Unit]\nWants=var-swap-file.swap\n"), std::string::npos);

  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report && !report->failed) << (report ? report->failure : report.error().message);
  EXPECT_EQ(tree.mode("/var/swap/file"), 0600u);
  const std::string header = tree.read("/var/swap/file").substr(0, 4096);
  EXPECT_EQ(header.substr(4096 - 10), "SWAPSPACE2");
  ASSERT_EQ(swaps().size(), 1u);
  EXPECT_EQ(swaps()[0].path, "/var/swap/file");
  EXPECT_EQ(swaps()[0].size_kib, 65532u);
}

TEST_F(SwapPlannerTest, RollbackSwapsOffAndRemovesWhatTuneMade) {
  LocalSystem system(tree.root());
  auto before = snapshot(tree);
  ASSERT_TRUE(apply_plan(system, plan_of(system, "name: t\nswap:\n  swapfile: { size: 64M, path: /var/swap/file }\n")));
  ASSERT_TRUE(rollback_last(system));
  EXPECT_FALSE(tree.exists("/var/swap/file"));
  EXPECT_TRUE(swaps().empty());
  EXPECT_EQ(snapshot(tree), before);
}

TEST_F(SwapPlannerTest, AnActiveSwapFileIsResizedAndRollbackMakesItAsItWas) {
  LocalSystem system(tree.root());
  ASSERT_TRUE(system.allocate_file("/var/swap/file", 32 << 20, 0600));
  ASSERT_TRUE(system.swap_on("/var/swap/file", 5));
  Plan plan = plan_of(system, "name: t\nswap:\n  swapfile: { size: 64M, path: /var/swap/file }\n");
  const Change* change = change_at(plan, "swap", "/var/swap/file");
  EXPECT_EQ(*change->before, "32M on priority 5");
  EXPECT_EQ(change->action, Action::Modify);
  ASSERT_TRUE(apply_plan(system, plan));
  EXPECT_EQ(swaps()[0].size_kib, 65532u);
  ASSERT_TRUE(rollback_last(system));
  ASSERT_EQ(swaps().size(), 1u);
  EXPECT_EQ(swaps()[0].size_kib, 32764u);
  EXPECT_EQ(swaps()[0].priority, 5);
}

TEST_F(SwapPlannerTest, ASwapFileTheKernelRefusesIsRemovedAgain) {
  KernelModelSystem system(tree.root());
  system.refuse_swapon.insert("/var/swap/file");
  auto before = snapshot(tree);
  Plan plan = plan_of(system, "name: t\nswap:\n  swapfile: { size: 64M, path: /var/swap/file }\n");
  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report);
  ASSERT_TRUE(report->failed);
  EXPECT_EQ(report->failure, "swap /var/swap/file: swapon /var/swap/file: Invalid argument");
  EXPECT_FALSE(tree.exists("/var/swap/file"));
  EXPECT_EQ(snapshot(tree), before);
}

TEST_F(SwapPlannerTest, AFileThatIsNotActiveSwapIsNeverOverwritten) {
  tree.write("/var/swap/file", "someone's data\n");
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nswap:\n  swapfile: { size: 64M, path: /var/swap/file }\n");
  EXPECT_EQ(plan.pending(), 0u);
  EXPECT_EQ(skip_at(plan, "swap", "swapfile.size")->reason,
            "/var/swap/file exists and is not an active swap area; tune does not overwrite it");
  EXPECT_NE(skip_at(plan, "swap", "swapfile.path"), nullptr);
}

TEST_F(SwapPlannerTest, PathsAndSizesThatCannotBeAreSkipped) {
  LocalSystem system(tree.root());
  EXPECT_EQ(skip_at(plan_of(system, "name: t\nswap:\n  swapfile: { path: /swapfile }\n"), "swap", "swapfile.path")->reason,
            "a swap file needs a size (swapfile: { size: 4G })");
  EXPECT_EQ(skip_at(plan_of(system, "name: t\nswap:\n  swapfile: { size: 1G, path: /nowhere/swap }\n"), "swap",
                    "swapfile.size")
                ->reason,
            "not available here: the directory /nowhere does not exist");
  EXPECT_EQ(skip_at(plan_of(system, "name: t\nswap:\n  swapfile: { size: 1G, path: /proc/swap }\n"), "swap", "swapfile.size")
                ->reason,
            "'/proc/swap' is not a path tune keeps a swap file at (absolute, plain, outside /proc, /sys and /dev)");
}

TEST_F(SwapPlannerTest, ZramTakesAnUnusedDeviceASizeFromRamAndAnOfferedAlgorithm) {
  tune::testing::add_zram(tree, "zram0");
  KernelModelSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nswap:\n  zram: { size: 25%, algorithm: zstd }\n");
  const Change* change = change_at(plan, "swap", "zram0");
  ASSERT_NE(change, nullptr);
  EXPECT_EQ(*change->before, "unused lzo-rle");
  EXPECT_EQ(*change->after, "4G zstd on priority 100");
  EXPECT_NE(change_at(plan, "file", kZramRulesFile)->after->find("KERNEL==\"zram0\", ATTR{comp_algorithm}=\"zstd\", "
                                                                 "ATTR{disksize}=\"4294967296\""),
            std::string::npos);
  EXPECT_NE(change_at(plan, "file", "/etc/systemd/system/dev-zram0.swap")->after->find("Priority=100\n"), std::string::npos);
  EXPECT_NE(change_at(plan, "file", kZramModulesFile)->after->find("\nzram\n"), std::string::npos);
  auto before = snapshot(tree);
  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report && !report->failed) << (report ? report->failure : report.error().message);
  EXPECT_EQ(tree.read("/sys/block/zram0/comp_algorithm"), "lzo-rle lzo lz4 [zstd]\n");
  ASSERT_EQ(swaps().size(), 1u);
  EXPECT_EQ(swaps()[0].path, "/dev/zram0");
  EXPECT_EQ(swaps()[0].priority, 100);
  ASSERT_TRUE(rollback_last(system));
  EXPECT_TRUE(swaps().empty());
  EXPECT_EQ(tree.read("/sys/block/zram0/disksize"), "0\n");
  EXPECT_EQ(snapshot(tree), before);
}

TEST_F(SwapPlannerTest, ZramGeneratorsConfigReplacesTheUdevRuleWhereItIsInstalled) {
  tune::testing::add_zram(tree, "zram0");
  tree.write(kZramGenerator, "", 0755);
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\nswap:\n  zram: { size: 50%, priority: 10 }\n");
  const Change* config = change_at(plan, "file", kZramGeneratorFile);
  ASSERT_NE(config, nullptr);
  EXPECT_NE(config->after->find("[zram0]\nzram-size = ram * 50 / 100\ncompression-algorithm = lzo-rle\nswap-priority = 10\n"),
            std::string::npos);
  EXPECT_EQ(change_at(plan, "file", kZramRulesFile), nullptr);
}

TEST_F(SwapPlannerTest, ZramIsSkippedWithoutADeviceOrWithAnAlgorithmNotOffered) {
  LocalSystem system(tree.root());
  EXPECT_EQ(skip_at(plan_of(system, "name: t\nswap:\n  zram: { size: 1G }\n"), "swap", "zram.size")->reason,
            "not available here: no zram device (load the zram module: modprobe zram)");
  tune::testing::add_zram(tree, "zram0", "[lzo-rle] lzo");
  EXPECT_EQ(skip_at(plan_of(system, "name: t\nswap:\n  zram: { size: 1G, algorithm: zstd }\n"), "swap", "zram.algorithm")
                ->reason,
            "value not offered: zram0 compresses with lzo-rle lzo");
}

TEST(SwapArea, StatesReadBackAsWritten) {
  for (const char* text : {"4G on", "512M off", "8G zstd on priority 100", "unused", "unused lz4", "12345 on"}) {
    auto state = parse_swap_state(text);
    ASSERT_TRUE(state) << text;
    EXPECT_EQ(format_swap_state(*state), text);
  }
  for (const char* text : {"", "4G", "4G sideways", "on", "4G on priority", "4G on priority -3", "-4G on"}) {
    EXPECT_FALSE(parse_swap_state(text)) << text;
  }
}

TEST(SwapArea, TheHeaderIsTheKernelsVersionOneLayout) {
  const std::string header = swap_header(64 << 20, 4096);
  ASSERT_EQ(header.size(), 4096u);
  uint32_t version = 0;
  uint32_t last_page = 0;
  std::memcpy(&version, header.data() + 1024, 4);
  std::memcpy(&last_page, header.data() + 1028, 4);
  EXPECT_EQ(version, 1u);
  EXPECT_EQ(last_page, 16383u);
  EXPECT_EQ(header.substr(4086), "SWAPSPACE2");
  EXPECT_EQ(header.substr(0, 1024), std::string(1024, '\0'));
  EXPECT_NE(swap_header(64 << 20, 4096).substr(1036, 16), header.substr(1036, 16));  // a new UUID each time
}

TEST(SwapArea, UnitNamesAreSystemdsPathEscaping) {
  EXPECT_EQ(systemd_path_name("/swapfile"), "swapfile");
  EXPECT_EQ(systemd_path_name("/var/lib/swap-file"), "var-lib-swap\\x2dfile");
  EXPECT_EQ(systemd_path_name("/srv/.hidden/swap"), "srv-.hidden-swap");
  EXPECT_EQ(systemd_path_name("/a b"), "a\\x20b");
}

TEST(SwapKnob, RefusesTargetsThatAreNeitherAPathNorAZramDevice) {
  TempTree tree;
  LocalSystem system(tree.root());
  for (const char* target : {"relative/file", "/etc/../etc/passwd", "/proc/sys/vm/x", "/dev/sda", "zram", "zramx",
                             "/swap file"}) {
    EXPECT_FALSE(SwapKnob().observe(system, target)) << target;
  }
}

}  // namespace
}  // namespace tune::linux_platform
