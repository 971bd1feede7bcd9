// The variables files TuneD's package installs in /etc/tuned beside its
// profiles (cpu-partitioning-variables.conf...). A host without TuneD has
// none, so the converter knows what the package ships: the profiles that
// include them then convert as TuneD would run them on a fresh install.
#pragma once

#include <optional>
#include <string>

namespace tune::import {

// The shipped text of /etc/tuned/NAME ("realtime-variables.conf"), if TuneD
// ships a file of that name.
std::optional<std::string> shipped_tuned_variables(const std::string& file_name);

}  // namespace tune::import
