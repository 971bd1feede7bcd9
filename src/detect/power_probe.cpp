// Power supply: mains, system battery, and whether the host runs on battery.
#include "detect/probes.h"

#include "util/text.h"

namespace tune::detect {
namespace {

constexpr const char* kPowerSupply = "/sys/class/power_supply";

}  // namespace

void probe_power(Probe& probe) {
  PowerFacts& power = probe.facts().power;
  auto listing = probe.system().list_dir(kPowerSupply);
  if (!listing) return;  // no power-supply class here: everything stays unknown

  bool battery = false, discharging = false, mains_seen = false, mains_online = false;
  std::string battery_name, battery_status;
  for (const auto& name : *listing) {
    const std::string dir = std::string(kPowerSupply) + "/" + name;
    const std::string type = probe.line(dir + "/type");
    // A mouse's or headset's battery says scope "Device": it does not power the host.
    if (probe.line(dir + "/scope") == "Device") continue;
    if (type == "Mains" || type == "USB") {
      if (auto online = probe.flag(dir + "/online")) {
        mains_seen = true;
        mains_online |= *online;
      }
    } else if (type == "Battery") {
      if (probe.line(dir + "/present") == "0") continue;  // an empty battery bay
      battery = true;
      battery_name = name;
      battery_status = probe.line(dir + "/status");
      discharging |= battery_status == "Discharging";
      if (auto capacity = probe.integer(dir + "/capacity"); capacity && *capacity >= 0 && *capacity <= 100) {
        power.battery_percent = static_cast<int>(*capacity);
      }
    }
  }

  power.battery_present = battery;
  if (mains_seen) power.ac_online = mains_online;
  if (!battery) {
    power.on_battery = false;
    probe.note("power.on_battery", "no system battery under /sys/class/power_supply");
  } else if (mains_seen && mains_online) {
    power.on_battery = false;
    probe.note("power.on_battery", "mains power is online");
  } else if (discharging || mains_seen) {
    power.on_battery = true;
    probe.note("power.on_battery", battery_name + " is " + (discharging ? "discharging" : "the only power (mains offline)"));
  } else if (battery_status == "Charging" || battery_status == "Full" || battery_status == "Not charging") {
    power.on_battery = false;
    probe.note("power.on_battery", battery_name + " is '" + battery_status + "': something powers the host");
  } else {
    probe.note("power.on_battery", battery_name + " reports '" + battery_status + "' and no mains supply is listed");
  }
}

}  // namespace tune::detect
