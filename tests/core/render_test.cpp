#include "core/render.h"

#include <gtest/gtest.h>

namespace tune {
namespace {

Plan plan_with(Action action) {
  Plan plan;
  plan.profile = "throughput";
  plan.host = {"web1", "id", "6.1.0"};
  Change change;
  change.domain = "sysctl";
  change.target = "net.core.somaxconn";
  change.action = action;
  change.before = "4096";
  change.after = action == Action::None ? "4096" : "65535";
  plan.changes.push_back(change);
  return plan;
}

TEST(RenderTable, ShowsBeforeAndAfterOfEachChange) {
  std::string table = render_plan_table(plan_with(Action::Modify), Style{});
  EXPECT_NE(table.find("~ sysctl  net.core.somaxconn  4096 -> 65535"), std::string::npos) << table;
  EXPECT_NE(table.find("1 to change, 0 already as wanted."), std::string::npos) << table;
}

TEST(RenderTable, SaysWhenThereIsNothingToChange) {
  std::string table = render_plan_table(plan_with(Action::None), Style{});
  EXPECT_NE(table.find("Nothing to change: the host already matches 'throughput'"), std::string::npos) << table;
}

TEST(RenderTable, ListsSkipsWithTheirReasonAndWarnings) {
  Plan plan = plan_with(Action::Modify);
  plan.skipped.push_back({"sysctl", "net.ipv4.tcp_tw_recycle", "1", "unsupported here: no such key on this kernel", "x"});
  plan.warnings.push_back("/etc/sysctl.d/99-x.conf also sets net.core.somaxconn");
  std::string table = render_plan_table(plan, Style{});
  EXPECT_NE(table.find("! sysctl  net.ipv4.tcp_tw_recycle  skipped (1): unsupported here"), std::string::npos) << table;
  EXPECT_NE(table.find("warning: /etc/sysctl.d/99-x.conf"), std::string::npos);
  EXPECT_NE(table.find(", 1 skipped."), std::string::npos);
}

TEST(RenderTable, HasNoColourCodesUnlessAsked) {
  EXPECT_EQ(render_plan_table(plan_with(Action::Modify), Style{false}).find('\033'), std::string::npos);
  EXPECT_NE(render_plan_table(plan_with(Action::Modify), Style{true}).find('\033'), std::string::npos);
}

TEST(RenderDiff, ShowsRuntimeValuesAndFilesAsUnifiedDiffs) {
  Plan plan = plan_with(Action::Modify);
  Change file;
  file.domain = "file";
  file.target = "/etc/sysctl.d/90-tune.conf";
  file.action = Action::Create;
  file.after = "net.core.somaxconn = 65535\n";
  plan.changes.push_back(file);
  std::string diff = render_plan_diff(plan, Style{});
  EXPECT_NE(diff.find("-net.core.somaxconn = 4096\n+net.core.somaxconn = 65535\n"), std::string::npos) << diff;
  EXPECT_NE(diff.find("--- /dev/null\n+++ /etc/sysctl.d/90-tune.conf\n"), std::string::npos) << diff;
}

TEST(RenderDiff, IsEmptyWhenNothingChanges) { EXPECT_EQ(render_plan_diff(plan_with(Action::None), Style{}), ""); }

}  // namespace
}  // namespace tune
