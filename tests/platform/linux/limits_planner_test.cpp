#include "platform/linux/limits_planner.h"

#include "core/engine.h"
#include "core/file_knob.h"
#include "limits_fixture.h"
#include "platform/linux/limits_files.h"
#include "platform/linux/limits_knob.h"
#include "util/dry_run_system.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

namespace tune::linux_platform {
namespace {

using testing::TempTree;

const char* const kState = "/var/lib/tune";

class LimitsPlannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    limits_testing::write_host(tree);
    facts.identity = {"host", "id", "6.1.0"};
    platform.knobs.add(std::make_unique<FileKnob>());
    platform.knobs.add(std::make_unique<LimitsKnob>());
    platform.planners.push_back(std::make_unique<LimitsPlanner>());
  }

  Plan plan(const std::string& limits_yaml) {
    auto parsed = parse_profile("name: t\nlimits:\n" + limits_yaml, "test.yaml");
    EXPECT_TRUE(parsed) << parsed.error().message;
    profile = *parsed;
    LocalSystem system(tree.root());
    auto made = make_plan({profile, facts, system}, platform, "test");
    EXPECT_TRUE(made) << made.error().message;
    return made ? *made : Plan{};
  }

  static const Change* find(const Plan& p, const std::string& target) {
    for (const auto& change : p.changes) {
      if (change.target == target) return &change;
    }
    return nullptr;
  }

  static const Skip* skipped(const Plan& p, const std::string& target) {
    for (const auto& skip : p.skipped) {
      if (skip.target == target) return &skip;
    }
    return nullptr;
  }

  std::string observe(const std::string& target) {
    LocalSystem system(tree.root());
    auto observed = LimitsKnob().observe(system, target);
    EXPECT_TRUE(observed) << observed.error().message;
    return observed ? observed->value.value_or("absent") : "error";
  }

  // Every limits setting of the profile is a change of its item and limit, or a skip of itself.
  void expect_all_accounted(const Plan& p) {
    for (const auto& setting : profile.settings) {
      const std::string limit = setting.key.substr(0, setting.key.find('.'));
      bool changed = find(p, setting.scope + "/" + limit) != nullptr;
      bool skip = skipped(p, setting.target()) != nullptr;
      EXPECT_TRUE(changed != skip) << setting.address() << (changed ? " is both a change and a skip" : " is neither");
    }
  }

  TempTree tree;
  HostFacts facts;
  Profile profile;
  Platform platform;
};

TEST_F(LimitsPlannerTest, PlansWhatLoginsAndServicesGetThenTheFilesThatGiveIt) {
  Plan p = plan("  \"*\":\n    nofile: 1048576\n    memlock: unlimited\n  \"@ai\":\n    nproc: { at_least: 4096 }\n");
  ASSERT_EQ(p.changes.size(), 7u);
  // Derived targets first: the engine records their prior value before any file is written.
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(p.changes[i].domain, "limits") << i;
  EXPECT_EQ(p.changes[5].target, kLimitsFile);
  EXPECT_EQ(p.changes[6].target, kManagerFile);
  EXPECT_EQ(p.changes[5].action, Action::Create);
  EXPECT_EQ(*p.changes[5].after,
            "# Written by tune for profile 't'.\n"
            "# Edit the profile rather than this file: `tune rollback` puts back what was here before.\n"
            "# pam_limits reads it for new login sessions; sizes in KiB, cpu in minutes (limits.conf(5)).\n"
            "*    soft  nofile   1048576\n"
            "*    hard  nofile   1048576\n"
            "*    soft  memlock  unlimited\n"
            "*    hard  memlock  unlimited\n"
            "@ai  soft  nproc    63476\n"
            "@ai  hard  nproc    63476\n");
  EXPECT_EQ(*p.changes[6].after,
            "# Written by tune for profile 't'.\n"
            "# Edit the profile rather than this file: `tune rollback` puts back what was here before.\n"
            "# What the service manager gives new services, from the next boot or `systemctl daemon-reexec`.\n"
            "[Manager]\n"
            "DefaultLimitNOFILE=1048576:1048576\n"
            "DefaultLimitMEMLOCK=infinity:infinity\n");
  const Change* login = find(p, "*/nofile");
  ASSERT_NE(login, nullptr);
  EXPECT_EQ(login->domain, "limits");
  EXPECT_EQ(*login->before, "1024:524288");
  EXPECT_EQ(*login->after, "1048576:1048576");
  EXPECT_EQ(login->action, Action::Modify);
  EXPECT_EQ(login->persistence, Persistence::File);
  EXPECT_EQ(login->note, "what a new login session gets");
  EXPECT_NE(login->reason.find("t (test.yaml:4:5)"), std::string::npos) << login->reason;
  const Change* service = find(p, "DefaultLimitMEMLOCK");
  ASSERT_NE(service, nullptr);
  EXPECT_EQ(*service->before, "8192:8192");
  EXPECT_EQ(*service->after, "unlimited:unlimited");
  EXPECT_NE(service->note.find("daemon-reexec"), std::string::npos);
  // The group's nproc already satisfies the bound: shown, not changed; no service view for a group.
  EXPECT_EQ(find(p, "@ai/nproc")->action, Action::None);
  EXPECT_EQ(find(p, "DefaultLimitNPROC"), nullptr);
  EXPECT_TRUE(p.skipped.empty());
  expect_all_accounted(p);
}

