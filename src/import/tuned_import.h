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

// How much of a TuneD profile became tune settings: each option (a cmdline
// counts once, a section without options counts once) is converted, refused
// with a reason, or not converted.
struct TunedCoverage {
  std::string profile;
  int converted = 0;
  int refused = 0;
  int unconverted = 0;
  std::vector<std::string> refusals;         // "what: why"
  std::vector<std::string> not_converted;    // "what: why"
  std::vector<std::string> without_default;  // variables TuneD itself has no value for
  int total() const { return converted + refused + unconverted; }
};

struct TunedConversion {
  ProfileWriter writer;
  TunedCoverage coverage;
};

// name: the tune profile's name (default "tuned-<profile>").
Result<ProfileWriter> convert_tuned(const std::string& path_or_name, const std::string& name = "",
                                    const std::vector<std::string>& search = tuned_search_path(),
                                    const TunedVariableSources& sources = {});
Result<TunedConversion> convert_tuned_with_coverage(const std::string& path_or_name, const std::string& name = "",
                                                    const std::vector<std::string>& search = tuned_search_path(),
                                                    const TunedVariableSources& sources = {});

// The conversion of an already loaded profile (for tests).
ProfileWriter convert_tuned_profile(const TunedProfile& profile, const std::string& name);
TunedConversion convert_tuned_profile_with_coverage(const TunedProfile& profile, const std::string& name);

}  // namespace tune::import
