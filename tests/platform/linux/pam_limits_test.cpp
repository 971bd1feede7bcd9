#include "platform/linux/pam_limits.h"

#include "limits_fixture.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

namespace tune::linux_platform {
namespace {

using testing::TempTree;

const LimitInfo& info(const std::string& name) { return *find_limit(name); }

// What a subject gets for limit from files given as (path, text), in pam's units.
std::string effective(const std::vector<ConfigFile>& files, const LoginSubject& subject, const std::string& limit,
                      const RlimPair& inherited = {Rlim::of(1024), Rlim::of(4096)},
                      std::optional<unsigned long long> nr_open = 1048576) {
  return pair_text(info(limit), login_limit(pam_entries(files), subject, info(limit), inherited, nr_open).value);
}

LoginSubject user(const std::string& name, std::vector<std::string> groups = {}) {
  LoginSubject subject;
  subject.user = name;
  subject.uid = 1000;
  subject.groups = std::move(groups);
  return subject;
}

LoginSubject root() {
  LoginSubject subject = user("root", {"root", "ai"});
  subject.uid = 0;
  subject.root = true;
  return subject;
}

TEST(PamLimitsParse, KeepsFileAndLineAndSkipsCommentsBlanksAndBrokenLines) {
  auto entries = parse_limits_conf(
      "# a comment\n"
      "\n"
      "*   soft  NOFILE  4096   # trailing comment\n"
      "  @ai\thard\tmemlock\tUnlimited\n"
      "alice soft nofile\n"  // three fields: pam skips it
      "bob -\n",
      "/etc/security/limits.conf");
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].domain, "*");
  EXPECT_EQ(entries[0].type, "soft");
  EXPECT_EQ(entries[0].item, "nofile");
  EXPECT_EQ(entries[0].value, "4096");
  EXPECT_EQ(entries[0].where(), "/etc/security/limits.conf:3");
  EXPECT_EQ(entries[1].domain, "@ai");
  EXPECT_EQ(entries[1].value, "unlimited");
  EXPECT_EQ(entries[1].line, 4);
  EXPECT_TRUE(entries[2].no_limits);
  EXPECT_EQ(entries[2].where(), "/etc/security/limits.conf:6");
}

TEST(PamLimitsPrecedence, UserLinesBeatGroupLinesWhichBeatStarLines) {
  // The user's own line comes first and still wins: rank goes before order.
  std::vector<ConfigFile> files = {{"/etc/security/limits.conf",
                                    "alice - nofile 300\n"
                                    "@ai   - nofile 200\n"
                                    "*     - nofile 100\n"}};
  EXPECT_EQ(effective(files, user("alice", {"alice", "ai"}), "nofile"), "300:300");
  LoginSubject member;
  member.groups = {"ai"};
  EXPECT_EQ(effective(files, member, "nofile"), "200:200");
  EXPECT_EQ(effective(files, LoginSubject{}, "nofile"), "100:100");
  EXPECT_EQ(effective(files, user("bob", {"bob"}), "nofile"), "100:100");
}

TEST(PamLimitsPrecedence, ALaterLineOfEqualRankOverridesAnEarlierOne) {
  std::vector<ConfigFile> files = {{"/etc/security/limits.conf", "* soft nofile 100\n* hard nofile 900\n"},
                                   {"/etc/security/limits.d/10-a.conf", "* soft nofile 200\n"},
                                   {"/etc/security/limits.d/20-b.conf", "* soft nofile 300\n"}};
  LoginLimit got = login_limit(pam_entries(files), LoginSubject{}, info("nofile"), {}, std::nullopt);
  EXPECT_EQ(pair_text(info("nofile"), got.value), "300:900");
  EXPECT_EQ(got.soft_from, "/etc/security/limits.d/20-b.conf:1");
  EXPECT_EQ(got.hard_from, "/etc/security/limits.conf:2");
}