TEST_F(LimitsPlannerTest, WritesSystemdUnitsInTheManagerFile) {
  Plan p = plan("  \"*\":\n    memlock: 64\n    cpu: 5\n    nice: -10\n    stack: { soft: 8192, hard: unlimited }\n"
                "    maxlogins: 4\n");
  const Change* file = find(p, kManagerFile);
  ASSERT_NE(file, nullptr);
  EXPECT_NE(file->after->find("DefaultLimitMEMLOCK=64K:64K\n"), std::string::npos) << *file->after;
  EXPECT_NE(file->after->find("DefaultLimitCPU=300:300\n"), std::string::npos);
  EXPECT_NE(file->after->find("DefaultLimitNICE=-10:-10\n"), std::string::npos);
  EXPECT_NE(file->after->find("DefaultLimitSTACK=8192K:infinity\n"), std::string::npos);
  EXPECT_EQ(file->after->find("maxlogins"), std::string::npos);  // systemd has no such limit
  EXPECT_NE(find(p, kLimitsFile)->after->find("*  hard  maxlogins  4\n"), std::string::npos);
  EXPECT_EQ(*find(p, "*/cpu")->after, "5:5");
  EXPECT_EQ(*find(p, "DefaultLimitNICE")->after, "-10:-10");
  EXPECT_EQ(*find(p, "*/stack")->after, "8192:unlimited");
  expect_all_accounted(p);
}

TEST_F(LimitsPlannerTest, ApplyGivesTheValuesAndRollbackPutsBackEveryByte) {
  const std::string limits_conf = "# site limits\n*  soft  nofile  4096\n";
  const std::string old_tune = "# an older tune file\n*  hard  core  0\n";
  tree.write("/etc/security/limits.conf", limits_conf);
  tree.write(kLimitsFile, old_tune, 0640);
  const std::string profile_text = "  \"*\":\n    nofile: { at_least: 65535 }\n  alice:\n    memlock: { soft: 1024 }\n";
  Plan p = plan(profile_text);
  EXPECT_EQ(find(p, kLimitsFile)->action, Action::Modify);
  EXPECT_EQ(observe("*/nofile"), "4096:524288");
  EXPECT_EQ(observe("*/core"), "0:0");

  LocalSystem system(tree.root());
  Engine engine(system, platform.knobs, kState);
  auto report = engine.apply(p, facts.identity);
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_FALSE(report->failed) << report->failure;
  EXPECT_EQ(report->applied, 5u);  // two files, */nofile, DefaultLimitNOFILE, alice/memlock
  EXPECT_EQ(observe("*/nofile"), "65535:524288");
  EXPECT_EQ(observe("DefaultLimitNOFILE"), "65535:524288");
  EXPECT_EQ(observe("alice/memlock"), "1024:8192");
  EXPECT_EQ(observe("*/core"), "0:unlimited");  // the old file's line is gone
  EXPECT_EQ(plan(profile_text).pending(), 0u);

  auto rolled = engine.rollback(std::nullopt);
  ASSERT_TRUE(rolled) << rolled.error().message;
  EXPECT_TRUE(rolled->errors.empty()) << rolled->errors.front();
  EXPECT_EQ(tree.read(kLimitsFile), old_tune);
  EXPECT_EQ(tree.mode(kLimitsFile), 0640u);
  EXPECT_EQ(tree.read("/etc/security/limits.conf"), limits_conf);
  EXPECT_FALSE(tree.exists(kManagerFile));
  EXPECT_EQ(observe("*/nofile"), "4096:524288");
  EXPECT_EQ(observe("DefaultLimitNOFILE"), "1024:524288");
  EXPECT_EQ(observe("alice/memlock"), "8192:8192");
  EXPECT_EQ(observe("*/core"), "0:0");
}

