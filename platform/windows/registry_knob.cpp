#include "platform/windows/registry_knob.h"

#include "platform/windows/windows_door.h"
#include "platform/windows/windows_settings.h"

namespace tune::windows_platform {
namespace {

Result<const RegistrySetting*> setting_of(const std::string& key) {
  const RegistrySetting* setting = find_registry_setting(key);
  if (setting == nullptr) return make_error("registry: '{}' is not a registry value tune manages", key);
  return setting;
}

Status put(WindowsApi& api, const RegistrySetting& setting, const std::optional<std::string>& value) {
  if (!value) return api.delete_registry(setting.path, setting.name);
  auto dword = parse_dword(*value);
  if (!dword) return make_error("registry {}: '{}' is not a DWORD (0 to 4294967295)", setting.key, *value);
  return api.write_registry(setting.path, setting.name, {RegistryValue::Type::Dword, std::to_string(*dword)});
}

}  // namespace

Result<Observation> RegistryKnob::observe(const System& system, const std::string& key) const {
  auto setting = setting_of(key);
  if (!setting) return setting.error();
  auto api = windows_api_of(system);
  if (!api) return api.error();
  auto value = (*api)->read_registry((*setting)->path, (*setting)->name);
  if (!value) return value.error();
  Observation observation;
  if (!*value) return observation;  // absent: Windows uses its default; restore deletes it again
  if ((*value)->type != RegistryValue::Type::Dword) {
    observation.writable = false;
    observation.note = std::string((*setting)->path) + "\\" + (*setting)->name +
                       " is not a DWORD here, so tune leaves it alone";
  }
  observation.value = (*value)->data;
  observation.prior = PriorState::of_value((*value)->data);
  return observation;
}

Status RegistryKnob::apply(System& system, const Change& change) const {
  auto setting = setting_of(change.target);
  if (!setting) return setting.error();
  auto api = windows_api_of(system);
  if (!api) return api.error();
  return put(**api, **setting, change.after);
}

Status RegistryKnob::restore(System& system, const std::string& key, const PriorState& prior) const {
  auto setting = setting_of(key);
  if (!setting) return setting.error();
  auto api = windows_api_of(system);
  if (!api) return api.error();
  if (prior.kind == PriorState::Kind::File) return make_error("registry {}: the journal holds a file, not a value", key);
  return put(**api, **setting, prior.as_state());
}

}  // namespace tune::windows_platform
