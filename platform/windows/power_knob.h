// WindowsPowerKnob: the active power scheme and the AC values of the power
// settings in windows_settings.h, through the power API (never by parsing
// powercfg). Targets:
//   scheme                     the active scheme: a built-in's name
//                              ("high-performance"), "ultimate-performance"
//                              for the one copy of that plan, else the GUID
//   ultimate-performance-copy  "present" when a copy of the hidden Ultimate
//                              Performance plan is listed; restore to absent
//                              deletes the copies (tune made them)
//   processor_min_state_pct... a value index of the active scheme (timeouts
//                              in minutes, or "Ns" when not whole minutes)
// Values always go to the scheme active when they are written, so a plan
// writes them after it switches schemes; Windows keeps them across reboots.
#pragma once

#include "core/knob.h"

namespace tune::windows_platform {

inline constexpr const char* kSchemeTarget = "scheme";
inline constexpr const char* kUltimateCopyTarget = "ultimate-performance-copy";

class WindowsPowerKnob final : public Knob {
 public:
  std::string domain() const override { return "power"; }
  Result<Observation> observe(const System& system, const std::string& target) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& target, const PriorState& prior) const override;
};

// The scheme's text (see above) for a GUID, given the listed schemes.
std::string scheme_text(const std::string& guid, const std::vector<PowerScheme>& schemes);
// The GUID a scheme text names on this host; an error when there is none.
Result<std::string> scheme_guid(const std::string& text, const std::vector<PowerScheme>& schemes);
// The listed copies of Ultimate Performance.
std::vector<std::string> ultimate_copies(const std::vector<PowerScheme>& schemes);

}  // namespace tune::windows_platform
