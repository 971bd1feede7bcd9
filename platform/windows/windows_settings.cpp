#include "platform/windows/windows_settings.h"

namespace tune::windows_platform {

const std::vector<BuiltinScheme>& builtin_schemes() {
  static const std::vector<BuiltinScheme> kSchemes = {
      {"balanced", "381b4222-f694-41f0-9685-ff5bb260df2e"},
      {"high-performance", "8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c"},
      {"power-saver", "a1841308-3541-4fab-bc81-f71556f20b4a"},
  };
  return kSchemes;
}

std::optional<std::string> builtin_scheme_guid(const std::string& name) {
  for (const auto& scheme : builtin_schemes()) {
    if (name == scheme.name) return std::string(scheme.guid);
  }
  return std::nullopt;
}

std::optional<std::string> builtin_scheme_name(const std::string& guid) {
  for (const auto& scheme : builtin_schemes()) {
    if (guid == scheme.guid) return std::string(scheme.name);
  }
  return std::nullopt;
}

const std::vector<PowerValueSetting>& power_value_settings() {
  static const char* const kProcessor = "54533251-82be-4824-96c1-47b60b740d00";  // SUB_PROCESSOR
  static const std::vector<PowerValueSetting> kSettings = {
      {"processor_min_state_pct", kProcessor, "893dee8e-2bef-41e0-89c6-b55d0929964c", false},     // PROCTHROTTLEMIN
      {"processor_max_state_pct", kProcessor, "bc5038f7-23e0-4960-96da-33abaf5935ec", false},     // PROCTHROTTLEMAX
      {"core_parking_min_cores_pct", kProcessor, "0cc5b647-c1df-4637-891a-dec35c318583", false},  // CPMINCORES
      {"standby_timeout_ac_min", "238c9fa8-0aad-41ed-83f4-97be242c8f20",                          // SUB_SLEEP
       "29f6c1db-86da-48c5-9fdb-f2b67b1f44da", true},                                             // STANDBYIDLE
      {"monitor_timeout_ac_min", "7516b95f-f776-4464-8c53-06167f40cc99",                          // SUB_VIDEO
       "3c0bc021-c8a8-4e07-a973-6b14cbcb2b7e", true},                                             // VIDEOIDLE
  };
  return kSettings;
}

const PowerValueSetting* find_power_value_setting(const std::string& key) {
  for (const auto& setting : power_value_settings()) {
    if (key == setting.key) return &setting;
  }
  return nullptr;
}

const std::vector<RegistrySetting>& registry_settings() {
  static const char* const kMultimedia = "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Multimedia\\SystemProfile";
  static const char* const kTcpip = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters";
  static const std::vector<RegistrySetting> kSettings = {
      {"system_responsiveness_pct", "power", kMultimedia, "SystemResponsiveness"},
      {"network_throttling_index", "power", kMultimedia, "NetworkThrottlingIndex"},
      {"win32_priority_separation", "power", "HKLM\\SYSTEM\\CurrentControlSet\\Control\\PriorityControl",
       "Win32PrioritySeparation"},
      {"tcp_timed_wait_delay", "windows", kTcpip, "TcpTimedWaitDelay"},
      {"max_user_port", "windows", kTcpip, "MaxUserPort"},
  };
  return kSettings;
}

const RegistrySetting* find_registry_setting(const std::string& key) {
  for (const auto& setting : registry_settings()) {
    if (key == setting.key) return &setting;
  }
  return nullptr;
}

}  // namespace tune::windows_platform
