// launchd's limits and environment, and the plists that hold them.
#include "platform/macos/launchd_env_knob.h"
#include "platform/macos/launchd_limits_knob.h"
#include "platform/macos/launchd_plist.h"

#include "platform/macos/mac_fixture.h"
#include "platform/macos/macos_platform.h"

#include <gtest/gtest.h>

namespace tune::macos_platform {
namespace {

using testing::changing;
using testing::MacFixture;
using testing::TempTree;

class LaunchdTest : public ::testing::Test {
 protected:
  TempTree tree;
  MacFixture mac{"m2-16gb", tree};

  Plan plan(const std::string& text) { return testing::plan_on_mac(mac, text); }
};

TEST_F(LaunchdTest, LimitsAreReadSetAndRestoredWithLaunchctl) {
  LaunchdLimitsKnob knob;
  auto seen = knob.observe(mac, "maxfiles");
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->value, "256 unlimited");
  Change change = changing("limits", "maxfiles", "65536 unlimited");
  ASSERT_TRUE(knob.apply(mac, change));
  EXPECT_EQ(mac.calls.back(), "/bin/launchctl limit maxfiles 65536 unlimited");
  EXPECT_EQ(knob.observe(mac, "maxfiles")->value, "65536 unlimited");
  ASSERT_TRUE(knob.restore(mac, "maxfiles", seen->prior));
  EXPECT_EQ(mac.limits["maxfiles"], std::make_pair(std::string("256"), std::string("unlimited")));
  EXPECT_FALSE(knob.observe(mac, "stack"));  // not a limit tune sets
  EXPECT_FALSE(knob.apply(mac, changing("limits", "maxfiles", "1; rm")));
}

TEST_F(LaunchdTest, StarNofileIsMaxfilesAndPerUserItemsAreSkipped) {
  Plan p = plan("name: t\nlimits:\n  \"*\":\n    nofile: { at_least: 65536 }\n    nproc: { at_least: 3000 }\n"
                "  alice:\n    nofile: 1048576\n  \"@staff\":\n    memlock: unlimited\n");
  ASSERT_EQ(p.changes.size(), 4u);
  EXPECT_EQ(p.changes[0].target, "maxfiles");
  EXPECT_EQ(p.changes[0].before, "256 unlimited");
  EXPECT_EQ(p.changes[0].after, "65536 unlimited");
  EXPECT_EQ(p.changes[1].target, kMaxfilesPlist);
  EXPECT_NE(p.changes[1].after->find("<string>limit.maxfiles</string>"), std::string::npos);
  EXPECT_NE(p.changes[1].after->find("<string>65536</string>\n    <string>unlimited</string>"), std::string::npos);
  EXPECT_EQ(p.changes[2].target, "maxproc");
  EXPECT_EQ(p.changes[2].after, "3000 4000");
  EXPECT_EQ(p.changes[3].target, kMaxprocPlist);
  ASSERT_EQ(p.skipped.size(), 2u);
  EXPECT_EQ(p.skipped[0].reason, "launchd limits are system-wide on macOS: set them for \"*\", not for alice");
  EXPECT_EQ(p.skipped[1].reason, "macOS has no launchd limit tune sets for memlock (tune sets maxfiles and maxproc)");
}

TEST_F(LaunchdTest, ASoftLimitAboveTheHardOneRaisesTheHardOne) {
  Plan p = plan("name: t\nlimits:\n  \"*\":\n    nproc: { soft: 5000 }\n");
  ASSERT_FALSE(p.changes.empty());
  EXPECT_EQ(p.changes[0].after, "5000 5000");
}

TEST_F(LaunchdTest, EnvironmentIsSetWithLaunchctlAndRestoredOrUnset) {
  LaunchdEnvKnob knob;
  auto absent = knob.observe(mac, "com.ollama.ollama/OLLAMA_KEEP_ALIVE");
  ASSERT_TRUE(absent);
  EXPECT_FALSE(absent->value);
  auto present = knob.observe(mac, "com.ollama.ollama/OLLAMA_HOST");
  EXPECT_EQ(present->value, "127.0.0.1:11434");
  ASSERT_TRUE(knob.apply(mac, changing("environment", "com.ollama.ollama/OLLAMA_KEEP_ALIVE", "24h")));
  EXPECT_EQ(mac.calls.back(), "/bin/launchctl setenv OLLAMA_KEEP_ALIVE 24h");
  ASSERT_TRUE(knob.apply(mac, changing("environment", "com.ollama.ollama/OLLAMA_HOST", "127.0.0.1:8080")));
  ASSERT_TRUE(knob.restore(mac, "com.ollama.ollama/OLLAMA_KEEP_ALIVE", absent->prior));
  ASSERT_TRUE(knob.restore(mac, "com.ollama.ollama/OLLAMA_HOST", present->prior));
  EXPECT_EQ(mac.environment, (std::map<std::string, std::string>{{"OLLAMA_HOST", "127.0.0.1:11434"}}));
  EXPECT_FALSE(knob.observe(mac, "job/NOT-A-NAME"));
}

TEST_F(LaunchdTest, EnvironmentPlansAVariableAndItsLoginAgent) {
  Plan p = plan("name: t\nenvironment:\n  com.ollama.ollama:\n    OLLAMA_KEEP_ALIVE: 24h\n"
                "  com.example.llama-server:\n    OLLAMA_KEEP_ALIVE: 1h\n");
  ASSERT_EQ(p.changes.size(), 2u);
  EXPECT_EQ(p.changes[0].target, "com.ollama.ollama/OLLAMA_KEEP_ALIVE");
  EXPECT_EQ(p.changes[0].action, Action::Create);
  EXPECT_EQ(p.changes[1].target, "/Library/LaunchAgents/dev.tune.environment.OLLAMA_KEEP_ALIVE.plist");
  EXPECT_NE(p.changes[1].after->find("<string>setenv</string>\n    <string>OLLAMA_KEEP_ALIVE</string>\n"
                                     "    <string>24h</string>"),
            std::string::npos);
  ASSERT_EQ(p.skipped.size(), 1u);
  EXPECT_EQ(p.skipped[0].reason,
            "launchd has one environment for every job: com.ollama.ollama already sets OLLAMA_KEEP_ALIVE");
}

TEST(LaunchdPlist, OnlyTunesOwnPlistsMayBeWritten) {
  EXPECT_TRUE(macos_owned_file(kSysctlPlist));
  EXPECT_TRUE(macos_owned_file("/Library/LaunchAgents/dev.tune.environment.OLLAMA_HOST.plist"));
  EXPECT_FALSE(macos_owned_file("/Library/LaunchAgents/dev.tune.environment.../../x.plist"));
  EXPECT_FALSE(macos_owned_file("/Library/LaunchDaemons/com.apple.x.plist"));
  EXPECT_FALSE(macos_owned_file("/etc/launchd.conf"));
}

TEST(LaunchdPlist, TextIsEscaped) {
  std::string text = run_at_load_plist("a&b", {"/bin/x", "<y>"}, "p--q", "why");
  EXPECT_NE(text.find("<string>a&amp;b</string>"), std::string::npos);
  EXPECT_NE(text.find("<string>&lt;y&gt;</string>"), std::string::npos);
  EXPECT_NE(text.find("profile 'p- -q'"), std::string::npos);
}

}  // namespace
}  // namespace tune::macos_platform
