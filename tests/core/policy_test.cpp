// Host policy (tune.toml): defaults, strict parsing with positions, and the
// regression threshold `tune apply --validate` uses.
#include "core/policy.h"

#include "support/temp_tree.h"
#include "util/local_system.h"

#include <gtest/gtest.h>

namespace tune {
namespace {

std::string policy_error(const std::string& text) {
  auto policy = parse_policy(text, "tune.toml");
  return policy ? "(parsed without error)" : policy.error().message;
}

TEST(Policy, DefaultsWhenTheFileIsAbsent) {
  testing::TempTree tree;
  LocalSystem system(tree.root());
  auto policy = load_policy(system);
  ASSERT_TRUE(policy) << policy.error().message;
  EXPECT_EQ(policy->profile, "auto");
  EXPECT_TRUE(policy->leave_alone.empty());
  EXPECT_TRUE(policy->journal_dir.empty());
  EXPECT_DOUBLE_EQ(policy->validation.max_regression_pct, 5.0);
  EXPECT_TRUE(policy->source.empty());
}

TEST(Policy, ReadsEveryKeyFromTheRootedHost) {
  testing::TempTree tree;
  tree.write("/etc/tune/tune.toml", R"(profile = "llm-inference-cpu"
leave_alone = ["boot", "services"]
journal_dir = "/srv/tune/journal"

[validation]
max_regression_pct = 2.5
repeats = 7
confidence_pct = 99
)");
  LocalSystem system(tree.root());
  auto policy = load_policy(system);
  ASSERT_TRUE(policy) << policy.error().message;
  EXPECT_EQ(policy->profile, "llm-inference-cpu");
  EXPECT_EQ(policy->leave_alone, (std::vector<std::string>{"boot", "services"}));
  EXPECT_EQ(policy->journal_dir, "/srv/tune/journal");
  EXPECT_DOUBLE_EQ(policy->validation.max_regression_pct, 2.5);
  EXPECT_EQ(policy->validation.repeats, 7);
  EXPECT_DOUBLE_EQ(policy->validation.confidence_pct, 99.0);
  EXPECT_EQ(policy->source, "/etc/tune/tune.toml");
}

TEST(Policy, ServicesRestartIsNeverUnlessItSaysOnChange) {
  auto policy = parse_policy("[services]\nrestart = \"on-change\"\n", "tune.toml");
  ASSERT_TRUE(policy) << policy.error().message;
  EXPECT_EQ(policy->restart_services, "on-change");
  EXPECT_EQ(parse_policy("", "tune.toml")->restart_services, "never");
  EXPECT_EQ(policy_error("[services]\nrestart = \"always\"\n"), "tune.toml:2:11: restart must be \"on-change\" or \"never\"");
  EXPECT_EQ(policy_error("[services]\nrestrat = \"never\"\n").rfind("tune.toml:2:1: unknown key 'restrat' in [services] (did you mean 'restart'?)", 0), 0u)
      << policy_error("[services]\nrestrat = \"never\"\n");
}

TEST(Policy, UnknownKeysSuggestTheClosest) {
  EXPECT_EQ(policy_error("profil = \"auto\"\n"), "tune.toml:1:1: unknown key 'profil' in tune.toml (did you mean 'profile'?)");
  EXPECT_EQ(policy_error("[validation]\nmax_regresion_pct = 3\n"),
            "tune.toml:2:1: unknown key 'max_regresion_pct' in [validation] (did you mean 'max_regression_pct'?)");
}

TEST(Policy, WrongTypesAndRangesNameTheValue) {
  EXPECT_EQ(policy_error("profile = 3\n"),
            "tune.toml:1:11: profile must be \"auto\" or a profile name (letters, digits, '-', '_')");
  EXPECT_EQ(policy_error("leave_alone = \"boot\"\n"),
            "tune.toml:1:15: leave_alone must be a list of domains, such as [\"boot\", \"services\"]");
  EXPECT_EQ(policy_error("leave_alone = [\"bot\"]\n"),
            "tune.toml:1:16: leave_alone: 'bot' is not a domain (sysctl, cpu, block, memory, swap, limits, services, "
            "environment, boot, power, net, irq, systemd, sysfs, modules, selinux, windows, macos) (did you mean 'boot'?)");
  EXPECT_EQ(policy_error("journal_dir = \"var/lib\"\n"), "tune.toml:1:15: journal_dir must be an absolute path without '..'");
  EXPECT_EQ(policy_error("[validation]\nmax_regression_pct = 150\n"),
            "tune.toml:2:22: max_regression_pct must be from 0 to 100");
  EXPECT_EQ(policy_error("[validation]\nrepeats = 0\n"), "tune.toml:2:11: repeats must be a whole number from 1 to 100");
  EXPECT_EQ(policy_error("validation = 5\n"), "tune.toml:1:14: validation must be a table ([validation])");
}

TEST(Policy, SyntaxErrorsHavePositions) {
  std::string error = policy_error("profile = \"auto\nleave_alone = []\n");
  EXPECT_EQ(error.rfind("tune.toml:1:", 0), 0u) << error;
}

TEST(Policy, ValidationDesignAndDecidingMetricsAreRead) {
  auto policy = parse_policy("[validation]\npairs = 9\ncalibration_pairs = 0\nrepeats = 2\n"
                             "metrics = [\"itl_p99_ms\", \"decode_tokens_per_s\", \"itl_p99_ms\"]\n"
                             "on_inconclusive = \"rollback\"\n",
                             "tune.toml");
  ASSERT_TRUE(policy) << policy.error().message;
  EXPECT_EQ(policy->validation.pairs, 9);
  EXPECT_EQ(policy->validation.calibration_pairs, 0);
  EXPECT_EQ(policy->validation.repeats, 2);
  EXPECT_EQ(policy->validation.metrics, (std::vector<std::string>{"itl_p99_ms", "decode_tokens_per_s"}));
  EXPECT_TRUE(policy->validation.rollback_on_inconclusive);
}

TEST(Policy, ValidationDefaultsDecideOnDecodeAndKeepWhenInconclusive) {
  const ValidationPolicy defaults;
  EXPECT_EQ(defaults.metrics, std::vector<std::string>{"decode_tokens_per_s"});
  EXPECT_FALSE(defaults.rollback_on_inconclusive);
  EXPECT_GE(defaults.pairs, 6);
}

TEST(Policy, BadValidationSettingsAreRefusedWithTheirPlace) {
  EXPECT_EQ(policy_error("[validation]\npairs = 5\n"), "tune.toml:2:9: pairs must be a whole number from 6 to 100");
  EXPECT_EQ(policy_error("[validation]\nmetrics = [\"itl_p90_ms\"]\n"),
            "tune.toml:2:12: metrics: 'itl_p90_ms' is not a metric a validation can decide on (did you mean "
            "'itl_p50_ms'?)");
  EXPECT_EQ(policy_error("[validation]\nmetrics = []\n"), "tune.toml:2:11: metrics must be a list of metric names");
  EXPECT_EQ(policy_error("[validation]\non_inconclusive = \"ignore\"\n"),
            "tune.toml:2:19: on_inconclusive must be \"keep\" or \"rollback\"");
}

// [hook]: the package's install hook changes nothing unless the policy asks.
TEST(Policy, HookDoesNothingOnInstallByDefault) {
  auto policy = parse_policy("profile = \"web\"\n", "tune.toml");
  ASSERT_TRUE(policy) << policy.error().message;
  EXPECT_FALSE(policy->hook.apply_on_install);
  EXPECT_EQ(hook_profile(*policy), "web");
  EXPECT_FALSE(parse_policy("[hook]\npost_install = \"none\"\n", "tune.toml")->hook.apply_on_install);
}

TEST(Policy, HookAppliesTheTopLevelProfileOrItsOwn) {
  auto top = parse_policy("profile = \"web\"\n[hook]\npost_install = \"apply\"\n", "tune.toml");
  ASSERT_TRUE(top) << top.error().message;
  EXPECT_TRUE(top->hook.apply_on_install);
  EXPECT_EQ(hook_profile(*top), "web");
  auto own = parse_policy("profile = \"web\"\n[hook]\npost_install = \"apply\"\nprofile = \"db\"\n", "tune.toml");
  ASSERT_TRUE(own) << own.error().message;
  EXPECT_EQ(hook_profile(*own), "db");
  EXPECT_EQ(own->profile, "web");  // plan and apply without -p keep the top-level one
  EXPECT_EQ(hook_profile(*parse_policy("[hook]\npost_install = \"apply\"\n", "tune.toml")), "auto");
}

TEST(Policy, HookRejectsWhatItDoesNotKnowWithAPosition) {
  EXPECT_EQ(policy_error("[hook]\npost_install = \"aply\"\n"),
            "tune.toml:2:16: post_install must be \"none\" or \"apply\" (did you mean 'apply'?)");
  EXPECT_EQ(policy_error("[hook]\npost_install = \"reboot\"\n"),
            "tune.toml:2:16: post_install must be \"none\" or \"apply\"");
  EXPECT_EQ(policy_error("[hook]\npost_install = true\n"),
            "tune.toml:2:16: post_install must be \"none\" or \"apply\"");
  EXPECT_EQ(policy_error("[hook]\npost_instal = \"apply\"\n"),
            "tune.toml:2:1: unknown key 'post_instal' in [hook] (did you mean 'post_install'?)");
  EXPECT_EQ(policy_error("[hook]\nprofile = \"../etc\"\n"),
            "tune.toml:2:11: profile must be \"auto\" or a profile name (letters, digits, '-', '_')");
  EXPECT_EQ(policy_error("hook = \"apply\"\n"), "tune.toml:1:8: hook must be a table ([hook])");
  EXPECT_EQ(policy_error("[hok]\npost_install = \"apply\"\n").rfind("tune.toml:1:2: unknown key 'hok' in tune.toml (did you mean 'hook'?)", 0), 0u)
      << policy_error("[hok]\n");
}

}  // namespace
}  // namespace tune
