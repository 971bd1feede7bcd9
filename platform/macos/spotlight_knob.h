// SpotlightKnob: whether Spotlight indexes a volume, through mdutil(1):
// read with `mdutil -s PATH` ("Indexing enabled." / "Indexing disabled."),
// changed with `mdutil -i on|off PATH`. Targets are "spotlight:PATH",
// values "on" and "off". Spotlight keeps the switch across reboots itself.
#pragma once

#include "core/knob.h"

namespace tune::macos_platform {

inline constexpr const char* kMdutil = "/usr/bin/mdutil";

class SpotlightKnob final : public Knob {
 public:
  std::string domain() const override { return "macos"; }
  Result<Observation> observe(const System& system, const std::string& target) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& target, const PriorState& prior) const override;
};

// "on", "off", or nothing, from what `mdutil -s` printed.
std::optional<std::string> parse_mdutil_status(const std::string& output);

}  // namespace tune::macos_platform
