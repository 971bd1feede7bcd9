// Power supply: battery, mains, on battery or not.
#include "probe_harness.h"

#include <gtest/gtest.h>

namespace tune::testing {
namespace {

void write_supply(const TempTree& tree, const std::string& name, const std::string& file, const std::string& value) {
  tree.write("/sys/class/power_supply/" + name + "/" + file, value + "\n");
}

TEST(PowerProbe, ALaptopUnpluggedIsOnBattery) {
  ProbeHarness h;
  write_supply(h.tree, "AC", "type", "Mains");
  write_supply(h.tree, "AC", "online", "0");
  write_supply(h.tree, "BAT0", "type", "Battery");
  write_supply(h.tree, "BAT0", "status", "Discharging");
  write_supply(h.tree, "BAT0", "capacity", "42");
  detect::probe_power(h.probe);
  EXPECT_EQ(h.facts.power.battery_present, true);
  EXPECT_EQ(h.facts.power.ac_online, false);
  EXPECT_EQ(h.facts.power.on_battery, true);
  EXPECT_EQ(h.facts.power.battery_percent, 42);
  EXPECT_EQ(flatten_facts(h.facts).at("power.on_battery"), "true");
}

TEST(PowerProbe, ALaptopPluggedInIsNot) {
  ProbeHarness h;
  write_supply(h.tree, "ADP1", "type", "Mains");
  write_supply(h.tree, "ADP1", "online", "1");
  write_supply(h.tree, "BAT1", "type", "Battery");
  write_supply(h.tree, "BAT1", "status", "Charging");
  detect::probe_power(h.probe);
  EXPECT_EQ(h.facts.power.on_battery, false);
  EXPECT_EQ(h.facts.power.ac_online, true);
}

TEST(PowerProbe, APeripheralsBatteryDoesNotPowerTheHost) {
  ProbeHarness h;
  write_supply(h.tree, "hidpp_battery_0", "type", "Battery");
  write_supply(h.tree, "hidpp_battery_0", "scope", "Device");
  write_supply(h.tree, "hidpp_battery_0", "status", "Discharging");
  detect::probe_power(h.probe);
  EXPECT_EQ(h.facts.power.battery_present, false);
  EXPECT_EQ(h.facts.power.on_battery, false);
}

TEST(PowerProbe, AServerWithoutSuppliesIsNotOnBattery) {
  ProbeHarness h;
  h.tree.mkdir("/sys/class/power_supply");
  detect::probe_power(h.probe);
  EXPECT_EQ(h.facts.power.on_battery, false);
  EXPECT_FALSE(h.facts.power.ac_online) << "no mains supply listed: unknown, not guessed";
}

TEST(PowerProbe, NoPowerSupplyClassLeavesItUnknown) {
  ProbeHarness h;
  detect::probe_power(h.probe);
  EXPECT_FALSE(h.facts.power.on_battery);
  EXPECT_FALSE(h.facts.power.battery_present);
}

TEST(PowerProbe, ABatteryOfUnknownStatusWithoutMainsIsUnknown) {
  ProbeHarness h;
  write_supply(h.tree, "BAT0", "type", "Battery");
  write_supply(h.tree, "BAT0", "status", "Unknown");
  detect::probe_power(h.probe);
  EXPECT_EQ(h.facts.power.battery_present, true);
  EXPECT_FALSE(h.facts.power.on_battery);
}

TEST(PowerProbe, MalformedOnlineWarns) {
  ProbeHarness h;
  write_supply(h.tree, "AC", "type", "Mains");
  write_supply(h.tree, "AC", "online", "plugged");
  write_supply(h.tree, "BAT0", "type", "Battery");
  write_supply(h.tree, "BAT0", "status", "Full");
  detect::probe_power(h.probe);
  EXPECT_TRUE(h.warned("AC/online: expected 0 or 1"));
  EXPECT_EQ(h.facts.power.on_battery, false) << "a full battery says something powers the host";
}

}  // namespace
}  // namespace tune::testing
