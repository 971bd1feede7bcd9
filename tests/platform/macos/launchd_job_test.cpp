// An inference server's LaunchDaemon from templates/macos: planned as the
// plist and the job loaded, applied through the Engine, rolled back to the
// job unloaded and the file gone (or the operator's own back, byte for byte).
#include "core/engine.h"
#include "platform/macos/launchd_job_knob.h"
#include "platform/macos/launchd_job_planner.h"
#include "platform/macos/launchd_plist.h"
#include "platform/macos/mac_fixture.h"
#include "platform/macos/macos_platform.h"
#include "util/dry_run_system.h"

#include <gtest/gtest.h>

namespace tune::macos_platform {
namespace {

using testing::MacFixture;
using testing::TempTree;

constexpr const char* kState = "/var/lib/tune";
constexpr const char* kServerPlist = "/Library/LaunchDaemons/dev.tune.llama-server.plist";
const std::string kServerProfile = "name: t\nservices:\n  dev.tune.llama-server:\n    template: dev.tune.llama-server\n";

class LaunchdJobTest : public ::testing::Test {
 protected:
  TempTree tree;
  MacFixture mac{"m3max-64gb", tree};
  Platform platform = make_platform();
  HostFacts facts = mac.facts();
  std::vector<std::string> templates{testing::source_dir() + "/templates"};

  void SetUp() override { tree.write("/opt/homebrew/bin/llama-server", "#!/bin/sh\n", 0755); }

