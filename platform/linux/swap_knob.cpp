#include "platform/linux/swap_knob.h"

#include "platform/linux/swap_area.h"
#include "platform/linux/sysfs_attribute.h"
#include "util/swap_table.h"
#include "util/text.h"

#include <algorithm>
#include <cctype>

namespace tune::linux_platform {
namespace {

std::optional<SwapArea> active_area(const System& system, const std::string& path) {
  return find_swap_area(parse_swap_table(system.read_file("/proc/swaps").value_or_default()), path);
}

Status check_target(const std::string& target) {
  if (is_zram_target(target) || valid_swapfile_path(target)) return {};
  return make_error("swap: '{}' is neither a swap file path nor a zram device", target);
}

Result<std::optional<SwapState>> read_swapfile(const System& system, const std::string& path) {
  auto info = system.stat(path);
  if (!info) return info.error();
  if (!info->exists) return std::optional<SwapState>();
  if (info->is_dir || info->is_symlink) return make_error("{}: not a regular file", path);
  SwapState state;
  state.in_use = true;
  state.bytes = info->size;
  if (auto area = active_area(system, path)) {
    state.on = true;
    state.priority = area->priority;
  }
  return std::optional<SwapState>(state);
}

Result<SwapState> read_zram(const System& system, const std::string& device) {
  const std::string base = "/sys/block/" + device;
  auto disksize = read_attribute(system, base + "/disksize");
  if (!disksize) return disksize.error();
  SwapState state;
  auto algorithm = read_attribute(system, base + "/comp_algorithm");
  if (!algorithm) return algorithm.error();
  state.algorithm = parse_choice(algorithm->text).current;
  const auto bytes = parse_integer(disksize->text).value_or(0);
  if (bytes <= 0) return state;
  state.in_use = true;
  state.bytes = static_cast<uint64_t>(bytes);
  if (auto area = active_area(system, "/dev/" + device)) {
    state.on = true;
    state.priority = area->priority;
  }
  return state;
}

// Make the swap file match `wanted`, or take it away (nullopt).
Status set_swapfile(System& system, const std::string& path, const std::optional<SwapState>& wanted) {
  auto live = read_swapfile(system, path);
  if (!live) return live.error();
  const bool remake = *live && (!wanted || (*live)->bytes != wanted->bytes);
  const bool reprioritize = wanted && wanted->priority >= 0 && *live && (*live)->priority != wanted->priority;
  if (*live && (*live)->on && (remake || !wanted || !wanted->on || reprioritize)) {
    TUNE_RETURN_IF_ERROR(system.swap_off(path));
  }
  if (remake) TUNE_RETURN_IF_ERROR(system.remove_file(path));
  if (!wanted) return {};
  if (!*live || remake) {
    TUNE_RETURN_IF_ERROR(system.allocate_file(path, wanted->bytes, 0600));
    TUNE_RETURN_IF_ERROR(system.write_at(path, 0, swap_header(wanted->bytes, page_size(system))));
  }
  if (wanted->on && !active_area(system, path)) TUNE_RETURN_IF_ERROR(system.swap_on(path, wanted->priority));
  return {};
}

Status set_zram(System& system, const std::string& device, const SwapState& wanted) {
  const std::string base = "/sys/block/" + device;
  const std::string node = "/dev/" + device;
  auto live = read_zram(system, device);
  if (!live) return live.error();
  if (live->on) TUNE_RETURN_IF_ERROR(system.swap_off(node));
  // A zram device takes a new size or algorithm only after a reset.
  if (live->in_use) TUNE_RETURN_IF_ERROR(system.write_attribute(base + "/reset", "1"));
  if (!wanted.algorithm.empty() && wanted.algorithm != live->algorithm) {
    TUNE_RETURN_IF_ERROR(system.write_attribute(base + "/comp_algorithm", wanted.algorithm));
  }
  if (!wanted.in_use) return {};
  TUNE_RETURN_IF_ERROR(system.write_attribute(base + "/disksize", std::to_string(wanted.bytes)));
  TUNE_RETURN_IF_ERROR(system.write_at(node, 0, swap_header(wanted.bytes, page_size(system))));
  if (wanted.on) TUNE_RETURN_IF_ERROR(system.swap_on(node, wanted.priority));
  return {};
}

}  // namespace

bool is_zram_target(const std::string& target) {
  if (!starts_with(target, "zram") || target.size() < 5 || target.size() > 8) return false;
  return std::all_of(target.begin() + 4, target.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

Result<Observation> SwapKnob::observe(const System& system, const std::string& target) const {
  TUNE_RETURN_IF_ERROR(check_target(target));
  Observation observation;
  if (is_zram_target(target)) {
    if (!system.stat("/sys/block/" + target).value_or_default().exists) {
      observation.supported = false;
      observation.writable = false;
      observation.note = "not available here: no zram device " + target;
      return observation;
    }
    auto state = read_zram(system, target);
    if (!state) return state.error();
    observation.value = format_swap_state(*state);
    observation.prior = PriorState::of_value(*observation.value);
    return observation;
  }
  auto state = read_swapfile(system, target);
  if (!state) return state.error();
  if (*state) {
    observation.value = format_swap_state(**state);
    observation.prior = PriorState::of_value(*observation.value);
  }
  return observation;
}

Status SwapKnob::apply(System& system, const Change& change) const {
  TUNE_RETURN_IF_ERROR(check_target(change.target));
  std::optional<SwapState> wanted;
  if (change.after) {
    wanted = parse_swap_state(*change.after);
    if (!wanted) return make_error("swap {}: '{}' is not a swap state", change.target, *change.after);
  }
  if (is_zram_target(change.target)) {
    if (!wanted) return make_error("swap {}: a zram device cannot be removed, only reset", change.target);
    return set_zram(system, change.target, *wanted);
  }
  return set_swapfile(system, change.target, wanted);
}

Status SwapKnob::restore(System& system, const std::string& target, const PriorState& prior) const {
  TUNE_RETURN_IF_ERROR(check_target(target));
  std::optional<SwapState> before;
  if (prior.kind == PriorState::Kind::Value) {
    before = parse_swap_state(prior.value);
    if (!before) return make_error("swap {}: the journal's '{}' is not a swap state", target, prior.value);
  } else if (prior.kind != PriorState::Kind::Absent) {
    return make_error("swap {}: the journal holds no state to restore", target);
  }
  if (is_zram_target(target)) return set_zram(system, target, before.value_or(SwapState{}));
  return set_swapfile(system, target, before);
}

bool SwapKnob::same_at(const std::string&, const std::optional<std::string>& live,
                       const std::optional<std::string>& wanted) const {
  if (!live || !wanted) return live == wanted;
  auto a = parse_swap_state(*live);
  auto b = parse_swap_state(*wanted);
  if (!a || !b) return *live == *wanted;
  // An automatic priority is whatever the kernel picked; a chosen one must match.
  return a->in_use == b->in_use && a->bytes == b->bytes && a->on == b->on &&
         (b->algorithm.empty() || a->algorithm == b->algorithm) && (b->priority < 0 || a->priority == b->priority);
}

}  // namespace tune::linux_platform
