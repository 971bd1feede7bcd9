#include "platform/linux/boot_planner.h"

#include "platform/linux/backend_test_util.h"
#include "platform/linux/boot_cmdline.h"
#include "platform/linux/boot_knob.h"
#include "support/rooted_door.h"
#include "util/text.h"

#include <gtest/gtest.h>

#include <set>

namespace tune::linux_platform {
namespace {

using namespace testing_util;
using tune::testing::TempTree;

// A rooted host whose programs "run": each argv is recorded, and the ones in
// `failing` exit 1.
class ProgramDoor final : public tune::testing::RootedDoor {
 public:
  using RootedDoor::RootedDoor;
  std::vector<std::string> ran;
  std::set<std::string> failing;
  bool can_run_programs() const override { return true; }
  Result<ProcessResult> run(const std::vector<std::string>& argv) override {
    ran.push_back(join(argv, " "));
    if (failing.count(argv.front())) return ProcessResult{1, "", "error: cannot write /boot/grub/grub.cfg.new"};
    return ProcessResult{};
  }
};

const char* const kGrubDefaults =
    "GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\nGRUB_CMDLINE_LINUX=\"console=ttyS0 ${EXTRA}\"\n";

class BootPlannerTest : public ::testing::Test {
 protected:
  BootPlannerTest() : door(tree.root()) {
    tree.write("/etc/default/grub", kGrubDefaults);
    tree.write("/proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/vda1 console=ttyS0 quiet\n");
    tree.write("/proc/sys/kernel/osrelease", "6.1.0-18-amd64\n");
  }
  TempTree tree;
  ProgramDoor door;
};

TEST_F(BootPlannerTest, GrubGetsADropInThenUpdateGrubAndEveryParameterNeedsAReboot) {
  Plan p = plan_of(door, "name: t\nboot:\n  nosoftlockup: true\n  hugepages: 16\n");
  const Change* flag = change_at(p, "boot", "nosoftlockup");
  ASSERT_NE(flag, nullptr);
  EXPECT_FALSE(flag->before);
  EXPECT_EQ(*flag->after, "true");
  EXPECT_TRUE(flag->needs_reboot);
  EXPECT_EQ(flag->note, "from the next boot");
  const Change* dropin = change_at(p, "file", kGrubDropIn);
  ASSERT_NE(dropin, nullptr);
  EXPECT_NE(dropin->after->find("GRUB_CMDLINE_LINUX_DEFAULT=\"${GRUB_CMDLINE_LINUX_DEFAULT} nosoftlockup hugepages=16\"\n"),
            std::string::npos);
  const Change* call = change_at(p, "boot", kUpdateGrub);
  ASSERT_NE(call, nullptr);
  EXPECT_EQ(call->action, Action::Run);
  EXPECT_EQ(&p.changes.back(), call);  // after the file it reads
}

TEST_F(BootPlannerTest, ApplyRunsUpdateGrubVerifyWaitsForTheRebootAndRollbackRegenerates) {
  auto before = snapshot(tree);
  Plan p = plan_of(door, "name: t\nboot:\n  nosoftlockup: true\n");
  auto report = apply_plan(door, p);
  ASSERT_TRUE(report && !report->failed) << (report ? report->failure : report.error().message);
  EXPECT_EQ(door.ran, (std::vector<std::string>{"update-grub"}));
  auto verify = verify_host(door);
  ASSERT_TRUE(verify);
  EXPECT_TRUE(verify->drift.empty());
  ASSERT_EQ(verify->pending.size(), 1u);
  EXPECT_EQ(verify->pending[0].note, "the running kernel has no nosoftlockup; the next boot takes nosoftlockup");
  // After the reboot the running kernel has it: nothing is pending.
  tree.write("/proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/vda1 console=ttyS0 quiet nosoftlockup\n");
  verify = verify_host(door);
  ASSERT_TRUE(verify);
  EXPECT_TRUE(verify->pending.empty());
  tree.write("/proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/vda1 console=ttyS0 quiet\n");
  ASSERT_TRUE(rollback_last(door));
  EXPECT_EQ(door.ran, (std::vector<std::string>{"update-grub", "update-grub"}));
  EXPECT_EQ(snapshot(tree), before);
}

TEST_F(BootPlannerTest, AFailingUpdateGrubPutsTheDropInBackAndRegeneratesAgain) {
  door.failing.insert("update-grub");
  auto before = snapshot(tree);
  auto report = apply_plan(door, plan_of(door, "name: t\nboot:\n  nosoftlockup: true\n"));
  ASSERT_TRUE(report);
  ASSERT_TRUE(report->failed);
  EXPECT_EQ(report->failure, "boot update-grub: update-grub exited 1: error: cannot write /boot/grub/grub.cfg.new");
  EXPECT_EQ(snapshot(tree), before);
  EXPECT_EQ(door.ran.size(), 2u);
}

TEST_F(BootPlannerTest, KernelInstallHostsGetTheirCmdlineFileAndKernelInstall) {
  TempTree other;
  other.write("/etc/kernel/cmdline", "root=UUID=1 ro quiet\n");
  other.write("/proc/cmdline", "root=UUID=1 ro quiet\n");
  other.write("/proc/sys/kernel/osrelease", "6.1.0-18-amd64\n");
  ProgramDoor host(other.root());
  Plan p = plan_of(host, "name: t\nboot:\n  mitigations: auto\n");
  EXPECT_EQ(*change_at(p, "file", kKernelCmdline)->after, "root=UUID=1 ro quiet mitigations=auto\n");
  ASSERT_TRUE(apply_plan(host, p));
  EXPECT_EQ(host.ran, (std::vector<std::string>{"kernel-install add 6.1.0-18-amd64 /boot/vmlinuz-6.1.0-18-amd64"}));
}

TEST_F(BootPlannerTest, WithoutABootLoaderConfigurationEveryParameterIsSkipped) {
  TempTree bare;
  bare.write("/proc/cmdline", "quiet\n");
  tune::testing::RootedDoor host(bare.root());
  Plan p = plan_of(host, "name: t\nboot:\n  nosoftlockup: true\n");
  EXPECT_EQ(skip_at(p, "boot", "nosoftlockup")->reason,
            "not available here: no GRUB (/etc/default/grub) or kernel-install (/etc/kernel/cmdline) configuration");
}

TEST_F(BootPlannerTest, InATreeUpdateGrubIsLeftToTheTreeWithAWarning) {
  tune::testing::RootedDoor tree_door(tree.root());  // programs cannot run in a tree
  Plan p = plan_of(tree_door, "name: t\nboot:\n  nosoftlockup: true\n");
  EXPECT_EQ(change_at(p, "boot", kUpdateGrub), nullptr);
  EXPECT_EQ(p.warnings.back(), "update-grub is not run on a tree given with --root: run it inside the tree before it boots");
}

TEST(BootCmdline, GrubsFilesAreReadAsUpdateGrubSourcesThem) {
  TempTree tree;
  tree.write("/etc/default/grub", "EXTRA=mitigations=off\nGRUB_CMDLINE_LINUX=\"console=ttyS0 ${EXTRA}\"\n"
                                  "GRUB_CMDLINE_LINUX_DEFAULT='quiet'  # a comment\n");
  tree.write("/etc/default/grub.d/50-x.cfg", "GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT hugepages=8\"\n");
  tree.write("/etc/default/grub.d/90-tune.cfg", "GRUB_CMDLINE_LINUX_DEFAULT=\"${GRUB_CMDLINE_LINUX_DEFAULT} hugepages=16\"\n");
  LocalSystem system(tree.root());
  auto words = configured_cmdline(system, boot_loader(system));
  EXPECT_EQ(words, (std::vector<std::string>{"console=ttyS0", "mitigations=off", "quiet", "hugepages=8", "hugepages=16"}));
  EXPECT_EQ(*cmdline_value(words, "hugepages"), "16");
  EXPECT_EQ(*cmdline_value(words, "quiet"), "true");
  EXPECT_FALSE(cmdline_value(words, "nosmt"));
  EXPECT_FALSE(cmdline_value({"quiet", "--", "nosmt"}, "nosmt"));
}

}  // namespace
}  // namespace tune::linux_platform
