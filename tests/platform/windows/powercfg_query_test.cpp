#include "platform/windows/powercfg_query.h"

#include "support/temp_tree.h"

#include <gtest/gtest.h>

namespace tune::windows_platform {
namespace {

TEST(Powercfg, ReadsTheListAndEverySettingsIndexes) {
  auto output = parse_powercfg(testing::source_file("tests/fixtures/windows/workstation-nvidia/powercfg.txt"));
  ASSERT_TRUE(output) << output.error().message;
  EXPECT_EQ(output->active, "381b4222-f694-41f0-9685-ff5bb260df2e");
  ASSERT_EQ(output->schemes.size(), 4u);  // the three listed, and Ultimate Performance's /q
  EXPECT_EQ(output->schemes[1].name, "High performance");
  const PowercfgSetting* found = nullptr;
  for (const auto& setting : output->settings) {
    if (setting.scheme == "381b4222-f694-41f0-9685-ff5bb260df2e" && setting.setting == "29f6c1db-86da-48c5-9fdb-f2b67b1f44da") {
      found = &setting;
    }
  }
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->subgroup, "238c9fa8-0aad-41ed-83f4-97be242c8f20");
  EXPECT_EQ(found->ac, 1800u);
  EXPECT_EQ(found->dc, 900u);
}

TEST(Powercfg, RefusesIndexesOutsideASettingAndTextWithoutSchemes) {
  EXPECT_FALSE(parse_powercfg("nothing here\n"));
  EXPECT_FALSE(parse_powercfg("Power Scheme GUID: 381b4222-f694-41f0-9685-ff5bb260df2e  (Balanced)\n"
                              "    Current AC Power Setting Index: 0x00000001\n"));
  EXPECT_FALSE(parse_powercfg("Power Scheme GUID: 381b4222-f694-41f0-9685-ff5bb260df2e  (Balanced)\n"
                              "  Subgroup GUID: 54533251-82be-4824-96c1-47b60b740d00  (Processor)\n"
                              "    Power Setting GUID: 893dee8e-2bef-41e0-89c6-b55d0929964c  (Min)\n"
                              "    Current AC Power Setting Index: twelve\n"));
}

}  // namespace
}  // namespace tune::windows_platform
