#include "platform/linux/power_planner.h"

#include "platform/linux/backend_test_util.h"
#include "support/kernel_model_system.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

namespace tune::linux_platform {
namespace {

using namespace testing_util;
using tune::testing::KernelModelSystem;
using tune::testing::TempTree;

const std::string kHost0 = "/sys/class/scsi_host/host0/link_power_management_policy";
const std::string kHost3 = "/sys/class/scsi_host/host3/link_power_management_policy";
const std::string kHdaSave = "/sys/module/snd_hda_intel/parameters/power_save";
const std::string kHdaController = "/sys/module/snd_hda_intel/parameters/power_save_controller";
const std::string kAc97Save = "/sys/module/snd_ac97_codec/parameters/power_save";
const std::string kRadeon = "/sys/class/drm/card0/device/";
const std::string kAmdgpu = "/sys/class/drm/card1/device/";

class PowerPlannerTest : public ::testing::Test {
 protected:
  // A laptop-like host: two AHCI hosts with ALPM, one whose controller
  // refuses it, a virtio-scsi host without it; both audio codec modules; a
  // radeon card on the legacy profile method and an amdgpu card (plus a
  // connector, which is no card); a root hub, a device and its interface.
  void SetUp() override {
    tree.write(kHost0, "max_performance\n");
    tree.write("/sys/class/scsi_host/host1/link_power_management_policy", "max_performance\n");
    tree.write("/sys/class/scsi_host/host1/link_power_management_supported", "0\n", 0444);
    tree.write("/sys/class/scsi_host/host2/proc_name", "virtio_scsi\n", 0444);
    tree.write(kHost3, "max_performance\n");
    tree.write(kHdaSave, "0\n");
    tree.write(kHdaController, "Y\n");
    tree.write(kAc97Save, "0\n");
    tree.write(kRadeon + "uevent", "DRIVER=radeon\nPCI_SLOT_NAME=0000:01:00.0\n", 0444);
    tree.write(kRadeon + "power_method", "profile\n");
    tree.write(kRadeon + "power_profile", "default\n");
    tree.write(kAmdgpu + "uevent", "DRIVER=amdgpu\nPCI_SLOT_NAME=0000:03:00.0\n", 0444);
    tree.write(kAmdgpu + "power_dpm_force_performance_level", "auto\n");
    tree.write("/sys/class/drm/card0-DP-1/status", "disconnected\n", 0444);
    tree.write("/sys/bus/usb/devices/usb1/power/control", "on\n");
    tree.write("/sys/bus/usb/devices/1-1/power/control", "on\n");
    tree.write("/sys/bus/usb/devices/1-1:1.0/power/wakeup", "disabled\n");
  }
  // The radeon card running DPM instead (radeon.dpm=1).
  void radeon_dpm() {
    tree.write(kRadeon + "power_method", "dpm\n");
    tree.write(kRadeon + "power_dpm_state", "balanced\n");
  }
  TempTree tree;
};

TEST_F(PowerPlannerTest, ApplyThenRollbackPutsBackEveryByte) {
  KernelModelSystem system(tree.root());
  auto before = snapshot(tree);
  Plan plan = plan_of(system,
                      "name: t\npower:\n  sata_alpm: med_power_with_dipm\n  audio_power_save: 10\n"
                      "  audio_power_save_controller: false\n  gpu_power: low\n  usb_autosuspend: true\n");
  EXPECT_TRUE(plan.skipped.empty()) << plan.skipped.front().reason;
  ASSERT_NE(change_at(plan, "power", "sata_alpm"), nullptr);
  EXPECT_EQ(*change_at(plan, "power", "sata_alpm")->before, "max_performance");
  EXPECT_EQ(*change_at(plan, "power", "sata_alpm")->after, "med_power_with_dipm");
  EXPECT_EQ(*change_at(plan, "power", "audio_power_save_controller")->before, "true");
  EXPECT_EQ(*change_at(plan, "power", "gpu_power")->before, "card0=default card1=auto");
  EXPECT_EQ(*change_at(plan, "power", "gpu_power")->after, "low");
  EXPECT_EQ(*change_at(plan, "power", "usb_autosuspend")->before, "false");
  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report && !report->failed) << (report ? report->failure : report.error().message);
  EXPECT_EQ(tree.read(kHost0), "med_power_with_dipm\n");
  EXPECT_EQ(tree.read(kHost3), "med_power_with_dipm\n");
  EXPECT_EQ(tree.read("/sys/class/scsi_host/host1/link_power_management_policy"), "max_performance\n");
  EXPECT_EQ(tree.read(kHdaSave), "10\n");
  EXPECT_EQ(tree.read(kAc97Save), "10\n");
  EXPECT_EQ(tree.read(kHdaController), "N\n");
  EXPECT_EQ(tree.read(kRadeon + "power_profile"), "low\n");
  EXPECT_EQ(tree.read(kAmdgpu + "power_dpm_force_performance_level"), "low\n");
  EXPECT_EQ(tree.read("/sys/bus/usb/devices/1-1/power/control"), "auto\n");
  EXPECT_EQ(tree.read("/sys/bus/usb/devices/usb1/power/control"), "auto\n");
  auto verified = verify_host(system);
  ASSERT_TRUE(verified);
  EXPECT_TRUE(verified->drift.empty());
  EXPECT_EQ(verified->checked, 7u);
  ASSERT_TRUE(rollback_last(system));
  EXPECT_EQ(snapshot(tree), before);
}

TEST_F(PowerPlannerTest, PersistsThroughItsOwnUdevRulesAndModprobeFile) {
  LocalSystem system(tree.root());
  Plan plan = plan_of(system,
                      "name: t\npower:\n  sata_alpm: min_power\n  audio_power_save: 10\n"
                      "  audio_power_save_controller: true\n  gpu_power: high\n  usb_autosuspend: false\n");
  const Change* rules = change_at(plan, "file", kPowerRulesFile);
  ASSERT_NE(rules, nullptr);
  EXPECT_NE(rules->after->find("ACTION==\"add\", SUBSYSTEM==\"scsi_host\", KERNEL==\"host*\", TEST==\"link_power_management_policy\", "
                               "ATTR{link_power_management_policy}=\"min_power\"\n"),
            std::string::npos)
      << *rules->after;
  EXPECT_NE(rules->after->find("ACTION==\"add\", SUBSYSTEM==\"drm\", KERNEL==\"card0\", DRIVERS==\"radeon\", "
                               "ATTR{device/power_method}=\"profile\", ATTR{device/power_profile}=\"high\"\n"),
            std::string::npos);
  EXPECT_NE(rules->after->find("KERNEL==\"card1\", DRIVERS==\"amdgpu\", ATTR{device/power_dpm_force_performance_level}=\"high\"\n"),
            std::string::npos);
  EXPECT_NE(rules->after->find("SUBSYSTEM==\"usb\", ENV{DEVTYPE}==\"usb_device\", TEST==\"power/control\", ATTR{power/control}=\"on\"\n"),
            std::string::npos);
  const Change* modprobe = change_at(plan, "file", kPowerModprobeFile);
  ASSERT_NE(modprobe, nullptr);
  EXPECT_NE(modprobe->after->find("\noptions snd_ac97_codec power_save=10\n"
                                  "options snd_hda_intel power_save=10 power_save_controller=Y\n"),
            std::string::npos)
      << *modprobe->after;
  // Files come after the runtime values they repeat.
  EXPECT_EQ(plan.changes.back().target, kPowerModprobeFile);
}

TEST_F(PowerPlannerTest, OnlyTheFileAKeyNeedsIsPlanned) {
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\npower:\n  audio_power_save: 1\n");
  EXPECT_EQ(change_at(plan, "file", kPowerRulesFile), nullptr);
  EXPECT_NE(change_at(plan, "file", kPowerModprobeFile), nullptr);
}

TEST_F(PowerPlannerTest, HostsWithoutLinkPowerManagementAreNamed) {
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\npower:\n  sata_alpm: min_power\n");
  const Change* alpm = change_at(plan, "power", "sata_alpm");
  ASSERT_NE(alpm, nullptr);
  EXPECT_EQ(alpm->note,
            "on 2 SATA hosts; without it: host1 (the controller or a disk on it does not support link power management), "
            "host2 (no link power management: not a SATA/AHCI host)");
}

TEST(PowerPlannerBare, AHostWithoutTheInterfacesSaysSoForEveryKey) {
  TempTree tree;
  tree.write("/sys/class/scsi_host/host0/proc_name", "virtio_scsi\n", 0444);
  LocalSystem system(tree.root());
  Plan plan = plan_of(system,
                      "name: t\npower:\n  sata_alpm: min_power\n  audio_power_save: 10\n"
                      "  audio_power_save_controller: true\n  gpu_power: auto\n  usb_autosuspend: true\n");
  EXPECT_TRUE(plan.changes.empty());
  EXPECT_EQ(skip_at(plan, "power", "sata_alpm")->reason,
            "not available here: no SATA host with link power management (host0 (no link power management: not a "
            "SATA/AHCI host))");
  EXPECT_EQ(skip_at(plan, "power", "audio_power_save")->reason,
            "not available here: neither snd_hda_intel nor snd_ac97_codec is loaded");
  EXPECT_EQ(skip_at(plan, "power", "audio_power_save_controller")->reason, "not available here: snd_hda_intel is not loaded");
  EXPECT_EQ(skip_at(plan, "power", "gpu_power")->reason, "not available here: no radeon or amdgpu card");
  EXPECT_EQ(skip_at(plan, "power", "usb_autosuspend")->reason, "not available here: no USB devices");
}

TEST_F(PowerPlannerTest, AHostKeepingTheFirmwarePolicyIsSkippedBecauseRollbackCouldNotRestoreIt) {
  tree.write(kHost3, "keep_firmware\n");
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\npower:\n  sata_alpm: min_power\n");
  EXPECT_EQ(change_at(plan, "power", "sata_alpm"), nullptr);
  ASSERT_NE(skip_at(plan, "power", "sata_alpm"), nullptr);
  EXPECT_EQ(skip_at(plan, "power", "sata_alpm")->reason,
            "host3 keeps the firmware's link power policy (keep_firmware), which the kernel takes no writes of: a "
            "rollback could not put it back");
}

TEST_F(PowerPlannerTest, AHostRefusingTheWriteUndoesTheWholeTransaction) {
  KernelModelSystem system(tree.root());
  system.refuse_value[kHost3] = "min_power";
  auto before = snapshot(tree);
  Plan plan = plan_of(system, "name: t\npower:\n  sata_alpm: min_power\n  usb_autosuspend: true\n");
  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->failed);
  EXPECT_NE(report->failure.find("host3/link_power_management_policy: Invalid argument"), std::string::npos) << report->failure;
  EXPECT_EQ(tree.read(kHost0), "max_performance\n");
  auto after = snapshot(tree);
  EXPECT_EQ(after, before);
}

