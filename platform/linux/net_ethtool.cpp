#include "platform/linux/net_ethtool.h"

#include "util/text.h"

#include <algorithm>
#include <map>

namespace tune::linux_platform {
namespace {

// ethtool -K's short names and the kernel features they set (ethtool's
// off_flag_def table; the kernel's names are net/ethtool/common.c's).
const std::map<std::string, std::vector<std::string>>& feature_aliases() {
  static const std::map<std::string, std::vector<std::string>> aliases = {
      {"rx", {"rx-checksum"}},
      {"tx", {"tx-checksum-ipv4", "tx-checksum-ip-generic", "tx-checksum-ipv6", "tx-checksum-fcoe-crc", "tx-checksum-sctp"}},
      {"sg", {"tx-scatter-gather"}},
      {"tso", {"tx-tcp-segmentation", "tx-tcp-ecn-segmentation", "tx-tcp-mangleid-segmentation", "tx-tcp6-segmentation"}},
      {"ufo", {"tx-udp-fragmentation"}},
      {"gso", {"tx-generic-segmentation"}},
      {"gro", {"rx-gro"}},
      {"lro", {"rx-lro"}},
      {"rxvlan", {"rx-vlan-hw-parse"}},
      {"txvlan", {"tx-vlan-hw-insert"}},
      {"ntuple", {"rx-ntuple-filter"}},
      {"rxhash", {"rx-hashing"}},
  };
  return aliases;
}

bool valid_feature_name(const std::string& name) {
  // The kernel's feature strings: lowercase words, digits, '-' and '_' (rx-udp_tunnel-port-offload).
  if (name.empty() || name.size() > 31) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

}  // namespace

const std::vector<std::string>& net_group_names(const std::string& group) {
  static const std::vector<std::string> channels = {"rx", "tx", "other", "combined"};
  static const std::vector<std::string> rings = {"rx", "rx-mini", "rx-jumbo", "tx"};
  static const std::vector<std::string> coalesce = {
      "rx-usecs",     "rx-frames",     "rx-usecs-irq",  "rx-frames-irq", "tx-usecs",       "tx-frames",
      "tx-usecs-irq", "tx-frames-irq", "stats-block-usecs", "adaptive-rx", "adaptive-tx", "pkt-rate-low",
      "rx-usecs-low", "rx-frames-low", "tx-usecs-low",  "tx-frames-low", "pkt-rate-high",  "rx-usecs-high",
      "rx-frames-high", "tx-usecs-high", "tx-frames-high", "sample-interval"};
  static const std::vector<std::string> none;
  if (group == "channels") return channels;
  if (group == "rings") return rings;
  if (group == "coalesce") return coalesce;
  return none;
}

bool valid_net_key(const std::string& key) {
  auto dot = key.find('.');
  if (dot == std::string::npos) return false;
  const std::string group = key.substr(0, dot);
  const std::string name = key.substr(dot + 1);
  if (group == "features") return valid_feature_name(name);
  const auto& names = net_group_names(group);
  return std::find(names.begin(), names.end(), name) != names.end();
}

Result<NetTarget> parse_net_target(const std::string& target) {
  auto slash = target.find('/');
  if (slash == std::string::npos) return make_error("net: '{}' is not INTERFACE/GROUP.NAME", printable_line(target));
  NetTarget parsed;
  parsed.interface = target.substr(0, slash);
  const std::string key = target.substr(slash + 1);
  if (!valid_interface_name(parsed.interface) || parsed.interface.find_first_of("*?[") != std::string::npos) {
    return make_error("net: '{}' is not an interface name", printable_line(parsed.interface));
  }
  if (!valid_net_key(key)) return make_error("net: '{}' is not a NIC setting", printable_line(key));
  auto dot = key.find('.');
  parsed.group = key.substr(0, dot);
  parsed.name = key.substr(dot + 1);
  return parsed;
}

std::string canonical_feature(const std::string& name) {
  auto it = feature_aliases().find(name);
  if (it != feature_aliases().end() && it->second.size() == 1) return it->second.front();
  return name;
}

std::vector<std::string> feature_members(const std::string& name) {
  auto it = feature_aliases().find(name);
  if (it != feature_aliases().end()) return it->second;
  return {name};
}

std::vector<std::string> all_interfaces(const System& system) {
  auto names = system.list_dir("/sys/class/net");
  if (!names) return {};
  std::vector<std::string> interfaces;
  for (const auto& name : *names) {
    if (valid_interface_name(name)) interfaces.push_back(name);
  }
  return interfaces;
}

std::vector<std::string> nic_interfaces(const System& system) {
  std::vector<std::string> nics;
  for (const auto& name : all_interfaces(system)) {
    auto device = system.stat("/sys/class/net/" + name + "/device");
    if (device && device->exists) nics.push_back(name);
  }
  return nics;
}

Result<std::vector<NicSetting>> read_nic_group(const System& system, const std::string& interface, const std::string& group) {
  auto text = system.read_nic(interface, group);
  if (!text) return text.error();
  return parse_nic_settings(*text);
}

}  // namespace tune::linux_platform
