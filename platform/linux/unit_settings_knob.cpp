#include "platform/linux/unit_settings_knob.h"

#include "platform/linux/unit_files.h"

#include <algorithm>
#include <cctype>

namespace tune::linux_platform {
namespace {

bool valid_key(const std::string& domain, const std::string& key) {
  if (key.empty() || key.size() > 128) return false;
  if (domain == "services") {
    // Directive names: a capital, then letters and digits (LimitNOFILE, CPUAffinity).
    return std::isupper(static_cast<unsigned char>(key[0])) &&
           std::all_of(key.begin(), key.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
  }
  return !std::isdigit(static_cast<unsigned char>(key[0])) &&
         std::all_of(key.begin(), key.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

}  // namespace

Result<std::pair<std::string, std::string>> unit_setting_target(const std::string& domain, const std::string& target) {
  auto slash = target.find('/');
  if (slash == std::string::npos) return make_error("{}: '{}' is not UNIT/KEY", domain, target);
  std::string unit = target.substr(0, slash);
  std::string key = target.substr(slash + 1);
  if (!valid_unit_name(unit)) return make_error("{}: '{}' is not a systemd unit name", domain, unit);
  if (!valid_key(domain, key)) return make_error("{}: '{}' is not a {} name", domain, key,
                                                 domain == "services" ? "directive" : "variable");
  return std::make_pair(unit, key);
}

Result<Observation> UnitSettingsKnob::observe(const System& system, const std::string& target) const {
  auto parsed = unit_setting_target(domain_, target);
  if (!parsed) return parsed.error();
  const auto& [unit, key] = *parsed;
  Observation observation;
  UnitFiles files = find_unit_files(system, unit);
  if (files.masked || (files.fragment.empty() && files.dropins.empty())) {
    observation.supported = false;
    observation.writable = false;
    observation.note = files.masked ? "not available here: " + unit + " is masked" : "not available here: no unit " + unit;
    return observation;
  }
  ServiceSettings settings = effective_service(system, files);
  const auto& values = domain_ == "services" ? settings.directives : settings.environment;
  if (auto it = values.find(key); it != values.end()) {
    observation.value = it->second;
    observation.prior = PriorState::of_value(it->second);
  }
  return observation;
}

}  // namespace tune::linux_platform
