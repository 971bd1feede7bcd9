// The net domain's view of the ethtool state System hands out
// (util/nic_settings.h): which names each group has, ethtool's short feature
// names and the kernel features behind them, the "IFACE/GROUP.NAME" targets,
// and which interfaces are NICs.
#pragma once

#include "util/nic_settings.h"
#include "util/system.h"

#include <string>
#include <vector>

namespace tune::linux_platform {

// A parsed target: "eth0/features.rx-gro", "enp1s0/channels.combined".
struct NetTarget {
  std::string interface;
  std::string group;  // features, channels, rings, coalesce
  std::string name;   // a kernel feature, an ethtool short feature name, or the group's setting
  std::string key() const { return group + "." + name; }
  std::string str() const { return interface + "/" + key(); }
};

// Refuses anything that is not an interface name, a group and one of its names.
Result<NetTarget> parse_net_target(const std::string& target);
// Whether KEY ("features.gro", "coalesce.rx-usecs") names a setting.
bool valid_net_key(const std::string& key);

// The setting names of the fixed groups (channels, rings, coalesce), in ethtool's order.
const std::vector<std::string>& net_group_names(const std::string& group);
// How a feature is named in targets: ethtool's short name for a single
// kernel feature becomes that feature (gro -> rx-gro); a short name for
// several (tso, tx) and every kernel name stay as they are.
std::string canonical_feature(const std::string& name);
// The kernel features a feature name stands for (tso: the four TCP
// segmentation features); a kernel name stands for itself.
std::vector<std::string> feature_members(const std::string& name);

// Interfaces backed by a device (/sys/class/net/X/device): what "all" means.
// Loopback, veth, bridges, bonds and tunnels have none.
std::vector<std::string> nic_interfaces(const System& system);
// Every interface there is, sorted.
std::vector<std::string> all_interfaces(const System& system);

// One group of one interface, parsed.
Result<std::vector<NicSetting>> read_nic_group(const System& system, const std::string& interface, const std::string& group);

}  // namespace tune::linux_platform