TEST_F(PowerPlannerTest, ARadeonCardOnDpmTakesOnlyDpmStatesAndOneOfPicksPerCard) {
  radeon_dpm();
  KernelModelSystem system(tree.root());
  auto before = snapshot(tree);
  Plan plan = plan_of(system, "name: t\npower:\n  gpu_power: { one_of: [dpm-battery, low] }\n");
  const Change* gpu = change_at(plan, "power", "gpu_power");
  ASSERT_NE(gpu, nullptr);
  EXPECT_EQ(*gpu->before, "card0=dpm-balanced card1=auto");
  EXPECT_EQ(*gpu->after, "card0=dpm-battery card1=low");
  EXPECT_NE(change_at(plan, "file", kPowerRulesFile)->after->find("KERNEL==\"card0\", DRIVERS==\"radeon\", "
                                                                  "ATTR{device/power_dpm_state}=\"battery\"\n"),
            std::string::npos);
  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report && !report->failed) << (report ? report->failure : report.error().message);
  EXPECT_EQ(tree.read(kRadeon + "power_dpm_state"), "battery\n");
  EXPECT_EQ(tree.read(kRadeon + "power_method"), "dpm\n");
  EXPECT_EQ(tree.read(kAmdgpu + "power_dpm_force_performance_level"), "low\n");
  ASSERT_TRUE(rollback_last(system));
  EXPECT_EQ(snapshot(tree), before);
}

