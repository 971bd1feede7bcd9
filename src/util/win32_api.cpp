// Win32 calls behind WindowsApi. Strings are UTF-8 inside tune and UTF-16 at
// the API. References: Microsoft Learn pages of each function named below.
#include "util/win32_api.h"

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
// Above: the base types; below: what needs them.
#include <dxgi.h>
#include <ntsecapi.h>
#include <powrprof.h>
#include <winsvc.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace tune {
namespace {

std::wstring wide(const std::string& text) {
  if (text.empty()) return {};
  int size = MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0);
  std::wstring out(static_cast<size_t>(size), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), size);
  return out;
}

std::string narrow(const wchar_t* text, size_t length) {
  if (length == 0) return {};
  int size = WideCharToMultiByte(CP_UTF8, 0, text, static_cast<int>(length), nullptr, 0, nullptr, nullptr);
  std::string out(static_cast<size_t>(size), '\0');
  WideCharToMultiByte(CP_UTF8, 0, text, static_cast<int>(length), out.data(), size, nullptr, nullptr);
  return out;
}

std::string narrow(const std::wstring& text) { return narrow(text.data(), text.size()); }

// Windows' own sentence for an error code, on one line.
std::string error_text(DWORD code) {
  wchar_t* buffer = nullptr;
  DWORD length = FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                                nullptr, code, 0, reinterpret_cast<wchar_t*>(&buffer), 0, nullptr);
  std::string text = length ? narrow(buffer, length) : "error " + std::to_string(code);
  if (buffer) LocalFree(buffer);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' || text.back() == '.')) text.pop_back();
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\r', ' ');
  return text + " (" + std::to_string(code) + ")";
}

Error win32_error(const std::string& call, DWORD code) { return Error{call + ": " + error_text(code)}; }

// Defender exclusions are changed through Defender's documented interface,
// PowerShell's Add-MpPreference / Remove-MpPreference (Microsoft Learn,
// "Configure custom exclusions for Microsoft Defender Antivirus"): Defender
// owns its Exclusions registry keys and does not take direct writes to them.
// The path reaches PowerShell as a single-quoted literal inside a script
// passed with -EncodedCommand (base64 of UTF-16LE), so no command line or
// shell string is ever built from it: inside single quotes PowerShell expands
// nothing, and its single-quote characters (', and the typographic U+2018,
// U+2019, U+201A, U+201B it also accepts) are doubled.
std::wstring powershell_literal(const std::wstring& text) {
  std::wstring out = L"'";
  for (wchar_t c : text) {
    out += c;
    if (c == L'\'' || c == 0x2018 || c == 0x2019 || c == 0x201A || c == 0x201B) out += c;
  }
  return out + L"'";
}

std::string base64_utf16le(const std::wstring& text) {
  std::vector<unsigned char> bytes;
  for (wchar_t c : text) {
    bytes.push_back(static_cast<unsigned char>(c & 0xFF));
    bytes.push_back(static_cast<unsigned char>((c >> 8) & 0xFF));
  }
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t chunk = static_cast<uint32_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) chunk |= static_cast<uint32_t>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) chunk |= bytes[i + 2];
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(chunk >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[chunk & 63] : '=';
  }
  return out;
}

// Runs `CMDLET -ExclusionPath 'PATH'` in Windows PowerShell (from the system
// directory, not the PATH) and waits for it; a failure (not elevated, Tamper
// Protection, Defender not the active antivirus) is its exit status.
Status run_defender_cmdlet(const wchar_t* cmdlet, const std::string& path) {
  wchar_t system_dir[MAX_PATH];
  UINT length = GetSystemDirectoryW(system_dir, MAX_PATH);
  if (length == 0 || length >= MAX_PATH) return win32_error("GetSystemDirectoryW", GetLastError());
  const std::wstring program = std::wstring(system_dir, length) + L"\\WindowsPowerShell\\v1.0\\powershell.exe";
  const std::wstring script = std::wstring(cmdlet) + L" -ExclusionPath " + powershell_literal(wide(path)) +
                              L" -ErrorAction Stop";
  // Every argument here is fixed text or base64: nothing needs argv quoting.
  std::wstring command_line = L"\"" + program + L"\" -NoLogo -NoProfile -NonInteractive -EncodedCommand " +
                              wide(base64_utf16le(script));
  STARTUPINFOW startup{};
  startup.cb = sizeof startup;
  PROCESS_INFORMATION process{};
  const std::string call = narrow(std::wstring(cmdlet)) + " -ExclusionPath " + path;
  if (!CreateProcessW(program.c_str(), command_line.data(), nullptr, nullptr, FALSE, CREATE_NO_WINDOW, nullptr, nullptr,
                      &startup, &process)) {
    return win32_error("CreateProcessW powershell.exe (" + call + ")", GetLastError());
  }
  WaitForSingleObject(process.hProcess, INFINITE);
  DWORD exit_code = 1;
  GetExitCodeProcess(process.hProcess, &exit_code);
  CloseHandle(process.hThread);
  CloseHandle(process.hProcess);
  if (exit_code != 0) return Error{call + ": PowerShell exited with status " + std::to_string(exit_code)};
  return {};
}

