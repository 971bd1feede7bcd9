// LaunchdLimitsKnob: launchd's resource limits, which every process launchd
// starts inherits: `launchctl limit maxfiles` reads "maxfiles SOFT HARD",
// `launchctl limit maxfiles SOFT HARD` sets them. Targets are launchctl's
// resource names ("maxfiles", "maxproc"); values are "SOFT HARD", with
// "unlimited" as launchctl prints it.
#pragma once

#include "core/knob.h"

namespace tune::macos_platform {

class LaunchdLimitsKnob final : public Knob {
 public:
  std::string domain() const override { return "limits"; }
  Result<Observation> observe(const System& system, const std::string& resource) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& resource, const PriorState& prior) const override;
  bool same(const std::optional<std::string>& live, const std::optional<std::string>& wanted) const override;
};

// "SOFT HARD" out of a line of `launchctl limit RESOURCE`
// ("\tmaxfiles    256            unlimited"); nothing if it is not one.
std::optional<std::string> parse_launchctl_limit(const std::string& resource, const std::string& output);

}  // namespace tune::macos_platform
