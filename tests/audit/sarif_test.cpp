// The audit as SARIF 2.1.0: the shape CI systems read, levels per verdict,
// one rule per verdict, mechanics check and reason, results on their lines.
#include "audit/sarif.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>

namespace tune::audit {
namespace {

Finding finding(FindingKind kind, Verdict verdict, int line, const std::string& rule = "") {
  Finding made;
  made.kind = kind;
  made.verdict = verdict;
  made.rule = rule;
  made.item.source = "guide.md";
  made.item.line = line;
  made.item.text = "line " + std::to_string(line);
  made.message = "because of line " + std::to_string(line);
  return made;
}

const nlohmann::json& run_of(const nlohmann::json& log) { return log["runs"][0]; }

TEST(Sarif, IsOneRunOfTuneInVersion210) {
  auto log = render_sarif({finding(FindingKind::Setting, Verdict::Risky, 3)}, "1.2.3");
  EXPECT_EQ(log["version"], "2.1.0");
  EXPECT_EQ(log["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
  ASSERT_EQ(log["runs"].size(), 1u);
  EXPECT_EQ(run_of(log)["tool"]["driver"]["name"], "tune");
  EXPECT_EQ(run_of(log)["tool"]["driver"]["version"], "1.2.3");
  EXPECT_EQ(run_of(log)["results"].size(), 1u);
}

TEST(Sarif, NoFindingsIsAnEmptyRunNotAnEmptyDocument) {
  auto log = render_sarif({}, "1.2.3");
  ASSERT_EQ(log["runs"].size(), 1u);
  EXPECT_TRUE(run_of(log)["results"].is_array());
  EXPECT_TRUE(run_of(log)["results"].empty());
  EXPECT_TRUE(run_of(log)["tool"]["driver"]["rules"].is_array());
}

TEST(Sarif, LevelFollowsTheVerdict) {
  EXPECT_STREQ(sarif_level(Verdict::Wrong), "error");
  EXPECT_STREQ(sarif_level(Verdict::Nonexistent), "error");
  EXPECT_STREQ(sarif_level(Verdict::Obsolete), "error");
  EXPECT_STREQ(sarif_level(Verdict::OutOfRange), "error");
  EXPECT_STREQ(sarif_level(Verdict::Risky), "warning");
  EXPECT_STREQ(sarif_level(Verdict::Mapped), "note");
  EXPECT_STREQ(sarif_level(Verdict::NoEffect), "note");
  EXPECT_STREQ(sarif_level(Verdict::NotJudged), "note");
  EXPECT_STREQ(sarif_level(Verdict::Valid), "none");
}

TEST(Sarif, ValidSettingIsAPassWithLevelNone) {
  auto log = render_sarif({finding(FindingKind::Setting, Verdict::Valid, 1),
                           finding(FindingKind::Setting, Verdict::Risky, 2)}, "1");
  const auto& results = run_of(log)["results"];
  EXPECT_EQ(results[0]["kind"], "pass");
  EXPECT_EQ(results[0]["level"], "none");
  // A failing result keeps the default kind ("fail"), so it is left out.
  EXPECT_FALSE(results[1].contains("kind"));
  EXPECT_EQ(results[1]["level"], "warning");
}

TEST(Sarif, ResultSitsOnTheFileAndLineWithTheLineAsSnippet) {
  auto log = render_sarif({finding(FindingKind::Setting, Verdict::Obsolete, 42)}, "1");
  const auto& location = run_of(log)["results"][0]["locations"][0]["physicalLocation"];
  EXPECT_EQ(location["artifactLocation"]["uri"], "guide.md");
  EXPECT_EQ(location["region"]["startLine"], 42);
  EXPECT_EQ(location["region"]["snippet"]["text"], "line 42");
}

TEST(Sarif, FindingWithoutALineHasNoRegion) {
  // SARIF regions need startLine >= 1; line 0 would make the log invalid.
  auto log = render_sarif({finding(FindingKind::Setting, Verdict::Obsolete, 0)}, "1");
  const auto& location = run_of(log)["results"][0]["locations"][0]["physicalLocation"];
  EXPECT_EQ(location["artifactLocation"]["uri"], "guide.md");
  EXPECT_FALSE(location.contains("region"));
}

TEST(Sarif, OneRulePerSettingVerdictMechanicsCheckAndReason) {
  auto log = render_sarif({finding(FindingKind::Setting, Verdict::Risky, 1),
                           finding(FindingKind::Setting, Verdict::Valid, 2),
                           finding(FindingKind::Setting, Verdict::Risky, 3),
                           finding(FindingKind::Mechanics, Verdict::Wrong, 3, "glob-redirect"),
                           finding(FindingKind::Line, Verdict::NotJudged, 7, "application-config"),
                           finding(FindingKind::Line, Verdict::NotJudged, 8, "application-config")},
                          "1");
  const auto& rules = run_of(log)["tool"]["driver"]["rules"];
  std::set<std::string> ids;
  for (const auto& rule : rules) ids.insert(rule["id"].get<std::string>());
  EXPECT_EQ(ids, (std::set<std::string>{"tune.setting.risky", "tune.setting.valid", "tune.mechanics.glob-redirect",
                                        "tune.not-judged.application-config"}));
  EXPECT_EQ(rules.size(), ids.size());  // no rule twice
  for (const auto& rule : rules) EXPECT_FALSE(rule["shortDescription"]["text"].get<std::string>().empty());
  // Every result names its rule by id and by index, and they agree.
  const auto& results = run_of(log)["results"];
  ASSERT_EQ(results.size(), 6u);
  for (const auto& result : results) {
    EXPECT_EQ(rules[result["ruleIndex"].get<size_t>()]["id"], result["ruleId"]);
  }
  EXPECT_EQ(results[3]["ruleId"], "tune.mechanics.glob-redirect");
  EXPECT_EQ(results[3]["level"], "error");
  EXPECT_EQ(results[4]["ruleId"], "tune.not-judged.application-config");
  EXPECT_EQ(results[4]["level"], "note");
}

TEST(Sarif, MessageSaysWhyAndWhatTuneWritesInstead) {
  Finding nonexistent = finding(FindingKind::Setting, Verdict::Nonexistent, 2);
  nonexistent.item.domain = "sysctl";
  nonexistent.item.key = "vm.compressed_memory";
  nonexistent.item.value = "1";
  nonexistent.message = "There is no vm.compressed_memory on Linux.";
  nonexistent.modern = "swap zram.size";
  auto log = render_sarif({nonexistent}, "1");
  const std::string text = run_of(log)["results"][0]["message"]["text"];
  EXPECT_NE(text.find("sysctl vm.compressed_memory = 1"), std::string::npos) << text;
  EXPECT_NE(text.find("nonexistent"), std::string::npos) << text;
  EXPECT_NE(text.find("There is no vm.compressed_memory on Linux."), std::string::npos) << text;
  EXPECT_NE(text.find("tune: swap zram.size"), std::string::npos) << text;
}

TEST(Sarif, PropertiesCarryTunesFields) {
  Finding mapped = finding(FindingKind::Setting, Verdict::Mapped, 5);
  mapped.item.domain = "block";
  mapped.item.key = "scheduler";
  mapped.item.scope = "nvme0n1";
  mapped.item.value = "noop";
  mapped.item.form = "echo > /sys";
  mapped.modern = "block nvme scheduler = none";
  auto log = render_sarif({mapped}, "1");
  const auto& properties = run_of(log)["results"][0]["properties"];
  EXPECT_EQ(properties["domain"], "block");
  EXPECT_EQ(properties["key"], "scheduler");
  EXPECT_EQ(properties["scope"], "nvme0n1");
  EXPECT_EQ(properties["value"], "noop");
  EXPECT_EQ(properties["modern"], "block nvme scheduler = none");
  EXPECT_EQ(properties["verdict"], "mapped");
  EXPECT_EQ(properties["kind"], "setting");
  EXPECT_EQ(properties["fails_strict"], false);
}

TEST(Sarif, FileNamesArePercentEncodedUriReferences) {
  EXPECT_EQ(sarif_uri("docs/guide.md"), "docs/guide.md");
  EXPECT_EQ(sarif_uri("my guide.md"), "my%20guide.md");
  EXPECT_EQ(sarif_uri("a#b?c%d.txt"), "a%23b%3Fc%25d.txt");
  // A colon in the first segment would read as a scheme ("c:" or "x:y").
  EXPECT_EQ(sarif_uri("x:y.conf"), "x%3Ay.conf");
  EXPECT_EQ(sarif_uri("caf\xc3\xa9.md"), "caf%C3%A9.md");
  EXPECT_EQ(sarif_uri("/tmp/my guide.md"), "file:///tmp/my%20guide.md");
}

TEST(Sarif, AuditedTextBecomesResultsOnItsLines) {
  auto findings = audit_text("vm.swappiness = 10\nvm.compressed_memory = 1\n", "etc/a.conf", nullptr);
  auto log = render_sarif(findings, "1");
  const auto& results = run_of(log)["results"];
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[1]["ruleId"], "tune.setting.nonexistent");
  EXPECT_EQ(results[1]["level"], "error");
  EXPECT_EQ(results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "etc/a.conf");
  EXPECT_EQ(results[1]["locations"][0]["physicalLocation"]["region"]["startLine"], 2);
  EXPECT_EQ(results[1]["properties"]["key"], "vm.compressed_memory");
}

}  // namespace
}  // namespace tune::audit