std::string guid_text(const GUID& guid) {
  char text[40];
  std::snprintf(text, sizeof text, "%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                static_cast<unsigned long>(guid.Data1), guid.Data2, guid.Data3, guid.Data4[0], guid.Data4[1],
                guid.Data4[2], guid.Data4[3], guid.Data4[4], guid.Data4[5], guid.Data4[6], guid.Data4[7]);
  return text;
}

Result<GUID> parse_guid(const std::string& text) {
  GUID guid{};
  unsigned long data1 = 0;
  unsigned int data2 = 0, data3 = 0, bytes[8] = {};
  if (text.size() != 36 ||
      std::sscanf(text.c_str(), "%8lx-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x", &data1, &data2, &data3, &bytes[0], &bytes[1],
                  &bytes[2], &bytes[3], &bytes[4], &bytes[5], &bytes[6], &bytes[7]) != 11) {
    return make_error("'{}' is not a GUID", text);
  }
  guid.Data1 = data1;
  guid.Data2 = static_cast<unsigned short>(data2);
  guid.Data3 = static_cast<unsigned short>(data3);
  for (int i = 0; i < 8; ++i) guid.Data4[i] = static_cast<unsigned char>(bytes[i]);
  return guid;
}

// "HKLM\\SOFTWARE\\X" -> the predefined key and "SOFTWARE\\X".
Result<std::pair<HKEY, std::wstring>> split_key(const std::string& key) {
  static const std::pair<const char*, HKEY> kHives[] = {
      {"HKLM", HKEY_LOCAL_MACHINE}, {"HKCU", HKEY_CURRENT_USER}, {"HKU", HKEY_USERS}};
  auto slash = key.find('\\');
  std::string hive = key.substr(0, slash);
  for (const auto& [name, handle] : kHives) {
    if (hive == name) return std::make_pair(handle, wide(slash == std::string::npos ? "" : key.substr(slash + 1)));
  }
  return make_error("registry key '{}' is not under HKLM, HKCU or HKU", key);
}

// Closes a handle when it goes out of scope.
struct ServiceHandle {
  SC_HANDLE handle = nullptr;
  ~ServiceHandle() {
    if (handle) CloseServiceHandle(handle);
  }
};

struct LsaHandle {
  LSA_HANDLE handle = nullptr;
  ~LsaHandle() {
    if (handle) LsaClose(handle);
  }
};

LSA_UNICODE_STRING lsa_string(std::wstring& text) {
  LSA_UNICODE_STRING out;
  out.Buffer = text.data();
  out.Length = static_cast<USHORT>(text.size() * sizeof(wchar_t));
  out.MaximumLength = out.Length;
  return out;
}

Error lsa_error(const std::string& call, NTSTATUS status) { return win32_error(call, LsaNtStatusToWinError(status)); }

