#include "import/tuned_report.h"

#include <algorithm>
#include <filesystem>

namespace tune::import {

std::vector<std::string> tuned_profiles_in(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (std::filesystem::is_regular_file(entry.path() / "tuned.conf", ec)) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TunedCoverage total_coverage(const std::vector<TunedCoverage>& profiles) {
  TunedCoverage total;
  total.profile = "total";
  for (const auto& profile : profiles) {
    total.converted += profile.converted;
    total.refused += profile.refused;
    total.unconverted += profile.unconverted;
    for (const auto& name : profile.without_default) {
      if (std::find(total.without_default.begin(), total.without_default.end(), name) == total.without_default.end()) {
        total.without_default.push_back(name);
      }
    }
  }
  return total;
}

namespace {

std::string counts(const TunedCoverage& coverage) {
  return std::to_string(coverage.total()) + " options: " + std::to_string(coverage.converted) + " converted, " +
         std::to_string(coverage.refused) + " refused, " + std::to_string(coverage.unconverted) + " not converted";
}

}  // namespace

std::string render_coverage_text(const std::vector<TunedCoverage>& profiles) {
  std::string out;
  for (const auto& profile : profiles) {
    out += profile.profile + ": " + counts(profile) + "\n";
    for (const auto& line : profile.refusals) out += "  refused: " + line + "\n";
    for (const auto& line : profile.not_converted) out += "  not converted: " + line + "\n";
    if (!profile.without_default.empty()) {
      std::string names;
      for (const auto& name : profile.without_default) names += (names.empty() ? "" : ", ") + name;
      out += "  variables TuneD has no value for (give them with --set NAME=VALUE): " + names + "\n";
    }
  }
  if (profiles.size() > 1) {
    TunedCoverage total = total_coverage(profiles);
    out += "total, " + std::to_string(profiles.size()) + " profiles: " + counts(total) + "\n";
  }
  return out;
}

nlohmann::json coverage_json(const std::vector<TunedCoverage>& profiles) {
  auto one = [](const TunedCoverage& coverage) {
    return nlohmann::json{{"profile", coverage.profile},
                          {"options", coverage.total()},
                          {"converted", coverage.converted},
                          {"refused", coverage.refused},
                          {"not_converted", coverage.unconverted},
                          {"refusals", coverage.refusals},
                          {"not_converted_reasons", coverage.not_converted},
                          {"variables_without_default", coverage.without_default}};
  };
  nlohmann::json list = nlohmann::json::array();
  for (const auto& profile : profiles) list.push_back(one(profile));
  TunedCoverage total = total_coverage(profiles);
  return nlohmann::json{{"profiles", list},
                        {"total",
                         {{"profiles", profiles.size()},
                          {"options", total.total()},
                          {"converted", total.converted},
                          {"refused", total.refused},
                          {"not_converted", total.unconverted},
                          {"variables_without_default", total.without_default}}}};
}

}  // namespace tune::import
