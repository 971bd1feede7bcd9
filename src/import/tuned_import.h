// `tune import tuned PATH`: a TuneD profile (with its includes) converted
// into one tune profile, with everything that could not be mapped listed.
#pragma once

#include "import/profile_writer.h"
#include "import/tuned_profile.h"

namespace tune::import {

inline const std::vector<std::string>& tuned_search_path() {
  static const std::vector<std::string> kDirs = {"/etc/tuned", "/usr/lib/tuned"};
  return kDirs;
}

// name: the tune profile's name (default "tuned-<profile>").
Result<ProfileWriter> convert_tuned(const std::string& path_or_name, const std::string& name = "",
                                    const std::vector<std::string>& search = tuned_search_path());

// The conversion of an already loaded profile (for tests).
ProfileWriter convert_tuned_profile(const TunedProfile& profile, const std::string& name);

}  // namespace tune::import
