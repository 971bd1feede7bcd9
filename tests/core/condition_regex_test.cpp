// Regular-expression conditions (~REGEX, !~REGEX) and plan-time functions in
// profiles: how they hold, how they read, and the errors a profile gets.
#include "core/profile_functions.h"
#include "core/profile_host.h"
#include "core/profile_store.h"
#include "core/recommend.h"
#include "profile_test_util.h"
#include "support/temp_tree.h"

#include <gtest/gtest.h>

namespace tune {
namespace {

using testing::parse_error;
using testing::parse_text;
using testing::TempTree;

Condition when(std::string fact, std::vector<std::string> alternatives) {
  return Condition{std::move(fact), std::move(alternatives), {}};
}

const std::string kCpuinfo =
    "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Gold 6338\nflags\t\t: fpu avx2 avx512f\n";

TEST(RegexCondition, SearchesTheFactWithLinesAnchored) {
  const FactMap facts = {{"cpuinfo", kCpuinfo}, {"uname", "Linux h 6.1.0-18-rt-amd64 #1 SMP PREEMPT_RT x86_64"}};
  EXPECT_TRUE(condition_holds(when("cpuinfo", {"~avx512"}), facts));
  EXPECT_TRUE(condition_holds(when("cpuinfo", {"~^model name\\s*: Intel"}), facts));  // '^' at each line, as TuneD
  EXPECT_FALSE(condition_holds(when("cpuinfo", {"~^flags.*amx"}), facts));
  EXPECT_TRUE(condition_holds(when("cpuinfo", {"!~amx_tile"}), facts));
  EXPECT_FALSE(condition_holds(when("cpuinfo", {"!~avx2"}), facts));
  EXPECT_TRUE(condition_holds(when("uname", {"~PREEMPT_RT"}), facts));
  EXPECT_FALSE(condition_holds(when("uname", {"~preempt_rt"}), facts));  // case matters, as in TuneD
  EXPECT_TRUE(condition_holds(when("uname", {"~nothing", "~x86_64$"}), facts));
}

TEST(RegexCondition, AnUnknownFactHoldsForNeither) {
  std::string actual;
  EXPECT_FALSE(condition_holds(when("cpuinfo", {"!~avx"}), {}, &actual));
  EXPECT_EQ(actual, "unknown");
  EXPECT_FALSE(condition_holds(when("cpuinfo", {"~avx"}), {}));
}

TEST(RegexCondition, HostileTextAndPatternsNeverOverflowTheStack) {
  // libstdc++ recurses once per character and group level: this pair
  // overflows an 8 MiB stack; searched on tune's own thread it just answers.
  std::string deep = "a|b";
  for (int i = 0; i < 60; ++i) deep = "(" + deep + ")";
  deep += "*$";
  const std::string line(kMaxSearchedLine, 'a');
  EXPECT_TRUE(condition_holds(when("cpuinfo", {"~" + deep}), {{"cpuinfo", line + "\n" + line}}));
  // A line too long to search holds neither way; so does a pattern too long to read.
  const FactMap long_line = {{"cpuinfo", std::string(kMaxSearchedLine + 1, 'a')}};
  EXPECT_FALSE(condition_holds(when("cpuinfo", {"~a"}), long_line));
  EXPECT_FALSE(condition_holds(when("cpuinfo", {"!~a"}), long_line));
  EXPECT_NE(regex_error_of(std::string(kMaxPattern + 1, 'a')).value_or("").find("at most 256 characters"), std::string::npos);
  EXPECT_FALSE(regex_error_of(std::string(kMaxPattern, 'a')));
}

TEST(RegexCondition, ReadsAsWords) {
  EXPECT_EQ(when("cpuinfo", {"~avx512", "!~sse"}).describe(), "cpuinfo matches /avx512/ or does not match /sse/");
  EXPECT_EQ(when("numa.nodes", {">=2"}).describe(), "numa.nodes >=2");
  // A long fact is cut in messages: its first line's start and its size.
  std::string actual;
  condition_holds(when("cpuinfo", {"~amx"}), {{"cpuinfo", kCpuinfo}}, &actual);
  EXPECT_EQ(actual, "'processor\t: 0...' (" + std::to_string(kCpuinfo.size()) + " bytes)");
}

TEST(RegexCondition, InvalidPatternsAreProfileErrorsWithTheirPosition) {
  std::string error = parse_error("name: p\nsysctl:\n  vm.swappiness: { value: 10, when: { cpuinfo: \"~avx(\" } }\n");
  EXPECT_EQ(error.rfind("t.yaml:3:", 0), 0u) << error;
  EXPECT_NE(error.find("'~avx(': not a regular expression std::regex reads"), std::string::npos) << error;
  EXPECT_NE(parse_error("name: p\nsysctl:\n  vm.swappiness: { value: 10, when: { uname: \"!~\" } }\n")
                .find("needs a regular expression"),
            std::string::npos);
  auto profile = parse_text("name: p\nmatch:\n  - when: { uname: [\"~PREEMPT_RT\", \"!~generic\"] }\n    score: 10\n"
                            "sysctl:\n  vm.swappiness: { value: 10, when: { cpuinfo: \"~^flags.*avx512f\" } }\n");
  ASSERT_TRUE(profile) << profile.error().message;
  EXPECT_TRUE(profile->warnings.empty()) << profile->warnings.front();
}

TEST(RegexCondition, DecidesRecommendation) {
  auto profile = parse_text("name: rt\nmatch:\n  - when: { uname: \"~PREEMPT_RT\" }\n    score: 10\n");
  ASSERT_TRUE(profile) << profile.error().message;
  Recommendation rt = recommend({*profile}, {{"uname", "Linux h 6.1.0-rt #1 SMP PREEMPT_RT x86_64"}});
  EXPECT_EQ(rt.chosen, "rt");
  Recommendation generic = recommend({*profile}, {{"uname", "Linux h 6.1.0 #1 SMP PREEMPT_DYNAMIC x86_64"}});
  EXPECT_TRUE(generic.fell_back);
}

TEST(FunctionsInProfiles, UnknownFunctionsAndExecAreParseErrors) {
  std::string error = parse_error("name: p\nservices:\n  app.service:\n    CPUAffinity: \"${f:cpulist_invrt:1}\"\n");
  EXPECT_EQ(error.rfind("t.yaml:4:18: ", 0), 0u) << error;
  EXPECT_NE(error.find("unknown function 'cpulist_invrt' (did you mean 'cpulist_invert'?)"), std::string::npos) << error;
  EXPECT_NE(parse_error("name: p\nservices:\n  app.service:\n    CPUAffinity: { value: \"${f:exec:nproc}\" }\n")
                .find("tune never runs programs while planning"),
            std::string::npos);
  EXPECT_NE(parse_error("name: p\nservices:\n  app.service:\n    CPUAffinity: \"${f:hex2cpulist}\"\n")
                .find("takes 1 argument(s), not 0"),
            std::string::npos);
}

class FunctionsAtPlanTime : public ::testing::Test {
 protected:
  Result<Profile> resolve(const std::string& body) {
    tree_.write("/p/p.yaml", "name: p\n" + body);
    return ProfileStore({tree_.real("/p")}).resolve("p");
  }
  static std::string reason_for(const HostProfile& host, const std::string& target) {
    for (const auto& skip : host.skipped) {
      if (skip.target == target) return skip.reason;
    }
    return "(not skipped)";
  }
  TempTree tree_;
};

TEST_F(FunctionsAtPlanTime, VariablesFirstThenFunctionsInsideOut) {
  auto profile = resolve(
      "variables:\n  isolated_cores: 2-3\n"
      "services:\n  app.service:\n    CPUAffinity: \"${f:cpulist_pack:${f:cpulist_invert:${isolated_cores}}}\"\n");
  ASSERT_TRUE(profile) << profile.error().message;
  HostProfile host = specialize_for_host(*profile, {{"cpu.online", "0-7"}});
  ASSERT_EQ(host.profile.settings.size(), 1u) << host.skipped.front().reason;
  EXPECT_EQ(host.profile.settings[0].want.describe(), "0-1,4-7");
}

TEST_F(FunctionsAtPlanTime, AFailedAssertionSkipsTheSetting) {
  auto profile = resolve(
      "variables:\n  isolated_cores: 2-5\n"
      "services:\n  app.service:\n    CPUAffinity: \"${f:assertion:isolated_cores are online:${f:cpulist_unpack:${isolated_cores}}:"
      "${f:cpulist_online:${isolated_cores}}}${f:cpulist_invert:${isolated_cores}}\"\n");
  ASSERT_TRUE(profile) << profile.error().message;
  HostProfile four = specialize_for_host(*profile, {{"cpu.online", "0-3"}});
  EXPECT_TRUE(four.profile.settings.empty());
  EXPECT_EQ(reason_for(four, "app.service/CPUAffinity"),
            "${f:assertion}: assertion 'isolated_cores are online' failed: '2,3,4,5' != '2,3'");
  HostProfile eight = specialize_for_host(*profile, {{"cpu.online", "0-7"}});
  ASSERT_EQ(eight.profile.settings.size(), 1u);
  EXPECT_EQ(eight.profile.settings[0].want.describe(), "0,1,6,7");
}

TEST_F(FunctionsAtPlanTime, EvaluatedValuesAreCheckedAgainstTheKnowledgeBase) {
  auto profile = resolve("services:\n  app.service:\n    CPUAffinity: \"${f:regex_search_ternary:${facts.cpu.vendor}:Intel:0-1:x y z}\"\n");
  ASSERT_TRUE(profile) << profile.error().message;
  HostProfile intel = specialize_for_host(*profile, {{"cpu.vendor", "GenuineIntel"}});
  ASSERT_EQ(intel.profile.settings.size(), 1u);
  EXPECT_EQ(intel.profile.settings[0].want.describe(), "0-1");
  HostProfile amd = specialize_for_host(*profile, {{"cpu.vendor", "AuthenticAMD"}});
  EXPECT_NE(reason_for(amd, "app.service/CPUAffinity").find("with this host's facts"), std::string::npos)
      << reason_for(amd, "app.service/CPUAffinity");
}

TEST_F(FunctionsAtPlanTime, AVariableHoldingAnUnknownFunctionIsAnErrorAtResolution) {
  auto profile = resolve("variables:\n  cpus: \"${f:nope}\"\nservices:\n  app.service:\n    CPUAffinity: \"${cpus}\"\n");
  ASSERT_FALSE(profile);
  EXPECT_NE(profile.error().message.find("unknown function 'nope'"), std::string::npos) << profile.error().message;
}

TEST_F(FunctionsAtPlanTime, AValueThatBecomesEmptyIsSkipped) {
  auto profile = resolve("services:\n  app.service:\n    CPUAffinity: \"${f:cpulist_invert:0-3}\"\n");
  ASSERT_TRUE(profile) << profile.error().message;
  HostProfile host = specialize_for_host(*profile, {{"cpu.online", "0-3"}});
  EXPECT_EQ(reason_for(host, "app.service/CPUAffinity"), "'${f:cpulist_invert:0-3}' is empty on this host");
}

}  // namespace
}  // namespace tune