class Win32Api final : public WindowsApi {
 public:
  Result<std::optional<RegistryValue>> read_registry(const std::string& key, const std::string& name) const override {
    auto split = split_key(key);
    if (!split) return split.error();
    const std::wstring value_name = wide(name);
    DWORD type = 0, size = 0;
    LSTATUS status = RegGetValueW(split->first, split->second.c_str(), value_name.c_str(), RRF_RT_ANY | RRF_NOEXPAND,
                                  &type, nullptr, &size);
    if (status == ERROR_FILE_NOT_FOUND) return std::optional<RegistryValue>();
    if (status != ERROR_SUCCESS) return win32_error("RegGetValueW " + key + "\\" + name, static_cast<DWORD>(status));
    std::vector<BYTE> data(size + sizeof(wchar_t) * 2, 0);
    status = RegGetValueW(split->first, split->second.c_str(), value_name.c_str(), RRF_RT_ANY | RRF_NOEXPAND, &type,
                          data.data(), &size);
    if (status != ERROR_SUCCESS) return win32_error("RegGetValueW " + key + "\\" + name, static_cast<DWORD>(status));
    RegistryValue value;
    switch (type) {
      case REG_DWORD: {
        DWORD number = 0;
        std::memcpy(&number, data.data(), sizeof number);
        value = {RegistryValue::Type::Dword, std::to_string(number)};
        break;
      }
      case REG_QWORD: {
        unsigned long long number = 0;
        std::memcpy(&number, data.data(), sizeof number);
        value = {RegistryValue::Type::Qword, std::to_string(number)};
        break;
      }
      case REG_SZ:
      case REG_EXPAND_SZ: {
        const wchar_t* text = reinterpret_cast<const wchar_t*>(data.data());
        value = {type == REG_SZ ? RegistryValue::Type::String : RegistryValue::Type::ExpandString, narrow(std::wstring(text))};
        break;
      }
      case REG_MULTI_SZ: {
        std::vector<std::string> items;
        const wchar_t* item = reinterpret_cast<const wchar_t*>(data.data());
        const wchar_t* end = item + size / sizeof(wchar_t);
        while (item < end && *item) {
          std::wstring text(item);
          items.push_back(narrow(text));
          item += text.size() + 1;
        }
        std::string joined;
        for (size_t i = 0; i < items.size(); ++i) joined += (i ? "\n" : "") + items[i];
        value = {RegistryValue::Type::MultiString, joined};
        break;
      }
      default:
        return make_error("RegGetValueW {}\\{}: a value of type {}, which tune does not read", key, name, type);
    }
    return std::optional<RegistryValue>(value);
  }

  Status write_registry(const std::string& key, const std::string& name, const RegistryValue& value) override {
    auto split = split_key(key);
    if (!split) return split.error();
    std::vector<BYTE> data;
    DWORD type = REG_DWORD;
    auto put_text = [&](const std::wstring& text) {
      const BYTE* bytes = reinterpret_cast<const BYTE*>(text.c_str());
      data.assign(bytes, bytes + (text.size() + 1) * sizeof(wchar_t));
    };
    switch (value.type) {
      case RegistryValue::Type::Dword: {
        DWORD number = static_cast<DWORD>(std::stoul(value.data));
        data.assign(reinterpret_cast<BYTE*>(&number), reinterpret_cast<BYTE*>(&number) + sizeof number);
        break;
      }
      case RegistryValue::Type::Qword: {
        unsigned long long number = std::stoull(value.data);
        type = REG_QWORD;
        data.assign(reinterpret_cast<BYTE*>(&number), reinterpret_cast<BYTE*>(&number) + sizeof number);
        break;
      }
      case RegistryValue::Type::String:
      case RegistryValue::Type::ExpandString:
        type = value.type == RegistryValue::Type::String ? REG_SZ : REG_EXPAND_SZ;
        put_text(wide(value.data));
        break;
      case RegistryValue::Type::MultiString: {
        type = REG_MULTI_SZ;
        std::wstring text = wide(value.data);
        std::replace(text.begin(), text.end(), L'\n', L'\0');
        text.push_back(L'\0');  // with put_text's terminator: the list's double NUL
        put_text(text);
        break;
      }
    }
    LSTATUS status = RegSetKeyValueW(split->first, split->second.c_str(), wide(name).c_str(), type, data.data(),
                                     static_cast<DWORD>(data.size()));
    if (status != ERROR_SUCCESS) return win32_error("RegSetKeyValueW " + key + "\\" + name, static_cast<DWORD>(status));
    return {};
  }

  Status delete_registry(const std::string& key, const std::string& name) override {
    auto split = split_key(key);
    if (!split) return split.error();
    LSTATUS status = RegDeleteKeyValueW(split->first, split->second.c_str(), wide(name).c_str());
    if (status == ERROR_FILE_NOT_FOUND || status == ERROR_SUCCESS) return {};
    return win32_error("RegDeleteKeyValueW " + key + "\\" + name, static_cast<DWORD>(status));
  }

  Result<std::string> active_power_scheme() const override {
    GUID* active = nullptr;
    DWORD status = PowerGetActiveScheme(nullptr, &active);
    if (status != ERROR_SUCCESS) return win32_error("PowerGetActiveScheme", status);
    std::string text = guid_text(*active);
    LocalFree(active);
    return text;
  }

