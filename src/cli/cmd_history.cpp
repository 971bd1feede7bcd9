// tune history: every transaction in the journal, oldest first.
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "core/engine.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace tune::cli {
namespace {

std::string status_of(const Transaction& txn) {
  if (txn.kind == TransactionKind::Rollback) {
    std::string of = "rollback of " + std::to_string(txn.rolls_back);
    return txn.state == TransactionState::Committed ? of : of + ", " + transaction_state_name(txn.state);
  }
  switch (txn.state) {
    case TransactionState::Committed:
      return txn.rolled_back_by ? "rolled back by " + std::to_string(txn.rolled_back_by) : "applied";
    case TransactionState::Interrupted:
      return txn.rolled_back_by ? "interrupted, rolled back by " + std::to_string(txn.rolled_back_by)
                                : "interrupted: run tune rollback --last";
    case TransactionState::Undone: return "failed and undone: " + txn.failure;
  }
  return "";
}

int run_history(Context& context) {
  auto journal_dir = context.journal_dir();
  if (!journal_dir) return context.fail(journal_dir.error());
  Engine engine(context.system(), context.platform().knobs, context.options.state_dir, *journal_dir);
  auto all = engine.history();
  if (!all) return context.fail(all.error());
  if (context.options.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& txn : *all) {
      out.push_back({{"id", txn.id},
                     {"kind", txn.kind == TransactionKind::Apply ? "apply" : "rollback"},
                     {"started_at", txn.started_at},
                     {"finished_at", txn.finished_at},
                     {"profile", txn.profile},
                     {"steps", txn.steps.size()},
                     {"state", transaction_state_name(txn.state)},
                     {"rolls_back", txn.rolls_back},
                     {"rolled_back_by", txn.rolled_back_by},
                     {"status", status_of(txn)}});
    }
    context.out(out.dump(2) + "\n");
    return exit_code::kOk;
  }
  if (all->empty()) {
    context.out("No transactions yet.\n");
    return exit_code::kOk;
  }
  context.out(fmt::format("{:>4}  {:<20}  {:<8}  {:<20}  {:>5}  {}\n", "ID", "STARTED (UTC)", "KIND", "PROFILE", "STEPS",
                          "STATUS"));
  for (const auto& txn : *all) {
    context.out(fmt::format("{:>4}  {:<20}  {:<8}  {:<20}  {:>5}  {}\n", txn.id, txn.started_at,
                            txn.kind == TransactionKind::Apply ? "apply" : "rollback", txn.profile, txn.steps.size(),
                            status_of(txn)));
  }
  return exit_code::kOk;
}

}  // namespace

void add_history_command(CLI::App& app, Context& context) {
  CLI::App* command = app.add_subcommand("history", "List the transactions tune has recorded");
  command->callback([&context] { context.exit_code = run_history(context); });
}

}  // namespace tune::cli
