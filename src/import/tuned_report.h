// `tune import tuned --report`: how much of each TuneD profile converts,
// as text or JSON.
#pragma once

#include "import/tuned_import.h"

#include <nlohmann/json.hpp>

namespace tune::import {

// Profile directories (those holding a tuned.conf) under a TuneD profiles
// directory such as /usr/lib/tuned, sorted by name.
std::vector<std::string> tuned_profiles_in(const std::string& dir);

TunedCoverage total_coverage(const std::vector<TunedCoverage>& profiles);
std::string render_coverage_text(const std::vector<TunedCoverage>& profiles);
nlohmann::json coverage_json(const std::vector<TunedCoverage>& profiles);

}  // namespace tune::import
