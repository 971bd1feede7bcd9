// tune history: every transaction in the journal, oldest first.
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/transaction_id.h"
#include "core/engine.h"
#include "core/render.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace tune::cli {
namespace {

std::string state_of(const Transaction& txn) {
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

// What became of it, and what started it when that was not a person at a shell.
std::string status_of(const Transaction& txn) {
  return txn.origin.empty() ? state_of(txn) : state_of(txn) + " (by " + txn.origin + ")";
}

const char* kind_name(const Transaction& txn) { return txn.kind == TransactionKind::Apply ? "apply" : "rollback"; }

// A transaction's steps as a plan, from the prior its journal kept to what
// the step wanted: what an apply changed, or what a rollback restored.
Plan steps_as_plan(const Transaction& txn, const KnobRegistry& knobs) {
  Plan plan;
  plan.profile = txn.profile;
  for (const auto& step : txn.steps) {
    Change change = step_as_change(step, step.prior.as_state(), step.desired, knobs.find(step.domain));
    if (!step.done) change.note = "not done";
    plan.changes.push_back(change);
  }
  return plan;
}

int run_history_show(Context& context, const std::string& id_text) {
  auto parsed = parse_transaction_id(id_text);
  if (!parsed) return context.fail(parsed.error(), exit_code::kUsage);
  const int id = *parsed;
  auto journal_dir = context.journal_dir();
  if (!journal_dir) return context.fail(journal_dir.error());
  Engine engine(context.system(), context.platform().knobs, context.options.state_dir, *journal_dir);
  auto all = engine.history();
  if (!all) return context.fail(all.error());
  auto txn = std::find_if(all->begin(), all->end(), [&](const Transaction& t) { return t.id == id; });
  if (txn == all->end()) return context.fail(make_error("there is no transaction {} (see tune history)", id));
  const Plan plan = steps_as_plan(*txn, context.platform().knobs);
  if (context.options.json) {
    nlohmann::json out = {{"id", txn->id},           {"kind", kind_name(*txn)},
                          {"profile", txn->profile}, {"started_at", txn->started_at},
                          {"finished_at", txn->finished_at}, {"state", transaction_state_name(txn->state)},
                          {"rolls_back", txn->rolls_back},   {"rolled_back_by", txn->rolled_back_by},
                          {"status", status_of(*txn)},       {"origin", txn->origin},
                          {"changes", plan_to_json(plan)["changes"]}};
    nlohmann::json done = nlohmann::json::array();
    for (const auto& step : txn->steps) done.push_back(step.done);
    out["done"] = done;
    context.out(out.dump(2) + "\n");
    return exit_code::kOk;
  }
  context.out(fmt::format("Transaction {}: {} of profile '{}', started {}{}; {}.\n", txn->id, kind_name(*txn),
                          txn->profile, txn->started_at,
                          txn->finished_at.empty() ? "" : ", finished " + txn->finished_at, status_of(*txn)));
  std::string table = render_plan_table(plan, context.style());
  table = table.substr(table.find('\n') + 1);  // the plan header; the line above says what this was
  context.out(table.substr(0, table.rfind('\n', table.size() - 2) + 1));  // without "N to change" that speaks of the future
  const std::string diff = render_plan_diff(plan, context.style());
  if (!diff.empty()) context.out("\n" + diff);
  return exit_code::kOk;
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
                     {"status", status_of(txn)},
                     {"origin", txn.origin}});
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
  command->require_subcommand(0, 1);
  auto id = std::make_shared<std::string>();
  CLI::App* show = command->add_subcommand("show", "Every step of one transaction: before -> after, and a diff of its files");
  show->add_option("id", *id, "Transaction id, from tune history")->required();
  show->callback([&context, id] { context.exit_code = run_history_show(context, *id); });
  command->callback([&context, show] {
    if (!show->parsed()) context.exit_code = run_history(context);
  });
}

}  // namespace tune::cli
