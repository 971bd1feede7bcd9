// "No effect here" is not "valid": a setting that is already the default, that
// another setting of the text makes moot, or that the host already has.
#include "audit/audit.h"

#include "support/temp_tree.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

namespace tune::audit {
namespace {

Finding setting(const std::string& text, const System* host = nullptr, int line = 1) {
  for (auto& finding : audit_text(text, "a.conf", host)) {
    if (finding.kind == FindingKind::Setting && finding.item.line == line) return finding;
  }
  ADD_FAILURE() << "no setting on line " << line << " of " << text;
  return {};
}

// 001 line 984: syncookies are on by default.
TEST(NoEffect, TheDefaultValueChangesNothing) {
  Finding cookies = setting("net.ipv4.tcp_syncookies = 1\n");
  EXPECT_EQ(cookies.verdict, Verdict::NoEffect);
  EXPECT_NE(cookies.message.find("already the default"), std::string::npos);
  EXPECT_EQ(setting("net.ipv4.tcp_syncookies = 0\n").verdict != Verdict::NoEffect, true);
  // 000 line 1846: the knowledge base's own word.
  EXPECT_EQ(setting("vm.page-cluster = 3\n").verdict, Verdict::NoEffect);
}

// 003 lines 172-173 and 108/176.
TEST(NoEffect, ASettingAnotherOneMakesMoot) {
  EXPECT_EQ(setting("vm.overcommit_memory = 1\nvm.overcommit_ratio = 80\n", nullptr, 2).verdict, Verdict::NoEffect);
  EXPECT_EQ(setting("vm.overcommit_memory = 2\nvm.overcommit_ratio = 80\n", nullptr, 2).verdict, Verdict::Valid);
}

TEST(NoEffect, TheHostDecidesWhatTheTextLeavesAsItIs) {
  tune::testing::TempTree tree;
  tree.write("/proc/sys/vm/swappiness", "10\n");
  tree.write("/proc/sys/vm/overcommit_memory", "0\n");
  tree.write("/proc/sys/vm/overcommit_ratio", "50\n");
  tree.write("/sys/kernel/mm/transparent_hugepage/enabled", "always [madvise] never\n");
  LocalSystem host(tree.root());
  Finding same = setting("vm.swappiness = 10\n", &host);
  EXPECT_EQ(same.verdict, Verdict::NoEffect);
  EXPECT_EQ(same.host_note, "live value 10");
  EXPECT_EQ(setting("vm.swappiness = 20\n", &host).verdict, Verdict::Valid);
  // A bracketed choice file: the chosen word is the value.
  EXPECT_EQ(setting("echo madvise > /sys/kernel/mm/transparent_hugepage/enabled\n", &host).verdict, Verdict::NoEffect);
  Finding ratio = setting("vm.overcommit_ratio = 80\n", &host);
  EXPECT_EQ(ratio.verdict, Verdict::NoEffect);
  EXPECT_NE(ratio.message.find("this host has 0"), std::string::npos) << ratio.message;
  EXPECT_EQ(setting("vm.overcommit_memory = 2\nvm.overcommit_ratio = 80\n", &host, 2).verdict, Verdict::Valid);
}

TEST(NoEffect, IsNotCountedAsValid) {
  auto counts = count_verdicts(audit_text("net.ipv4.tcp_syncookies = 1\nvm.swappiness = 10\n", "a.conf", nullptr));
  EXPECT_EQ(counts[Verdict::NoEffect], 1);
  EXPECT_EQ(counts[Verdict::Valid], 1);
}

}  // namespace
}  // namespace tune::audit
