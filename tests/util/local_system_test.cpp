#include "util/local_system.h"

#include "support/temp_tree.h"

#include <gtest/gtest.h>

#include <unistd.h>

namespace tune {
namespace {

using testing::TempTree;

TEST(LocalSystem, ReadsAndStatsUnderItsRoot) {
  TempTree tree;
  tree.write("/proc/sys/vm/swappiness", "60\n", 0644);
  LocalSystem system(tree.root());
  EXPECT_EQ(*system.read_file("/proc/sys/vm/swappiness"), "60\n");
  auto info = system.stat("/proc/sys/vm/swappiness");
  ASSERT_TRUE(info);
  EXPECT_TRUE(info->exists);
  EXPECT_EQ(info->mode, 0644u);
}

TEST(LocalSystem, MissingFileIsAnErrorNamingTheHostPath) {
  TempTree tree;
  LocalSystem system(tree.root());
  auto missing = system.read_file("/etc/nothing");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "reading /etc/nothing: No such file or directory");
  EXPECT_FALSE(system.stat("/etc/nothing")->exists);
}

TEST(LocalSystem, WriteFileReplacesAtomicallyWithModeAndLeavesNoTemporary) {
  TempTree tree;
  tree.write("/etc/sysctl.d/90-tune.conf", "old\n");
  LocalSystem system(tree.root());
  FileAttrs attrs;
  attrs.mode = 0600;
  ASSERT_TRUE(system.write_file("/etc/sysctl.d/90-tune.conf", "new\n", attrs));
  EXPECT_EQ(tree.read("/etc/sysctl.d/90-tune.conf"), "new\n");
  EXPECT_EQ(tree.mode("/etc/sysctl.d/90-tune.conf"), 0600u);
  EXPECT_EQ(*system.list_dir("/etc/sysctl.d"), std::vector<std::string>{"90-tune.conf"});
}

TEST(LocalSystem, WriteFileRefusesToFollowASymlink) {
  TempTree tree;
  tree.write("/etc/shadow", "secret\n");
  tree.mkdir("/etc/sysctl.d");
  ASSERT_EQ(::symlink(tree.real("/etc/shadow").c_str(), tree.real("/etc/sysctl.d/90-tune.conf").c_str()), 0);
  LocalSystem system(tree.root());
  auto written = system.write_file("/etc/sysctl.d/90-tune.conf", "x\n", {});
  ASSERT_FALSE(written);
  EXPECT_NE(written.error().message.find("not a regular file"), std::string::npos);
  EXPECT_EQ(tree.read("/etc/shadow"), "secret\n");
}

TEST(LocalSystem, WriteAttributeReportsAMissingKnob) {
  TempTree tree;
  LocalSystem system(tree.root());
  auto written = system.write_attribute("/proc/sys/vm/nope", "1");
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().message, "opening /proc/sys/vm/nope: No such file or directory");
}

TEST(LocalSystem, WriteAttributeReplacesTheValueInARootedTree) {
  TempTree tree;
  tree.write("/proc/sys/vm/swappiness", "60\n");
  LocalSystem system(tree.root());
  ASSERT_TRUE(system.write_attribute("/proc/sys/vm/swappiness", "10"));
  EXPECT_EQ(tree.read("/proc/sys/vm/swappiness"), "10");
}

TEST(LocalSystem, AppendDurableCreatesAPrivateFileAndAppends) {
  TempTree tree;
  tree.mkdir("/var/lib/tune");
  LocalSystem system(tree.root());
  ASSERT_TRUE(system.append_durable("/var/lib/tune/j", "a\n"));
  ASSERT_TRUE(system.append_durable("/var/lib/tune/j", "b\n"));
  EXPECT_EQ(tree.read("/var/lib/tune/j"), "a\nb\n");
  EXPECT_EQ(tree.mode("/var/lib/tune/j"), 0600u);
}

TEST(LocalSystem, RemoveFileOfAbsentFileSucceeds) {
  TempTree tree;
  tree.write("/etc/a", "x");
  LocalSystem system(tree.root());
  ASSERT_TRUE(system.remove_file("/etc/a"));
  EXPECT_FALSE(tree.exists("/etc/a"));
  EXPECT_TRUE(system.remove_file("/etc/a"));
}

TEST(LocalSystem, MakeDirsCreatesEveryLevel) {
  TempTree tree;
  LocalSystem system(tree.root());
  ASSERT_TRUE(system.make_dirs("/var/lib/tune/journal", 0700));
  EXPECT_TRUE(system.stat("/var/lib/tune/journal")->is_dir);
}

TEST(LocalSystem, ListDirIsSorted) {
  TempTree tree;
  tree.write("/d/b", "");
  tree.write("/d/a", "");
  tree.write("/d/c", "");
  LocalSystem system(tree.root());
  EXPECT_EQ(*system.list_dir("/d"), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(LocalSystem, SecondLockOnTheSamePathFailsAndNamesTheHolder) {
  TempTree tree;
  LocalSystem system(tree.root());
  auto first = system.try_lock("/lock");
  ASSERT_TRUE(first);
  auto second = system.try_lock("/lock");
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().message.find("pid " + std::to_string(::getpid())), std::string::npos);
  first->reset();
  EXPECT_TRUE(system.try_lock("/lock"));
}

TEST(LocalSystem, RunCapturesOutputAndExitCode) {
  LocalSystem system;
  auto result = system.run({"sh", "-c", "echo out; echo err >&2; exit 3"});
  ASSERT_TRUE(result);
  EXPECT_EQ(result->out, "out\n");
  EXPECT_EQ(result->err, "err\n");
  EXPECT_EQ(result->exit_code, 3);
}

TEST(LocalSystem, RunOfAMissingProgramIsAnError) {
  LocalSystem system;
  auto result = system.run({"/nonexistent/tune-no-such-program"});
  EXPECT_FALSE(result);
}

TEST(LocalSystem, RunIsRefusedUnderARoot) {
  TempTree tree;
  LocalSystem system(tree.root());
  EXPECT_FALSE(system.run({"true"}));
}

}  // namespace
}  // namespace tune
