// NIC settings as text: how every door (the kernel's ethtool ioctl, a --root
// tree, a dry run) hands one group of one interface's ethtool state to the
// backends. A group is "features", "channels", "rings" or "coalesce"; its
// text is one setting a line:
//
//   NAME VALUE [max N] [fixed]
//
//   rx-gro on                  a feature (the kernel's name), on or off
//   tx-lockless on fixed       a feature the driver does not let change
//   combined 4 max 8           a channel count and the driver's maximum
//   rx 256 max 4096            a ring size and its maximum
//   rx-usecs 50                a coalescing parameter (adaptive-rx: on|off)
//
// A setting the interface lacks has no line. A write names only what changes
// ("rx-gro off\ncombined 2\n"); everything else stays as it is.
//
// In a tree given with --root the state is kept in files of this text, one
// per group: /sys/class/net/IFACE/ethtool/GROUP (real sysfs has no such
// directory, so the name cannot collide).
#pragma once

#include "util/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tune {

struct NicSetting {
  std::string name;
  std::string value;
  std::optional<uint64_t> max;  // channels and rings
  bool fixed = false;           // features the driver does not let change
};

// The groups there are, in the order tune applies them.
const std::vector<std::string>& nic_groups();
bool is_nic_group(const std::string& group);
// An interface name the kernel could have (IFNAMSIZ, no '/', no spaces).
bool valid_interface_name(std::string_view name);

Result<std::vector<NicSetting>> parse_nic_settings(std::string_view text);
std::string format_nic_settings(const std::vector<NicSetting>& settings);
const NicSetting* find_nic_setting(const std::vector<NicSetting>& settings, const std::string& name);

// The state after writing `changes` over `current`, refused as a driver
// would: a setting the interface lacks, a fixed feature, a count over its
// maximum or a value that is not on/off or a number.
Result<std::string> merge_nic_settings(std::string_view current, std::string_view changes, const std::string& where);

// Where a rooted tree keeps a group's state.
std::string nic_state_path(const std::string& interface, const std::string& group);

}  // namespace tune
