// Recommendation: condition semantics, the priority, and the explanation.
#include "core/recommend.h"

#include <gtest/gtest.h>

namespace tune {
namespace {

Condition when(std::string fact, std::vector<std::string> alternatives) {
  return Condition{std::move(fact), std::move(alternatives), {}};
}

Profile profile(std::string name, std::vector<MatchRule> rules, std::string summary = "") {
  Profile p;
  p.name = std::move(name);
  p.summary = std::move(summary);
  p.match = std::move(rules);
  int line = 1;
  for (auto& rule : p.match) rule.origin = {p.name + ".yaml", line++, 3};
  return p;
}

MatchRule rule(std::vector<Condition> conditions, int score) { return MatchRule{std::move(conditions), score, {}}; }

TEST(ConditionHolds, ComparesNumbersAsNumbers) {
  FactMap facts{{"memory.total_gib", "128"}, {"cpu.logical", "8"}};
  EXPECT_TRUE(condition_holds(when("memory.total_gib", {">=64"}), facts));
  EXPECT_FALSE(condition_holds(when("memory.total_gib", {"<64"}), facts));
  EXPECT_TRUE(condition_holds(when("cpu.logical", {"8.0"}), facts));
  EXPECT_TRUE(condition_holds(when("cpu.logical", {">4"}), facts));
  EXPECT_FALSE(condition_holds(when("cpu.logical", {">8"}), facts));
  EXPECT_TRUE(condition_holds(when("cpu.logical", {"<=8"}), facts));
}

TEST(ConditionHolds, WordsCompareWithoutCase) {
  FactMap facts{{"virtualization", "KVM"}};
  EXPECT_TRUE(condition_holds(when("virtualization", {"kvm"}), facts));
  EXPECT_TRUE(condition_holds(when("virtualization", {"!=none"}), facts));
  EXPECT_FALSE(condition_holds(when("virtualization", {"!=kvm"}), facts));
}

TEST(ConditionHolds, AListMeansAnyOf) {
  FactMap facts{{"container", "podman"}};
  EXPECT_TRUE(condition_holds(when("container", {"docker", "podman"}), facts));
  EXPECT_FALSE(condition_holds(when("container", {"docker", "lxc"}), facts));
}

TEST(ConditionHolds, AnUnknownFactNeverHoldsNotEvenForNotEqual) {
  FactMap facts;
  std::string actual;
  EXPECT_FALSE(condition_holds(when("virtualization", {"!=none"}), facts, &actual));
  EXPECT_EQ(actual, "unknown");
  EXPECT_FALSE(condition_holds(when("memory.total_gib", {"<64"}), facts));
}

TEST(ConditionHolds, AnAbsentFlagIsFalseOnlyWhenTheFlagsWereRead) {
  EXPECT_TRUE(condition_holds(when("cpu.flag.avx512f", {"false"}), FactMap{{"cpu.flags", "avx2"}}));
  EXPECT_FALSE(condition_holds(when("cpu.flag.avx512f", {"false"}), FactMap{}));
}

TEST(ConditionHolds, AnAbsentGpuCountIsZeroOnlyWhenPciWasRead) {
  FactMap read{{"gpu.count", "0"}};
  EXPECT_TRUE(condition_holds(when("gpu.amd.count", {"0"}), read));
  EXPECT_TRUE(condition_holds(when("gpu.memory_gib", {"0"}), read));
  EXPECT_FALSE(condition_holds(when("gpu.nvidia.count", {"0"}), FactMap{}));
  // GPUs whose memory is unknown do not have zero memory.
  EXPECT_FALSE(condition_holds(when("gpu.memory_gib", {"<1"}), FactMap{{"gpu.count", "2"}}));
}

TEST(Recommend, TheHighestScoringHeldRuleWins) {
  std::vector<Profile> profiles = {
      profile("throughput", {rule({when("cpu.logical", {">=8"})}, 100)}),
      profile("virtual-guest", {rule({when("virtualization", {"!=none"})}, 400)}),
  };
  Recommendation r = recommend(profiles, FactMap{{"cpu.logical", "16"}, {"virtualization", "kvm"}});
  EXPECT_EQ(r.chosen, "virtual-guest");
  EXPECT_FALSE(r.fell_back);
  ASSERT_NE(r.best(), nullptr);
  EXPECT_EQ(r.best()->score, 400);
  ASSERT_NE(r.runner_up(), nullptr);
  EXPECT_EQ(r.runner_up()->profile, "throughput");
  EXPECT_EQ(r.runner_up_name(), "throughput");
}

TEST(Recommend, AProfileScoresItsBestHeldRule) {
  std::vector<Profile> profiles = {
      profile("gpu", {rule({when("gpu.nvidia.count", {">=1"}), when("numa.nodes", {">=2"})}, 600),
                      rule({when("gpu.nvidia.count", {">=1"})}, 520)}),
      profile("cpu", {rule({when("memory.total_gib", {">=64"})}, 550)}),
  };
  Recommendation r = recommend(profiles, FactMap{{"gpu.nvidia.count", "1"}, {"numa.nodes", "1"}, {"memory.total_gib", "128"}});
  EXPECT_EQ(r.chosen, "cpu") << "the single-node GPU rule (520) ranks below the CPU rule (550)";
  r = recommend(profiles, FactMap{{"gpu.nvidia.count", "1"}, {"numa.nodes", "2"}, {"memory.total_gib", "128"}});
  EXPECT_EQ(r.chosen, "gpu");
  EXPECT_EQ(r.best()->score, 600);
}

TEST(Recommend, ATieGoesToTheNameThatSortsFirst) {
  std::vector<Profile> profiles = {profile("zeta", {rule({}, 10)}), profile("alpha", {rule({}, 10)})};
  Recommendation r = recommend(profiles, FactMap{});
  EXPECT_EQ(r.chosen, "alpha");
  EXPECT_EQ(r.runner_up_name(), "zeta");
}

TEST(Recommend, NothingHeldFallsBack) {
  std::vector<Profile> profiles = {
      profile("throughput", {rule({when("virtualization", {"none"}), when("cpu.logical", {">=8"})}, 100)}),
      profile("big", {rule({when("memory.total_gib", {">=64"})}, 250)}),
      profile("balanced", {}),
  };
  Recommendation r = recommend(profiles, FactMap{{"virtualization", "none"}, {"cpu.logical", "4"}, {"memory.total_gib", "8"}});
  EXPECT_EQ(r.chosen, "balanced");
  EXPECT_TRUE(r.fell_back);
  EXPECT_EQ(r.best(), nullptr);
  // Both miss by one condition; throughput held one more.
  ASSERT_NE(r.runner_up(), nullptr);
  EXPECT_EQ(r.runner_up()->profile, "throughput");
}

TEST(Recommend, TheRunnerUpOfALoneMatchIsTheFallback) {
  std::vector<Profile> profiles = {profile("guest", {rule({when("virtualization", {"!=none"})}, 400)}),
                                   profile("throughput", {rule({when("virtualization", {"none"})}, 100)})};
  Recommendation r = recommend(profiles, FactMap{{"virtualization", "kvm"}});
  EXPECT_EQ(r.runner_up(), nullptr);
  EXPECT_EQ(r.runner_up_name(), "balanced");
  Outranked miss = nearest_miss_below(r);
  ASSERT_NE(miss.rule, nullptr);
  EXPECT_EQ(miss.profile, "throughput");
}

TEST(Recommend, RulesAboveTheWinnerThatFailedAreListed) {
  std::vector<Profile> profiles = {
      profile("laptop-battery", {rule({when("power.on_battery", {"true"})}, 850)}),
      profile("container-guest", {rule({when("container", {"!=none"})}, 750)}),
      profile("virtual-guest", {rule({when("virtualization", {"!=none"})}, 400)}),
      profile("throughput", {rule({when("cpu.logical", {">=8"})}, 100)}),
  };
  Recommendation r =
      recommend(profiles, FactMap{{"power.on_battery", "false"}, {"container", "none"}, {"virtualization", "kvm"}});
  auto above = outranked_rules(r);
  ASSERT_EQ(above.size(), 2u);
  EXPECT_EQ(above[0].profile, "laptop-battery");
  EXPECT_EQ(above[1].profile, "container-guest");
}

TEST(Explain, NamesTheDecidingFactsTheirEvidenceAndTheRunnerUp) {
  std::vector<Profile> profiles = {
      profile("container-guest", {rule({when("container", {"!=none"})}, 750)}, "Inside a container"),
      profile("virtual-guest", {rule({when("virtualization", {"!=none"})}, 400)}, "VM guests"),
      profile("throughput", {rule({when("virtualization", {"none"}), when("cpu.logical", {">=8"})}, 100)}),
  };
  FactMap facts{{"container", "none"}, {"virtualization", "firecracker"}, {"cpu.logical", "2"}};
  std::map<std::string, std::string> evidence{{"virtualization", "ACPI FACP OEM id 'FIRECK'"},
                                              {"container", "/.dockerenv exists but / is ext4"}};
  Recommendation r = recommend(profiles, facts);
  std::string text = explain_recommendation(r, profiles, evidence);
  EXPECT_NE(text.find("Chosen: virtual-guest - VM guests"), std::string::npos) << text;
  EXPECT_NE(text.find("virtualization = firecracker (wanted !=none): ACPI FACP OEM id 'FIRECK'"), std::string::npos) << text;
  EXPECT_NE(text.find("container-guest (score 750): container = none (wanted !=none): /.dockerenv exists but / is ext4"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Runner-up: balanced - the fallback"), std::string::npos) << text;
  EXPECT_NE(text.find("Nearest miss below it: throughput"), std::string::npos) << text;
  EXPECT_NE(text.find("fails: cpu.logical = 2 (wanted >=8)"), std::string::npos) << text;
  EXPECT_NE(text.find("Priority:"), std::string::npos);
}

TEST(Explain, AMatchedRunnerUpShowsItsScore) {
  std::vector<Profile> profiles = {profile("a", {rule({when("x", {"1"})}, 300)}), profile("b", {rule({when("x", {"1"})}, 200)})};
  Recommendation r = recommend(profiles, FactMap{{"x", "1"}});
  std::string text = explain_recommendation(r, profiles, {});
  EXPECT_NE(text.find("Runner-up: b - its rule at b.yaml:1:3 also holds, with score 200"), std::string::npos) << text;
}

TEST(Summarize, OneLineWithTheFactsAndTheRunnerUp) {
  std::vector<Profile> profiles = {profile("a", {rule({when("x", {"1"})}, 300)}), profile("b", {rule({when("x", {"1"})}, 200)})};
  EXPECT_EQ(summarize_recommendation(recommend(profiles, FactMap{{"x", "1"}})),
            "'a' matched with score 300 (x = 1); runner-up 'b'");
  EXPECT_EQ(summarize_recommendation(recommend(profiles, FactMap{{"x", "2"}})),
            "no profile's match rules fit this host, so the default 'balanced'");
}

}  // namespace
}  // namespace tune
