#include "platform/linux/sysctl_knob.h"

#include "util/text.h"
#include "util/sysctl_names.h"

namespace tune::linux_platform {

Result<Observation> SysctlKnob::observe(const System& system, const std::string& key) const {
  Observation observation;
  const std::string path = sysctl_path_of(key);
  auto info = system.stat(path);
  if (!info) return info.error();
  if (!info->exists || info->is_dir) {
    observation.supported = false;
    observation.writable = false;
    observation.note = info->exists ? "a sysctl directory, not a key" : "no such key on this kernel";
    return observation;
  }
  if ((info->mode & 0222) == 0) {
    observation.writable = false;
    observation.note = "read-only on this kernel";
  }
  auto value = system.read_file(path);
  if (!value) {
    // Write-only keys (net.ipv4.route.flush) and root-only ones read as errors;
    // without the value there is nothing to restore, so tune leaves them alone.
    observation.writable = false;
    observation.note = "cannot be read (" + value.error().message + "), so tune could not restore it";
    return observation;
  }
  observation.value = normalize_spaces(*value);
  observation.prior = PriorState::of_value(*observation.value);
  return observation;
}

Status SysctlKnob::apply(System& system, const Change& change) const {
  if (!change.after) return make_error("sysctl {}: a kernel key cannot be removed", change.target);
  return system.write_attribute(sysctl_path_of(change.target), *change.after);
}

Status SysctlKnob::restore(System& system, const std::string& key, const PriorState& prior) const {
  if (prior.kind != PriorState::Kind::Value) return make_error("sysctl {}: the journal holds no value to restore", key);
  return system.write_attribute(sysctl_path_of(key), prior.value);
}

bool SysctlKnob::same(const std::optional<std::string>& live, const std::optional<std::string>& wanted) const {
  if (!live || !wanted) return live == wanted;
  return normalize_spaces(*live) == normalize_spaces(*wanted);
}

}  // namespace tune::linux_platform
