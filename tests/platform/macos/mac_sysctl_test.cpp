#include "platform/macos/mac_sysctl_knob.h"
#include "platform/macos/mac_sysctl_planner.h"

#include "platform/macos/launchd_plist.h"
#include "platform/macos/mac_fixture.h"
#include "platform/macos/macos_platform.h"

#include <gtest/gtest.h>

namespace tune::macos_platform {
namespace {

using testing::MacFixture;
using testing::TempTree;

Change modify(const std::string& key, const std::string& value) {
  Change change;
  change.domain = "sysctl";
  change.target = key;
  change.action = Action::Modify;
  change.after = value;
  return change;
}

class MacSysctlTest : public ::testing::Test {
 protected:
  TempTree tree;
  MacFixture mac{"m2-16gb", tree};
  MacSysctlKnob knob;

  Plan plan(const std::string& text) { return testing::plan_on_mac(mac, text); }
};

TEST_F(MacSysctlTest, ObservesAppliesAndRestoresThroughTheProgram) {
  auto seen = knob.observe(mac, "kern.maxfiles");
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->value, "245760");
  ASSERT_TRUE(knob.apply(mac, modify("kern.maxfiles", "524288")));
  EXPECT_EQ(mac.calls.back(), "/usr/sbin/sysctl -w kern.maxfiles=524288");
  EXPECT_EQ(knob.observe(mac, "kern.maxfiles")->value, "524288");
  ASSERT_TRUE(knob.restore(mac, "kern.maxfiles", seen->prior));
  EXPECT_EQ(mac.sysctl["kern.maxfiles"], "245760");
}

TEST_F(MacSysctlTest, AnUnknownKeyIsUnsupported) {
  auto seen = knob.observe(mac, "kern.no_such_key");
  ASSERT_TRUE(seen);
  EXPECT_FALSE(seen->supported);
  EXPECT_EQ(seen->note, "no such key on this macOS");
}

TEST_F(MacSysctlTest, AMachineKeyIsReadOnlyAndAWriteSaysSoInOneLine) {
  auto seen = knob.observe(mac, "hw.memsize");
  ASSERT_TRUE(seen);
  EXPECT_TRUE(seen->supported);
  EXPECT_FALSE(seen->writable);
  auto refused = knob.apply(mac, modify("hw.memsize", "1"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "sysctl -w hw.memsize=1: sysctl: oid 'hw.memsize' is read only");
}

TEST_F(MacSysctlTest, TheKernelsRefusalComesBackAsOneLine) {
  mac.refuse_sysctl["kern.ipc.somaxconn"] = {"99999"};
  auto refused = knob.apply(mac, modify("kern.ipc.somaxconn", "99999"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "sysctl -w kern.ipc.somaxconn=99999: sysctl: kern.ipc.somaxconn=99999: Invalid argument");
  EXPECT_EQ(mac.sysctl["kern.ipc.somaxconn"], "128");
}

TEST_F(MacSysctlTest, NamesThatAreNotKeysNeverReachTheProgram) {
  EXPECT_FALSE(knob.observe(mac, "-a"));
  EXPECT_FALSE(knob.apply(mac, modify("kern.maxfiles=1 kern.x", "2")));
  EXPECT_TRUE(mac.calls.empty());
}

TEST_F(MacSysctlTest, PlansValuesAndTheLaunchDaemonThatSetsThemAtBoot) {
  Plan p = plan("name: t\nsysctl:\n  kern.maxfiles: { at_least: 524288 }\n  kern.ipc.somaxconn: 1024\n"
                "  net.inet.tcp.sendspace: 131072\n");
  ASSERT_EQ(p.changes.size(), 4u);
  EXPECT_EQ(p.changes[0].target, "kern.maxfiles");
  EXPECT_EQ(p.changes[0].after, "524288");
  EXPECT_EQ(p.changes[2].action, Action::None);
  const Change& daemon = p.changes[3];
  EXPECT_EQ(daemon.domain, "file");
  EXPECT_EQ(daemon.target, kSysctlPlist);
  EXPECT_EQ(daemon.action, Action::Create);
  EXPECT_NE(daemon.after->find("<string>/usr/sbin/sysctl</string>\n    <string>-w</string>\n"
                               "    <string>kern.maxfiles=524288</string>\n"
                               "    <string>kern.ipc.somaxconn=1024</string>\n"
                               "    <string>net.inet.tcp.sendspace=131072</string>"),
            std::string::npos)
      << *daemon.after;
  EXPECT_NE(daemon.after->find("<key>RunAtLoad</key>\n  <true/>"), std::string::npos);
  EXPECT_TRUE(p.skipped.empty());
}

TEST_F(MacSysctlTest, AGpuShareAboveTheMemoryIsRefused) {
  Plan p = plan("name: t\nsysctl:\n  iogpu.wired_limit_mb: 20000\n");
  ASSERT_EQ(p.skipped.size(), 1u);
  EXPECT_EQ(p.skipped[0].reason,
            "20000 MiB is above the 16384 MiB this Mac has: the GPU cannot wire more memory than there is");
  EXPECT_TRUE(p.changes.empty());
  Plan fits = plan("name: t\nsysctl:\n  iogpu.wired_limit_mb: 12288\n");
  ASSERT_EQ(fits.changes.size(), 2u);
  EXPECT_EQ(fits.changes[0].after, "12288");
}

TEST_F(MacSysctlTest, ReadOnlyAndUnknownKeysAreSkipsWithAReason) {
  // Straight to the planner: a key the knowledge base does not place on macOS
  // is taken for a Linux one before any planner sees it.
  auto profile = parse_profile("name: t\nsysctl:\n  kern.ipc.nosuch: { value: 1, unchecked: true }\n"
                               "  hw.pagesize: { value: 4096, unchecked: true }\n",
                               "t.yaml");
  ASSERT_TRUE(profile) << profile.error().message;
  HostFacts facts = mac.facts();
  Plan p;
  ASSERT_TRUE(MacSysctlPlanner().plan({*profile, facts, mac}, p));
  ASSERT_EQ(p.skipped.size(), 2u);
  EXPECT_EQ(p.skipped[0].reason, "unsupported here: no such key on this macOS");
  EXPECT_EQ(p.skipped[1].reason, "read-only: it describes the machine");
  EXPECT_TRUE(p.changes.empty());
}

}  // namespace
}  // namespace tune::macos_platform
