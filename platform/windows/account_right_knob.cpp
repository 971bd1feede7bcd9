#include "platform/windows/account_right_knob.h"

#include "platform/windows/windows_door.h"
#include "platform/windows/windows_settings.h"

#include <algorithm>

namespace tune::windows_platform {
namespace {

struct Parsed {
  std::string account;
  std::string right;
};

Result<Parsed> parse(const std::string& target) {
  auto slash = target.rfind('/');
  if (slash == std::string::npos || slash == 0) return make_error("account_right: '{}' is not ACCOUNT/RIGHT", target);
  Parsed parsed{target.substr(0, slash), target.substr(slash + 1)};
  if (parsed.right != kLockMemoryRight) {
    return make_error("account_right: tune manages only {}, not '{}'", kLockMemoryRight, parsed.right);
  }
  return parsed;
}

Status put(System& system, const std::string& target, bool granted) {
  auto parsed = parse(target);
  if (!parsed) return parsed.error();
  auto api = windows_api_of(system);
  if (!api) return api.error();
  if (granted) return (*api)->add_account_right(parsed->account, parsed->right);
  return (*api)->remove_account_right(parsed->account, parsed->right);
}

}  // namespace

std::string account_right_target(const std::string& account, const std::string& right) { return account + "/" + right; }

Result<Observation> AccountRightKnob::observe(const System& system, const std::string& target) const {
  auto parsed = parse(target);
  if (!parsed) return parsed.error();
  auto api = windows_api_of(system);
  if (!api) return api.error();
  auto rights = (*api)->account_rights(parsed->account);
  if (!rights) return rights.error();
  Observation observation;
  if (std::find(rights->begin(), rights->end(), parsed->right) != rights->end()) {
    observation.value = "granted";
    observation.prior = PriorState::of_value("granted");
  }
  return observation;
}

Status AccountRightKnob::apply(System& system, const Change& change) const {
  if (change.after && *change.after != "granted") return make_error("account_right {}: the state is 'granted' or absent", change.target);
  return put(system, change.target, change.after.has_value());
}

Status AccountRightKnob::restore(System& system, const std::string& target, const PriorState& prior) const {
  if (prior.kind == PriorState::Kind::File) return make_error("account_right {}: the journal holds a file", target);
  return put(system, target, prior.kind == PriorState::Kind::Value);
}

}  // namespace tune::windows_platform
