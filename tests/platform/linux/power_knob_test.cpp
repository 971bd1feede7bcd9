#include "platform/linux/backend_test_util.h"
#include "platform/linux/power_knob.h"

#include "support/temp_tree.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

namespace tune::linux_platform {
namespace {

using namespace testing_util;

using tune::testing::TempTree;

TEST(PowerKnob, RefusesTargetsThatAreNotLinuxPowerKeys) {
  TempTree tree;
  LocalSystem system(tree.root());
  PowerKnob knob;
  expect_refuses_targets(knob, system, {"../../../etc/passwd", "sleep", "scheme", "link_power_management_policy", "sata_alpm/../x", ""});
}

TEST(PowerKnob, SwitchesCompareAsFlags) {
  PowerKnob knob;
  EXPECT_TRUE(knob.same_at("usb_autosuspend", std::string("true"), std::string("on")));
  EXPECT_TRUE(knob.same_at("audio_power_save_controller", std::string("false"), std::string("0")));
  EXPECT_FALSE(knob.same_at("usb_autosuspend", std::string("1-1=true usb1=false"), std::string("true")));
  EXPECT_FALSE(knob.same_at("sata_alpm", std::string("min_power"), std::string("medium_power")));
}

TEST(PowerKnob, AnAbsentInterfaceIsUnsupportedNotAnError) {
  TempTree tree;
  LocalSystem system(tree.root());
  auto observed = PowerKnob().observe(system, "gpu_power");
  ASSERT_TRUE(observed);
  EXPECT_FALSE(observed->supported);
  EXPECT_EQ(observed->note, "not available here: no radeon or amdgpu card");
}

TEST(PowerKnob, ReadsTheKernelsWordsAsTuneShowsThem) {
  TempTree tree;
  tree.write("/sys/module/snd_hda_intel/parameters/power_save_controller", "N\n");
  tree.write("/sys/bus/usb/devices/usb1/power/control", "auto\n");
  tree.write("/sys/bus/usb/devices/usb2/power/control", "on\n");
  LocalSystem system(tree.root());
  PowerKnob knob;
  EXPECT_EQ(*knob.observe(system, "audio_power_save_controller")->value, "false");
  EXPECT_EQ(*knob.observe(system, "usb_autosuspend")->value, "usb1=true usb2=false");
}

TEST(PowerKnob, RestoreTakesEitherFormAndRefusesAnotherHostsDevices) {
  TempTree tree;
  tree.write("/sys/bus/usb/devices/usb1/power/control", "auto\n");
  tree.write("/sys/bus/usb/devices/usb2/power/control", "auto\n");
  LocalSystem system(tree.root());
  PowerKnob knob;
  ASSERT_TRUE(knob.restore(system, "usb_autosuspend", PriorState::of_value("usb1=false usb2=true")));
  EXPECT_EQ(tree.read("/sys/bus/usb/devices/usb1/power/control"), "on");
  EXPECT_EQ(tree.read("/sys/bus/usb/devices/usb2/power/control"), "auto\n");
  auto wrong = knob.restore(system, "usb_autosuspend", PriorState::of_value("usb1=false usb9=true"));
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("does not give a value for each of usb1, usb2"), std::string::npos);
}

TEST(PowerKnob, ARadeonCardOnALegacyMethodRefusesADpmState) {
  TempTree tree;
  tree.write("/sys/class/drm/card0/device/uevent", "DRIVER=radeon\n");
  tree.write("/sys/class/drm/card0/device/power_method", "profile\n");
  tree.write("/sys/class/drm/card0/device/power_profile", "default\n");
  LocalSystem system(tree.root());
  Change change;
  change.target = "gpu_power";
  change.after = "dpm-battery";
  auto applied = PowerKnob().apply(system, change);
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().message, "power gpu_power: card0 runs the profile method, not DPM (radeon.dpm=1)");
}

}  // namespace
}  // namespace tune::linux_platform
