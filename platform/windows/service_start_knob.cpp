#include "platform/windows/service_start_knob.h"

#include "platform/windows/windows_door.h"

#include <algorithm>
#include <cctype>

namespace tune::windows_platform {

bool valid_windows_service_name(const std::string& name) {
  if (name.empty() || name.size() > 256) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

bool valid_start_type(const std::string& start_type) {
  static const char* const kTypes[] = {"boot", "system", "auto", "delayed-auto", "manual", "disabled"};
  return std::any_of(std::begin(kTypes), std::end(kTypes), [&](const char* type) { return start_type == type; });
}

namespace {

Status set(System& system, const std::string& service, const std::string& start_type) {
  if (!valid_windows_service_name(service)) return make_error("service_start: '{}' is not a service name", service);
  if (!valid_start_type(start_type)) return make_error("service_start {}: '{}' is not a start type", service, start_type);
  auto api = windows_api_of(system);
  if (!api) return api.error();
  return (*api)->set_service_start_type(service, start_type);
}

}  // namespace

Result<Observation> ServiceStartKnob::observe(const System& system, const std::string& service) const {
  if (!valid_windows_service_name(service)) return make_error("service_start: '{}' is not a service name", service);
  auto api = windows_api_of(system);
  if (!api) return api.error();
  auto start_type = (*api)->service_start_type(service);
  if (!start_type) return start_type.error();
  Observation observation;
  if (!*start_type) {
    observation.supported = false;
    observation.writable = false;
    observation.note = "no service " + service + " is installed here";
    return observation;
  }
  observation.value = **start_type;
  observation.prior = PriorState::of_value(**start_type);
  return observation;
}

Status ServiceStartKnob::apply(System& system, const Change& change) const {
  if (!change.after) return make_error("service_start {}: tune does not remove services", change.target);
  return set(system, change.target, *change.after);
}

Status ServiceStartKnob::restore(System& system, const std::string& service, const PriorState& prior) const {
  if (prior.kind != PriorState::Kind::Value) return make_error("service_start {}: the journal holds no start type", service);
  return set(system, service, prior.value);
}

}  // namespace tune::windows_platform
