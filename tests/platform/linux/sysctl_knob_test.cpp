#include "platform/linux/sysctl_knob.h"

#include "support/temp_tree.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

namespace tune::linux_platform {
namespace {

using testing::TempTree;

TEST(SysctlKnob, ObservesANormalizedValue) {
  TempTree tree;
  tree.write("/proc/sys/net/ipv4/tcp_rmem", "4096\t131072\t6291456\n");
  LocalSystem system(tree.root());
  auto observed = SysctlKnob().observe(system, "net.ipv4.tcp_rmem");
  ASSERT_TRUE(observed);
  EXPECT_TRUE(observed->supported);
  EXPECT_TRUE(observed->writable);
  EXPECT_EQ(*observed->value, "4096 131072 6291456");
  EXPECT_EQ(observed->prior.value, "4096 131072 6291456");
}

TEST(SysctlKnob, AMissingKeyIsUnsupportedNotAnError) {
  TempTree tree;
  tree.mkdir("/proc/sys/vm");
  LocalSystem system(tree.root());
  auto observed = SysctlKnob().observe(system, "vm.compressed_memory");
  ASSERT_TRUE(observed);
  EXPECT_FALSE(observed->supported);
  EXPECT_EQ(observed->note, "no such key on this kernel");
}

TEST(SysctlKnob, ADirectoryIsNotAKey) {
  TempTree tree;
  tree.mkdir("/proc/sys/net/core");
  LocalSystem system(tree.root());
  auto observed = SysctlKnob().observe(system, "net.core");
  ASSERT_TRUE(observed);
  EXPECT_FALSE(observed->supported);
}

TEST(SysctlKnob, AKeyWithoutWriteBitsIsReadOnly) {
  TempTree tree;
  tree.write("/proc/sys/kernel/osrelease", "6.1.0\n", 0444);
  LocalSystem system(tree.root());
  auto observed = SysctlKnob().observe(system, "kernel.osrelease");
  ASSERT_TRUE(observed);
  EXPECT_TRUE(observed->supported);
  EXPECT_FALSE(observed->writable);
  EXPECT_EQ(observed->note, "read-only on this kernel");
}

TEST(SysctlKnob, ApplyAndRestoreWriteTheKey) {
  TempTree tree;
  tree.write("/proc/sys/vm/swappiness", "60\n");
  LocalSystem system(tree.root());
  SysctlKnob knob;
  Change change;
  change.target = "vm.swappiness";
  change.after = "10";
  ASSERT_TRUE(knob.apply(system, change));
  EXPECT_EQ(tree.read("/proc/sys/vm/swappiness"), "10");
  ASSERT_TRUE(knob.restore(system, "vm.swappiness", PriorState::of_value("60")));
  EXPECT_EQ(tree.read("/proc/sys/vm/swappiness"), "60");
  EXPECT_FALSE(knob.restore(system, "vm.swappiness", PriorState::absent()));
}

TEST(SysctlKnob, SameIgnoresWhitespaceDifferences) {
  SysctlKnob knob;
  EXPECT_TRUE(knob.same(std::string("4096\t87380 16777216"), std::string("4096 87380  16777216")));
  EXPECT_FALSE(knob.same(std::string("1"), std::string("2")));
  EXPECT_FALSE(knob.same(std::nullopt, std::string("2")));
}

}  // namespace
}  // namespace tune::linux_platform
