// Where each Linux power setting lives, and how its files read and write:
// the ALPM policy of every SATA host, the power_save parameters of the audio
// codec modules, each GPU's power method or performance level, and each USB
// device's runtime power control. Like the cpu keys, a setting over many
// files is one value over its members (member_values.h): "host0", "card1",
// "snd_hda_intel", "1-1.2".
#pragma once

#include "platform/linux/member_values.h"
#include "util/result.h"
#include "util/system.h"

#include <string>
#include <vector>

namespace tune::linux_platform {

inline constexpr const char* kScsiHostDir = "/sys/class/scsi_host";
inline constexpr const char* kDrmDir = "/sys/class/drm";
inline constexpr const char* kUsbDevicesDir = "/sys/bus/usb/devices";
inline constexpr const char* kModuleDir = "/sys/module";

// The power keys tune sets on Linux (the domain's other keys are macOS's and
// Windows'), in the order they are applied.
const std::vector<std::string>& linux_power_keys();
bool is_linux_power_key(const std::string& key);

struct PowerSetting {
  std::vector<std::string> members;
  std::vector<std::string> left_out;  // "host1 (the controller has no link power management)": present, not settable
  std::string unavailable;            // why the host lacks it; empty when some member has it
  std::string read_only;              // a file of it that no one may write
};

PowerSetting locate_power_setting(const System& system, const std::string& key);

// Every member's live value as tune shows it: true/false for the USB and
// controller switches, a radeon card's method folded into one word
// ("low", "dynpm", "dpm-balanced").
Result<MemberValues> read_power_values(const System& system, const std::string& key, const PowerSetting& setting);

Status write_power_value(System& system, const std::string& key, const std::string& member, const std::string& value);

bool same_power_value(const std::string& key, const std::string& a, const std::string& b);

// The values one member can take, where that depends on the member (a GPU's
// driver and method); empty where any value of the key's type goes.
std::vector<std::string> offered_power_values(const System& system, const std::string& key, const std::string& member);

// "radeon (dpm)", "amdgpu": what a card is, for notes and skips.
std::string describe_card(const System& system, const std::string& card);
std::string card_driver(const System& system, const std::string& card);

// true/false for the switch keys, as tune shows them.
std::string power_bool_word(const std::string& value);
bool is_power_switch(const std::string& key);

}  // namespace tune::linux_platform
