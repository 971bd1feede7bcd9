// WindowsApi: the Win32 calls the Windows backend makes (registry, power
// schemes and settings, service start types, account rights, what the
// machine is), behind a door like System. The knobs, planners and detection
// are logic over it, so they compile and are tested on Linux against a
// recorded host; only the implementation over the real API
// (platform/windows/win32_api.cpp) is compiled for Windows alone.
#pragma once

#include "util/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tune {

struct RegistryValue {
  enum class Type { Dword, Qword, String, ExpandString, MultiString };
  Type type = Type::Dword;
  // DWORD and QWORD as decimal text; strings as UTF-8; a multi-string's
  // items joined by '\n'.
  std::string data;
  bool operator==(const RegistryValue& other) const { return type == other.type && data == other.data; }
};

struct PowerScheme {
  std::string guid;  // lower case, no braces: "8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c"
  std::string name;  // its friendly name
};

// Power settings are read and written per power source.
enum class PowerSource { Ac, Dc };

struct WindowsGpu {
  std::string name;
  uint32_t vendor_id = 0;  // PCI vendor: 0x10de NVIDIA, 0x1002 AMD, 0x8086 Intel
  uint32_t device_id = 0;
  uint64_t dedicated_memory_bytes = 0;
};

// What detection reads of the machine (GetLogicalProcessorInformationEx,
// GlobalMemoryStatusEx, the registry's CurrentVersion, DXGI adapters,
// GetSystemPowerStatus).
struct WindowsMachine {
  std::string hostname;
  std::string product_name;   // "Windows 11 Pro"
  std::string version;        // DisplayVersion: "23H2"
  std::string build;          // CurrentBuildNumber: "22631"
  std::string arch;           // "x86_64", "aarch64"
  std::string cpu_model;      // ProcessorNameString
  std::string cpu_vendor;     // "GenuineIntel", "AuthenticAMD"
  int packages = 0;
  int physical_cores = 0;
  int logical_processors = 0;
  int processor_groups = 0;
  int numa_nodes = 0;
  // Cores by efficiency class (hybrid CPUs: P-cores have the higher class).
  std::vector<int> cores_by_efficiency_class;
  uint64_t total_memory_bytes = 0;
  uint64_t available_memory_bytes = 0;
  std::vector<WindowsGpu> gpus;
  std::optional<bool> on_ac;       // unknown on a desktop without a power status
  std::optional<bool> has_battery;
};

class WindowsApi {
 public:
  virtual ~WindowsApi() = default;

  // Registry values by key ("HKLM\\SYSTEM\\CurrentControlSet\\...", hives
  // HKLM, HKCU, HKU) and value name; nullopt when the value is absent.
  virtual Result<std::optional<RegistryValue>> read_registry(const std::string& key, const std::string& name) const = 0;
  // Creates the key when it is missing.
  virtual Status write_registry(const std::string& key, const std::string& name, const RegistryValue& value) = 0;
  // Removing a value that is not there succeeds.
  virtual Status delete_registry(const std::string& key, const std::string& name) = 0;

  // Power schemes: PowerGetActiveScheme, PowerSetActiveScheme,
  // PowerEnumerate, PowerDuplicateScheme, PowerDeleteScheme.
  virtual Result<std::string> active_power_scheme() const = 0;
  virtual Status set_active_power_scheme(const std::string& guid) = 0;
  virtual Result<std::vector<PowerScheme>> power_schemes() const = 0;
  // A copy of a scheme (the hidden Ultimate Performance plan is used this way); returns the new GUID.
  virtual Result<std::string> duplicate_power_scheme(const std::string& source_guid) = 0;
  virtual Status delete_power_scheme(const std::string& guid) = 0;
  // One setting's value index in a scheme: PowerRead/WriteACValueIndex and
  // the DC pair, by subgroup and setting GUID.
  virtual Result<uint32_t> read_power_value(const std::string& scheme, const std::string& subgroup,
                                            const std::string& setting, PowerSource source) const = 0;
  virtual Status write_power_value(const std::string& scheme, const std::string& subgroup, const std::string& setting,
                                   PowerSource source, uint32_t value) = 0;

  // A service's start type ("boot", "system", "auto", "delayed-auto",
  // "manual", "disabled"); nullopt when there is no such service.
  virtual Result<std::optional<std::string>> service_start_type(const std::string& name) const = 0;
  virtual Status set_service_start_type(const std::string& name, const std::string& start_type) = 0;

  // User rights of an account ("SeLockMemoryPrivilege"...), through the LSA.
  virtual Result<std::vector<std::string>> account_rights(const std::string& account) const = 0;
  virtual Status add_account_right(const std::string& account, const std::string& right) = 0;
  virtual Status remove_account_right(const std::string& account, const std::string& right) = 0;

  // Microsoft Defender Antivirus path exclusions (files and folders it does
  // not scan). Read from HKLM\SOFTWARE\Microsoft\Windows Defender\Exclusions\Paths;
  // changed through Defender's own interface (Add-/Remove-MpPreference), since
  // it ignores direct writes to that key. Removing one that is absent succeeds.
  virtual Result<std::vector<std::string>> defender_exclusions() const = 0;
  virtual Status add_defender_exclusion(const std::string& path) = 0;
  virtual Status remove_defender_exclusion(const std::string& path) = 0;

  virtual Result<WindowsMachine> machine() const = 0;

  // What this door opens on, for messages ("this Windows host", "recorded host FILE").
  virtual std::string describe() const = 0;
};

}  // namespace tune
