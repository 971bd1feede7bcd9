// NetKnob: one ethtool setting of one network interface, addressed
// "IFACE/GROUP.NAME" ("eth0/features.rx-gro", "eth0/channels.combined",
// "eth0/rings.rx", "eth0/coalesce.adaptive-rx"), read and written through
// System::read_nic / write_nic.
//
// A feature name may stand for several kernel features (ethtool's tso is four
// of them). Its value is then the value they share, or each one's
// ("tx-tcp-segmentation=on tx-tcp6-segmentation=off") where they differ;
// features the driver keeps fixed are left out, since nothing can change them.
#pragma once

#include "core/knob.h"

namespace tune::linux_platform {

class NetKnob final : public Knob {
 public:
  std::string domain() const override { return "net"; }
  Result<Observation> observe(const System& system, const std::string& target) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& target, const PriorState& prior) const override;
};

}  // namespace tune::linux_platform
