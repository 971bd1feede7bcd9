#include "platform/linux/owned_files.h"

#include "core/file_knob.h"
#include "platform/linux/backend_test_util.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

namespace tune::linux_platform {
namespace {

using namespace testing_util;
using tune::testing::TempTree;

TEST(OwnedFiles, TheBackendsFilesAndNoOthers) {
  for (const char* path : {"/etc/sysctl.d/90-tune.conf", "/etc/tmpfiles.d/90-tune-memory.conf",
                           "/etc/systemd/system/ollama.service.d/90-tune.conf", "/etc/systemd/system/swapfile.swap",
                           "/etc/systemd/system/var-lib-swap\\x2dfile.swap", "/etc/default/grub.d/90-tune.cfg"}) {
    EXPECT_TRUE(linux_owned_file(path)) << path;
  }
  for (const char* path : {"/etc/passwd", "/etc/sysctl.d/99-other.conf", "/etc/systemd/system/ollama.service.d/x.conf",
                           "/etc/systemd/system/../../passwd", "/etc/systemd/system/a/b.service", "/root/.ssh/authorized_keys",
                           "/etc/systemd/system/ollama.service.d/../../../shadow"}) {
    EXPECT_FALSE(linux_owned_file(path)) << path;
  }
}

// A saved plan is input too: one that would write a file tune does not own,
// or give a file a set-id mode, is refused before anything changes.
TEST(OwnedFiles, ATamperedPlanIsRefusedAndChangesNothing) {
  TempTree tree;
  tree.write("/etc/passwd", "root:x:0:0::/root:/bin/sh\n");
  LocalSystem system(tree.root());
  for (const auto& [target, mode] : std::vector<std::pair<std::string, uint32_t>>{
           {"/etc/passwd", 0644}, {"//etc/./passwd", 0644}, {"/etc/sysctl.d/90-tune.conf", 04755}}) {
    Plan plan;
    plan.host = test_facts().identity;
    Change change;
    change.domain = "file";
    change.target = target;
    change.action = Action::Modify;
    change.before = target == "/etc/sysctl.d/90-tune.conf" ? std::nullopt : std::optional<std::string>("root:x:0:0::/root:/bin/sh\n");
    change.after = "toor::0:0::/root:/bin/sh\n";
    change.mode = mode;
    plan.changes.push_back(change);
    auto report = apply_plan(system, plan);
    if (report) {
      EXPECT_TRUE(report->failed) << target;
    }
    EXPECT_EQ(tree.read("/etc/passwd"), "root:x:0:0::/root:/bin/sh\n") << target;
    EXPECT_FALSE(tree.exists("/etc/sysctl.d/90-tune.conf")) << target;
  }
}

TEST(OwnedFiles, AForgedJournalCannotMakeRollbackWriteElsewhere) {
  TempTree tree;
  tree.write("/proc/sys/vm/swappiness", "60\n");
  tree.write("/etc/shadow", "root:*:1::::::\n", 0640);
  LocalSystem system(tree.root());
  ASSERT_TRUE(apply_plan(system, plan_of(system, "name: t\nsysctl:\n  vm.swappiness: 10\n")));
  // Someone edits the journal so that rollback "restores" /etc/shadow as absent.
  std::string journal = tree.read("/state/journal/000001.jsonl");
  const std::string owned = "/etc/sysctl.d/90-tune.conf";
  for (size_t at; (at = journal.find(owned)) != std::string::npos;) journal.replace(at, owned.size(), "/etc/shadow");
  tree.write("/state/journal/000001.jsonl", journal, 0600);
  auto report = rollback_last(system);
  if (report) {
    EXPECT_FALSE(report->errors.empty());
  }
  EXPECT_EQ(tree.read("/etc/shadow"), "root:*:1::::::\n");
}

}  // namespace
}  // namespace tune::linux_platform
