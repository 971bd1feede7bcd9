// tune verify: compare the live host with what the applied transactions set.
#include "cli/commands.h"
#include "cli/drift_report.h"
#include "cli/exit_codes.h"
#include "core/engine.h"

#include <nlohmann/json.hpp>

namespace tune::cli {
namespace {

int run_verify(Context& context, bool detailed_exitcode) {
  auto journal_dir = context.journal_dir();
  if (!journal_dir) return context.fail(journal_dir.error());
  Engine engine(context.system(), context.platform().knobs, context.options.state_dir, *journal_dir);
  auto report = engine.verify();
  if (!report) return context.fail(report.error());
  if (context.options.json) {
    nlohmann::json drift = nlohmann::json::array();
    for (const auto& d : report->drift) drift.push_back(drift_json(d));
    nlohmann::json pending = nlohmann::json::array();
    for (const auto& p : report->pending) pending.push_back(pending_json(p));
    context.out(nlohmann::json{{"active", report->active},
                               {"interrupted", report->interrupted},
                               {"checked", report->checked},
                               {"drift", drift},
                               {"pending_reboot", pending}}
                    .dump(2) + "\n");
  } else if (report->active.empty()) {
    context.out("Nothing to verify: no applied transaction is in effect.\n");
  } else {
    for (int id : report->interrupted) {
      context.out("Transaction " + std::to_string(id) + " was interrupted; run `tune rollback --last` to undo it.\n");
    }
    for (const auto& d : report->drift) {
      context.out(paint(context.style(), "\033[33m", "  ~ " + d.domain + " " + d.target + ": " + drift_detail(d) +
                                                        " (transaction " + std::to_string(d.transaction) + ")") +
                  "\n");
    }
    for (const auto& p : report->pending) {
      context.out("  > " + p.domain + " " + p.target + ": applied, waiting for a reboot (" + p.note + ")\n");
    }
    if (report->drift.empty()) {
      context.out("No drift: " + std::to_string(report->checked) + " settings are as applied" +
                  (report->pending.empty() ? std::string(".")
                                           : ", " + std::to_string(report->pending.size()) + " of them from the next boot.") +
                  "\n");
    } else {
      context.out(std::to_string(report->drift.size()) + " of " + std::to_string(report->checked) +
                  " settings drifted from what tune applied.\n");
    }
  }
  bool differs = !report->drift.empty() || !report->interrupted.empty();
  return detailed_exitcode && differs ? exit_code::kPending : exit_code::kOk;
}

}  // namespace

void add_verify_command(CLI::App& app, Context& context) {
  auto detailed = std::make_shared<bool>(false);
  CLI::App* command = app.add_subcommand("verify", "Show drift between the live host and the last applied changes");
  command->add_flag("--detailed-exitcode", *detailed, "Exit 2 when anything differs");
  command->callback([&context, detailed] { context.exit_code = run_verify(context, *detailed); });
}

}  // namespace tune::cli
