#include "platform/linux/config_files.h"

#include "util/text.h"

#include <algorithm>
#include <map>

namespace tune::linux_platform {

std::string base_name(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::vector<ConfigFile> ConfigSet::in_order() const {
  std::vector<ConfigFile> files;
  if (main) files.push_back(*main);
  files.insert(files.end(), drop_ins.begin(), drop_ins.end());
  return files;
}

Result<std::optional<std::string>> read_if_present(const System& system, const std::string& path) {
  auto info = system.stat(path);
  if (!info) return info.error();
  if (!info->exists || info->is_dir) return std::optional<std::string>();
  auto text = system.read_file(path);
  // A dangling link is no file to pam or systemd either.
  if (!text && info->is_symlink) return std::optional<std::string>();
  if (!text) return text.error();
  return std::optional<std::string>(std::move(*text));
}

Result<std::vector<ConfigFile>> read_drop_ins(const System& system, const std::vector<std::string>& dirs) {
  std::map<std::string, std::string> chosen;  // name -> path; std::map keeps name order
  for (const auto& dir : dirs) {
    auto info = system.stat(dir);
    if (!info) return info.error();
    if (!info->exists) continue;
    auto names = system.list_dir(dir);
    if (!names) return names.error();
    for (const auto& name : *names) {
      if (name.empty() || name[0] == '.' || !ends_with(name, ".conf") || chosen.count(name)) continue;
      chosen[name] = dir + "/" + name;
    }
  }
  std::vector<ConfigFile> files;
  for (const auto& [name, path] : chosen) {
    auto text = read_if_present(system, path);
    if (!text) return text.error();
    if (*text) files.push_back({path, std::move(**text)});
  }
  return files;
}

void put_drop_in(std::vector<ConfigFile>& drop_ins, const std::string& path, const std::string& text) {
  const std::string name = base_name(path);
  drop_ins.erase(std::remove_if(drop_ins.begin(), drop_ins.end(),
                                [&](const ConfigFile& file) { return base_name(file.path) == name; }),
                 drop_ins.end());
  auto at = std::find_if(drop_ins.begin(), drop_ins.end(),
                         [&](const ConfigFile& file) { return base_name(file.path) > name; });
  drop_ins.insert(at, ConfigFile{path, text});
}

}  // namespace tune::linux_platform
