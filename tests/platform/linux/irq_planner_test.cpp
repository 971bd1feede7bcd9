#include "platform/linux/irq_planner.h"

#include "core/render.h"
#include "platform/linux/backend_test_util.h"
#include "platform/linux/cpu_sets.h"
#include "platform/linux/irq_files.h"
#include "platform/linux/irq_knob.h"
#include "platform/linux/irqbalance_knob.h"
#include "platform/linux/owned_files.h"
#include "support/fake_service_manager.h"
#include "support/faulty_system.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

namespace tune::linux_platform {
namespace {

using namespace testing_util;
using tune::testing::FakeServiceManager;
using tune::testing::FaultySystem;
using tune::testing::TempTree;

// Debian 12's irqbalance.service and /etc/default/irqbalance (comments shortened).
const char* const kIrqbalanceUnit =
    "[Unit]\nDescription=irqbalance daemon\nConditionVirtualization=!container\n\n[Service]\n"
    "EnvironmentFile=-/usr/lib/irqbalance/defaults.env\nEnvironmentFile=-/etc/default/irqbalance\n"
    "ExecStart=/usr/sbin/irqbalance $IRQBALANCE_ARGS\n\n[Install]\nWantedBy=multi-user.target\n";
const char* const kDebianDefaults =
    "# irqbalance is a daemon process that distributes interrupts across\n#\n#IRQBALANCE_ONESHOT=\n\n"
    "# IRQBALANCE_BANNED_CPULIST\n#    Provides a cpulist which irqbalance should ignore.\n"
    "#IRQBALANCE_BANNED_CPULIST=\n";

// Four CPUs; IRQ 0 kept by the kernel (read-only), 24-26 movable; irqbalance installed and running.
class IrqPlannerTest : public ::testing::Test {
 protected:
  IrqPlannerTest() : door(tree.root()) {
    tree.write("/sys/devices/system/cpu/possible", "0-3\n");
    tree.write("/sys/devices/system/cpu/online", "0-3\n");
    tree.write("/proc/irq/default_smp_affinity", "f\n");
    tree.write("/proc/irq/0/smp_affinity_list", "0\n", 0444);
    tree.write("/proc/irq/24/smp_affinity_list", "0-3\n");
    tree.write("/proc/irq/25/smp_affinity_list", "2\n");
    tree.write("/proc/irq/26/smp_affinity_list", "1,3\n");
    tree.write("/usr/lib/systemd/system/irqbalance.service", kIrqbalanceUnit);
    tree.write("/usr/lib/irqbalance/defaults.env", "IRQBALANCE_ARGS=\n");
    tree.write("/etc/default/irqbalance", kDebianDefaults);
    tree.mkdir("/etc/systemd/system");
    tree.mkdir("/etc/tmpfiles.d");
    auto fake = std::make_unique<FakeServiceManager>();
    fake->units["irqbalance.service"] = UnitStatus{"loaded", "active", "enabled"};
    systemd = fake.get();
    door.set_services(std::move(fake));
  }
  Plan plan(const std::string& irq_section) { return plan_of(door, "name: t\nirq:\n" + irq_section); }

