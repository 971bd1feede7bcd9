// A resolved profile specialised for one host: `when` conditions decided on
// the host's facts (falling back to a parent's definition where a child's
// condition fails), ${facts.X} filled in, settings for another OS and domains
// the host policy leaves alone set aside. What does not apply is returned as
// skips, so a plan never drops a request silently.
#pragma once

#include "core/change.h"
#include "core/facts.h"
#include "core/profile.h"

#include <string>
#include <vector>

namespace tune {

struct HostProfile {
  Profile profile;            // only the settings that apply here, values final
  std::vector<Skip> skipped;  // the rest, each with its reason
};

HostProfile specialize_for_host(const Profile& resolved, const FactMap& facts,
                                const std::vector<std::string>& leave_alone = {});

// "linux", "macos" or "windows" for the host's `os` fact; empty when unknown.
std::string os_family(const FactMap& facts);

// "name (file:line:col)": who asked for a setting, as plans show it.
std::string setting_origin(const Setting& setting);

}  // namespace tune
