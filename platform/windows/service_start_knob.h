// ServiceStartKnob: a Windows service's start type ("auto", "delayed-auto",
// "manual", "disabled"...), through the service control manager. The change
// holds across reboots by itself; a service that is not installed is
// unsupported, never created.
#pragma once

#include "core/knob.h"

namespace tune::windows_platform {

class ServiceStartKnob final : public Knob {
 public:
  std::string domain() const override { return "service_start"; }
  Result<Observation> observe(const System& system, const std::string& service) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& service, const PriorState& prior) const override;
};

// Service names: letters, digits, '_', '-' and '.', at most 256 characters
// (what the service control manager takes for a key name, without '\' and '/').
bool valid_windows_service_name(const std::string& name);
bool valid_start_type(const std::string& start_type);

}  // namespace tune::windows_platform