TEST_F(LimitsPlannerTest, VerifyReportsDriftWhenALaterFileOverridesAfterApply) {
  Plan p = plan("  \"*\":\n    nofile: 1048576\n");
  LocalSystem system(tree.root());
  Engine engine(system, platform.knobs, kState);
  auto report = engine.apply(p, facts.identity);
  ASSERT_TRUE(report && !report->failed);
  auto clean = engine.verify();
  ASSERT_TRUE(clean);
  EXPECT_TRUE(clean->drift.empty());

  tree.write("/etc/security/limits.d/99-x.conf", "* - nofile 4096\n");
  auto drifted = engine.verify();
  ASSERT_TRUE(drifted) << drifted.error().message;
  ASSERT_EQ(drifted->drift.size(), 1u);
  EXPECT_EQ(drifted->drift[0].domain, "limits");
  EXPECT_EQ(drifted->drift[0].target, "*/nofile");
  EXPECT_EQ(drifted->drift[0].expected, "1048576:1048576");
  EXPECT_EQ(drifted->drift[0].live, "4096:4096");
}

TEST_F(LimitsPlannerTest, SkipsWhatALaterLimitsFileWouldOverride) {
  tree.write("/etc/security/limits.d/99-x.conf", "# vendor\n*  hard  nofile  4096\n");
  Plan p = plan("  \"*\":\n    nofile: 65535\n    nproc: 100000\n");
  const Skip* skip = skipped(p, "*/nofile");
  ASSERT_NE(skip, nullptr);
  EXPECT_EQ(skip->domain, "limits");
  EXPECT_EQ(skip->wanted, "65535");
  EXPECT_EQ(skip->reason,
            "/etc/security/limits.d/99-x.conf:2 sets it after 90-tune.conf, so a login would still get 4096:4096");
  EXPECT_NE(skip->origin.find("test.yaml:4:5"), std::string::npos);
  // Not written anywhere; nproc is planned as usual.
  EXPECT_EQ(find(p, "*/nofile"), nullptr);
  EXPECT_EQ(find(p, "DefaultLimitNOFILE"), nullptr);
  EXPECT_EQ(find(p, kLimitsFile)->after->find("nofile"), std::string::npos);
  EXPECT_EQ(*find(p, "*/nproc")->after, "100000:100000");
  expect_all_accounted(p);
}

TEST_F(LimitsPlannerTest, SkipsWhatALaterManagerDropInWouldOverride) {
  tree.write("/etc/systemd/system.conf.d/95-site.conf", "[Manager]\nDefaultLimitMEMLOCK=8M\n");
  Plan p = plan("  \"*\":\n    memlock: unlimited\n");
  const Skip* skip = skipped(p, "*/memlock");
  ASSERT_NE(skip, nullptr);
  EXPECT_EQ(skip->reason,
            "/etc/systemd/system.conf.d/95-site.conf:2 sets it after 90-tune.conf, so services would still get "
            "8192:8192");
  EXPECT_TRUE(p.changes.empty());
}

TEST_F(LimitsPlannerTest, SkipsNofileAboveNrOpen) {
  Plan p = plan("  \"*\":\n    nofile: 2000000\n  alice:\n    nofile: { hard: 2000000 }\n");
  ASSERT_NE(skipped(p, "*/nofile"), nullptr);
  EXPECT_EQ(skipped(p, "*/nofile")->reason, "above fs.nr_open (1048576): logins would fail");
  ASSERT_NE(skipped(p, "alice/nofile.hard"), nullptr);
  EXPECT_EQ(skipped(p, "alice/nofile.hard")->reason, "above fs.nr_open (1048576): logins would fail");
  EXPECT_TRUE(p.changes.empty());
  expect_all_accounted(p);
}

TEST_F(LimitsPlannerTest, SkipsAnExactValueThatWouldLowerARaiseOnlyLimit) {
  // A login gets nproc 63476 from PID 1; an exact 4096 would lower it.
  Plan p = plan("  \"*\":\n    nproc: 4096\n    nofile: { soft: 1024 }\n");
  ASSERT_NE(skipped(p, "*/nproc"), nullptr);
  EXPECT_EQ(skipped(p, "*/nproc")->reason, "would lower a raise-only limit (a login gets 63476)");
  // Equal to the live soft value lowers nothing.
  EXPECT_EQ(skipped(p, "*/nofile.soft"), nullptr);
  EXPECT_EQ(find(p, "*/nofile")->action, Action::None);
  expect_all_accounted(p);
}

