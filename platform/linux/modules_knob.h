// Kernel module parameters, two ways ("nf_conntrack/hashsize" is a target of
// either):
//  - ModulesKnob ("modules"): the live value of a loaded (or built-in)
//    module's writable parameter, /sys/module/M/parameters/P; written, read
//    back and restored like any attribute.
//  - ModprobeKnob ("modprobe"): the value modprobe passes at the module's
//    next load, from modprobe.d. Derived, as the boot domain's parameters
//    are: the modprobe.d file step sets it, and where the running module
//    differs (not loaded, or a read-only parameter) the observation is
//    pending: "takes effect when M is next loaded".
#pragma once

#include "core/knob.h"

namespace tune::linux_platform {

class ModulesKnob final : public Knob {
 public:
  std::string domain() const override { return "modules"; }
  Result<Observation> observe(const System& system, const std::string& target) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& target, const PriorState& prior) const override;
  bool same(const std::optional<std::string>& live, const std::optional<std::string>& wanted) const override;
};

class ModprobeKnob final : public Knob {
 public:
  std::string domain() const override { return "modprobe"; }
  bool derived() const override { return true; }
  Result<Observation> observe(const System& system, const std::string& target) const override;
  Status apply(System&, const Change&) const override { return {}; }
  Status restore(System&, const std::string&, const PriorState&) const override { return {}; }
  bool same(const std::optional<std::string>& live, const std::optional<std::string>& wanted) const override;
};

}  // namespace tune::linux_platform
