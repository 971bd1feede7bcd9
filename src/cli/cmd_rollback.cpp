// tune rollback: put the host back as it was before a transaction.
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/transaction_id.h"
#include "core/engine.h"
#include "core/render.h"
#include "detect/probe.h"
#include "util/dry_run_system.h"

#include <nlohmann/json.hpp>

namespace tune::cli {
namespace {

struct RollbackOptions {
  std::string id;
  bool last = false;
  bool all = false;
  bool dry_run = false;
};

// What one rollback moves, as a plan: reviewed with the same renderers as `tune plan`.
Plan restore_plan(const RollbackReport& report, const HostIdentity& here) {
  Plan plan;
  plan.profile = report.profile;
  plan.host = here;
  plan.changes = report.restores;
  return plan;
}

nlohmann::json report_json(const RollbackReport& report, const std::optional<HostIdentity>& dry_run_here) {
  nlohmann::json out = {{"rolled_back", report.rolled_back},
                        {"profile", report.profile},
                        {"transaction", report.transaction},
                        {"restored", report.restored},
                        {"errors", report.errors}};
  if (dry_run_here) {
    out["dry_run"] = true;
    out["transaction"] = nullptr;  // a dry run records nothing
    out["changes"] = plan_to_json(restore_plan(report, *dry_run_here))["changes"];
  }
  return out;
}

// The review of a dry run: per transaction, its restore as a table and a diff.
void show_dry_run(Context& context, const RollbackReport& report, const HostIdentity& here) {
  const Plan plan = restore_plan(report, here);
  std::string table = render_plan_table(plan, context.style());
  table = table.substr(table.find('\n') + 1);  // the plan header names a profile to apply; this is its undoing
  context.out(fmt::format("Rollback of transaction {} (profile '{}') on {}:\n", report.rolled_back, report.profile,
                          here.hostname.empty() ? "this host" : here.hostname));
  context.out(table);
  const std::string diff = render_plan_diff(plan, context.style());
  if (!diff.empty()) context.out("\n" + diff);
}

int run_rollback(Context& context, const RollbackOptions& options) {
  if ((options.all && (options.last || !options.id.empty())) || (options.last && !options.id.empty())) {
    return context.fail(Error{"give one of ID, --last or --all"}, exit_code::kUsage);
  }
  std::optional<int> id;
  if (!options.id.empty()) {
    auto parsed = parse_transaction_id(options.id);
    if (!parsed) return context.fail(parsed.error(), exit_code::kUsage);
    id = *parsed;
  }
  if (!options.dry_run && !context.system().may_change_host()) {
    return context.fail(Error{"rolling back changes this host and needs root: run it with sudo, or review with --dry-run"});
  }
  auto journal_dir = context.journal_dir();
  if (!journal_dir) return context.fail(journal_dir.error());
  // A dry run is the real rollback over a door that records instead of
  // changing, so it is refused exactly where the real one would be.
  std::optional<DryRunSystem> dry;
  std::optional<HostIdentity> dry_run_here;
  if (options.dry_run) {
    dry.emplace(context.system());
    dry_run_here = detect_identity(context.system());
  }
  System& door = dry ? static_cast<System&>(*dry) : context.system();
  Engine engine(door, context.platform().knobs, context.options.state_dir, *journal_dir);
  std::vector<RollbackReport> reports;
  if (options.all) {
    auto all = engine.rollback_all();
    if (!all) return context.fail(all.error());
    reports = std::move(*all);
    if (reports.empty() && !context.options.json) context.out("Nothing to roll back.\n");
  } else {
    auto one = engine.rollback(id);
    if (!one) return context.fail(one.error());
    reports.push_back(std::move(*one));
  }
  nlohmann::json out = nlohmann::json::array();
  size_t would_restore = 0;
  for (const auto& report : reports) {
    out.push_back(report_json(report, dry_run_here));
    if (context.options.json) continue;
    if (dry_run_here) {
      show_dry_run(context, report, *dry_run_here);
      would_restore += report.restored;
    } else if (report.errors.empty()) {
      context.out("Rolled back transaction " + std::to_string(report.rolled_back) + ": " +
                  std::to_string(report.restored) + " settings restored (recorded as transaction " +
                  std::to_string(report.transaction) + ").\n");
    }
  }
  if (context.options.json) context.out(out.dump(2) + "\n");
  for (const auto& report : reports) {
    if (report.errors.empty()) continue;
    if (dry_run_here) {
      return context.fail(make_error("rolling back transaction {} would leave {} settings unrestored, first: {}",
                                     report.rolled_back, report.errors.size(), report.errors.front()));
    }
    return context.fail(make_error("rolling back transaction {} left {} settings unrestored, first: {}; it stays in effect, "
                                   "so `tune rollback` can be run again",
                                   report.rolled_back, report.errors.size(), report.errors.front()));
  }
  if (dry_run_here && !context.options.json && !reports.empty()) {
    context.out(fmt::format("\nDry run: {} settings would be restored; nothing was changed.\n", would_restore));
  }
  return exit_code::kOk;
}

}  // namespace

void add_rollback_command(CLI::App& app, Context& context) {
  auto options = std::make_shared<RollbackOptions>();
  CLI::App* command = app.add_subcommand("rollback", "Put back what a transaction changed (the newest by default)");
  command->add_option("id", options->id, "Transaction id, from tune history");
  command->add_flag("--last", options->last, "The newest transaction in effect (the default)");
  command->add_flag("--all", options->all, "Every transaction in effect, newest first");
  command->add_flag("-n,--dry-run", options->dry_run,
                    "Show what the rollback would restore, as a plan and diff; run it against a recorder, change nothing");
  command->callback([&context, options] { context.exit_code = run_rollback(context, *options); });
}

}  // namespace tune::cli
