#include "platform/linux/systemd_manager_planner.h"

#include "core/render.h"
#include "platform/linux/backend_test_util.h"
#include "platform/linux/manager_limits.h"
#include "platform/linux/owned_files.h"
#include "platform/linux/systemd_manager_knob.h"
#include "support/rooted_door.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace tune::linux_platform {
namespace {

using namespace testing_util;
using tune::testing::RootedDoor;
using tune::testing::TempTree;

const char* const kSystemConf = "#  This file is part of systemd.\n[Manager]\n#LogLevel=info\n#CPUAffinity=\n";

// Four CPUs, systemd's stock system.conf, PID 1 on every CPU.
class SystemdManagerTest : public ::testing::Test {
 protected:
  SystemdManagerTest() : door(tree.root()) {
    tree.write("/sys/devices/system/cpu/possible", "0-3\n");
    tree.write("/sys/devices/system/cpu/online", "0-3\n");
    tree.write("/etc/systemd/system.conf", kSystemConf);
    tree.write("/proc/1/status", "Name:\tsystemd\nState:\tS (sleeping)\nCpus_allowed:\tf\nCpus_allowed_list:\t0-3\n");
  }
  Plan plan(const std::string& value) { return plan_of(door, "name: t\nsystemd:\n  CPUAffinity: " + value + "\n"); }

  TempTree tree;
  RootedDoor door;
};

TEST(ManagerCpuAffinity, AssignmentsMergeAndAnEmptyOneResets) {
  ConfigSet config;
  config.main = ConfigFile{"/etc/systemd/system.conf", "[Manager]\nCPUAffinity=0 1\nCPUAffinity=3\n"};
  EXPECT_EQ(*manager_cpu_affinity(config).cpus, "0-1,3");
  EXPECT_EQ(manager_cpu_affinity(config).from, "/etc/systemd/system.conf:3");
  config.drop_ins.push_back({"/etc/systemd/system.conf.d/a.conf", "[Manager]\nCPUAffinity=\n"});
  EXPECT_FALSE(manager_cpu_affinity(config).cpus);
  config.drop_ins.push_back({"/etc/systemd/system.conf.d/b.conf", "[Manager]\nCPUAffinity=bogus\n[Journal]\nCPUAffinity=2\n"});
  EXPECT_FALSE(manager_cpu_affinity(config).cpus);  // systemd ignores what it cannot parse, and other sections
}

TEST_F(SystemdManagerTest, PlansTheManagersValueAndItsOwnDropInForTheNextBoot) {
  Plan p = plan("0-1");
  const Change* view = change_at(p, kSystemdManagerDomain, kCpuAffinity);
  ASSERT_NE(view, nullptr);
  EXPECT_FALSE(view->before);
  EXPECT_EQ(*view->after, "0-1");
  EXPECT_EQ(view->action, Action::Create);
  EXPECT_TRUE(view->needs_reboot);
  EXPECT_EQ(view->note, "from the next boot (PID 1 runs on CPUs 0-3 now)");
  const Change* file = change_at(p, "file", kCpuAffinityDropIn);
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(*file->after,
            "# Written by tune for profile 't': the CPUs systemd and the services it starts run on, from the next "
            "boot.\n# Edit the profile rather than this file: `tune rollback` puts back what was here before.\n"
            "[Manager]\nCPUAffinity=\nCPUAffinity=0-1\n");
  EXPECT_TRUE(linux_owned_file(kCpuAffinityDropIn));
  EXPECT_EQ(&p.changes.front(), view);  // the view reads its before ahead of the file
  const std::string table = render_plan_table(p, Style{});
  EXPECT_NE(table.find("systemd_manager"), std::string::npos) << table;
  EXPECT_NE(table.find("CPUAffinity"), std::string::npos) << table;
}

TEST_F(SystemdManagerTest, TheBeforeIsWhatTheManagersFilesSay) {
  tree.write("/etc/systemd/system.conf", "[Manager]\nCPUAffinity=0 1 2\n");
  Plan p = plan("0-2");
  EXPECT_EQ(*change_at(p, kSystemdManagerDomain, kCpuAffinity)->before, "0-2");
  EXPECT_EQ(change_at(p, kSystemdManagerDomain, kCpuAffinity)->action, Action::None);
}

TEST_F(SystemdManagerTest, EverySkipSaysWhy) {
  Plan p = plan("2-9");
  EXPECT_EQ(skip_at(p, "systemd", "CPUAffinity")->reason, "CPUs 4-9 not on this host (it has CPUs 0-3)");
  tree.write("/sys/devices/system/cpu/online", "0-1\n");
  p = plan("2-3");
  EXPECT_EQ(skip_at(p, "systemd", "CPUAffinity")->reason,
            "names no online CPU (online: 0-1): systemd and every service would have none");
  tree.write("/sys/devices/system/cpu/online", "0-3\n");
  tree.write("/etc/systemd/system.conf.d/95-local.conf", "[Manager]\nCPUAffinity=3\n");
  p = plan("0-1");
  EXPECT_EQ(skip_at(p, "systemd", "CPUAffinity")->reason,
            "/etc/systemd/system.conf.d/95-local.conf:2 sets CPUAffinity after tune's drop-in, so systemd would take "
            "0-1,3: remove it there");
  EXPECT_TRUE(p.changes.empty());
}

TEST_F(SystemdManagerTest, ApplyIsPendingUntilTheRebootAndRollbackPutsBackEveryByte) {
  auto before = snapshot(tree);
  Plan p = plan("0-1");
  auto report = apply_plan(door, p);
  ASSERT_TRUE(report && !report->failed) << (report ? report->failure : report.error().message);
  EXPECT_TRUE(tree.exists(kCpuAffinityDropIn));
  auto verify = verify_host(door);
  ASSERT_TRUE(verify);
  EXPECT_TRUE(verify->drift.empty());
  ASSERT_EQ(verify->pending.size(), 1u);
  EXPECT_EQ(verify->pending[0].note, "PID 1 runs on CPUs 0-3; systemd takes 0-1 at the next boot");
  // After the reboot PID 1 has it: nothing is pending.
  tree.write("/proc/1/status", "Name:\tsystemd\nCpus_allowed_list:\t0-1\n");
  verify = verify_host(door);
  ASSERT_TRUE(verify);
  EXPECT_TRUE(verify->pending.empty());
  EXPECT_TRUE(verify->drift.empty());
  tree.write("/proc/1/status", "Name:\tsystemd\nState:\tS (sleeping)\nCpus_allowed:\tf\nCpus_allowed_list:\t0-3\n");

  auto rolled = rollback_last(door);
  ASSERT_TRUE(rolled) << rolled.error().message;
  EXPECT_TRUE(rolled->errors.empty());
  EXPECT_EQ(snapshot(tree), before);
  EXPECT_FALSE(std::filesystem::exists(tree.real("/etc/systemd/system.conf.d")));
}

TEST_F(SystemdManagerTest, ASavedPlanCannotNameAnotherSetting) {
  EXPECT_FALSE(SystemdManagerKnob().observe(door, "DefaultLimitNOFILE"));
}

}  // namespace
}  // namespace tune::linux_platform
