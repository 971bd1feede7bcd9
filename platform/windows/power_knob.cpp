#include "platform/windows/power_knob.h"

#include "platform/windows/windows_door.h"
#include "platform/windows/windows_settings.h"
#include "util/text.h"

#include <cctype>

namespace tune::windows_platform {
namespace {

bool looks_like_guid(const std::string& text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

std::string value_text(const PowerValueSetting& setting, uint32_t index) {
  if (!setting.seconds_as_minutes) return std::to_string(index);
  return index % 60 == 0 ? std::to_string(index / 60) : std::to_string(index) + "s";
}

Result<uint32_t> value_index(const PowerValueSetting& setting, const std::string& text) {
  if (setting.seconds_as_minutes && ends_with(text, "s")) {
    if (auto seconds = parse_dword(text.substr(0, text.size() - 1))) return *seconds;
  } else if (auto number = parse_dword(text)) {
    if (!setting.seconds_as_minutes) return *number;
    if (*number <= 0xFFFFFFFFu / 60) return *number * 60;
  }
  return make_error("power {}: '{}' is not a value for it", setting.key, text);
}

Status write_value(WindowsApi& api, const PowerValueSetting& setting, const std::string& text) {
  auto index = value_index(setting, text);
  if (!index) return index.error();
  auto active = api.active_power_scheme();
  if (!active) return active.error();
  TUNE_RETURN_IF_ERROR(api.write_power_value(*active, setting.subgroup, setting.setting, PowerSource::Ac, *index));
  // A value written into the active scheme takes effect when the scheme is
  // set active again (what `powercfg /setactive scheme_current` does).
  return api.set_active_power_scheme(*active);
}

Status activate(WindowsApi& api, const std::string& text) {
  auto schemes = api.power_schemes();
  if (!schemes) return schemes.error();
  auto guid = scheme_guid(text, *schemes);
  if (!guid) return guid.error();
  return api.set_active_power_scheme(*guid);
}

}  // namespace

std::vector<std::string> ultimate_copies(const std::vector<PowerScheme>& schemes) {
  std::vector<std::string> copies;
  for (const auto& scheme : schemes) {
    if (scheme.name == kUltimatePerformanceName && scheme.guid != kUltimatePerformanceGuid) copies.push_back(scheme.guid);
  }
  return copies;
}

std::string scheme_text(const std::string& guid, const std::vector<PowerScheme>& schemes) {
  if (auto name = builtin_scheme_name(guid)) return *name;
  auto copies = ultimate_copies(schemes);
  // By name only when the name leads back to this one scheme.
  if (copies.size() == 1 && copies.front() == guid) return "ultimate-performance";
  return guid;
}

Result<std::string> scheme_guid(const std::string& text, const std::vector<PowerScheme>& schemes) {
  std::string guid;
  if (auto builtin = builtin_scheme_guid(text)) {
    guid = *builtin;
  } else if (text == "ultimate-performance") {
    auto copies = ultimate_copies(schemes);
    if (copies.empty()) return make_error("power scheme: there is no copy of Ultimate Performance to activate");
    guid = copies.front();
  } else if (looks_like_guid(text)) {
    guid = ascii_lower(text);
  } else {
    return make_error("power scheme: '{}' is neither a scheme tune knows nor a GUID", text);
  }
  for (const auto& scheme : schemes) {
    if (scheme.guid == guid) return guid;
  }
  return make_error("power scheme: {} ({}) is not on this host", text, guid);
}

namespace {

// A host whose power API does not answer (wine implements no PowerEnumerate;
// a stripped-down Windows may lack the power service): the setting cannot be
// planned there, which is a skip with the API's own words, not a failed plan.
Observation unavailable(const Error& error) {
  Observation observation;
  observation.supported = false;
  observation.writable = false;
  observation.note = "the power API does not answer here (" + error.message + ")";
  return observation;
}

}  // namespace

Result<Observation> WindowsPowerKnob::observe(const System& system, const std::string& target) const {
  auto api = windows_api_of(system);
  if (!api) return api.error();
  Observation observation;
  if (target == kSchemeTarget || target == kUltimateCopyTarget) {
    auto schemes = (*api)->power_schemes();
    if (!schemes) return unavailable(schemes.error());
    if (target == kUltimateCopyTarget) {
      if (!ultimate_copies(*schemes).empty()) observation.value = "present";
    } else {
      auto active = (*api)->active_power_scheme();
      if (!active) return unavailable(active.error());
      observation.value = scheme_text(*active, *schemes);
    }
    if (observation.value) observation.prior = PriorState::of_value(*observation.value);
    return observation;
  }
  const PowerValueSetting* setting = find_power_value_setting(target);
  if (setting == nullptr) return make_error("power: '{}' is not a Windows power setting tune manages", target);
  auto active = (*api)->active_power_scheme();
  if (!active) return unavailable(active.error());
  auto index = (*api)->read_power_value(*active, setting->subgroup, setting->setting, PowerSource::Ac);
  if (!index) {
    observation.supported = false;
    observation.writable = false;
    observation.note = "the active scheme has no such setting (" + index.error().message + ")";
    return observation;
  }
  observation.value = value_text(*setting, *index);
  observation.prior = PriorState::of_value(*observation.value);
  return observation;
}

Status WindowsPowerKnob::apply(System& system, const Change& change) const {
  auto api = windows_api_of(system);
  if (!api) return api.error();
  if (change.target == kUltimateCopyTarget) {
    if (!change.after) return make_error("power {}: the plan removes it, which only a rollback does", change.target);
    auto schemes = (*api)->power_schemes();
    if (!schemes) return schemes.error();
    if (!ultimate_copies(*schemes).empty()) return {};
    auto copy = (*api)->duplicate_power_scheme(kUltimatePerformanceGuid);
    return copy ? Status{} : Status(copy.error());
  }
  if (!change.after) return make_error("power {}: a power setting cannot be removed", change.target);
  if (change.target == kSchemeTarget) return activate(**api, *change.after);
  const PowerValueSetting* setting = find_power_value_setting(change.target);
  if (setting == nullptr) return make_error("power: '{}' is not a Windows power setting tune manages", change.target);
  return write_value(**api, *setting, *change.after);
}

Status WindowsPowerKnob::restore(System& system, const std::string& target, const PriorState& prior) const {
  auto api = windows_api_of(system);
  if (!api) return api.error();
  if (target == kUltimateCopyTarget) {
    auto schemes = (*api)->power_schemes();
    if (!schemes) return schemes.error();
    auto copies = ultimate_copies(*schemes);
    if (prior.kind == PriorState::Kind::Value) {
      if (!copies.empty()) return {};
      auto copy = (*api)->duplicate_power_scheme(kUltimatePerformanceGuid);
      return copy ? Status{} : Status(copy.error());
    }
    // There was no copy before the apply: every copy now is the one tune
    // made. The scheme step, restored first, made another scheme active.
    for (const auto& guid : copies) TUNE_RETURN_IF_ERROR((*api)->delete_power_scheme(guid));
    return {};
  }
  if (prior.kind != PriorState::Kind::Value) return make_error("power {}: the journal holds no value to restore", target);
  if (target == kSchemeTarget) return activate(**api, prior.value);
  const PowerValueSetting* setting = find_power_value_setting(target);
  if (setting == nullptr) return make_error("power: '{}' is not a Windows power setting tune manages", target);
  return write_value(**api, *setting, prior.value);
}

}  // namespace tune::windows_platform
