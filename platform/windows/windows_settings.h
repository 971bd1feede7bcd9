// The Windows settings tune knows, as data: the built-in power schemes, the
// power settings by subgroup and setting GUID, and the registry values it may
// write. Knobs take targets only from these tables, so a saved plan or a
// journal cannot make tune write anywhere else in the registry.
// GUIDs: Microsoft Learn, "Power Policy Settings" and "Processor power
// management options"; powercfg /aliases lists the same ones.
#pragma once

#include "util/windows_api.h"

#include <optional>
#include <string>
#include <vector>

namespace tune::windows_platform {

inline constexpr const char* kUltimatePerformanceGuid = "e9a42b02-d5df-448d-aa00-03f14749eb61";
inline constexpr const char* kUltimatePerformanceName = "Ultimate Performance";

struct BuiltinScheme {
  const char* name;  // tune's word: "high-performance"
  const char* guid;
};
const std::vector<BuiltinScheme>& builtin_schemes();
std::optional<std::string> builtin_scheme_guid(const std::string& name);
std::optional<std::string> builtin_scheme_name(const std::string& guid);

struct PowerValueSetting {
  const char* key;  // the profile's power key
  const char* subgroup;
  const char* setting;
  bool seconds_as_minutes;  // stored in seconds, written in profiles in minutes
};
const std::vector<PowerValueSetting>& power_value_settings();
const PowerValueSetting* find_power_value_setting(const std::string& key);

struct RegistrySetting {
  const char* key;     // the profile's key: "system_responsiveness_pct"
  const char* domain;  // the profile domain it is written in: "power" or "windows"
  const char* path;    // "HKLM\\SOFTWARE\\..."
  const char* name;    // the value's name
};
const std::vector<RegistrySetting>& registry_settings();
const RegistrySetting* find_registry_setting(const std::string& key);

// The page file list and the right for large pages.
inline constexpr const char* kMemoryManagementKey =
    "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Memory Management";
inline constexpr const char* kLockMemoryRight = "SeLockMemoryPrivilege";

// Defender path exclusions: where Windows lists them (value names, read only
// to tune), and the profile keys (defender_exclusion_planner.h).
inline constexpr const char* kDefenderExclusionPathsKey =
    "HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Exclusions\\Paths";
inline constexpr const char* kDefenderExclusionProfileKey = "defender_exclusion_paths";
inline constexpr const char* kDefenderOptInKey = "defender_exclusion_accept_unscanned_files";

}  // namespace tune::windows_platform
