#include "platform/windows/defender_exclusion_knob.h"

#include "platform/windows/windows_door.h"
#include "util/text.h"

#include <algorithm>
#include <cctype>

namespace tune::windows_platform {
namespace {

inline constexpr const char* kExcluded = "excluded";

}  // namespace

Status check_defender_path(const std::string& path) {
  const bool drive = path.size() >= 3 && std::isalpha(static_cast<unsigned char>(path[0])) && path[1] == ':' &&
                     (path[2] == '\\' || path[2] == '/');
  const bool unc = starts_with(path, "\\\\") && path.size() > 2;
  if (!drive && !unc) return make_error("defender_exclusion: '{}' is not an absolute path (C:\\models, \\\\server\\share)", path);
  if (path.find_first_of("\r\n\"") != std::string::npos) return make_error("defender_exclusion: '{}' is not a path", path);
  return {};
}

namespace {

Status put(System& system, const std::string& path, bool excluded) {
  TUNE_RETURN_IF_ERROR(check_defender_path(path));
  auto api = windows_api_of(system);
  if (!api) return api.error();
  if (excluded) return (*api)->add_defender_exclusion(path);
  return (*api)->remove_defender_exclusion(path);
}

}  // namespace

Result<Observation> DefenderExclusionKnob::observe(const System& system, const std::string& target) const {
  TUNE_RETURN_IF_ERROR(check_defender_path(target));
  auto api = windows_api_of(system);
  if (!api) return api.error();
  auto paths = (*api)->defender_exclusions();
  if (!paths) return paths.error();
  // Windows paths ignore case.
  const std::string wanted = ascii_lower(target);
  Observation observation;
  if (std::any_of(paths->begin(), paths->end(), [&](const std::string& path) { return ascii_lower(path) == wanted; })) {
    observation.value = kExcluded;
    observation.prior = PriorState::of_value(kExcluded);
  }
  return observation;
}

Status DefenderExclusionKnob::apply(System& system, const Change& change) const {
  if (change.after && *change.after != kExcluded) {
    return make_error("defender_exclusion {}: the state is '{}' or absent", change.target, kExcluded);
  }
  return put(system, change.target, change.after.has_value());
}

Status DefenderExclusionKnob::restore(System& system, const std::string& target, const PriorState& prior) const {
  if (prior.kind == PriorState::Kind::File) return make_error("defender_exclusion {}: the journal holds a file", target);
  return put(system, target, prior.kind == PriorState::Kind::Value);
}

}  // namespace tune::windows_platform
