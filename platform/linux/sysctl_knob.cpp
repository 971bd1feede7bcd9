#include "platform/linux/sysctl_knob.h"

#include "core/profile.h"
#include "util/text.h"
#include "util/sysctl_names.h"

namespace tune::linux_platform {

namespace {

// Saved plans and journals name keys too: only a sysctl name, which cannot
// leave /proc/sys ("//.//.etc.passwd" would be /etc/passwd), is turned into a path.
Result<std::string> key_path(const std::string& key) {
  if (!valid_sysctl_key(key)) return make_error("sysctl: '{}' is not a sysctl key", key);
  return sysctl_path_of(key);
}

}  // namespace

Result<Observation> SysctlKnob::observe(const System& system, const std::string& key) const {
  auto checked = key_path(key);
  if (!checked) return checked.error();
  Observation observation;
  const std::string& path = *checked;
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
  auto path = key_path(change.target);
  if (!path) return path.error();
  if (!change.after) return make_error("sysctl {}: a kernel key cannot be removed", change.target);
  return system.write_attribute(*path, *change.after);
}

Status SysctlKnob::restore(System& system, const std::string& key, const PriorState& prior) const {
  auto path = key_path(key);
  if (!path) return path.error();
  if (prior.kind != PriorState::Kind::Value) return make_error("sysctl {}: the journal holds no value to restore", key);
  return system.write_attribute(*path, prior.value);
}

bool SysctlKnob::same(const std::optional<std::string>& live, const std::optional<std::string>& wanted) const {
  if (!live || !wanted) return live == wanted;
  return normalize_spaces(*live) == normalize_spaces(*wanted);
}

}  // namespace tune::linux_platform
