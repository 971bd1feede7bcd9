#include "util/dry_run_system.h"

#include <algorithm>
#include <set>

namespace tune {

const DryRunSystem::Entry* DryRunSystem::find(const std::string& path) const {
  auto it = overlay_.find(path);
  return it == overlay_.end() ? nullptr : &it->second;
}

Result<std::string> DryRunSystem::read_file(const std::string& path) const {
  if (const Entry* entry = find(path)) {
    if (entry->removed || entry->is_dir) return make_error("reading {}: No such file or directory", path);
    return entry->data;
  }
  return inner_.read_file(path);
}

Result<FileInfo> DryRunSystem::stat(const std::string& path) const {
  if (const Entry* entry = find(path)) {
    FileInfo info;
    if (entry->removed) return info;
    info.exists = true;
    info.is_dir = entry->is_dir;
    info.mode = entry->mode;
    return info;
  }
  return inner_.stat(path);
}

Result<std::vector<std::string>> DryRunSystem::list_dir(const std::string& path) const {
  std::set<std::string> names;
  auto listed = inner_.list_dir(path);
  if (listed) names.insert(listed->begin(), listed->end());
  else if (!find(path)) return listed.error();
  const std::string prefix = path + "/";
  for (const auto& [entry_path, entry] : overlay_) {
    if (entry_path.rfind(prefix, 0) != 0) continue;
    std::string rest = entry_path.substr(prefix.size());
    if (rest.empty() || rest.find('/') != std::string::npos) continue;
    if (entry.removed) names.erase(rest);
    else names.insert(rest);
  }
  return std::vector<std::string>(names.begin(), names.end());
}

Status DryRunSystem::write_file(const std::string& path, std::string_view data, const FileAttrs& attrs) {
  overlay_[path] = Entry{false, false, std::string(data), attrs.mode};
  actions_.push_back({"write", path, std::string(data)});
  return {};
}

Status DryRunSystem::write_attribute(const std::string& path, std::string_view data) {
  // The attribute must exist for the real write to work; say so now as it would.
  auto info = stat(path);
  if (!info) return info.error();
  if (!info->exists) return make_error("opening {}: No such file or directory", path);
  overlay_[path] = Entry{false, false, std::string(data), info->mode};
  actions_.push_back({"set", path, std::string(data)});
  return {};
}

Status DryRunSystem::append_durable(const std::string& path, std::string_view data) {
  std::string current;
  if (auto existing = read_file(path)) current = std::move(*existing);
  overlay_[path] = Entry{false, false, current + std::string(data), 0600};
  actions_.push_back({"append", path, std::string(data)});
  return {};
}

Status DryRunSystem::remove_file(const std::string& path) {
  overlay_[path] = Entry{true, false, "", 0};
  actions_.push_back({"remove", path, ""});
  return {};
}

Status DryRunSystem::make_dirs(const std::string& path, uint32_t mode) {
  auto info = stat(path);
  if (info && info->exists) return {};
  overlay_[path] = Entry{false, true, "", mode};
  actions_.push_back({"mkdir", path, ""});
  return {};
}

Result<ProcessResult> DryRunSystem::run(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& arg : argv) line += (line.empty() ? "" : " ") + arg;
  actions_.push_back({"run", line, ""});
  return ProcessResult{};
}

Result<std::unique_ptr<LockHandle>> DryRunSystem::try_lock(const std::string&) {
  // Nothing is changed, so nothing needs excluding.
  return std::make_unique<LockHandle>();
}

}  // namespace tune
