// `powercfg /list` and `powercfg /q SCHEME` output, read into schemes and
// their settings' AC and DC value indexes. Only the recorded host of the
// tests reads this text: tune itself uses the power API, never powercfg's
// output (its wording is localized). The English layout follows Microsoft
// Learn, "Powercfg command-line options" (/list, /query).
#pragma once

#include "util/result.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace tune::windows_platform {

struct PowercfgScheme {
  std::string guid;  // lower case
  std::string name;
};

struct PowercfgSetting {
  std::string scheme;
  std::string subgroup;
  std::string setting;
  std::optional<uint32_t> ac;
  std::optional<uint32_t> dc;
};

struct PowercfgOutput {
  std::vector<PowercfgScheme> schemes;  // in order of first mention
  std::string active;                   // the one /list marks with '*'; empty if none is
  std::vector<PowercfgSetting> settings;
};

// Any number of /list and /q outputs, one after another.
Result<PowercfgOutput> parse_powercfg(const std::string& text);

}  // namespace tune::windows_platform
