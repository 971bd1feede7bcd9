#include "platform/windows/registry_export.h"

#include <gtest/gtest.h>

namespace tune::windows_platform {
namespace {

TEST(RegistryExport, ReadsTypedValuesWithTheHiveAbbreviated) {
  const std::string text =
      "\xEF\xBB\xBFWindows Registry Editor Version 5.00\r\n\r\n"
      "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Test]\r\n"
      "@=\"default\"\r\n"
      "\"Path\"=\"C:\\\\Program Files\\\\\\\"x\\\"\"\r\n"
      "\"Count\"=dword:0000001e\r\n"
      "\"Big\"=hex(b):00,00,00,00,01,00,00,00\r\n"
      "\"Expand\"=hex(2):25,00,41,00,25,00,00,00\r\n"
      "\"List\"=hex(7):61,00,00,00,62,00,\\\r\n"
      "  20,00,63,00,00,00,00,00\r\n";
  auto keys = parse_registry_export(text);
  ASSERT_TRUE(keys) << keys.error().message;
  ASSERT_EQ(keys->size(), 1u);
  const auto& key = keys->front();
  EXPECT_EQ(key.path, "HKLM\\SOFTWARE\\Test");
  ASSERT_EQ(key.values.size(), 6u);
  EXPECT_EQ(key.values[0].first, "");
  EXPECT_EQ(key.values[0].second.data, "default");
  EXPECT_EQ(key.values[1].second.data, "C:\\Program Files\\\"x\"");
  EXPECT_EQ(key.values[2].second, (RegistryValue{RegistryValue::Type::Dword, "30"}));
  EXPECT_EQ(key.values[3].second, (RegistryValue{RegistryValue::Type::Qword, "4294967296"}));
  EXPECT_EQ(key.values[4].second, (RegistryValue{RegistryValue::Type::ExpandString, "%A%"}));
  EXPECT_EQ(key.values[5].second, (RegistryValue{RegistryValue::Type::MultiString, "a\nb c"}));
}

TEST(RegistryExport, DecodesUtf16BeyondAscii) {
  // "é" (U+00E9) and "😀" (U+1F600, a surrogate pair).
  EXPECT_EQ(utf16le_to_utf8({0xE9, 0x00, 0x3D, 0xD8, 0x00, 0xDE}), "\xC3\xA9\xF0\x9F\x98\x80");
}

TEST(RegistryExport, RefusesWhatIsNotARecordedState) {
  EXPECT_FALSE(parse_registry_export("hello\n"));
  EXPECT_FALSE(parse_registry_export("Windows Registry Editor Version 5.00\n\"a\"=dword:1\n"));  // before a key
  EXPECT_FALSE(parse_registry_export("Windows Registry Editor Version 5.00\n[-HKEY_LOCAL_MACHINE\\X]\n"));
  EXPECT_FALSE(parse_registry_export("Windows Registry Editor Version 5.00\n[HKEY_LOCAL_MACHINE\\X]\n\"a\"=-\n"));
  EXPECT_FALSE(parse_registry_export("Windows Registry Editor Version 5.00\n[HKEY_LOCAL_MACHINE\\X]\n\"a\"=dword:1\n"));
  auto binary = parse_registry_export("Windows Registry Editor Version 5.00\n[HKEY_LOCAL_MACHINE\\X]\n\"a\"=hex:01,02\n");
  ASSERT_FALSE(binary);
  EXPECT_NE(binary.error().message.find("line 3"), std::string::npos) << binary.error().message;
}

}  // namespace
}  // namespace tune::windows_platform
