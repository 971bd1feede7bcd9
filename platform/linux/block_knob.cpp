#include "platform/linux/block_knob.h"

#include "platform/linux/block_devices.h"
#include "platform/linux/sysfs_attribute.h"

#include <algorithm>

namespace tune::linux_platform {

Result<std::string> block_attribute_path(const std::string& target) {
  auto slash = target.find('/');
  if (slash == std::string::npos) return make_error("block: '{}' is not DEVICE/KEY", target);
  const std::string device = target.substr(0, slash);
  const std::string key = target.substr(slash + 1);
  if (!valid_block_device_pattern(device) || device.find_first_of("*?") != std::string::npos) {
    return make_error("block: '{}' is not a block device name", device);
  }
  const auto& keys = block_keys();
  if (std::find(keys.begin(), keys.end(), key) == keys.end()) return make_error("block: '{}' is not a queue setting", key);
  return "/sys/block/" + device + "/queue/" + key;
}

Result<Observation> BlockKnob::observe(const System& system, const std::string& target) const {
  auto path = block_attribute_path(target);
  if (!path) return path.error();
  Observation observation;
  auto attribute = read_attribute(system, *path);
  if (!attribute) return attribute.error();
  if (!attribute->exists) {
    observation.supported = false;
    observation.writable = false;
    observation.note = "not available here: no " + *path;
    return observation;
  }
  if (!attribute->writable) {
    observation.writable = false;
    observation.note = "read-only here: " + *path;
  }
  // A scheduler reads as its choice line; the value is the chosen one.
  observation.value = parse_choice(attribute->text).current;
  observation.prior = PriorState::of_value(*observation.value);
  return observation;
}

Status BlockKnob::apply(System& system, const Change& change) const {
  auto path = block_attribute_path(change.target);
  if (!path) return path.error();
  if (!change.after) return make_error("block {}: a queue setting cannot be removed", change.target);
  return system.write_attribute(*path, *change.after);
}

Status BlockKnob::restore(System& system, const std::string& target, const PriorState& prior) const {
  auto path = block_attribute_path(target);
  if (!path) return path.error();
  if (prior.kind != PriorState::Kind::Value) return make_error("block {}: the journal holds no value to restore", target);
  return system.write_attribute(*path, prior.value);
}

}  // namespace tune::linux_platform