  Plan plan(const std::string& text) { return testing::plan_on_mac(mac, text, &templates); }
};

TEST_F(LaunchdJobTest, PlansThePlistThenTheJobLoaded) {
  Plan p = plan(kServerProfile);
  ASSERT_EQ(p.changes.size(), 2u);
  EXPECT_EQ(p.changes[0].domain, "file");
  EXPECT_EQ(p.changes[0].target, kServerPlist);
  EXPECT_EQ(p.changes[0].action, Action::Create);
  EXPECT_EQ(p.changes[0].after, testing::source_file("templates/macos/dev.tune.llama-server.plist"));
  EXPECT_EQ(p.changes[1].domain, "launchd");
  EXPECT_EQ(p.changes[1].target, "system/dev.tune.llama-server");
  EXPECT_EQ(p.changes[1].before, "unloaded");
  EXPECT_EQ(p.changes[1].after, "loaded");
  EXPECT_TRUE(p.skipped.empty()) << p.skipped.front().reason;
  EXPECT_EQ(mac.calls.back(), "/bin/launchctl print system/dev.tune.llama-server");
}

TEST_F(LaunchdJobTest, ApplyLoadsTheJobAndRollbackBootsItOutBeforeRemovingThePlist) {
  Plan p = plan(kServerProfile);
  Engine engine(mac, platform.knobs, kState);
  auto applied = engine.apply(p, facts.identity);
  ASSERT_TRUE(applied) << applied.error().message;
  ASSERT_FALSE(applied->failed) << applied->failure;
  EXPECT_EQ(mac.jobs, (std::map<std::string, std::string>{{"dev.tune.llama-server", kServerPlist}}));
  EXPECT_TRUE(tree.exists(kServerPlist));
  EXPECT_EQ(plan(kServerProfile).pending(), 0u);  // nothing left to do

  mac.calls.clear();
  auto rolled = engine.rollback(std::nullopt);
  ASSERT_TRUE(rolled) << rolled.error().message;
  EXPECT_TRUE(rolled->errors.empty()) << rolled->errors.front();
  EXPECT_TRUE(mac.jobs.empty());
  EXPECT_FALSE(tree.exists(kServerPlist));
  EXPECT_NE(std::find(mac.calls.begin(), mac.calls.end(), "/bin/launchctl bootout system/dev.tune.llama-server"),
            mac.calls.end());
  // The job is booted out before its plist is put back.
  ASSERT_EQ(rolled->restores.size(), 2u);
  EXPECT_EQ(rolled->restores[0].target, "system/dev.tune.llama-server");
  EXPECT_EQ(rolled->restores[1].target, kServerPlist);
}

TEST_F(LaunchdJobTest, AnOperatorsUnloadedPlistAtThePathComesBackByteForByte) {
  const std::string own = "<?xml version=\"1.0\"?>\n<plist><dict><key>Label</key><string>dev.tune.llama-server</string>"
                          "<key>Disabled</key><true/></dict></plist>\n";
  tree.write(kServerPlist, own, 0600);
  Plan p = plan(kServerProfile);
  ASSERT_EQ(p.changes.size(), 2u);
  EXPECT_EQ(p.changes[0].action, Action::Modify);
  Engine engine(mac, platform.knobs, kState);
  auto applied = engine.apply(p, facts.identity);
  ASSERT_TRUE(applied) << applied.error().message;
  ASSERT_FALSE(applied->failed) << applied->failure;
  EXPECT_NE(tree.read(kServerPlist), own);
  auto rolled = engine.rollback(std::nullopt);
  ASSERT_TRUE(rolled) << rolled.error().message;
  EXPECT_TRUE(rolled->errors.empty()) << rolled->errors.front();
  EXPECT_EQ(tree.read(kServerPlist), own);
  EXPECT_EQ(tree.mode(kServerPlist), 0600u);
  EXPECT_TRUE(mac.jobs.empty());
}

TEST_F(LaunchdJobTest, ARunningJobFromAnotherPlistIsNotReplaced) {
  tree.write(kServerPlist, "<plist>mine</plist>\n");
  mac.jobs["dev.tune.llama-server"] = kServerPlist;
  Plan p = plan(kServerProfile);
  EXPECT_TRUE(p.changes.empty());
  ASSERT_EQ(p.skipped.size(), 1u);
  EXPECT_NE(p.skipped[0].reason.find("tune does not replace a running job"), std::string::npos) << p.skipped[0].reason;
}

TEST_F(LaunchdJobTest, ATemplateWhoseLabelDiffersIsRefusedWithOneLine) {
  tree.write("/templates/macos/other.plist",
             "<plist version=\"1.0\">\n<dict>\n  <key>Label</key>\n  <string>com.example.other</string>\n"
             "  <key>ProgramArguments</key>\n  <array><string>/opt/homebrew/bin/llama-server</string></array>\n"
             "</dict>\n</plist>\n");
  templates = {tree.real("/templates")};
  Plan p = plan("name: t\nservices:\n  com.example.server:\n    template: other\n");
  EXPECT_TRUE(p.changes.empty());
  ASSERT_EQ(p.skipped.size(), 1u);
  EXPECT_EQ(p.skipped[0].reason,
            "template other is the job com.example.other, not com.example.server: launchd names a job by its Label");
}

TEST_F(LaunchdJobTest, ATemplateWhoseProgramIsMissingIsSkipped) {
  Plan p = plan("name: t\nservices:\n  dev.tune.ollama:\n    template: dev.tune.ollama\n");
  EXPECT_TRUE(p.changes.empty());
  ASSERT_EQ(p.skipped.size(), 1u);
  EXPECT_EQ(p.skipped[0].reason.rfind("not available here: the template runs /", 0), 0u) << p.skipped[0].reason;
}

TEST_F(LaunchdJobTest, ADryRunChangesNothingAndReadsTheJobBackAsLoaded) {
  Plan p = plan(kServerProfile);
  DryRunSystem dry(mac);
  Engine engine(dry, platform.knobs, kState);
  auto applied = engine.apply(p, facts.identity);
  ASSERT_TRUE(applied) << applied.error().message;
  ASSERT_FALSE(applied->failed) << applied->failure;
  EXPECT_EQ(applied->applied, p.pending());
  EXPECT_TRUE(mac.jobs.empty());
  EXPECT_FALSE(tree.exists(kServerPlist));
  for (const auto& call : mac.calls) EXPECT_EQ(call.find("bootstrap"), std::string::npos) << call;
}

TEST(LaunchdJobKnob, TargetsAreCheckedLabels) {
  EXPECT_TRUE(valid_job_label("dev.tune.llama-server"));
  EXPECT_TRUE(valid_job_label("com.ollama.ollama"));
  EXPECT_FALSE(valid_job_label("com.apple.mdworker"));
  EXPECT_FALSE(valid_job_label("../x.y"));
  EXPECT_FALSE(valid_job_label("-h.x"));
  EXPECT_FALSE(valid_job_label("nodot"));
  EXPECT_TRUE(macos_owned_file(kServerPlist));
  EXPECT_FALSE(macos_owned_file("/Library/LaunchDaemons/com.apple.x.plist"));
  EXPECT_FALSE(macos_owned_file("/Library/LaunchDaemons/a/b.c.plist"));
  TempTree tree;
  MacFixture mac("m2-16gb", tree);
  LaunchdJobKnob knob;
  EXPECT_FALSE(knob.observe(mac, "gui/501/x.y"));
  Change change;
  change.target = "system/x.y";
  change.after = "running";
  EXPECT_FALSE(knob.apply(mac, change));
}

TEST(LaunchdPlistKeys, LabelAndProgramAreReadPastComments) {
  const std::string plist = "<!-- <key>Label</key><string>not.this</string> -->\n<dict><key>Label</key>"
                            "<string>a.b&amp;c</string><key>ProgramArguments</key><array><string>/bin/x</string>"
                            "</array></dict>";
  EXPECT_EQ(plist_label(plist), "a.b&c");
  EXPECT_EQ(plist_program(plist), "/bin/x");
  EXPECT_FALSE(plist_label("<dict></dict>"));
}

}  // namespace
}  // namespace tune::macos_platform
