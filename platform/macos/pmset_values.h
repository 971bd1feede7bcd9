// What `pmset -g custom` prints: the power settings of each power source
// ("AC Power:", "Battery Power:", "UPS Power:"), one "key value" line each.
// Format from pmset(1) and its output as Apple's support articles and
// Ollama/llama.cpp guides quote it; not captured by tune on a Mac.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace tune::macos_platform {

// source ("AC Power") -> key -> value. Lines before any source header (as
// `pmset -g` prints under "Currently in use:") go under that header's name.
using PmsetSources = std::map<std::string, std::map<std::string, std::string>>;

PmsetSources parse_pmset(const std::string& output);

// The pmset flag that names a source (-c AC, -b battery, -u UPS); nothing
// for a header pmset(1) does not document.
std::optional<std::string> pmset_source_flag(const std::string& source);

// One key over every source that has it: "0" when they agree, else
// "AC Power=1;Battery Power=0" (the form the journal keeps, so rollback puts
// each source back as it was); nothing when no source has the key.
std::optional<std::string> pmset_value(const PmsetSources& sources, const std::string& key);

// The per-source form back into source -> value; a plain value is {"", v}.
std::map<std::string, std::string> split_pmset_value(const std::string& value);

}  // namespace tune::macos_platform
