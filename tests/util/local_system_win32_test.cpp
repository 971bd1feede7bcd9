// The Windows door (util/local_system_win32.cpp) on a rooted temporary tree,
// run under wine by scripts/windows-test.sh.
#include "util/local_system.h"

#include "support/temp_tree.h"

#include <gtest/gtest.h>

namespace tune {
namespace {

using testing::TempTree;

TEST(LocalSystemWin32, WriteReplacesAFileWholeAndReadsItBack) {
  TempTree tree;
  tree.mkdir("/etc/tune");
  LocalSystem system(tree.root());
  ASSERT_TRUE(system.write_file("/etc/tune/tune.toml", "first\n", FileAttrs{}));
  ASSERT_TRUE(system.write_file("/etc/tune/tune.toml", "second\n", FileAttrs{}));
  EXPECT_EQ(tree.read("/etc/tune/tune.toml"), "second\n");
  EXPECT_EQ(system.read_file("/etc/tune/tune.toml").value(), "second\n");
  // No temporary file is left beside it.
  EXPECT_EQ(system.list_dir("/etc/tune").value(), std::vector<std::string>{"tune.toml"});
}

TEST(LocalSystemWin32, StatTellsAbsentFilesAndDirectoriesApart) {
  TempTree tree;
  tree.write("/a/file", "12345");
  LocalSystem system(tree.root());
  const auto file = system.stat("/a/file").value();
  EXPECT_TRUE(file.exists);
  EXPECT_FALSE(file.is_dir);
  EXPECT_EQ(file.size, 5u);
  EXPECT_EQ(file.uid, system.effective_uid());
  EXPECT_TRUE(system.stat("/a").value().is_dir);
  EXPECT_FALSE(system.stat("/a/none").value().exists);
  EXPECT_FALSE(system.stat("/none/none").value().exists);
}

TEST(LocalSystemWin32, AppendKeepsWhatWasThere) {
  TempTree tree;
  LocalSystem system(tree.root());
  ASSERT_TRUE(system.make_dirs("/var/lib/tune/journal", 0700));
  ASSERT_TRUE(system.append_durable("/var/lib/tune/journal/000001.jsonl", "one\n"));
  ASSERT_TRUE(system.append_durable("/var/lib/tune/journal/000001.jsonl", "two\n"));
  EXPECT_EQ(tree.read("/var/lib/tune/journal/000001.jsonl"), "one\ntwo\n");
}

TEST(LocalSystemWin32, ListsSortedAndRemoves) {
  TempTree tree;
  tree.write("/d/b", "");
  tree.write("/d/a", "");
  LocalSystem system(tree.root());
  EXPECT_EQ(system.list_dir("/d").value(), (std::vector<std::string>{"a", "b"}));
  ASSERT_TRUE(system.remove_file("/d/a"));
  ASSERT_TRUE(system.remove_file("/d/a"));  // already gone: not an error
  EXPECT_FALSE(tree.exists("/d/a"));
  ASSERT_TRUE(system.remove_empty_dir("/d"));  // holds b: left as it is
  EXPECT_TRUE(tree.exists("/d/b"));
}

TEST(LocalSystemWin32, RefusesPathsThatLeaveTheTree) {
  TempTree tree;
  LocalSystem system(tree.root());
  EXPECT_FALSE(system.read_file("/a/../../x"));
  EXPECT_FALSE(system.write_file("C:/x", "", FileAttrs{}));
}

TEST(LocalSystemWin32, ASecondLockIsRefusedWithTheHoldersPid) {
  TempTree tree;
  LocalSystem system(tree.root());
  auto held = system.try_lock("/lock");
  ASSERT_TRUE(held) << held.error().message;
  auto second = system.try_lock("/lock");
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().message.find("another tune is changing this host (pid "), std::string::npos)
      << second.error().message;
  held->reset();
  EXPECT_TRUE(system.try_lock("/lock"));
}

TEST(LocalSystemWin32, RunsProgramsWithArgumentsQuotedForTheirRuntime) {
  LocalSystem system;
  // cmd.exe echoes its command line as given; a quoted argument keeps its space.
  auto result = system.run({"cmd.exe", "/c", "echo", "two words"});
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->exit_code, 0);
  EXPECT_NE(result->out.find("\"two words\""), std::string::npos) << result->out;
  auto failing = system.run({"cmd.exe", "/c", "exit", "3"});
  ASSERT_TRUE(failing);
  EXPECT_EQ(failing->exit_code, 3);
  EXPECT_FALSE(system.run({"no-such-program-for-tune.exe"}));
}

TEST(LocalSystemWin32, NoSwapOrEthtoolOnWindows) {
  LocalSystem system;
  EXPECT_FALSE(system.swap_on("C:/pagefile.sys", -1));
  EXPECT_FALSE(system.read_nic("eth0", "features"));
}

}  // namespace
}  // namespace tune
