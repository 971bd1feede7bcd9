// tune rollback: put the host back as it was before a transaction.
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "core/engine.h"

#include <nlohmann/json.hpp>

namespace tune::cli {
namespace {

struct RollbackOptions {
  std::string id;
  bool last = false;
  bool all = false;
};

nlohmann::json report_json(const RollbackReport& report) {
  return {{"rolled_back", report.rolled_back},
          {"transaction", report.transaction},
          {"restored", report.restored},
          {"errors", report.errors}};
}

int run_rollback(Context& context, const RollbackOptions& options) {
  if ((options.all && (options.last || !options.id.empty())) || (options.last && !options.id.empty())) {
    return context.fail(Error{"give one of ID, --last or --all"}, exit_code::kUsage);
  }
  std::optional<int> id;
  if (!options.id.empty()) {
    try {
      size_t used = 0;
      id = std::stoi(options.id, &used);
      if (used != options.id.size() || *id <= 0) throw std::invalid_argument(options.id);
    } catch (const std::exception&) {
      return context.fail(Error{"'" + options.id + "' is not a transaction id (see tune history)"}, exit_code::kUsage);
    }
  }
  if (!context.system().may_change_host()) {
    return context.fail(Error{"rolling back changes this host and needs root: run it with sudo"});
  }
  auto journal_dir = context.journal_dir();
  if (!journal_dir) return context.fail(journal_dir.error());
  Engine engine(context.system(), context.platform().knobs, context.options.state_dir, *journal_dir);
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
  for (const auto& report : reports) {
    out.push_back(report_json(report));
    if (context.options.json) continue;
    if (report.errors.empty()) {
      context.out("Rolled back transaction " + std::to_string(report.rolled_back) + ": " +
                  std::to_string(report.restored) + " settings restored (recorded as transaction " +
                  std::to_string(report.transaction) + ").\n");
    }
  }
  if (context.options.json) context.out(out.dump(2) + "\n");
  for (const auto& report : reports) {
    if (!report.errors.empty()) {
      return context.fail(make_error("rolling back transaction {} left {} settings unrestored, first: {}; it stays in effect, "
                                     "so `tune rollback` can be run again",
                                     report.rolled_back, report.errors.size(), report.errors.front()));
    }
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
  command->callback([&context, options] { context.exit_code = run_rollback(context, *options); });
}

}  // namespace tune::cli
