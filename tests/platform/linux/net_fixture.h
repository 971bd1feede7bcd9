// Network interfaces in a test tree, in the layout a rooted LocalSystem reads
// (util/nic_settings.h): /sys/class/net/IFACE, a device link for NICs, and
// one file per ethtool group.
#pragma once

#include "support/temp_tree.h"
#include "util/nic_settings.h"

#include <string>

namespace tune::linux_platform::testing_util {

struct FakeNic {
  std::string name;
  bool device = true;  // false: veth, bridge... (no /sys/class/net/X/device)
  std::string features;
  std::string channels;
  std::string rings;
  std::string coalesce;
};

inline void add_nic(const tune::testing::TempTree& tree, const FakeNic& nic) {
  tree.write("/sys/class/net/" + nic.name + "/mtu", "1500\n");
  if (nic.device) tree.write("/sys/class/net/" + nic.name + "/device/vendor", "0x8086\n");
  auto group = [&](const std::string& name, const std::string& text) {
    if (!text.empty()) tree.write(nic_state_path(nic.name, name), text);
  };
  group("features", nic.features);
  group("channels", nic.channels);
  group("rings", nic.rings);
  group("coalesce", nic.coalesce);
}

// A NIC as a typical driver shows it.
inline FakeNic typical_nic(const std::string& name) {
  return {name,
          true,
          "rx-checksum on\ntx-scatter-gather on\ntx-tcp-segmentation on\ntx-tcp-ecn-segmentation off\n"
          "tx-tcp-mangleid-segmentation off fixed\ntx-tcp6-segmentation on\ntx-generic-segmentation on\n"
          "rx-gro on\nrx-lro off fixed\ntx-lockless off fixed\nrx-hashing on\n",
          "combined 8 max 16\n",
          "rx 512 max 4096\ntx 512 max 4096\n",
          "rx-usecs 3\ntx-usecs 0\nadaptive-rx on\nadaptive-tx off\n"};
}

}  // namespace tune::linux_platform::testing_util
