#include "util/dry_run_system.h"

#include "support/temp_tree.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

namespace tune {
namespace {

using testing::TempTree;

TEST(DryRunSystem, RecordsWritesWithoutTouchingTheTree) {
  TempTree tree;
  tree.write("/proc/sys/vm/swappiness", "60\n");
  LocalSystem real(tree.root());
  DryRunSystem dry(real);
  ASSERT_TRUE(dry.write_attribute("/proc/sys/vm/swappiness", "10"));
  ASSERT_TRUE(dry.write_file("/etc/sysctl.d/90-tune.conf", "x\n", {}));
  EXPECT_EQ(tree.read("/proc/sys/vm/swappiness"), "60\n");
  EXPECT_FALSE(tree.exists("/etc/sysctl.d/90-tune.conf"));
  ASSERT_EQ(dry.actions().size(), 2u);
  EXPECT_EQ(dry.actions()[0].verb, "set");
  EXPECT_EQ(dry.actions()[1].path, "/etc/sysctl.d/90-tune.conf");
}

TEST(DryRunSystem, LaterReadsSeeEarlierWrites) {
  TempTree tree;
  tree.write("/proc/sys/vm/swappiness", "60\n");
  LocalSystem real(tree.root());
  DryRunSystem dry(real);
  ASSERT_TRUE(dry.write_attribute("/proc/sys/vm/swappiness", "10"));
  EXPECT_EQ(*dry.read_file("/proc/sys/vm/swappiness"), "10");
  ASSERT_TRUE(dry.remove_file("/proc/sys/vm/swappiness"));
  EXPECT_FALSE(dry.stat("/proc/sys/vm/swappiness")->exists);
  EXPECT_FALSE(dry.read_file("/proc/sys/vm/swappiness"));
}

TEST(DryRunSystem, SettingAMissingAttributeFailsAsTheRealOneWould) {
  TempTree tree;
  LocalSystem real(tree.root());
  DryRunSystem dry(real);
  EXPECT_FALSE(dry.write_attribute("/proc/sys/vm/nope", "1"));
}

TEST(DryRunSystem, ListingMergesNewAndRemovedEntries) {
  TempTree tree;
  tree.write("/etc/d/a", "");
  tree.write("/etc/d/b", "");
  LocalSystem real(tree.root());
  DryRunSystem dry(real);
  ASSERT_TRUE(dry.write_file("/etc/d/c", "", {}));
  ASSERT_TRUE(dry.remove_file("/etc/d/a"));
  EXPECT_EQ(*dry.list_dir("/etc/d"), (std::vector<std::string>{"b", "c"}));
}

TEST(DryRunSystem, RunRecordsTheCommandWithoutRunningIt) {
  TempTree tree;
  LocalSystem real(tree.root());
  DryRunSystem dry(real);
  ASSERT_TRUE(dry.run({"sysctl", "--system"}));
  ASSERT_EQ(dry.actions().size(), 1u);
  EXPECT_EQ(dry.actions()[0].path, "sysctl --system");
}

}  // namespace
}  // namespace tune
