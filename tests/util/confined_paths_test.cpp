// A tree given with --root is the host's /: no path, and no symlink inside
// the tree, absolute or climbing with "..", can lead tune's reads and writes
// out of it.
#include "util/confined_paths.h"

#include "support/temp_tree.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

namespace tune {
namespace {

using testing::TempTree;

TEST(ConfinedPaths, HostPathsAreAbsoluteAndWithoutDotComponents) {
  for (const char* path : {"/", "/etc", "/etc/sysctl.d/90-tune.conf", "/a/.hidden", "/a/..b"}) {
    EXPECT_TRUE(is_host_path(path)) << path;
  }
  for (const char* path : {"", "etc", "./etc", "/etc/../passwd", "/etc/./x", "/..", "/a/.."}) {
    EXPECT_FALSE(is_host_path(path)) << path;
  }
}

// etc/sysctl.d and a state directory planted as symlinks to the host's own
// directories: writes land in the tree's /etc, never the host's.
TEST(ConfinedPaths, ASymlinkInTheTreeNeverLeadsOutOfIt) {
  TempTree outside;  // stands for the host's own /etc
  TempTree tree;
  tree.mkdir("/etc");
  ASSERT_EQ(::symlink(outside.root().c_str(), tree.real("/etc/sysctl.d").c_str()), 0);     // absolute
  ASSERT_EQ(::symlink("../../../../../../../..", tree.real("/etc/up").c_str()), 0);          // climbing
  LocalSystem system(tree.root());
  // The absolute link resolves inside the tree (where that directory does not exist): refused, not outside.
  EXPECT_FALSE(system.write_file("/etc/sysctl.d/90-tune.conf", "x\n", FileAttrs{}));
  EXPECT_FALSE(outside.exists("/90-tune.conf"));
  EXPECT_FALSE(system.write_file("/etc/up/tmp/escaped", "x\n", FileAttrs{}));
  EXPECT_EQ(::access("/tmp/escaped", F_OK), -1);
  tree.write("/marker", "inside\n");
  auto marker = system.read_file("/etc/up/marker");
#if defined(TUNE_PORTABLE_UNIX)
  // The portable door follows no symlink under a root, and says so.
  ASSERT_FALSE(marker);
  EXPECT_NE(marker.error().message.find("not followed under a root"), std::string::npos) << marker.error().message;
#else
  // Linux's door reads through the climbing link into the tree's own root.
  ASSERT_TRUE(marker) << marker.error().message;
  EXPECT_EQ(*marker, "inside\n");
#endif
}

TEST(ConfinedPaths, AKernelFileLinkedOutOfTheTreeIsNotWritten) {
  TempTree tree;
  tree.mkdir("/proc/sys");
  // proc/sys/net pointing out of the tree, at a stand-in for the live
  // kernel's (a broken door must not write the machine's real somaxconn):
  // the write stays in the tree, or fails.
  TempTree kernel;
  kernel.write("/net/core/somaxconn", "4096\n");
  ASSERT_EQ(::symlink(kernel.real("/net").c_str(), tree.real("/proc/sys/net").c_str()), 0);
  LocalSystem system(tree.root());
  auto written = system.write_attribute("/proc/sys/net/core/somaxconn", "1");
  EXPECT_FALSE(written);
  EXPECT_EQ(kernel.read("/net/core/somaxconn"), "4096\n");
}

TEST(ConfinedPaths, FifosAndDevicesAreNotReadAsFiles) {
  TempTree tree;
  tree.mkdir("/run");
  ASSERT_EQ(::mkfifo(tree.real("/run/fifo").c_str(), 0600), 0);
  LocalSystem system(tree.root());
  auto fifo = system.read_file("/run/fifo");
  ASSERT_FALSE(fifo);
  EXPECT_EQ(fifo.error().message, "reading /run/fifo: not a regular file");
  auto zero = LocalSystem().read_file("/dev/zero");
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().message, "reading /dev/zero: not a regular file");
}

TEST(ConfinedPaths, AStrayTemporaryFromACrashIsRemovedByTheNextWrite) {
  TempTree tree;
  tree.write("/etc/sysctl.d/.tune-a1b2c3d4", "half a file");
  tree.write("/etc/sysctl.d/.tune-keep-me", "not ours");
  LocalSystem system(tree.root());
  ASSERT_TRUE(system.write_file("/etc/sysctl.d/90-tune.conf", "x\n", FileAttrs{}));
  EXPECT_FALSE(tree.exists("/etc/sysctl.d/.tune-a1b2c3d4"));
  EXPECT_TRUE(tree.exists("/etc/sysctl.d/.tune-keep-me"));
}

}  // namespace
}  // namespace tune