TEST(PamLimitsPrecedence, RootGetsNeitherStarNorGroupLinesOnlyItsOwn) {
  std::vector<ConfigFile> files = {{"/etc/security/limits.conf", "* - nofile 100\n@ai - nproc 50\n"}};
  EXPECT_EQ(effective(files, root(), "nofile"), "1024:4096");
  EXPECT_EQ(effective(files, root(), "nproc"), "1024:4096");
  files.push_back({"/etc/security/limits.d/root.conf", "root - nofile 7000\n"});
  EXPECT_EQ(effective(files, root(), "nofile"), "7000:7000");
}

TEST(PamLimitsPrecedence, UidAndGidRangesMatchAsPamMatchesThem) {
  std::vector<ConfigFile> files = {{"/etc/security/limits.conf",
                                    "*       - nofile 100\n"
                                    "1000:   - nofile 500\n"
                                    "@2000:2999 - nproc 70\n"}};
  LoginSubject alice = user("alice", {"alice"});
  alice.gid = 2500;
  EXPECT_EQ(effective(files, alice, "nofile"), "500:500");
  EXPECT_EQ(effective(files, alice, "nproc"), "70:70");
  LoginSubject low = user("svc", {"svc"});
  low.uid = 999;
  low.gid = 999;
  EXPECT_EQ(effective(files, low, "nofile"), "100:100");
  EXPECT_EQ(effective(files, low, "nproc"), "1024:4096");
}

TEST(PamLimitsInheritance, PartsNoLineSetsComeFromTheServiceManager) {
  std::vector<ConfigFile> files = {{"/etc/security/limits.conf", "* soft nofile 2048\n"}};
  LoginLimit got = login_limit(pam_entries(files), LoginSubject{}, info("nofile"), {Rlim::of(1024), Rlim::of(524288)},
                               std::nullopt);
  EXPECT_EQ(pair_text(info("nofile"), got.value), "2048:524288");
  EXPECT_EQ(got.hard_from, "");
  EXPECT_EQ(effective({}, LoginSubject{}, "memlock", {Rlim::unknown(), Rlim::unknown()}), "-:-");
}

TEST(PamLimitsInheritance, ASoftValueAboveTheHardOneIsLoweredToIt) {
  std::vector<ConfigFile> files = {{"/etc/security/limits.conf", "* soft nofile 65535\n"}};
  LoginLimit got = login_limit(pam_entries(files), LoginSubject{}, info("nofile"), {Rlim::of(1024), Rlim::of(4096)},
                               std::nullopt);
  EXPECT_EQ(pair_text(info("nofile"), got.value), "4096:4096");
  EXPECT_TRUE(got.soft_clamped);
}

TEST(PamLimitsInheritance, ANoLimitsLineLeavesEverythingInherited) {
  std::vector<ConfigFile> files = {{"/etc/security/limits.conf", "* - nofile 100\n@ai -\n* - nproc 5\n"}};
  LoginSubject member;
  member.groups = {"ai"};
  LoginLimit got =
      login_limit(pam_entries(files), member, info("nofile"), {Rlim::of(1024), Rlim::of(4096)}, std::nullopt);
  EXPECT_EQ(pair_text(info("nofile"), got.value), "1024:4096");
  EXPECT_EQ(got.stopped_by, "/etc/security/limits.conf:2");
  // "* -" is no such line for anyone.
  EXPECT_EQ(effective(files, LoginSubject{}, "nofile"), "100:100");
}