  Status set_active_power_scheme(const std::string& guid) override {
    auto parsed = parse_guid(guid);
    if (!parsed) return parsed.error();
    DWORD status = PowerSetActiveScheme(nullptr, &*parsed);
    if (status != ERROR_SUCCESS) return win32_error("PowerSetActiveScheme " + guid, status);
    return {};
  }

  Result<std::vector<PowerScheme>> power_schemes() const override {
    std::vector<PowerScheme> schemes;
    for (ULONG index = 0;; ++index) {
      GUID guid{};
      DWORD size = sizeof guid;
      DWORD status = PowerEnumerate(nullptr, nullptr, nullptr, ACCESS_SCHEME, index, reinterpret_cast<UCHAR*>(&guid), &size);
      if (status == ERROR_NO_MORE_ITEMS) break;
      if (status != ERROR_SUCCESS) return win32_error("PowerEnumerate", status);
      DWORD name_size = 0;
      PowerReadFriendlyName(nullptr, &guid, nullptr, nullptr, nullptr, &name_size);
      std::vector<UCHAR> name(name_size + sizeof(wchar_t), 0);
      std::string friendly;
      if (name_size && PowerReadFriendlyName(nullptr, &guid, nullptr, nullptr, name.data(), &name_size) == ERROR_SUCCESS) {
        friendly = narrow(std::wstring(reinterpret_cast<const wchar_t*>(name.data())));
      }
      schemes.push_back({guid_text(guid), friendly});
    }
    return schemes;
  }

  Result<std::string> duplicate_power_scheme(const std::string& source_guid) override {
    auto source = parse_guid(source_guid);
    if (!source) return source.error();
    GUID* copy = nullptr;
    DWORD status = PowerDuplicateScheme(nullptr, &*source, &copy);
    if (status != ERROR_SUCCESS) return win32_error("PowerDuplicateScheme " + source_guid, status);
    std::string text = guid_text(*copy);
    LocalFree(copy);
    return text;
  }

  Status delete_power_scheme(const std::string& guid) override {
    auto parsed = parse_guid(guid);
    if (!parsed) return parsed.error();
    DWORD status = PowerDeleteScheme(nullptr, &*parsed);
    if (status != ERROR_SUCCESS) return win32_error("PowerDeleteScheme " + guid, status);
    return {};
  }

  Result<uint32_t> read_power_value(const std::string& scheme, const std::string& subgroup, const std::string& setting,
                                    PowerSource source) const override {
    auto s = parse_guid(scheme), g = parse_guid(subgroup), v = parse_guid(setting);
    if (!s) return s.error();
    if (!g) return g.error();
    if (!v) return v.error();
    DWORD index = 0;
    DWORD status = source == PowerSource::Ac ? PowerReadACValueIndex(nullptr, &*s, &*g, &*v, &index)
                                             : PowerReadDCValueIndex(nullptr, &*s, &*g, &*v, &index);
    const char* call = source == PowerSource::Ac ? "PowerReadACValueIndex " : "PowerReadDCValueIndex ";
    if (status != ERROR_SUCCESS) return win32_error(call + scheme + " " + setting, status);
    return static_cast<uint32_t>(index);
  }

  Status write_power_value(const std::string& scheme, const std::string& subgroup, const std::string& setting,
                           PowerSource source, uint32_t value) override {
    auto s = parse_guid(scheme), g = parse_guid(subgroup), v = parse_guid(setting);
    if (!s) return s.error();
    if (!g) return g.error();
    if (!v) return v.error();
    DWORD status = source == PowerSource::Ac ? PowerWriteACValueIndex(nullptr, &*s, &*g, &*v, value)
                                             : PowerWriteDCValueIndex(nullptr, &*s, &*g, &*v, value);
    const char* call = source == PowerSource::Ac ? "PowerWriteACValueIndex " : "PowerWriteDCValueIndex ";
    if (status != ERROR_SUCCESS) return win32_error(call + scheme + " " + setting, status);
    return {};
  }

