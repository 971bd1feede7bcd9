#include "platform/macos/pmset_knob.h"
#include "platform/macos/pmset_values.h"

#include "platform/macos/mac_fixture.h"
#include "platform/macos/macos_platform.h"

#include <gtest/gtest.h>

namespace tune::macos_platform {
namespace {

using testing::changing;
using testing::MacFixture;
using testing::TempTree;

TEST(PmsetValues, ParsesSourcesAndKeysOfSeveralWords) {
  auto sources = parse_pmset("Battery Power:\n sleep                1\n hibernatefile        /var/vm/sleepimage\n"
                             "AC Power:\n Sleep On Power Button 1\n sleep                1 (sleep prevented by powerd)\n");
  EXPECT_EQ(sources["Battery Power"]["sleep"], "1");
  EXPECT_EQ(sources["Battery Power"]["hibernatefile"], "/var/vm/sleepimage");
  EXPECT_EQ(sources["AC Power"]["Sleep On Power Button"], "1");
  EXPECT_EQ(sources["AC Power"]["sleep"], "1");
  EXPECT_EQ(pmset_value(sources, "sleep"), "1");
  EXPECT_FALSE(pmset_value(sources, "womp"));
}

TEST(PmsetKnob, ASettingThatDiffersBySourceIsRestoredSourceBySource) {
  TempTree tree;
  MacFixture mac("m2-16gb", tree);
  PmsetKnob knob;
  auto seen = knob.observe(mac, "powernap");
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->value, "AC Power=1;Battery Power=0");
  ASSERT_TRUE(knob.apply(mac, changing("power", "powernap", "0")));
  EXPECT_EQ(mac.calls.back(), "/usr/bin/pmset -a powernap 0");
  EXPECT_EQ(knob.observe(mac, "powernap")->value, "0");
  ASSERT_TRUE(knob.restore(mac, "powernap", seen->prior));
  EXPECT_EQ(mac.pmset["AC Power"]["powernap"], "1");
  EXPECT_EQ(mac.pmset["Battery Power"]["powernap"], "0");
}

TEST(PmsetKnob, KeysPmsetDoesNotOfferAreUnsupportedAndOthersRefused) {
  TempTree tree;
  MacFixture mac("m2-16gb", tree);
  PmsetKnob knob;
  auto seen = knob.observe(mac, "autopoweroff");
  ASSERT_TRUE(seen);
  EXPECT_FALSE(seen->supported);
  EXPECT_EQ(seen->note, "pmset offers no autopoweroff on this Mac");
  EXPECT_FALSE(knob.observe(mac, "gpuswitch"));  // not a key tune changes
  EXPECT_FALSE(knob.apply(mac, changing("power", "sleep", "-a")));
}

TEST(PmsetPlanner, PlansTheKeysThisMacOffersAndSkipsTheRest) {
  TempTree tree;
  MacFixture mac("m3max-64gb", tree);
  auto profile = parse_profile("name: t\npower:\n  sleep: 0\n  lowpowermode: 0\n  autopoweroff: 0\n  displaysleep: 10\n", "t.yaml");
  ASSERT_TRUE(profile) << profile.error().message;
  Platform platform = make_platform();
  HostFacts facts = mac.facts();
  auto p = make_plan({*profile, facts, mac}, platform, "test");
  ASSERT_TRUE(p) << p.error().message;
  ASSERT_EQ(p->changes.size(), 3u);
  EXPECT_EQ(p->changes[0].target, "sleep");
  EXPECT_EQ(p->changes[0].after, "0");
  EXPECT_EQ(p->changes[1].before, "AC Power=0;Battery Power=1");  // Low Power Mode on battery
  EXPECT_EQ(p->changes[1].action, Action::Modify);
  EXPECT_EQ(p->changes[2].target, "displaysleep");
  EXPECT_EQ(p->changes[2].action, Action::Modify);  // 10 on AC, 2 on battery
  ASSERT_EQ(p->skipped.size(), 1u);
  EXPECT_EQ(p->skipped[0].reason, "unsupported here: pmset offers no autopoweroff on this Mac");
}

}  // namespace
}  // namespace tune::macos_platform
