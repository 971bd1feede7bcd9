#include "platform/linux/modules_knob.h"

#include "core/declare_or_return.h"
#include "platform/linux/modprobe_options.h"
#include "platform/linux/sysfs_attribute.h"

namespace tune::linux_platform {
namespace {

bool same_value(const std::optional<std::string>& live, const std::optional<std::string>& wanted) {
  if (!live || !wanted) return live == wanted;
  return same_parameter_value(*live, *wanted);
}

}  // namespace

Result<Observation> ModulesKnob::observe(const System& system, const std::string& target) const {
  TUNE_DECLARE_OR_RETURN(ModuleParam where, module_param("modules", target));
  Observation observation;
  if (module_state(system, where.module) == ModuleState::NotLoaded) {
    observation.supported = false;
    observation.writable = false;
    observation.note = where.module + " is not loaded";
    return observation;
  }
  TUNE_DECLARE_OR_RETURN(Attribute attribute, read_attribute(system, parameter_path(where.module, where.param)));
  if (!attribute.exists) {
    observation.supported = false;
    observation.writable = false;
    observation.note = where.module + " shows no parameter " + where.param;
    return observation;
  }
  if (!attribute.writable) {
    observation.writable = false;
    observation.note = where.param + " is read-only while " + where.module + " is loaded";
  }
  observation.value = attribute.text;
  observation.prior = PriorState::of_value(attribute.text);
  return observation;
}

Status ModulesKnob::apply(System& system, const Change& change) const {
  TUNE_DECLARE_OR_RETURN(ModuleParam where, module_param("modules", change.target));
  if (!change.after) return make_error("modules {}: a parameter cannot be removed", change.target);
  return system.write_attribute(parameter_path(where.module, where.param), *change.after);
}

Status ModulesKnob::restore(System& system, const std::string& target, const PriorState& prior) const {
  TUNE_DECLARE_OR_RETURN(ModuleParam where, module_param("modules", target));
  if (prior.kind != PriorState::Kind::Value) return make_error("modules {}: the journal holds no value to restore", target);
  return system.write_attribute(parameter_path(where.module, where.param), prior.value);
}

bool ModulesKnob::same(const std::optional<std::string>& live, const std::optional<std::string>& wanted) const {
  return same_value(live, wanted);
}

Result<Observation> ModprobeKnob::observe(const System& system, const std::string& target) const {
  TUNE_DECLARE_OR_RETURN(ModuleParam where, module_param("modprobe", target));
  Observation observation;
  observation.value = configured_option(system, where.module, where.param);
  observation.prior = observation.value ? PriorState::of_value(*observation.value) : PriorState::absent();
  if (!observation.value) return observation;
  const ModuleState state = module_state(system, where.module);
  if (state == ModuleState::NotLoaded) {
    observation.pending = "takes effect when " + where.module + " is next loaded";
    return observation;
  }
  auto live = read_attribute(system, parameter_path(where.module, where.param));
  if (!live || !live->exists) {
    observation.pending = where.module + " is loaded without showing " + where.param + "; takes effect when " +
                          where.module + " is next loaded (or at the next boot)";
  } else if (!same_parameter_value(live->text, *observation.value)) {
    observation.pending = where.module + " is loaded with " + where.param + "=" + live->text + "; takes effect when " +
                          where.module + " is next loaded (or at the next boot)";
  }
  return observation;
}

bool ModprobeKnob::same(const std::optional<std::string>& live, const std::optional<std::string>& wanted) const {
  return same_value(live, wanted);
}

}  // namespace tune::linux_platform
