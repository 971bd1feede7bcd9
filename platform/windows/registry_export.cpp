#include "platform/windows/registry_export.h"

#include "util/text.h"

#include <cctype>
#include <cstdlib>
#include <optional>

namespace tune::windows_platform {
namespace {

void append_utf8(std::string& out, uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// "00,0a,ff" -> bytes; nullopt when any item is not two hex digits.
std::optional<std::vector<uint8_t>> hex_bytes(const std::string& text) {
  std::vector<uint8_t> bytes;
  if (trim(text).empty()) return bytes;
  for (const auto& item : split(text, ',')) {
    std::string byte = trim(item);
    if (byte.size() != 2 || !std::isxdigit(static_cast<unsigned char>(byte[0])) ||
        !std::isxdigit(static_cast<unsigned char>(byte[1]))) {
      return std::nullopt;
    }
    bytes.push_back(static_cast<uint8_t>(std::strtoul(byte.c_str(), nullptr, 16)));
  }
  return bytes;
}

// A quoted .reg string starting at text[0] == '"': its content, unescaped
// (\\ and \"), and where the closing quote is.
std::optional<std::pair<std::string, size_t>> quoted(const std::string& text) {
  std::string out;
  for (size_t i = 1; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      out += text[++i];
    } else if (text[i] == '"') {
      return std::make_pair(out, i);
    } else {
      out += text[i];
    }
  }
  return std::nullopt;
}

// A hex(7) or hex(2) string's UTF-16 text, without its terminating NULs.
std::vector<std::string> utf16_strings(const std::vector<uint8_t>& bytes) {
  std::string text = utf16le_to_utf8(bytes);
  std::vector<std::string> items;
  std::string current;
  for (char c : text) {
    if (c == '\0') {
      items.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) items.push_back(current);
  // A multi-string ends with an empty string (two NULs): not an item.
  while (!items.empty() && items.back().empty()) items.pop_back();
  return items;
}

Result<RegistryValue> parse_data(const std::string& data, size_t line) {
  RegistryValue value;
  if (!data.empty() && data[0] == '"') {
    auto text = quoted(data);
    if (!text) return make_error("registry export line {}: an unterminated string", line);
    value.type = RegistryValue::Type::String;
    value.data = text->first;
    return value;
  }
  if (starts_with(data, "dword:")) {
    std::string digits = trim(data.substr(6));
    if (digits.size() != 8) return make_error("registry export line {}: a dword needs 8 hex digits, not '{}'", line, digits);
    char* end = nullptr;
    unsigned long number = std::strtoul(digits.c_str(), &end, 16);
    if (*end != '\0') return make_error("registry export line {}: '{}' is not hexadecimal", line, digits);
    value.type = RegistryValue::Type::Dword;
    value.data = std::to_string(number);
    return value;
  }
  auto typed_hex = [&](const std::string& prefix) -> std::optional<std::vector<uint8_t>> {
    if (!starts_with(data, prefix)) return std::nullopt;
    return hex_bytes(data.substr(prefix.size()));
  };
  if (starts_with(data, "hex(b):")) {
    auto bytes = typed_hex("hex(b):");
    if (!bytes || bytes->size() != 8) return make_error("registry export line {}: a qword needs 8 bytes", line);
    uint64_t number = 0;
    for (size_t i = 8; i-- > 0;) number = (number << 8) | (*bytes)[i];
    value.type = RegistryValue::Type::Qword;
    value.data = std::to_string(number);
    return value;
  }
  if (starts_with(data, "hex(7):") || starts_with(data, "hex(2):")) {
    bool multi = starts_with(data, "hex(7):");
    auto bytes = typed_hex(multi ? "hex(7):" : "hex(2):");
    if (!bytes) return make_error("registry export line {}: malformed hex bytes", line);
    value.type = multi ? RegistryValue::Type::MultiString : RegistryValue::Type::ExpandString;
    auto items = utf16_strings(*bytes);
    value.data = multi ? join(items, "\n") : (items.empty() ? "" : items.front());
    return value;
  }
  if (data == "-") return make_error("registry export line {}: deletions are not a recorded state", line);
  return make_error("registry export line {}: a value type tune does not model ('{}')", line,
                    data.substr(0, data.find(':')));
}

}  // namespace

std::string utf16le_to_utf8(const std::vector<uint8_t>& bytes) {
  std::string out;
  for (size_t i = 0; i + 1 < bytes.size(); i += 2) {
    uint32_t unit = bytes[i] | (bytes[i + 1] << 8);
    if (unit >= 0xD800 && unit <= 0xDBFF && i + 3 < bytes.size()) {
      uint32_t low = bytes[i + 2] | (bytes[i + 3] << 8);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        append_utf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
        i += 2;
        continue;
      }
    }
    append_utf8(out, unit >= 0xD800 && unit <= 0xDFFF ? 0xFFFD : unit);
  }
  return out;
}

std::string abbreviate_hive(const std::string& path) {
  static const std::pair<const char*, const char*> kHives[] = {{"HKEY_LOCAL_MACHINE", "HKLM"},
                                                               {"HKEY_CURRENT_USER", "HKCU"},
                                                               {"HKEY_USERS", "HKU"},
                                                               {"HKEY_CLASSES_ROOT", "HKCR"}};
  for (const auto& [long_name, short_name] : kHives) {
    std::string prefix = long_name;
    if (path == prefix) return short_name;
    if (starts_with(path, prefix + "\\")) return short_name + path.substr(prefix.size());
  }
  return path;
}

Result<std::vector<RegistryExportKey>> parse_registry_export(const std::string& raw) {
  std::string text = raw;
  if (starts_with(text, "\xEF\xBB\xBF")) text = text.substr(3);  // a UTF-8 byte order mark
  std::vector<std::string> lines = split_lines(text);
  std::vector<RegistryExportKey> keys;
  bool header = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    const size_t number = i + 1;
    std::string line = trim(lines[i]);
    // A value's hex bytes continue on the next line after a trailing backslash.
    while (!line.empty() && line.back() == '\\' && line.find("=hex") != std::string::npos && i + 1 < lines.size()) {
      line.pop_back();
      line += trim(lines[++i]);
    }
    if (line.empty() || line[0] == ';') continue;
    if (!header) {
      if (line != "Windows Registry Editor Version 5.00" && line != "REGEDIT4") {
        return make_error("registry export line {}: not a regedit export (it starts '{}')", number, line);
      }
      header = true;
      continue;
    }
    if (line[0] == '[') {
      if (line.back() != ']') return make_error("registry export line {}: a key without its closing ']'", number);
      if (line.size() > 1 && line[1] == '-') return make_error("registry export line {}: deletions are not a recorded state", number);
      keys.push_back({abbreviate_hive(line.substr(1, line.size() - 2)), {}});
      continue;
    }
    if (keys.empty()) return make_error("registry export line {}: a value before any [key]", number);
    std::string name;
    size_t after_name = 0;
    if (line[0] == '@') {
      after_name = 1;
    } else if (line[0] == '"') {
      auto parsed = quoted(line);
      if (!parsed) return make_error("registry export line {}: an unterminated value name", number);
      name = parsed->first;
      after_name = parsed->second + 1;
    } else {
      return make_error("registry export line {}: expected \"name\"=data, got '{}'", number, line);
    }
    if (after_name >= line.size() || line[after_name] != '=') {
      return make_error("registry export line {}: expected '=' after the value name", number);
    }
    auto value = parse_data(trim(line.substr(after_name + 1)), number);
    if (!value) return value.error();
    keys.back().values.emplace_back(name, std::move(*value));
  }
  if (!header) return make_error("registry export: empty");
  return keys;
}

}  // namespace tune::windows_platform
