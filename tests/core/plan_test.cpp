#include "core/plan.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tune {
namespace {

Plan sample_plan() {
  Plan plan;
  plan.created_at = "2026-11-25T08:00:00Z";
  plan.tune_version = "0.1.0";
  plan.profile = "throughput";
  plan.profile_digest = "abc";
  plan.host = {"web1", "0123", "6.1.0"};
  Change sysctl;
  sysctl.domain = "sysctl";
  sysctl.target = "net.core.somaxconn";
  sysctl.action = Action::Modify;
  sysctl.before = "4096";
  sysctl.after = "65535";
  sysctl.persistence = Persistence::File;
  sysctl.reason = "throughput (x.yaml:3:3)";
  Change file;
  file.domain = "file";
  file.target = "/etc/sysctl.d/90-tune.conf";
  file.action = Action::Create;
  file.after = "net.core.somaxconn = 65535\n";
  file.mode = 0644;
  file.persistence = Persistence::File;
  Change same = sysctl;
  same.target = "vm.swappiness";
  same.action = Action::None;
  same.before = same.after = "10";
  plan.changes = {sysctl, same, file};
  plan.skipped = {{"sysctl", "vm.compressed_memory", "1", "unsupported here: no such key", "x.yaml:4:3"}};
  plan.warnings = {"a warning"};
  return plan;
}

TEST(Plan, PendingCountsOnlyChangesWithAnAction) { EXPECT_EQ(sample_plan().pending(), 2u); }

TEST(Plan, RoundTripsThroughJson) {
  Plan plan = sample_plan();
  auto back = plan_from_text(plan_to_json(plan).dump(), "plan.json");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(plan_to_json(*back), plan_to_json(plan));
  EXPECT_EQ(back->changes[2].mode, 0644u);
  EXPECT_FALSE(back->changes[2].before.has_value());
  EXPECT_EQ(back->skipped[0].target, "vm.compressed_memory");
}

TEST(Plan, KeepsTheProfilesDecidingMetricsAndReadsPlansWithout) {
  Plan plan = sample_plan();
  plan.validate_on = {"itl_p99_ms"};
  auto back = plan_from_text(plan_to_json(plan).dump(), "plan.json");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->validate_on, std::vector<std::string>{"itl_p99_ms"});
  auto older = plan_to_json(sample_plan());
  older.erase("validate_on");
  auto read = plan_from_text(older.dump(), "old.json");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_TRUE(read->validate_on.empty());
  auto bad = plan_to_json(sample_plan());
  bad["validate_on"] = {"speed"};
  EXPECT_FALSE(plan_from_text(bad.dump(), "bad.json"));
}

TEST(Plan, RejectsTextThatIsNotJson) {
  auto plan = plan_from_text("{not json", "p.json");
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().message, "p.json: not valid JSON");
}

TEST(Plan, RejectsJsonThatIsNotAPlan) {
  auto plan = plan_from_text(R"({"hello": 1})", "p.json");
  ASSERT_FALSE(plan);
  EXPECT_NE(plan.error().message.find("not a tune plan"), std::string::npos);
}

TEST(Plan, RejectsAnotherFormatVersion) {
  auto json = plan_to_json(sample_plan());
  json["format"] = 99;
  auto plan = plan_from_json(json);
  ASSERT_FALSE(plan);
  EXPECT_NE(plan.error().message.find("unsupported format 99"), std::string::npos);
}

TEST(Plan, NamesTheBrokenField) {
  auto json = plan_to_json(sample_plan());
  json["changes"][1]["action"] = "explode";
  auto plan = plan_from_json(json);
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().message, "plan.changes[1].action: unknown action 'explode'");
  json = plan_to_json(sample_plan());
  json["changes"][0].erase("target");
  plan = plan_from_json(json);
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().message, "plan.changes[0].target: expected a string");
}

// A saved plan is input: control bytes in its targets or values are refused
// before they can reach a file tune writes or a reviewer's terminal.
TEST(PlanJson, ControlBytesInASavedPlanAreRefused) {
  Plan plan;
  plan.profile = "p";
  Change change;
  change.domain = "sysctl";
  change.target = "vm.swappiness";
  change.action = Action::Modify;
  change.before = "60";
  change.after = std::string("10\0\nkernel.x = 1", 15);
  plan.changes.push_back(change);
  auto nul = plan_from_text(plan_to_json(plan).dump(), "plan.json");
  ASSERT_FALSE(nul);
  EXPECT_NE(nul.error().message.find("control characters"), std::string::npos) << nul.error().message;
  plan.changes[0].after = "10";
  plan.changes[0].note = "\033[8mhidden";
  EXPECT_FALSE(plan_from_text(plan_to_json(plan).dump(), "plan.json"));
  // A file's text keeps its line breaks.
  plan.changes[0] = Change{};
  plan.changes[0].domain = "file";
  plan.changes[0].target = "/etc/sysctl.d/90-tune.conf";
  plan.changes[0].action = Action::Create;
  plan.changes[0].after = "# header\nvm.swappiness = 10\n";
  EXPECT_TRUE(plan_from_text(plan_to_json(plan).dump(), "plan.json"));
}

}  // namespace
}  // namespace tune