  Result<std::optional<std::string>> service_start_type(const std::string& name) const override {
    ServiceHandle manager{OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT)};
    if (!manager.handle) return win32_error("OpenSCManagerW", GetLastError());
    ServiceHandle service{OpenServiceW(manager.handle, wide(name).c_str(), SERVICE_QUERY_CONFIG)};
    if (!service.handle) {
      DWORD code = GetLastError();
      if (code == ERROR_SERVICE_DOES_NOT_EXIST) return std::optional<std::string>();
      return win32_error("OpenServiceW " + name, code);
    }
    DWORD size = 0;
    QueryServiceConfigW(service.handle, nullptr, 0, &size);
    std::vector<BYTE> buffer(size);
    auto* config = reinterpret_cast<QUERY_SERVICE_CONFIGW*>(buffer.data());
    if (!QueryServiceConfigW(service.handle, config, size, &size)) return win32_error("QueryServiceConfigW " + name, GetLastError());
    switch (config->dwStartType) {
      case SERVICE_BOOT_START: return std::optional<std::string>("boot");
      case SERVICE_SYSTEM_START: return std::optional<std::string>("system");
      case SERVICE_DEMAND_START: return std::optional<std::string>("manual");
      case SERVICE_DISABLED: return std::optional<std::string>("disabled");
      case SERVICE_AUTO_START: break;
      default: return make_error("QueryServiceConfigW {}: start type {}", name, config->dwStartType);
    }
    SERVICE_DELAYED_AUTO_START_INFO delayed{};
    DWORD needed = 0;
    if (!QueryServiceConfig2W(service.handle, SERVICE_CONFIG_DELAYED_AUTO_START_INFO, reinterpret_cast<BYTE*>(&delayed),
                              sizeof delayed, &needed)) {
      return win32_error("QueryServiceConfig2W " + name, GetLastError());
    }
    return std::optional<std::string>(delayed.fDelayedAutostart ? "delayed-auto" : "auto");
  }

  Status set_service_start_type(const std::string& name, const std::string& start_type) override {
    DWORD type = 0;
    if (start_type == "boot") type = SERVICE_BOOT_START;
    else if (start_type == "system") type = SERVICE_SYSTEM_START;
    else if (start_type == "auto" || start_type == "delayed-auto") type = SERVICE_AUTO_START;
    else if (start_type == "manual") type = SERVICE_DEMAND_START;
    else if (start_type == "disabled") type = SERVICE_DISABLED;
    else return make_error("service {}: '{}' is not a start type", name, start_type);
    ServiceHandle manager{OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT)};
    if (!manager.handle) return win32_error("OpenSCManagerW", GetLastError());
    ServiceHandle service{OpenServiceW(manager.handle, wide(name).c_str(), SERVICE_CHANGE_CONFIG | SERVICE_QUERY_CONFIG)};
    if (!service.handle) return win32_error("OpenServiceW " + name, GetLastError());
    if (!ChangeServiceConfigW(service.handle, SERVICE_NO_CHANGE, type, SERVICE_NO_CHANGE, nullptr, nullptr, nullptr,
                              nullptr, nullptr, nullptr, nullptr)) {
      return win32_error("ChangeServiceConfigW " + name, GetLastError());
    }
    if (type == SERVICE_AUTO_START) {
      SERVICE_DELAYED_AUTO_START_INFO delayed{start_type == "delayed-auto"};
      if (!ChangeServiceConfig2W(service.handle, SERVICE_CONFIG_DELAYED_AUTO_START_INFO, &delayed)) {
        return win32_error("ChangeServiceConfig2W " + name, GetLastError());
      }
    }
    return {};
  }

  Result<std::vector<std::string>> account_rights(const std::string& account) const override {
    auto sid = lookup(account);
    if (!sid) return sid.error();
    LsaHandle policy;
    TUNE_RETURN_IF_ERROR(open_policy(POLICY_LOOKUP_NAMES, policy));
    LSA_UNICODE_STRING* rights = nullptr;
    ULONG count = 0;
    NTSTATUS status = LsaEnumerateAccountRights(policy.handle, sid->data(), &rights, &count);
    std::vector<std::string> names;
    if (LsaNtStatusToWinError(status) == ERROR_FILE_NOT_FOUND) return names;  // an account with no rights
    if (status != 0) return lsa_error("LsaEnumerateAccountRights " + account, status);
    for (ULONG i = 0; i < count; ++i) names.push_back(narrow(rights[i].Buffer, rights[i].Length / sizeof(wchar_t)));
    LsaFreeMemory(rights);
    return names;
  }

  Status add_account_right(const std::string& account, const std::string& right) override {
    return change_right(account, right, true);
  }
  Status remove_account_right(const std::string& account, const std::string& right) override {
    return change_right(account, right, false);
  }

  // The paths are the value names of Defender's Exclusions\Paths key (each
  // value a DWORD 0). Reading it needs an elevated token on current builds.
  Result<std::vector<std::string>> defender_exclusions() const override {
    HKEY key = nullptr;
    LSTATUS status = RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\Microsoft\\Windows Defender\\Exclusions\\Paths", 0,
                                   KEY_QUERY_VALUE | KEY_WOW64_64KEY, &key);
    std::vector<std::string> paths;
    if (status == ERROR_FILE_NOT_FOUND) return paths;  // no exclusion was ever made
    if (status != ERROR_SUCCESS) return win32_error("RegOpenKeyExW Windows Defender\\Exclusions\\Paths", static_cast<DWORD>(status));
    std::vector<wchar_t> name(32768);  // the longest value name the registry allows, and its NUL
    for (DWORD index = 0;; ++index) {
      DWORD name_length = static_cast<DWORD>(name.size());
      status = RegEnumValueW(key, index, name.data(), &name_length, nullptr, nullptr, nullptr, nullptr);
      if (status == ERROR_NO_MORE_ITEMS) break;
      if (status != ERROR_SUCCESS) {
        RegCloseKey(key);
        return win32_error("RegEnumValueW Windows Defender\\Exclusions\\Paths", static_cast<DWORD>(status));
      }
      paths.push_back(narrow(name.data(), name_length));
    }
    RegCloseKey(key);
    return paths;
  }
  Status add_defender_exclusion(const std::string& path) override { return run_defender_cmdlet(L"Add-MpPreference", path); }
  Status remove_defender_exclusion(const std::string& path) override {
    return run_defender_cmdlet(L"Remove-MpPreference", path);
  }

  Result<WindowsMachine> machine() const override {
    WindowsMachine machine;
    wchar_t host[MAX_COMPUTERNAME_LENGTH + 1];
    DWORD host_size = MAX_COMPUTERNAME_LENGTH + 1;
    if (GetComputerNameW(host, &host_size)) machine.hostname = narrow(host, host_size);
    auto text = [&](const char* key, const char* name) {
      auto value = read_registry(key, name);
      return value && *value ? (*value)->data : std::string();
    };
    const char* const kCurrentVersion = "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";
    machine.product_name = text(kCurrentVersion, "ProductName");
    machine.version = text(kCurrentVersion, "DisplayVersion");
    machine.build = text(kCurrentVersion, "CurrentBuildNumber");
    const char* const kProcessor = "HKLM\\HARDWARE\\DESCRIPTION\\System\\CentralProcessor\\0";
    machine.cpu_model = text(kProcessor, "ProcessorNameString");
    machine.cpu_vendor = text(kProcessor, "VendorIdentifier");
    SYSTEM_INFO info{};
    GetNativeSystemInfo(&info);
    machine.arch = info.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_AMD64   ? "x86_64"
                   : info.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_ARM64 ? "aarch64"
                   : info.wProcessorArchitecture == PROCESSOR_ARCHITECTURE_INTEL ? "x86"
                                                                                 : "other";
    TUNE_RETURN_IF_ERROR(read_processors(machine));
    MEMORYSTATUSEX memory{};
    memory.dwLength = sizeof memory;
    if (!GlobalMemoryStatusEx(&memory)) return win32_error("GlobalMemoryStatusEx", GetLastError());
    machine.total_memory_bytes = memory.ullTotalPhys;
    machine.available_memory_bytes = memory.ullAvailPhys;
    read_gpus(machine);  // none found is a fact (a server without display adapters), not an error
    SYSTEM_POWER_STATUS power{};
    if (GetSystemPowerStatus(&power)) {
      if (power.ACLineStatus != 255) machine.on_ac = power.ACLineStatus == 1;
      if (power.BatteryFlag != 255) machine.has_battery = (power.BatteryFlag & 128) == 0;
    }
    return machine;
  }

  std::string describe() const override { return "this Windows host"; }

 private:
  static Status open_policy(ACCESS_MASK access, LsaHandle& policy) {
    LSA_OBJECT_ATTRIBUTES attributes{};
    NTSTATUS status = LsaOpenPolicy(nullptr, &attributes, access, &policy.handle);
    if (status != 0) return lsa_error("LsaOpenPolicy", status);
    return {};
  }

  static Result<std::vector<BYTE>> lookup(const std::string& account) {
    const std::wstring name = wide(account);
    DWORD sid_size = 0, domain_size = 0;
    SID_NAME_USE use;
    LookupAccountNameW(nullptr, name.c_str(), nullptr, &sid_size, nullptr, &domain_size, &use);
    if (sid_size == 0) return win32_error("LookupAccountNameW " + account, GetLastError());
    std::vector<BYTE> sid(sid_size);
    std::vector<wchar_t> domain(domain_size + 1);
    if (!LookupAccountNameW(nullptr, name.c_str(), sid.data(), &sid_size, domain.data(), &domain_size, &use)) {
      return win32_error("LookupAccountNameW " + account, GetLastError());
    }
    return sid;
  }

  static Status change_right(const std::string& account, const std::string& right, bool add) {
    auto sid = lookup(account);
    if (!sid) return sid.error();
    LsaHandle policy;
    TUNE_RETURN_IF_ERROR(open_policy(POLICY_LOOKUP_NAMES | POLICY_CREATE_ACCOUNT, policy));
    std::wstring name = wide(right);
    LSA_UNICODE_STRING rights = lsa_string(name);
    NTSTATUS status = add ? LsaAddAccountRights(policy.handle, sid->data(), &rights, 1)
                          : LsaRemoveAccountRights(policy.handle, sid->data(), FALSE, &rights, 1);
    if (status != 0) return lsa_error(std::string(add ? "LsaAddAccountRights " : "LsaRemoveAccountRights ") + account, status);
    return {};
  }

  // Packages, cores (by efficiency class), logical processors, groups and NUMA nodes.
  static Status read_processors(WindowsMachine& machine) {
    DWORD size = 0;
    GetLogicalProcessorInformationEx(RelationAll, nullptr, &size);
    std::vector<BYTE> buffer(size);
    if (!GetLogicalProcessorInformationEx(RelationAll, reinterpret_cast<SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX*>(buffer.data()),
                                          &size)) {
      return win32_error("GetLogicalProcessorInformationEx", GetLastError());
    }
    std::vector<int> classes;
    for (DWORD offset = 0; offset < size;) {
      auto* item = reinterpret_cast<SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX*>(buffer.data() + offset);
      switch (item->Relationship) {
        case RelationProcessorPackage: ++machine.packages; break;
        case RelationNumaNode: ++machine.numa_nodes; break;
        case RelationGroup:
          machine.processor_groups = item->Group.ActiveGroupCount;
          machine.logical_processors = 0;
          for (WORD g = 0; g < item->Group.ActiveGroupCount; ++g) {
            machine.logical_processors += item->Group.GroupInfo[g].ActiveProcessorCount;
          }
          break;
        case RelationProcessorCore: {
          ++machine.physical_cores;
          // EfficiencyClass is the byte after Flags (Windows 10+ SDK); older
          // MinGW-w64 headers still call it Reserved[0], so read it by place.
          size_t efficiency = reinterpret_cast<const BYTE*>(&item->Processor)[1];
          if (classes.size() <= efficiency) classes.resize(efficiency + 1, 0);
          ++classes[efficiency];
          break;
        }
        default: break;
      }
      offset += item->Size;
    }
    machine.cores_by_efficiency_class = classes;
    return {};
  }

  static void read_gpus(WindowsMachine& machine) {
    IDXGIFactory1* factory = nullptr;
    if (FAILED(CreateDXGIFactory1(__uuidof(IDXGIFactory1), reinterpret_cast<void**>(&factory)))) return;
    IDXGIAdapter1* adapter = nullptr;
    for (UINT i = 0; factory->EnumAdapters1(i, &adapter) != DXGI_ERROR_NOT_FOUND; ++i) {
      DXGI_ADAPTER_DESC1 desc{};
      if (SUCCEEDED(adapter->GetDesc1(&desc)) && !(desc.Flags & DXGI_ADAPTER_FLAG_SOFTWARE)) {
        WindowsGpu gpu;
        gpu.name = narrow(std::wstring(desc.Description));
        gpu.vendor_id = desc.VendorId;
        gpu.device_id = desc.DeviceId;
        gpu.dedicated_memory_bytes = desc.DedicatedVideoMemory;
        machine.gpus.push_back(gpu);
      }
      adapter->Release();
    }
    factory->Release();
  }
};

}  // namespace

std::unique_ptr<WindowsApi> make_win32_api() { return std::make_unique<Win32Api>(); }

}  // namespace tune
