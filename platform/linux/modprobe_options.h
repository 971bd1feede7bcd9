// Module parameters as modprobe will pass them: the `options` lines of every
// modprobe.d directory (a file in /etc hides one of the same name in /run or
// /lib, and files are read in name order), and the one file tune owns,
// /etc/modprobe.d/90-tune.conf. Also where a module stands in the running
// kernel: not loaded, loaded from a file, or built in.
#pragma once

#include "util/system.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tune::linux_platform {

inline constexpr const char* kModprobeFile = "/etc/modprobe.d/90-tune.conf";

// The value modprobe passes for MODULE's PARAM (the last one given), or nullopt.
std::optional<std::string> configured_option(const System& system, const std::string& module, const std::string& param);

// module -> param -> value, in the order given; the file's text.
using ModuleOptions = std::map<std::string, std::vector<std::pair<std::string, std::string>>>;
std::string modprobe_text(const std::string& profile, const ModuleOptions& options);

enum class ModuleState { NotLoaded, Loaded, BuiltIn };
// Loaded modules have /sys/module/M/initstate; built-in ones show only
// their parameters there.
ModuleState module_state(const System& system, const std::string& module);
std::string parameter_path(const std::string& module, const std::string& param);

// "nf_conntrack/hashsize" -> module and parameter; an error for anything
// else, so a saved plan cannot name another file.
struct ModuleParam {
  std::string module;
  std::string param;
};
Result<ModuleParam> module_param(const std::string& domain, const std::string& target);

// Module parameters print booleans as Y and N: "1", "true", "on" and "yes"
// are the same as Y.
bool same_parameter_value(const std::string& live, const std::string& wanted);

}  // namespace tune::linux_platform
