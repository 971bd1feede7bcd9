// systemd's unit files as the units backend reads them: where a unit's file
// and drop-ins are (the search path and its precedence), and what a unit's
// [Service] section adds up to once systemd loads them (daemon-reload), so
// the plan and `tune verify` show what the service runs with, not only what
// tune's drop-in says.
#pragma once

#include "util/system.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tune::linux_platform {

inline constexpr const char* kUnitDir = "/etc/systemd/system";

// Whether text is a systemd unit name tune handles ("ollama.service",
// "llama@gpu0.service"): the name's characters and a unit type suffix.
bool valid_unit_name(const std::string& unit);

struct UnitFiles {
  std::string fragment;              // the unit's own file; empty when there is none
  bool masked = false;               // linked to /dev/null
  std::vector<std::string> dropins;  // <unit>.d/*.conf in the order systemd applies them
};

// Where the unit's file and drop-ins are, by systemd's search path.
UnitFiles find_unit_files(const System& system, const std::string& unit);

// One `Key=value` of a unit file, in its section, in file order; continued
// lines are joined, comments dropped.
struct UnitAssignment {
  std::string section;
  std::string key;
  std::string value;
};
std::vector<UnitAssignment> parse_unit_text(const std::string& text);

// What systemd makes of a unit's [Service] section: each directive's value
// (the last assignment; an empty one resets it; CPUAffinity masks merge), and
// the Environment= variables, later assignments winning.
struct ServiceSettings {
  std::map<std::string, std::string> directives;
  std::map<std::string, std::string> environment;
};
ServiceSettings effective_service(const System& system, const UnitFiles& files);

// Environment= words: "A=1" "B=two words" -> {A: 1, B: two words}, with
// systemd's quoting and C escapes undone.
std::map<std::string, std::string> parse_environment_words(const std::string& value);

}  // namespace tune::linux_platform
