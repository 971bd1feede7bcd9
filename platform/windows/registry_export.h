// Registry exports: the text regedit writes (`reg export`, "Windows Registry
// Editor Version 5.00"), read into keys and typed values. The recorded host
// of the tests is loaded from one; the format follows Microsoft Learn, "How
// to add, modify, or delete registry subkeys and values by using a .reg file".
#pragma once

#include "util/result.h"
#include "util/windows_api.h"

#include <string>
#include <utility>
#include <vector>

namespace tune::windows_platform {

struct RegistryExportKey {
  std::string path;  // with the hive abbreviated: "HKLM\\SYSTEM\\CurrentControlSet\\..."
  std::vector<std::pair<std::string, RegistryValue>> values;  // "" is the key's default value
};

// The keys of an export in file order. Deletions ("[-KEY]", "name"=-) and
// value types tune does not model (binary, hex(0)...) are errors naming the line.
Result<std::vector<RegistryExportKey>> parse_registry_export(const std::string& text);

// "HKEY_LOCAL_MACHINE\\X" -> "HKLM\\X" (HKCU, HKU, HKCR too); other text unchanged.
std::string abbreviate_hive(const std::string& path);

// UTF-16LE bytes as UTF-8 (what hex(2) and hex(7) hold); invalid units become U+FFFD.
std::string utf16le_to_utf8(const std::vector<uint8_t>& bytes);

}  // namespace tune::windows_platform
