// The `macos:` section: Spotlight indexing of a model volume (opt-in) and
// the Dock's animations (cosmetic, reported and never applied).
#include "platform/macos/macos_settings_planner.h"
#include "platform/macos/spotlight_knob.h"

#include "core/engine.h"
#include "platform/macos/mac_fixture.h"
#include "platform/macos/macos_platform.h"

#include <gtest/gtest.h>

namespace tune::macos_platform {
namespace {

using testing::MacFixture;
using testing::TempTree;

TEST(Spotlight, IndexingOfAModelVolumeIsTurnedOffAndBackOn) {
  TempTree tree;
  MacFixture mac("m2-16gb", tree);
  Plan plan = testing::plan_on_mac(mac, "name: t\nmacos:\n  spotlight_off: /Volumes/Models\n");
  ASSERT_EQ(plan.changes.size(), 1u);
  EXPECT_EQ(plan.changes[0].target, "spotlight:/Volumes/Models");
  EXPECT_EQ(plan.changes[0].before, "on");
  EXPECT_EQ(plan.changes[0].after, "off");
  Platform platform = make_platform();
  Engine engine(mac, platform.knobs, "/var/lib/tune");
  auto applied = engine.apply(plan, mac.facts().identity);
  ASSERT_TRUE(applied) << applied.error().message;
  ASSERT_FALSE(applied->failed) << applied->failure;
  EXPECT_EQ(mac.spotlight["/Volumes/Models"], "off");
  EXPECT_EQ(mac.spotlight["/"], "on");
  ASSERT_TRUE(engine.rollback(std::nullopt));
  EXPECT_EQ(mac.spotlight["/Volumes/Models"], "on");
}

TEST(Spotlight, AVolumeAlreadyOffIsLeftAndAPathThatIsNoVolumeIsSkipped) {
  TempTree tree;
  MacFixture mac("m3max-64gb", tree);
  Plan off = testing::plan_on_mac(mac, "name: t\nmacos:\n  spotlight_off: /Volumes/Models\n");
  ASSERT_EQ(off.changes.size(), 1u);
  EXPECT_EQ(off.changes[0].action, Action::None);
  Plan missing = testing::plan_on_mac(mac, "name: t\nmacos:\n  spotlight_off: /Users/me/models\n");
  ASSERT_EQ(missing.skipped.size(), 1u);
  EXPECT_EQ(missing.skipped[0].reason,
            "unsupported here: cannot be read (mdutil -s /Users/me/models: Error: invalid operation: /Users/me/models "
            "is not a volume)");
  SpotlightKnob knob;
  EXPECT_FALSE(knob.observe(mac, "spotlight:-a"));
}

TEST(Spotlight, NothingRunsMdutilUnlessAProfileNamesAVolume) {
  TempTree tree;
  MacFixture mac("m2-16gb", tree);
  mac.calls.clear();
  Plan plan = testing::plan_on_mac(mac, "name: t\nextends: []\npower:\n  sleep: 0\n");
  for (const auto& call : mac.calls) EXPECT_EQ(call.find("mdutil"), std::string::npos) << call;
}

TEST(DockAnimations, AreReportedAsCosmeticAndNeverApplied) {
  TempTree tree;
  MacFixture mac("m2-16gb", tree);
  Plan plan = testing::plan_on_mac(mac, "name: t\nmacos:\n  dock_autohide_delay: \"0\"\n  dock_launchanim: \"false\"\n"
                                "  window_resize_time: \"0.001\"\n");
  EXPECT_TRUE(plan.changes.empty());
  ASSERT_EQ(plan.skipped.size(), 3u);
  EXPECT_TRUE(mac.calls.size() == 4u) << "only detection ran programs";
  EXPECT_EQ(plan.skipped[0].reason.rfind("cosmetic, not applied", 0), 0u) << plan.skipped[0].reason;
}

}  // namespace
}  // namespace tune::macos_platform