TEST_F(LimitsPlannerTest, SkipsASoftValueAboveTheHardOneAndLoginsWithNoLimits) {
  tree.write("/etc/security/limits.conf", "bob -\n");
  Plan p = plan("  \"*\":\n    nofile: { soft: 600000 }\n  alice:\n    nofile: { soft: 600000 }\n"
                "  bob:\n    nofile: { at_least: 65535 }\n");
  ASSERT_NE(skipped(p, "*/nofile.soft"), nullptr);
  EXPECT_EQ(skipped(p, "*/nofile.soft")->reason, "above the hard limit services get (524288), which systemd refuses");
  ASSERT_NE(skipped(p, "alice/nofile.soft"), nullptr);
  EXPECT_EQ(skipped(p, "alice/nofile.soft")->reason, "above the hard limit, so a login would get 524288:524288");
  ASSERT_NE(skipped(p, "bob/nofile"), nullptr);
  EXPECT_EQ(skipped(p, "bob/nofile")->reason,
            "/etc/security/limits.conf:1 gives these logins no limits at all, so a login would still get 1024:524288");
  EXPECT_TRUE(p.changes.empty());
  expect_all_accounted(p);
}

TEST_F(LimitsPlannerTest, ADryRunAppliesThePlanWithoutTouchingTheHost) {
  Plan p = plan("  \"*\":\n    nofile: 1048576\n");
  LocalSystem real(tree.root());
  DryRunSystem dry(real);
  Engine engine(dry, platform.knobs, kState);
  auto report = engine.apply(p, facts.identity);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_FALSE(report->failed) << report->failure;
  EXPECT_EQ(report->applied, 4u);
  EXPECT_FALSE(tree.exists(kLimitsFile));
  EXPECT_FALSE(tree.exists(kManagerFile));
  EXPECT_EQ(observe("*/nofile"), "1024:524288");
}

TEST_F(LimitsPlannerTest, AValueAlreadyInEffectIsShownButNotChanged) {
  tree.write("/etc/security/limits.conf", "* - nofile 100000\n");
  tree.write("/etc/systemd/system.conf", "[Manager]\nDefaultLimitNOFILE=100000\n");
  Plan p = plan("  \"*\":\n    nofile: { at_least: 65535 }\n");
  EXPECT_EQ(find(p, "*/nofile")->action, Action::None);
  EXPECT_EQ(*find(p, "*/nofile")->after, "100000:100000");
  EXPECT_EQ(find(p, "DefaultLimitNOFILE")->action, Action::None);
  // The live value is what tune's file keeps, so it holds if limits.conf changes.
  EXPECT_NE(find(p, kLimitsFile)->after->find("*  soft  nofile  100000\n"), std::string::npos);
}

TEST_F(LimitsPlannerTest, UserItemsFollowTheUsersGroupsAndOutrankThem) {
  tree.write("/etc/security/limits.d/99-ai.conf", "@ai - memlock 1024\n");
  Plan p = plan("  alice:\n    memlock: unlimited\n  bob:\n    memlock: 2048\n");
  // alice's own line outranks the later @ai line; bob is not in ai.
  EXPECT_EQ(*find(p, "alice/memlock")->before, "1024:1024");
  EXPECT_EQ(*find(p, "alice/memlock")->after, "unlimited:unlimited");
  EXPECT_EQ(*find(p, "bob/memlock")->before, "8192:8192");
  EXPECT_EQ(*find(p, "bob/memlock")->after, "2048:2048");
  EXPECT_EQ(find(p, kManagerFile), nullptr);
  EXPECT_TRUE(p.skipped.empty());
}

TEST_F(LimitsPlannerTest, AProfileWithoutLimitsPlansNothing) {
  auto parsed = parse_profile("name: t\n", "test.yaml");
  ASSERT_TRUE(parsed);
  LocalSystem system(tree.root());
  auto made = make_plan({*parsed, facts, system}, platform, "test");
  ASSERT_TRUE(made);
  EXPECT_TRUE(made->changes.empty());
  EXPECT_TRUE(made->skipped.empty());
}

}  // namespace
}  // namespace tune::linux_platform
