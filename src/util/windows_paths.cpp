#include "util/windows_paths.h"

#include <cctype>
#include <cstdlib>
#include <utility>
#include <vector>

namespace tune {
namespace {

bool is_drive_path(const std::string& path) {
  return path.size() >= 3 && std::isalpha(static_cast<unsigned char>(path[0])) && path[1] == ':' &&
         (path[2] == '/' || path[2] == '\\');
}

// Every component after the first separator: none empty-but-dot, none "." or "..".
bool clean_components(const std::string& path, size_t start) {
  while (start <= path.size()) {
    size_t end = path.find_first_of("/\\", start);
    if (end == std::string::npos) end = path.size();
    const std::string part = path.substr(start, end - start);
    if (part == "." || part == "..") return false;
    // Colons name alternate data streams on NTFS: never part of a host path.
    if (part.find(':') != std::string::npos) return false;
    start = end + 1;
  }
  return true;
}

std::string with_backslashes(std::string path) {
  for (char& c : path) c = c == '/' ? '\\' : c;
  while (path.size() > 3 && path.back() == '\\') path.pop_back();
  return path;
}

}  // namespace

std::optional<std::string> program_data_place(const std::string& unix_path) {
  static const std::vector<std::pair<std::string, std::string>> kPlaces = {
      {"/etc/tune", "tune"}, {"/var/lib/tune", "tune/state"}, {"/run/lock", "tune/lock"}};
  for (const auto& [unix_dir, place] : kPlaces) {
    if (unix_path == unix_dir) return place;
    if (unix_path.size() > unix_dir.size() && unix_path.compare(0, unix_dir.size(), unix_dir) == 0 &&
        unix_path[unix_dir.size()] == '/') {
      return place + unix_path.substr(unix_dir.size());
    }
  }
  return std::nullopt;
}

std::optional<std::string> windows_native_path(const std::string& root, const std::string& path,
                                               const WindowsLocations& locations) {
  if (path.empty() || path.find('\0') != std::string::npos) return std::nullopt;
  if (is_drive_path(path)) {
    if (!root.empty() || !clean_components(path, 3)) return std::nullopt;
    return with_backslashes(path);
  }
  // "/x", but not "//server/share" nor "\\?\device".
  if (path[0] != '/' || (path.size() > 1 && (path[1] == '/' || path[1] == '\\'))) return std::nullopt;
  if (!clean_components(path, 1)) return std::nullopt;
  if (!root.empty()) return with_backslashes(root + path);
  if (auto place = program_data_place(path)) return with_backslashes(locations.program_data + "/" + *place);
  return with_backslashes(locations.system_drive + path);
}

WindowsLocations windows_locations_from_environment() {
  WindowsLocations locations;
  if (const char* drive = std::getenv("SystemDrive"); drive && *drive) locations.system_drive = drive;
  if (const char* data = std::getenv("ProgramData"); data && *data) locations.program_data = data;
  return locations;
}

std::string windows_host_path(const std::string& unix_path) {
  return windows_native_path("", unix_path, windows_locations_from_environment()).value_or(unix_path);
}

}  // namespace tune
