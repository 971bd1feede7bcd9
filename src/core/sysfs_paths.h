// The rules for raw /sys paths (the sysfs profile domain): what a path may
// look like, and which paths tune refuses to write raw. Shared by the
// profile parser (checks the path as written, with file:line:col) and the
// Linux sysfs planner and knob (check each file a glob expands to, and where
// its symlinks lead).
#pragma once

#include "core/knowledge.h"

#include <optional>
#include <string>

namespace tune {

// Why a path is not a raw sysfs path tune takes: absolute, under /sys,
// no "." or ".." component, no "//", no trailing '/', a short list of
// characters ('*' and '?' only as globs). nullopt when it is fine.
std::optional<std::string> sysfs_path_problem(const std::string& path);
bool has_sysfs_glob(const std::string& path);

// Why tune refuses to write this path raw, or nullopt: a file another domain
// owns ("use block scheduler"), a module parameter ("use modules ..."), or
// one the knowledge base marks never_write (power/state, bind, remove...).
// Works on a glob too: a pattern the profile wrote matches the knowledge
// base's patterns literally, so "/sys/block/*/queue/scheduler" is refused as
// written.
std::optional<std::string> sysfs_refusal(const Knowledge& knowledge, const std::string& path);

// The knowledge entry of the sysfs domain describing path, if any (the one a
// value is checked against).
const KnowledgeEntry* sysfs_entry(const Knowledge& knowledge, const std::string& path);

// Whether a glob component ('*', '?') matches a directory entry's name.
bool sysfs_glob_component_match(const std::string& pattern, const std::string& name);

}  // namespace tune
