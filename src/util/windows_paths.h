// Where a host path lands on Windows. tune names host files the Unix way
// ("/etc/tune/tune.toml", "/var/lib/tune/journal/000001.jsonl"); the Windows
// door (local_system_win32.cpp) puts tune's own places under %ProgramData%\tune
// and every other "/x/y" on the system drive, takes drive paths ("C:/x") as
// they are, and under a root (--root DIR, tests) only prefixes, as on Linux.
// Pure string logic, so it is tested on every host.
#pragma once

#include <optional>
#include <string>

namespace tune {

struct WindowsLocations {
  std::string system_drive = "C:";                 // %SystemDrive%
  std::string program_data = "C:\\ProgramData";    // %ProgramData%
};

// The native path (backslashes, UTF-8) for `path`, or nullopt when it is not
// one tune may name: relative, with "." or ".." components, a UNC or device
// path, or a drive path under a root.
std::optional<std::string> windows_native_path(const std::string& root, const std::string& path,
                                               const WindowsLocations& locations);

// %SystemDrive% and %ProgramData% of the running process, or the defaults above.
WindowsLocations windows_locations_from_environment();

// A host path as the Windows door places it (no root), for what tune opens
// itself rather than through System (profile and template directories).
std::string windows_host_path(const std::string& unix_path);

// tune's own Unix places and where they are on Windows, relative to %ProgramData%.
//   /etc/tune      -> tune            (policy tune.toml, local profiles and templates)
//   /var/lib/tune  -> tune\state      (the journal, the state lock, the last validation)
//   /run/lock      -> tune\lock       (the host lock)
std::optional<std::string> program_data_place(const std::string& unix_path);

}  // namespace tune
