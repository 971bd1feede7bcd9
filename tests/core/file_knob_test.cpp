#include "core/file_knob.h"

#include "support/temp_tree.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

#include <unistd.h>

namespace tune {
namespace {

using testing::TempTree;

TEST(FileKnob, ObservesAnAbsentFileAsAbsent) {
  TempTree tree;
  LocalSystem system(tree.root());
  auto observed = FileKnob().observe(system, "/etc/x.conf");
  ASSERT_TRUE(observed);
  EXPECT_FALSE(observed->value);
  EXPECT_EQ(observed->prior.kind, PriorState::Kind::Absent);
}

TEST(FileKnob, ObservesBytesModeAndOwner) {
  TempTree tree;
  tree.write("/etc/x.conf", "a = 1\n", 0600);
  LocalSystem system(tree.root());
  auto observed = FileKnob().observe(system, "/etc/x.conf");
  ASSERT_TRUE(observed);
  EXPECT_EQ(*observed->value, "a = 1\n");
  EXPECT_EQ(observed->prior.mode, 0600u);
  EXPECT_EQ(observed->prior.uid, ::getuid());
}

TEST(FileKnob, RefusesToManageASymlink) {
  TempTree tree;
  tree.write("/etc/real", "x");
  ASSERT_EQ(::symlink("real", tree.real("/etc/link").c_str()), 0);
  LocalSystem system(tree.root());
  auto observed = FileKnob().observe(system, "/etc/link");
  ASSERT_FALSE(observed);
  EXPECT_NE(observed.error().message.find("symbolic link"), std::string::npos);
}

TEST(FileKnob, ApplyCreatesParentsAndRestoreRemovesWhatWasAbsent) {
  TempTree tree;
  LocalSystem system(tree.root());
  FileKnob knob;
  Change change;
  change.domain = "file";
  change.target = "/etc/security/limits.d/90-tune.conf";
  change.after = "* soft nofile 65535\n";
  change.mode = 0644;
  ASSERT_TRUE(knob.apply(system, change));
  EXPECT_EQ(tree.read(change.target), "* soft nofile 65535\n");
  ASSERT_TRUE(knob.restore(system, change.target, PriorState::absent()));
  EXPECT_FALSE(tree.exists(change.target));
}

TEST(FileKnob, RestorePutsBackBytesAndMode) {
  TempTree tree;
  tree.write("/etc/x.conf", "old\n", 0640);
  LocalSystem system(tree.root());
  FileKnob knob;
  auto observed = knob.observe(system, "/etc/x.conf");
  Change change;
  change.target = "/etc/x.conf";
  change.after = "new\n";
  change.mode = 0644;
  ASSERT_TRUE(knob.apply(system, change));
  ASSERT_TRUE(knob.restore(system, "/etc/x.conf", observed->prior));
  EXPECT_EQ(tree.read("/etc/x.conf"), "old\n");
  EXPECT_EQ(tree.mode("/etc/x.conf"), 0640u);
}

TEST(FileKnob, PlanFileSaysCreateModifyOrNothing) {
  TempTree tree;
  LocalSystem system(tree.root());
  EXPECT_EQ(plan_file(system, "/etc/a", "x\n", 0644, "r")->action, Action::Create);
  tree.write("/etc/a", "y\n");
  auto modify = plan_file(system, "/etc/a", "x\n", 0644, "r");
  EXPECT_EQ(modify->action, Action::Modify);
  EXPECT_EQ(*modify->before, "y\n");
  tree.write("/etc/a", "x\n");
  EXPECT_EQ(plan_file(system, "/etc/a", "x\n", 0644, "r")->action, Action::None);
}

}  // namespace
}  // namespace tune
