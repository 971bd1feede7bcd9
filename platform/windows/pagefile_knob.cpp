#include "platform/windows/pagefile_knob.h"

#include "platform/windows/windows_door.h"
#include "platform/windows/windows_settings.h"
#include "util/text.h"

#include <algorithm>
#include <set>

namespace tune::windows_platform {
namespace {

Status check_target(const std::string& target) {
  if (target != kPagingFilesTarget) return make_error("pagefile: '{}' is not a target (only {})", target, kPagingFilesTarget);
  return {};
}

// The files of a list, lower case, without sizes or the NT "\??\" prefix.
std::set<std::string> files_of(const std::string& list) {
  std::set<std::string> files;
  for (const auto& item : split_lines(list)) {
    std::string path = trim(item).substr(0, trim(item).find(' '));
    if (starts_with(path, "\\??\\")) path = path.substr(4);
    if (!path.empty()) files.insert(ascii_lower(path));
  }
  return files;
}

Status put(System& system, const std::optional<std::string>& list) {
  auto api = windows_api_of(system);
  if (!api) return api.error();
  if (!list) return (*api)->delete_registry(kMemoryManagementKey, "PagingFiles");
  return (*api)->write_registry(kMemoryManagementKey, "PagingFiles", {RegistryValue::Type::MultiString, *list});
}

}  // namespace

std::string pagefile_list_for(uint64_t megabytes, const std::string& system_drive) {
  if (megabytes == 0) return "?:\\pagefile.sys";
  return system_drive + "\\pagefile.sys " + std::to_string(megabytes) + " " + std::to_string(megabytes);
}

Result<Observation> PagefileKnob::observe(const System& system, const std::string& target) const {
  TUNE_RETURN_IF_ERROR(check_target(target));
  auto api = windows_api_of(system);
  if (!api) return api.error();
  auto list = (*api)->read_registry(kMemoryManagementKey, "PagingFiles");
  if (!list) return list.error();
  Observation observation;
  if (!*list) return observation;
  if ((*list)->type != RegistryValue::Type::MultiString) {
    observation.writable = false;
    observation.note = "PagingFiles is not a REG_MULTI_SZ here, so tune leaves it alone";
  }
  observation.value = (*list)->data;
  observation.prior = PriorState::of_value((*list)->data);
  // ExistingPageFiles names the files in use since the last boot: another
  // set of files means the list waits for a reboot. (Sizes are not recorded
  // there, so a size change alone cannot be seen as pending: the plan says so.)
  auto existing = (*api)->read_registry(kMemoryManagementKey, "ExistingPageFiles");
  if (existing && *existing) {
    const std::set<std::string> in_use = files_of((*existing)->data);
    const std::set<std::string> listed = files_of((*list)->data);
    // A system-managed entry names no file: Windows picks it at boot.
    if (in_use != listed && listed.count("?:\\pagefile.sys") == 0) {
      observation.pending = "in use until the next boot: " + join(std::vector<std::string>(in_use.begin(), in_use.end()), ", ");
    }
  }
  return observation;
}

Status PagefileKnob::apply(System& system, const Change& change) const {
  TUNE_RETURN_IF_ERROR(check_target(change.target));
  return put(system, change.after);
}

Status PagefileKnob::restore(System& system, const std::string& target, const PriorState& prior) const {
  TUNE_RETURN_IF_ERROR(check_target(target));
  if (prior.kind == PriorState::Kind::File) return make_error("pagefile: the journal holds a file, not the list");
  return put(system, prior.as_state());
}

}  // namespace tune::windows_platform