TEST(PamLimitsUnits, KibMinutesNiceAndUnlimitedAsPamReadsThem) {
  std::vector<ConfigFile> files = {{"/etc/security/limits.conf",
                                    "* - memlock 64\n"
                                    "* - cpu 5\n"
                                    "* - nice -5\n"
                                    "* - stack unlimited\n"
                                    "* soft core -1\n"
                                    "* hard core infinity\n"
                                    "* - nofile unlimited\n"
                                    "* - maxlogins 4\n"}};
  auto entries = pam_entries(files);
  LoginLimit memlock = login_limit(entries, LoginSubject{}, info("memlock"), {}, std::nullopt);
  EXPECT_EQ(memlock.value.soft, Rlim::of(65536));
  EXPECT_EQ(pair_text(info("memlock"), memlock.value), "64:64");
  LoginLimit cpu = login_limit(entries, LoginSubject{}, info("cpu"), {}, std::nullopt);
  EXPECT_EQ(cpu.value.hard, Rlim::of(300));
  EXPECT_EQ(pair_text(info("cpu"), cpu.value), "5:5");
  LoginLimit nice = login_limit(entries, LoginSubject{}, info("nice"), {}, std::nullopt);
  EXPECT_EQ(nice.value.soft, Rlim::of(25));  // RLIMIT_NICE holds 20 - nice
  EXPECT_EQ(pair_text(info("nice"), nice.value), "-5:-5");
  EXPECT_EQ(effective(files, LoginSubject{}, "stack"), "unlimited:unlimited");
  EXPECT_EQ(effective(files, LoginSubject{}, "core"), "unlimited:unlimited");
  // pam puts fs.nr_open in place of an unlimited nofile.
  EXPECT_EQ(effective(files, LoginSubject{}, "nofile"), "1048576:1048576");
  EXPECT_EQ(effective(files, LoginSubject{}, "maxlogins"), "4:4");
  EXPECT_EQ(effective(files, root(), "maxlogins"), "unlimited:unlimited");
}

TEST(PamLimitsFiles, LimitsConfFirstThenLimitsDInNameOrder) {
  TempTree tree;
  tree.write("/etc/security/limits.conf", "* - nofile 1\n");
  tree.write("/etc/security/limits.d/90-z.conf", "* - nofile 3\n");
  tree.write("/etc/security/limits.d/20-a.conf", "* - nofile 2\n");
  tree.write("/etc/security/limits.d/95-ignored.conf.rpmsave", "* - nofile 9\n");
  tree.write("/etc/security/limits.d/.99-hidden.conf", "* - nofile 9\n");
  LocalSystem system(tree.root());
  auto read = pam_limits_files(system);
  ASSERT_TRUE(read) << read.error().message;
  auto files = read->in_order();
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].path, "/etc/security/limits.conf");
  EXPECT_EQ(files[1].path, "/etc/security/limits.d/20-a.conf");
  EXPECT_EQ(files[2].path, "/etc/security/limits.d/90-z.conf");
  EXPECT_EQ(effective(files, LoginSubject{}, "nofile"), "3:3");
}

TEST(PamLimitsFiles, NoFilesAtAllIsNoEntries) {
  TempTree tree;
  LocalSystem system(tree.root());
  auto files = pam_limits_files(system);
  ASSERT_TRUE(files) << files.error().message;
  EXPECT_TRUE(files->in_order().empty());
}

TEST(PamLimitsSubject, UsersGetTheirGroupsFromPasswdAndGroup) {
  TempTree tree;
  limits_testing::write_host(tree);
  LocalSystem system(tree.root());
  auto alice = login_subject(system, "alice");
  ASSERT_TRUE(alice) << alice.error().message;
  EXPECT_EQ(alice->uid, 1000u);
  EXPECT_EQ(alice->gid, 1000u);
  EXPECT_EQ(alice->groups, (std::vector<std::string>{"alice", "ai", "staff"}));
  EXPECT_FALSE(alice->root);
  auto member = login_subject(system, "@ai");
  ASSERT_TRUE(member);
  EXPECT_EQ(member->groups, (std::vector<std::string>{"ai"}));
  EXPECT_TRUE(member->user.empty());
  auto anyone = login_subject(system, "*");
  ASSERT_TRUE(anyone);
  EXPECT_TRUE(anyone->groups.empty());
  auto root_subject = login_subject(system, "root");
  ASSERT_TRUE(root_subject);
  EXPECT_TRUE(root_subject->root);
  EXPECT_FALSE(login_subject(system, "%ai"));
}

}  // namespace
}  // namespace tune::linux_platform
