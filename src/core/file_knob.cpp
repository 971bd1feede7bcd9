#include "core/file_knob.h"

namespace tune {

namespace {
std::string parent_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

// Set-id bits, and files others may write, are never what tune writes.
bool sane_mode(uint32_t mode) { return (mode & 07022) == 0; }

}  // namespace

Status FileKnob::check_path(const std::string& path) const {
  const bool plain = !path.empty() && path[0] == '/' && path.find("/../") == std::string::npos &&
                     path.find("/./") == std::string::npos && path.find("//") == std::string::npos &&
                     path.back() != '/' && path.find('\0') == std::string::npos;
  if (!plain || (owned_ != nullptr && !owned_(path))) return make_error("file: '{}' is not a file tune writes", path);
  return {};
}

Result<Observation> FileKnob::observe(const System& system, const std::string& path) const {
  TUNE_RETURN_IF_ERROR(check_path(path));
  Observation observation;
  auto info = system.stat(path);
  if (!info) return info.error();
  if (!info->exists) {
    observation.prior = PriorState::absent();
    // The directories apply will make for it, so rollback can take them away.
    for (std::string dir = parent_of(path); dir != "/"; dir = parent_of(dir)) {
      auto dir_info = system.stat(dir);
      if (!dir_info) return dir_info.error();
      if (dir_info->exists) break;
      observation.prior.missing_dir = dir;
    }
    return observation;
  }
  if (info->is_symlink || info->is_dir) {
    observation.writable = false;
    observation.note = "it is not a regular file";
    return make_error("{}: tune manages only regular files, and this is a {}", path,
                      info->is_dir ? "directory" : "symbolic link");
  }
  auto content = system.read_file(path);
  if (!content) return content.error();
  observation.value = *content;
  observation.prior = PriorState{PriorState::Kind::File, *content, info->mode, info->uid, info->gid, {}};
  return observation;
}

Status FileKnob::apply(System& system, const Change& change) const {
  TUNE_RETURN_IF_ERROR(check_path(change.target));
  if (change.mode != 0 && !sane_mode(change.mode)) {
    return make_error("file {}: mode {:o} is not one tune writes files with", change.target, change.mode);
  }
  if (!change.after) return system.remove_file(change.target);
  TUNE_RETURN_IF_ERROR(system.make_dirs(parent_of(change.target), 0755));
  FileAttrs attrs;
  attrs.mode = change.mode ? change.mode : 0644;
  return system.write_file(change.target, *change.after, attrs);
}

Status FileKnob::restore(System& system, const std::string& path, const PriorState& prior) const {
  TUNE_RETURN_IF_ERROR(check_path(path));
  if (prior.kind == PriorState::Kind::File && (prior.mode & 06000) != 0) {
    return make_error("file {}: the journal asks for set-id mode {:o}, which tune never restores", path, prior.mode);
  }
  if (prior.kind == PriorState::Kind::Absent) {
    TUNE_RETURN_IF_ERROR(system.remove_file(path));
    // Only directories between the file and the one recorded missing, and
    // only when empty: a journal cannot make this remove anything else.
    const std::string& top = prior.missing_dir;
    if (top.empty() || path.size() <= top.size() || path.compare(0, top.size(), top) != 0 || path[top.size()] != '/') {
      return {};
    }
    for (std::string dir = parent_of(path); dir.size() >= top.size(); dir = parent_of(dir)) {
      TUNE_RETURN_IF_ERROR(system.remove_empty_dir(dir));
      if (dir == top) break;
    }
    return {};
  }
  FileAttrs attrs;
  attrs.mode = prior.mode;
  attrs.uid = prior.uid;
  attrs.gid = prior.gid;
  return system.write_file(path, prior.value, attrs);
}

std::string tune_file_header(const std::string& profile, const std::string& what) {
  return "# Written by tune for profile '" + profile + "'" + (what.empty() ? "" : ": " + what) + ".\n" +
         "# Edit the profile rather than this file: `tune rollback` puts back what was here before.\n";
}

Result<Change> plan_file(const System& system, const std::string& path, const std::string& content, uint32_t mode,
                         const std::string& reason) {
  auto observed = FileKnob().observe(system, path);
  if (!observed) return observed.error();
  Change change;
  change.domain = "file";
  change.target = path;
  change.before = observed->value;
  change.after = content;
  change.persistence = Persistence::File;
  change.mode = mode;
  change.reason = reason;
  if (!observed->value) change.action = Action::Create;
  else change.action = *observed->value == content ? Action::None : Action::Modify;
  return change;
}

}  // namespace tune
