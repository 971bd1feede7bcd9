// What `tune audit --strict` fails on, and the report's totals: lines that set
// something add up to judged plus not judged, and the report says whether a
// strict run would fail.
#include "audit/audit.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tune::audit {
namespace {

Finding finding(FindingKind kind, Verdict verdict, int line, const std::string& rule = "",
                const std::string& message = "") {
  Finding made;
  made.kind = kind;
  made.verdict = verdict;
  made.rule = rule;
  made.message = message;
  made.item.source = "guide.md";
  made.item.line = line;
  made.item.text = "line " + std::to_string(line);
  made.item.domain = "sysctl";
  made.item.key = "vm.key" + std::to_string(line);
  made.item.value = "1";
  return made;
}

TEST(Strict, FailsOnRiskyWrongOutOfRangeObsoleteAndNonexistent) {
  for (Verdict verdict : {Verdict::Risky, Verdict::Wrong, Verdict::OutOfRange, Verdict::Obsolete, Verdict::Nonexistent}) {
    EXPECT_TRUE(fails_strict(verdict)) << verdict_name(verdict);
  }
}

TEST(Strict, PassesValidMappedNoEffectAndNotJudged) {
  for (Verdict verdict : {Verdict::Valid, Verdict::Mapped, Verdict::NoEffect, Verdict::NotJudged}) {
    EXPECT_FALSE(fails_strict(verdict)) << verdict_name(verdict);
  }
}

TEST(Strict, SummaryLinesAreJudgedPlusNotJudged) {
  // Line 1: a setting and a mechanics finding (one line, judged); line 2: a
  // setting; lines 5, 6: not judged.
  std::vector<Finding> findings = {finding(FindingKind::Setting, Verdict::Valid, 1),
                                   finding(FindingKind::Mechanics, Verdict::Risky, 1, "append-repeats"),
                                   finding(FindingKind::Setting, Verdict::Obsolete, 2),
                                   finding(FindingKind::Line, Verdict::NotJudged, 5, "application-config"),
                                   finding(FindingKind::Line, Verdict::NotJudged, 6, "script-not-shown")};
  Summary summary = summarize(findings);
  EXPECT_EQ(summary.lines, 4);
  EXPECT_EQ(summary.judged_lines, 2);
  EXPECT_EQ(summary.not_judged_lines, 2);
  EXPECT_EQ(summary.judged_lines + summary.not_judged_lines, summary.lines);
  EXPECT_EQ(summary.settings, 2);
  EXPECT_EQ(summary.mechanics, 1);
  EXPECT_EQ(summary.not_judged.at("application-config"), 1);

  auto json = render_json(findings);
  EXPECT_EQ(json["summary"]["lines"], 4);
  EXPECT_EQ(json["summary"]["judged_lines"], 2);
  EXPECT_EQ(json["summary"]["not_judged_lines"], 2);
  EXPECT_EQ(json["summary"]["settings"], 2);
  EXPECT_EQ(json["summary"]["mechanics"], 1);
  EXPECT_EQ(json["summary"]["verdicts"]["risky"], 1);
  EXPECT_EQ(json["summary"]["verdicts"]["obsolete"], 1);
  EXPECT_EQ(json["summary"]["not_judged"]["script-not-shown"], 1);
  EXPECT_EQ(json["summary"]["strict_failures"], 2);  // the risky mechanics and the obsolete setting
  EXPECT_EQ(json["summary"]["strict_passes"], false);
  EXPECT_EQ(json["counts"]["not-judged"], 2);  // the old per-verdict counts, kept for their readers

  std::string text = render_text(findings);
  EXPECT_NE(text.find("4 lines set something: 2 judged, 2 not judged"), std::string::npos) << text;
  EXPECT_NE(text.find("2 settings: 1 valid, 1 obsolete; 1 mechanics finding: 1 risky; "
                      "not judged: 1 application-config, 1 script-not-shown"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("--strict would fail: 2 findings are"), std::string::npos) << text;
}

TEST(Strict, NotJudgedLinesNeverFailAndTheReportSaysItWouldPass) {
  std::vector<Finding> findings = {finding(FindingKind::Setting, Verdict::Mapped, 1),
                                   finding(FindingKind::Setting, Verdict::NoEffect, 2),
                                   finding(FindingKind::Line, Verdict::NotJudged, 3, "unknown-key")};
  EXPECT_EQ(render_json(findings)["summary"]["strict_failures"], 0);
  EXPECT_EQ(render_json(findings)["summary"]["strict_passes"], true);
  std::string text = render_text(findings);
  EXPECT_NE(text.find("--strict would pass"), std::string::npos) << text;
}

TEST(Strict, JsonKeepsEveryFieldOfEveryFinding) {
  Finding mechanics = finding(FindingKind::Mechanics, Verdict::Wrong, 4, "glob-redirect", "The shell refuses it.");
  mechanics.modern = "cpu governor = performance";
  mechanics.host_note = "12 CPUs";
  auto json = render_json({mechanics});
  const auto& entry = json["findings"][0];
  EXPECT_EQ(entry["kind"], "mechanics");
  EXPECT_EQ(entry["rule"], "glob-redirect");
  EXPECT_EQ(entry["verdict"], "wrong");
  EXPECT_EQ(entry["fails_strict"], true);
  EXPECT_EQ(entry["message"], "The shell refuses it.");
  EXPECT_EQ(entry["modern"], "cpu governor = performance");
  EXPECT_EQ(entry["host"], "12 CPUs");
  EXPECT_EQ(entry["file"], "guide.md");
  EXPECT_EQ(entry["line"], 4);
  EXPECT_EQ(entry["text"], "line 4");
  for (const char* key : {"form", "domain", "key", "path", "scope", "value", "value_known"}) {
    EXPECT_TRUE(entry.contains(key)) << key;
  }
}

TEST(Strict, MechanicsAreShownUnderTheirLineWithRuleAndFix) {
  Finding setting = finding(FindingKind::Setting, Verdict::Valid, 9);
  Finding mechanics = finding(FindingKind::Mechanics, Verdict::Wrong, 9, "glob-redirect", "The shell refuses it.");
  mechanics.modern = "cpu governor = performance";
  Finding alone = finding(FindingKind::Mechanics, Verdict::Risky, 12, "append-repeats", "Appends on every run.");
  alone.item.text = "sysctl -p";
  std::string text = render_text({setting, mechanics, alone});
  const auto setting_at = text.find("guide.md:9  valid");
  const auto mechanics_at = text.find("guide.md:9  wrong  mechanics glob-redirect\n    The shell refuses it.\n"
                                      "    tune: cpu governor = performance\n");
  ASSERT_NE(setting_at, std::string::npos) << text;
  ASSERT_NE(mechanics_at, std::string::npos) << text;
  EXPECT_LT(setting_at, mechanics_at);
  // On a line with no setting shown, the line itself is shown.
  EXPECT_NE(text.find("guide.md:12  risky  mechanics append-repeats\n    line: sysctl -p\n"), std::string::npos) << text;
}

TEST(Strict, NotJudgedLinesAreListedOncePerReasonWithTheirRanges) {
  const std::string reason = "Configures nginx, which tune does not read.";
  std::vector<Finding> findings;
  for (int line : {120, 121, 122, 170}) findings.push_back(finding(FindingKind::Line, Verdict::NotJudged, line, "application-config", reason));
  findings.push_back(finding(FindingKind::Line, Verdict::NotJudged, 200, "script-not-shown", "Runs tune.sh, which is not shown."));
  std::string text = render_text(findings);
  EXPECT_NE(text.find("guide.md  not judged (application-config): lines 120-122, 170\n    " + reason + "\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find(reason), text.rfind(reason)) << "the reason is said once: " << text;
  EXPECT_NE(text.find("guide.md  not judged (script-not-shown): line 200\n"), std::string::npos) << text;
  // Not one line per finding: the five lines take two entries.
  EXPECT_EQ(text.find("guide.md:120"), std::string::npos) << text;
  EXPECT_NE(text.find("5 lines set something: 0 judged, 5 not judged"), std::string::npos) << text;
}

TEST(Strict, ABlockOfManyRunsIsGivenByCountAndSpan) {
  std::vector<Finding> findings;
  for (int line = 10; line < 40; line += 2) findings.push_back(finding(FindingKind::Line, Verdict::NotJudged, line, "application-config"));
  findings.push_back(finding(FindingKind::Line, Verdict::NotJudged, 39, "application-config"));
  std::string text = render_text(findings);
  EXPECT_NE(text.find("not judged (application-config): 16 lines between 10 and 39\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace tune::audit
