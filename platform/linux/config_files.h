// Configuration spread over a main file and drop-in directories, read the
// way systemd reads system.conf.d and pam reads limits.d: every *.conf file,
// one per name (a directory earlier in precedence shadows a same-named file
// in a later one), applied in name order after the main file.
#pragma once

#include "util/result.h"
#include "util/system.h"

#include <optional>
#include <string>
#include <vector>

namespace tune::linux_platform {

struct ConfigFile {
  std::string path;
  std::string text;
};

// A main file and its drop-ins: what one program reads.
struct ConfigSet {
  std::optional<ConfigFile> main;
  std::vector<ConfigFile> drop_ins;  // in name order

  // The main file, then the drop-ins: the order they are applied in.
  std::vector<ConfigFile> in_order() const;
};

// The file at path, or nullopt when there is none; other failures are errors.
Result<std::optional<std::string>> read_if_present(const System& system, const std::string& path);

// The *.conf files of dirs (highest precedence first), one per name, in name
// order. Hidden files and directories are left out, as a glob leaves them.
Result<std::vector<ConfigFile>> read_drop_ins(const System& system, const std::vector<std::string>& dirs);

// Put a file among drop-ins in name order, in place of any of the same name:
// what the set would be once path holds text.
void put_drop_in(std::vector<ConfigFile>& drop_ins, const std::string& path, const std::string& text);

std::string base_name(const std::string& path);

}  // namespace tune::linux_platform