  TempTree tree;
  FaultySystem door;
  FakeServiceManager* systemd = nullptr;
};

TEST(CpuSets, ListsAndMasksReadAndWriteTheKernelsForms) {
  EXPECT_EQ(format_cpulist(*parse_cpulist("3,0-1,2")), "0-3");
  EXPECT_EQ(format_cpulist(*parse_cpulist("0,2,4-5")), "0,2,4-5");
  EXPECT_FALSE(parse_cpulist("3-1"));
  EXPECT_FALSE(parse_cpulist("0-4294967295"));
  EXPECT_FALSE(parse_cpulist("a"));
  EXPECT_EQ(format_cpulist(*parse_cpu_mask("f")), "0-3");
  EXPECT_EQ(format_cpulist(*parse_cpu_mask("00000000,00000003")), "0-1");
  EXPECT_EQ(format_cpulist(*parse_cpu_mask("1,00000000")), "32");
  EXPECT_FALSE(parse_cpu_mask("xyz"));
  EXPECT_EQ(format_cpu_mask({0, 1}), "3");
  EXPECT_EQ(format_cpu_mask({4, 32, 63}), "80000001,00000010");
  EXPECT_EQ(format_cpulist(*parse_systemd_cpus("0 1, 4-5")), "0-1,4-5");
  EXPECT_TRUE(same_cpulist("0,1", "0-1"));
  EXPECT_FALSE(same_cpulist("0", "0-1"));
}

TEST(IrqAffinities, CompareOverTheIrqsBothName) {
  EXPECT_TRUE(same_irq_affinities("0-1", "24=0,1 25=0-1"));
  EXPECT_FALSE(same_irq_affinities("0-1", "24=0-1 25=2"));
  // IRQ 27 came since: nobody's drift.
  EXPECT_TRUE(same_irq_affinities("24=0-3 25=2", "24=0-3 25=2 27=1"));
  EXPECT_FALSE(same_irq_affinities("24=0-3 25=2", "24=0-3 25=3"));
}

TEST_F(IrqPlannerTest, DefaultAffinityIsShownAsACpuListAndKeptAtBootAsAMask) {
  Plan p = plan("  default_affinity: 0-1\n");
  const Change* change = change_at(p, "irq", "default_affinity");
  ASSERT_NE(change, nullptr);
  EXPECT_EQ(*change->before, "0-3");
  EXPECT_EQ(*change->after, "0-1");
  EXPECT_EQ(change->action, Action::Modify);
  const Change* file = change_at(p, "file", kIrqBootFile);
  ASSERT_NE(file, nullptr);
  EXPECT_NE(file->after->find("w /proc/irq/default_smp_affinity - - - - 3\n"), std::string::npos) << *file->after;
  EXPECT_TRUE(linux_owned_file(kIrqBootFile));
}

TEST_F(IrqPlannerTest, AffinityIsOneChangeOverTheIrqsTheKernelLetsMoveAndSaysItIsNotKept) {
  Plan p = plan("  affinity: 0-1\n");
  const Change* change = change_at(p, "irq", "affinity");
  ASSERT_NE(change, nullptr);
  EXPECT_EQ(*change->before, "24=0-3 25=2 26=1,3");
  EXPECT_EQ(*change->after, "0-1");
  EXPECT_EQ(change->persistence, Persistence::Runtime);
  EXPECT_EQ(change->note, "on 3 IRQs; IRQ 0 stays where the kernel keeps it (a per-CPU or managed interrupt)");
  ASSERT_EQ(p.warnings.size(), 2u);
  EXPECT_NE(p.warnings[0].find("is not kept"), std::string::npos);
  EXPECT_NE(p.warnings[0].find("which this profile does not set"), std::string::npos);
  EXPECT_NE(p.warnings[1].find("irqbalance is running"), std::string::npos);
  EXPECT_EQ(change_at(p, "file", kIrqBootFile), nullptr);  // nothing of it is written for the next boot
}

TEST_F(IrqPlannerTest, TheNoteNamesEveryIrqTheKernelKeeps) {
  tree.write("/proc/irq/9/smp_affinity_list", "0-3\n", 0444);
  Plan p = plan("  affinity: 0-1\n  default_affinity: 0-1\n  banned_cpus: 2-3\n");
  EXPECT_EQ(change_at(p, "irq", "affinity")->note,
            "on 3 IRQs; IRQs 0, 9 stay where the kernel keeps them (per-CPU or managed interrupts)");
  ASSERT_EQ(p.warnings.size(), 1u);  // default_affinity and banned_cpus are set: only "not kept"
  EXPECT_EQ(p.warnings[0].find("which this profile does not set"), std::string::npos);
}

TEST_F(IrqPlannerTest, AffinityAlreadyEverywhereIsUnchanged) {
  tree.write("/proc/irq/24/smp_affinity_list", "2\n");
  tree.write("/proc/irq/26/smp_affinity_list", "2\n");
  Plan p = plan("  affinity: '2'\n  banned_cpus: 3\n");
  EXPECT_EQ(change_at(p, "irq", "affinity")->action, Action::None);
}

TEST_F(IrqPlannerTest, BannedCpusIsIrqbalancesOwnDropInThenAReloadAndARestart) {
  Plan p = plan("  banned_cpus: 2-3\n");
  const Change* view = change_at(p, kIrqbalanceDomain, kBannedCpus);
  ASSERT_NE(view, nullptr);
  EXPECT_FALSE(view->before);
  EXPECT_EQ(*view->after, "2-3");
  const Change* dropin = change_at(p, "file", kIrqbalanceDropIn);
  ASSERT_NE(dropin, nullptr);
  EXPECT_EQ(*dropin->after,
            "# Written by tune for profile 't': the CPUs irqbalance leaves alone.\n"
            "# Edit the profile rather than this file: `tune rollback` puts back what was here before.\n"
            "[Service]\nEnvironment=\"IRQBALANCE_BANNED_CPULIST=2-3\"\n");
  EXPECT_TRUE(linux_owned_file(kIrqbalanceDropIn));
  ASSERT_EQ(p.changes.size(), 4u);
  EXPECT_EQ(&p.changes[0], view);  // read before its file is written
  EXPECT_EQ(p.changes[2].target, "daemon-reload");
  EXPECT_EQ(p.changes[3].target, "restart irqbalance.service");
  EXPECT_EQ(p.changes[3].action, Action::Run);
}

TEST_F(IrqPlannerTest, IrqbalanceStoppedGetsNoRestart) {
  systemd->units["irqbalance.service"].active_state = "inactive";
  Plan p = plan("  banned_cpus: 3\n");
  EXPECT_NE(change_at(p, "systemd", "daemon-reload"), nullptr);
  EXPECT_EQ(change_at(p, "systemd", "restart irqbalance.service"), nullptr);
  EXPECT_EQ(change_at(p, "file", kIrqbalanceDropIn)->note, "takes effect when irqbalance.service next starts");
}

TEST_F(IrqPlannerTest, WithoutSystemdTheDropInWaitsAndNoCallIsPlanned) {
  systemd->is_running = false;
  Plan p = plan("  banned_cpus: 3\n");
  EXPECT_NE(change_at(p, "file", kIrqbalanceDropIn), nullptr);
  EXPECT_EQ(change_at(p, "systemd", "daemon-reload"), nullptr);
  ASSERT_EQ(p.warnings.size(), 1u);
  EXPECT_NE(p.warnings[0].find("irqbalance reads it when it next starts"), std::string::npos);
}

TEST_F(IrqPlannerTest, OneDaemonReloadServesTheUnitsAndIrqbalance) {
  Plan p = plan_of(door, "name: t\nservices:\n  irqbalance.service:\n    LimitNOFILE: 4096\n    restart: on-change\n"
                         "irq:\n  banned_cpus: 3\n");
  auto reloads = std::count_if(p.changes.begin(), p.changes.end(), [](const Change& c) { return c.target == "daemon-reload"; });
  auto restarts = std::count_if(p.changes.begin(), p.changes.end(),
                                [](const Change& c) { return c.target == "restart irqbalance.service"; });
  EXPECT_EQ(reloads, 1);
  EXPECT_EQ(restarts, 1);
  auto at = [&](const std::string& target) {
    return std::find_if(p.changes.begin(), p.changes.end(), [&](const Change& c) { return c.target == target; });
  };
  EXPECT_LT(at(kIrqbalanceDropIn), at("daemon-reload"));
  EXPECT_LT(at(kBannedCpus), at(kIrqbalanceDropIn));
}

TEST_F(IrqPlannerTest, EveryBannedCpusSkipSaysWhy) {
  {
    TempTree bare;
    bare.write("/proc/irq/default_smp_affinity", "f\n");
    tune::testing::RootedDoor bare_door(bare.root());
    Plan p = plan_of(bare_door, "name: t\nirq:\n  banned_cpus: 2-3\n");
    ASSERT_NE(skip_at(p, "irq", "banned_cpus"), nullptr);
    EXPECT_EQ(skip_at(p, "irq", "banned_cpus")->reason,
              "irqbalance is not installed: nothing moves IRQs, `affinity` places them once");
  }
  tree.write("/etc/default/irqbalance", std::string(kDebianDefaults) + "IRQBALANCE_BANNED_CPULIST=1\n");
  Plan p = plan("  banned_cpus: 2-3\n");
  EXPECT_EQ(skip_at(p, "irq", "banned_cpus")->reason,
            "/etc/default/irqbalance:8 sets IRQBALANCE_BANNED_CPULIST, and an EnvironmentFile= value wins over "
            "tune's drop-in: change it there, or remove it and let tune set it");
  EXPECT_TRUE(p.changes.empty());
  tree.write("/etc/default/irqbalance", std::string(kDebianDefaults) + "IRQBALANCE_BANNED_CPULIST='2,3'\n");
  p = plan("  banned_cpus: 2-3\n");
  EXPECT_EQ(skip_at(p, "irq", "banned_cpus")->reason,
            "already as wanted: /etc/default/irqbalance:8 sets IRQBALANCE_BANNED_CPULIST=2,3");

  tree.write("/etc/default/irqbalance", std::string(kDebianDefaults) + "IRQBALANCE_BANNED_CPUS=\"0000000c\"\n");
  p = plan("  banned_cpus: 2-3\n");
  EXPECT_EQ(skip_at(p, "irq", "banned_cpus")->reason,
            "/etc/default/irqbalance:8 sets IRQBALANCE_BANNED_CPUS, irqbalance's older form of the same setting: "
            "remove it there, and tune sets IRQBALANCE_BANNED_CPULIST");

  tree.write("/etc/default/irqbalance", kDebianDefaults);
  tree.write("/etc/systemd/system/irqbalance.service.d/99-local.conf",
             "[Service]\nEnvironment=IRQBALANCE_BANNED_CPULIST=1\n");
  p = plan("  banned_cpus: 2-3\n");
  EXPECT_EQ(skip_at(p, "irq", "banned_cpus")->reason,
            "/etc/systemd/system/irqbalance.service.d/99-local.conf:2 sets IRQBALANCE_BANNED_CPULIST after tune's "
            "drop-in, so irqbalance would get 1: remove it there");
  std::filesystem::remove(tree.real("/etc/systemd/system/irqbalance.service.d/99-local.conf"));

  p = plan("  banned_cpus: 0-3\n");
  EXPECT_EQ(skip_at(p, "irq", "banned_cpus")->reason,
            "bans every online CPU (0-3): irqbalance would have none to use");
  p = plan("  banned_cpus: 2-9\n");
  EXPECT_EQ(skip_at(p, "irq", "banned_cpus")->reason, "CPUs 4-9 not on this host (it has CPUs 0-3)");

  // Masked: a link to /dev/null.
  std::filesystem::create_symlink("/dev/null", tree.real("/etc/systemd/system/irqbalance.service"));
  p = plan("  banned_cpus: 2-3\n");
  EXPECT_EQ(skip_at(p, "irq", "banned_cpus")->reason,
            "irqbalance.service is masked: nothing moves IRQs, `affinity` places them once");
}

TEST_F(IrqPlannerTest, EveryAffinitySkipSaysWhy) {
  tree.write("/sys/devices/system/cpu/online", "0-1\n");
  Plan p = plan("  default_affinity: 2-3\n  affinity: 2-3\n");
  EXPECT_EQ(skip_at(p, "irq", "default_affinity")->reason,
            "names no online CPU (online: 0-1), and interrupts need one");
  EXPECT_EQ(skip_at(p, "irq", "affinity")->reason, "names no online CPU (online: 0-1), and interrupts need one");

  TempTree bare;
  bare.write("/proc/irq/0/smp_affinity_list", "0\n", 0444);
  tune::testing::RootedDoor bare_door(bare.root());
  p = plan_of(bare_door, "name: t\nirq:\n  default_affinity: 0\n  affinity: 0\n");
  EXPECT_EQ(skip_at(p, "irq", "default_affinity")->reason, "not available here: no /proc/irq/default_smp_affinity");
  EXPECT_EQ(skip_at(p, "irq", "affinity")->reason,
            "not available here: no IRQ whose affinity may be changed (the kernel keeps IRQs 0)");
}

TEST_F(IrqPlannerTest, ApplyVerifyAndRollbackPutBackEveryByte) {
  auto before = snapshot(tree);
  Plan p = plan("  banned_cpus: 2-3\n  default_affinity: 0-1\n  affinity: 0-1\n");
  auto report = apply_plan(door, p);
  ASSERT_TRUE(report && !report->failed) << (report ? report->failure : report.error().message);
  EXPECT_EQ(tree.read("/proc/irq/default_smp_affinity"), "3\n");
  EXPECT_EQ(tree.read("/proc/irq/24/smp_affinity_list"), "0-1\n");
  EXPECT_EQ(tree.read("/proc/irq/25/smp_affinity_list"), "0-1\n");
  EXPECT_EQ(tree.read("/proc/irq/0/smp_affinity_list"), "0\n");  // the kernel's own
  EXPECT_TRUE(tree.exists(kIrqbalanceDropIn));
  EXPECT_TRUE(tree.exists(kIrqBootFile));
  EXPECT_EQ(systemd->calls, (std::vector<std::string>{"daemon-reload", "restart irqbalance.service"}));
  auto verify = verify_host(door);
  ASSERT_TRUE(verify);
  EXPECT_TRUE(verify->drift.empty());

  // A value set later in the distribution's file shows as drift.
  tree.write("/etc/default/irqbalance", std::string(kDebianDefaults) + "IRQBALANCE_BANNED_CPULIST=1\n");
  verify = verify_host(door);
  ASSERT_TRUE(verify);
  ASSERT_EQ(verify->drift.size(), 1u);
  EXPECT_EQ(verify->drift[0].target, kBannedCpus);
  tree.write("/etc/default/irqbalance", kDebianDefaults);

  auto rolled = rollback_last(door);
  ASSERT_TRUE(rolled) << rolled.error().message;
  EXPECT_TRUE(rolled->errors.empty());
  EXPECT_EQ(snapshot(tree), before);
  EXPECT_FALSE(std::filesystem::exists(tree.real("/etc/systemd/system/irqbalance.service.d")));
  EXPECT_EQ(systemd->calls.back(), "restart irqbalance.service");  // made again over the files put back
}

TEST_F(IrqPlannerTest, AnIrqThatRefusesUndoesTheOthers) {
  auto before = snapshot(tree);
  door.reject_writes.insert("/proc/irq/26/smp_affinity_list");
  Plan p = plan("  default_affinity: 0-1\n  affinity: 0-1\n");
  auto report = apply_plan(door, p);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->failed);
  EXPECT_NE(report->failure.find("irq affinity"), std::string::npos) << report->failure;
  EXPECT_TRUE(report->undo_errors.empty());
  EXPECT_EQ(snapshot(tree), before);
}

TEST_F(IrqPlannerTest, RollbackLeavesAnIrqThatWentAwayAndPutsBackTheRest) {
  Plan p = plan("  affinity: '0'\n");
  auto report = apply_plan(door, p);
  ASSERT_TRUE(report && !report->failed) << (report ? report->failure : report.error().message);
  std::filesystem::remove_all(tree.real("/proc/irq/26"));
  auto rolled = rollback_last(door);
  ASSERT_TRUE(rolled) << rolled.error().message;
  EXPECT_TRUE(rolled->errors.empty());
  EXPECT_EQ(tree.read("/proc/irq/24/smp_affinity_list"), "0-3\n");
  EXPECT_EQ(tree.read("/proc/irq/25/smp_affinity_list"), "2\n");
}

TEST_F(IrqPlannerTest, ASavedPlanCannotNameAnotherFile) {
  IrqKnob knob;
  EXPECT_FALSE(knob.observe(door, "../../etc/shadow"));
  EXPECT_FALSE(IrqbalanceKnob().observe(door, "IRQBALANCE_ARGS"));
}

TEST_F(IrqPlannerTest, ThePlanTableShowsEachSetting) {
  Plan p = plan("  banned_cpus: 2-3\n  default_affinity: 0-1\n");
  const std::string table = render_plan_table(p, Style{});
  EXPECT_NE(table.find("irqbalance"), std::string::npos) << table;
  EXPECT_NE(table.find("default_affinity"), std::string::npos) << table;
}

}  // namespace
}  // namespace tune::linux_platform
