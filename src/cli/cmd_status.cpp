// tune status: what state this host is in, in one answer: the transactions in
// effect and their profiles, drift (as verify), what waits for a reboot, and
// the last validation's verdict.
#include "cli/commands.h"
#include "cli/drift_report.h"
#include "cli/exit_codes.h"
#include "cli/validation_record.h"
#include "core/engine.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace tune::cli {
namespace {

std::string verdict_of(const ValidationRecord& record) {
  if (!record.verdict.empty()) {
    if (record.rolled_back) return record.verdict + ", rolled back";
    return record.verdict + (record.kept ? ", kept (--keep)" : ", kept");
  }
  if (record.rolled_back) return "regression, rolled back";
  if (record.kept) return "regression, kept (--keep)";
  return record.gains.empty() ? "no significant change, kept" : "gain, kept";
}

int run_status(Context& context, bool detailed_exitcode) {
  auto journal_dir = context.journal_dir();
  if (!journal_dir) return context.fail(journal_dir.error());
  Engine engine(context.system(), context.platform().knobs, context.options.state_dir, *journal_dir);
  auto history = engine.history();
  if (!history) return context.fail(history.error());
  auto verified = engine.verify();
  if (!verified) return context.fail(verified.error());
  auto validation = load_validation_record(context.system(), context.options.state_dir);
  if (!validation) return context.fail(validation.error());

  std::vector<const Transaction*> active;
  for (int id : verified->active) {
    auto it = std::find_if(history->begin(), history->end(), [&](const Transaction& t) { return t.id == id; });
    if (it != history->end()) active.push_back(&*it);
  }
  const bool interrupted = !verified->interrupted.empty();
  const bool clean = verified->drift.empty() && !interrupted && verified->pending.empty();

  if (context.options.json) {
    nlohmann::json transactions = nlohmann::json::array();
    for (const Transaction* txn : active) {
      transactions.push_back({{"id", txn->id},
                              {"profile", txn->profile},
                              {"started_at", txn->started_at},
                              {"state", transaction_state_name(txn->state)},
                              {"steps", txn->steps.size()}});
    }
    nlohmann::json drift = nlohmann::json::array();
    for (const auto& d : verified->drift) drift.push_back(drift_json(d));
    nlohmann::json pending = nlohmann::json::array();
    for (const auto& p : verified->pending) pending.push_back(pending_json(p));
    nlohmann::json last = nullptr;
    if (*validation) {
      const ValidationRecord& v = **validation;
      last = {{"transaction", v.transaction}, {"profile", v.profile},     {"measured_at", v.measured_at},
              {"threshold_pct", v.threshold_pct}, {"verdict", verdict_of(v)}, {"regression", v.regression},
              {"rolled_back", v.rolled_back}, {"gains", v.gains},         {"reasons", v.reasons},
              {"lines", v.lines}};
    }
    context.out(nlohmann::json{{"in_effect", transactions},
                               {"interrupted", verified->interrupted},
                               {"checked", verified->checked},
                               {"drift", drift},
                               {"pending_reboot", pending},
                               {"last_validation", last},
                               {"clean", clean}}
                    .dump(2) + "\n");
    return detailed_exitcode && !clean ? exit_code::kPending : exit_code::kOk;
  }

  if (active.empty()) {
    context.out("No profile applied: no transaction of tune is in effect on this host.\n");
  } else {
    context.out("In effect:\n");
    for (const Transaction* txn : active) {
      context.out(fmt::format("  {:>4}  profile '{}', applied {}, {} steps{}\n", txn->id, txn->profile, txn->started_at,
                              txn->steps.size(),
                              txn->state == TransactionState::Interrupted ? " (interrupted: run tune rollback --last)"
                                                                           : ""));
    }
    if (verified->drift.empty()) {
      context.out(fmt::format("Drift: none; {} settings are as applied.\n", verified->checked));
    } else {
      context.out(fmt::format("Drift: {} of {} settings:\n", verified->drift.size(), verified->checked));
      for (const auto& d : verified->drift) {
        context.out(paint(context.style(), "\033[33m", "  ~ " + d.domain + " " + d.target + ": " + drift_detail(d)) + "\n");
      }
    }
    if (!verified->pending.empty()) {
      context.out(fmt::format("Waiting for a reboot: {} settings:\n", verified->pending.size()));
      for (const auto& p : verified->pending) context.out("  > " + p.domain + " " + p.target + " (" + p.note + ")\n");
    }
  }
  if (!*validation) {
    context.out("Last validation: none recorded (tune apply --validate measures a profile before and after).\n");
  } else {
    const ValidationRecord& v = **validation;
    context.out(fmt::format("Last validation: transaction {} (profile '{}') at {}: {}.\n", v.transaction, v.profile,
                            v.measured_at, verdict_of(v)));
    for (const auto& gain : v.gains) context.out("  gain: " + gain + "\n");
    for (const auto& reason : v.reasons) context.out("  regression: " + reason + "\n");
    for (const auto& line : v.lines) context.out("  " + line + "\n");
  }
  return detailed_exitcode && !clean ? exit_code::kPending : exit_code::kOk;
}

}  // namespace

void add_status_command(CLI::App& app, Context& context) {
  auto detailed = std::make_shared<bool>(false);
  CLI::App* command =
      app.add_subcommand("status", "What this host is in: the profiles in effect, drift, reboots pending, the last validation");
  command->add_flag("--detailed-exitcode", *detailed, "Exit 2 on drift, an interrupted transaction or a pending reboot");
  command->callback([&context, detailed] { context.exit_code = run_status(context, *detailed); });
}

}  // namespace tune::cli
