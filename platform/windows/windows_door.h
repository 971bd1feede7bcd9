// The Windows API behind a System, or the error that names the door that has none.
#pragma once

#include "util/system.h"

namespace tune::windows_platform {

inline Result<WindowsApi*> windows_api_of(const System& system) {
  WindowsApi* api = system.windows();
  if (api == nullptr) return make_error("{} has no Windows API (registry, power schemes): not a Windows host", system.describe());
  return api;
}

// DWORD values as the knobs write them: decimal text of 0..4294967295.
inline std::optional<uint32_t> parse_dword(const std::string& text) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (value > 0xFFFFFFFFull) return std::nullopt;
  return static_cast<uint32_t>(value);
}

}  // namespace tune::windows_platform
