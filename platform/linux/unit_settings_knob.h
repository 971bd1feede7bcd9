// UnitSettingsKnob: what a unit runs with, as systemd loads its files: a
// [Service] directive ("ollama.service/LimitNOFILE", the services domain) or
// an environment variable ("ollama.service/OLLAMA_KEEP_ALIVE", the
// environment domain). Derived: the unit's drop-in (a file step) sets them;
// this knob only reads them back, from the unit's files, for the plan and
// for `tune verify`.
#pragma once

#include "core/knob.h"

namespace tune::linux_platform {

class UnitSettingsKnob final : public Knob {
 public:
  explicit UnitSettingsKnob(std::string domain) : domain_(std::move(domain)) {}
  std::string domain() const override { return domain_; }
  bool derived() const override { return true; }
  Result<Observation> observe(const System& system, const std::string& target) const override;
  Status apply(System&, const Change&) const override { return {}; }
  Status restore(System&, const std::string&, const PriorState&) const override { return {}; }

 private:
  std::string domain_;  // "services" or "environment"
};

// "ollama.service/LimitNOFILE" -> unit and key; an error for anything else.
Result<std::pair<std::string, std::string>> unit_setting_target(const std::string& domain, const std::string& target);

}  // namespace tune::linux_platform