TEST_F(PowerPlannerTest, ACardWithoutTheValueKeepsItsOwnAndIsNamed) {
  KernelModelSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\npower:\n  gpu_power: mid\n");
  const Change* gpu = change_at(plan, "power", "gpu_power");
  ASSERT_NE(gpu, nullptr);
  EXPECT_EQ(*gpu->after, "card0=mid card1=auto");
  EXPECT_NE(gpu->note.find("left as they are: card1 (amdgpu, offers auto low high manual"), std::string::npos) << gpu->note;
  EXPECT_EQ(change_at(plan, "file", kPowerRulesFile)->after->find("card1"), std::string::npos);
  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report && !report->failed);
  EXPECT_EQ(tree.read(kRadeon + "power_profile"), "mid\n");
  EXPECT_EQ(tree.read(kAmdgpu + "power_dpm_force_performance_level"), "auto\n");
}

TEST_F(PowerPlannerTest, AValueNoCardOffersIsSkippedWithWhatEachOffers) {
  radeon_dpm();
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\npower:\n  gpu_power: dynpm\n");
  ASSERT_NE(skip_at(plan, "power", "gpu_power"), nullptr);
  EXPECT_EQ(skip_at(plan, "power", "gpu_power")->reason,
            "value not offered: card0 (radeon, dpm method, offers dpm-battery dpm-balanced dpm-performance); card1 "
            "(amdgpu, offers auto low high manual profile_standard profile_min_sclk profile_min_mclk profile_peak "
            "perf_determinism)");
}

