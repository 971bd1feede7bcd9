// Plans the net domain: ethtool features, channels, rings and coalescing of
// the interfaces a scope names ("all": every interface backed by a device;
// a name; a glob), the most specific scope winning, and
// /etc/udev/rules.d/81-tune-net.rules, which sets them again whenever such an
// interface appears: at boot, on a driver reload, on hot-plug.
//
// Why a udev rule and not systemd .link files: udev applies only the first
// .link file that matches an interface, so a tune file ordered before
// 99-default.link (or a distribution's or cloud image's own) would silently
// take its place, and with it NamePolicy and MACAddressPolicy: interfaces
// would be renamed at the next boot. A drop-in for the matching .link file
// instead reaches every interface that file matches, not the ones the profile
// names, and which file matches can change with the next package update. A
// rule adds to what udev does and matches exactly the profile's scopes. It
// runs ethtool (the ethtool package), after 80-net-setup-link.rules, on "add"
// and on "move" (the event of a rename), so it matches the final name.
#pragma once

#include "core/planner.h"

namespace tune::linux_platform {

inline constexpr const char* kNetRulesFile = "/etc/udev/rules.d/81-tune-net.rules";
inline constexpr const char* kEthtoolProgram = "/usr/sbin/ethtool";

class NetPlanner final : public DomainPlanner {
 public:
  std::string domain() const override { return "net"; }
  Status plan(const PlanRequest& request, Plan& plan) const override;
};

}  // namespace tune::linux_platform
