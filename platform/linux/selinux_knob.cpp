#include "platform/linux/selinux_knob.h"

#include "core/declare_or_return.h"
#include "platform/linux/sysfs_attribute.h"

namespace tune::linux_platform {

Result<std::string> selinux_path(const std::string& target) {
  if (target == "avc_cache_threshold") return std::string("/sys/fs/selinux/avc/cache_threshold");
  return make_error("selinux: '{}' is not a SELinux setting", target);
}

Result<Observation> SelinuxKnob::observe(const System& system, const std::string& target) const {
  TUNE_DECLARE_OR_RETURN(std::string path, selinux_path(target));
  Observation observation;
  // selinuxfs is mounted only where SELinux is enabled.
  if (!system.stat("/sys/fs/selinux/enforce").value_or_default().exists) {
    observation.supported = false;
    observation.writable = false;
    observation.note = "SELinux is not enabled here";
    return observation;
  }
  TUNE_DECLARE_OR_RETURN(Attribute attribute, read_attribute(system, path));
  if (!attribute.exists) {
    observation.supported = false;
    observation.writable = false;
    observation.note = "not available here: this kernel's SELinux has no " + path;
    return observation;
  }
  if (!attribute.writable) {
    observation.writable = false;
    observation.note = "read-only here: " + path;
  }
  observation.value = attribute.text;
  observation.prior = PriorState::of_value(attribute.text);
  return observation;
}

Status SelinuxKnob::apply(System& system, const Change& change) const {
  TUNE_DECLARE_OR_RETURN(std::string path, selinux_path(change.target));
  if (!change.after) return make_error("selinux {}: a setting cannot be removed", change.target);
  return system.write_attribute(path, *change.after);
}

Status SelinuxKnob::restore(System& system, const std::string& target, const PriorState& prior) const {
  TUNE_DECLARE_OR_RETURN(std::string path, selinux_path(target));
  if (prior.kind != PriorState::Kind::Value) return make_error("selinux {}: the journal holds no value to restore", target);
  return system.write_attribute(path, prior.value);
}

}  // namespace tune::linux_platform