TEST_F(PowerPlannerTest, DynpmSwitchesTheRadeonMethodAndRollbackSwitchesItBack) {
  KernelModelSystem system(tree.root());
  auto before = snapshot(tree);
  // amdgpu has no dynpm: only the radeon card changes.
  Plan plan = plan_of(system, "name: t\npower:\n  gpu_power: dynpm\n");
  ASSERT_NE(change_at(plan, "power", "gpu_power"), nullptr);
  auto report = apply_plan(system, plan);
  ASSERT_TRUE(report && !report->failed);
  EXPECT_EQ(tree.read(kRadeon + "power_method"), "dynpm\n");
  EXPECT_EQ(*change_at(plan, "power", "gpu_power")->after, "card0=dynpm card1=auto");
  ASSERT_TRUE(rollback_last(system));
  EXPECT_EQ(tree.read(kRadeon + "power_method"), "profile\n");
  EXPECT_EQ(snapshot(tree), before);
}

TEST_F(PowerPlannerTest, UsbInterfacesAreNotDevices) {
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\npower:\n  usb_autosuspend: on\n");
  const Change* usb = change_at(plan, "power", "usb_autosuspend");
  ASSERT_NE(usb, nullptr);
  EXPECT_EQ(*usb->after, "true");
  EXPECT_EQ(usb->note, "on 2 USB devices");
}

TEST_F(PowerPlannerTest, ASecondApplyChangesNothing) {
  KernelModelSystem system(tree.root());
  const std::string profile = "name: t\npower:\n  audio_power_save: 5\n  usb_autosuspend: true\n  sata_alpm: medium_power\n";
  ASSERT_TRUE(apply_plan(system, plan_of(system, profile)));
  Plan again = plan_of(system, profile);
  for (const auto& change : again.changes) EXPECT_EQ(change.action, Action::None) << change.target;
}

TEST_F(PowerPlannerTest, MacosAndWindowsKeysAreSkippedOnLinux) {
  LocalSystem system(tree.root());
  Plan plan = plan_of(system, "name: t\npower:\n  sleep: 10\n  scheme: balanced\n  usb_autosuspend: true\n");
  ASSERT_NE(skip_at(plan, "power", "sleep"), nullptr);
  EXPECT_EQ(skip_at(plan, "power", "sleep")->reason, "a macos setting; this host runs linux");
  EXPECT_EQ(skip_at(plan, "power", "scheme")->reason, "a windows setting; this host runs linux");
  EXPECT_NE(change_at(plan, "power", "usb_autosuspend"), nullptr);
}

TEST(PowerProfile, LinuxValuesAreCheckedWhenTheProfileIsRead) {
  for (const char* text : {"name: t\npower:\n  sata_alpm: keep_firmware\n", "name: t\npower:\n  audio_power_save: -1\n",
                           "name: t\npower:\n  gpu_power: turbo\n", "name: t\npower:\n  usb_autosuspend: sometimes\n"}) {
    EXPECT_FALSE(parse_profile(text, "test.yaml")) << text;
  }
  EXPECT_TRUE(parse_profile("name: t\npower:\n  gpu_power: dpm-balanced\n  audio_power_save_controller: false\n", "test.yaml"));
}

}  // namespace
}  // namespace tune::linux_platform
