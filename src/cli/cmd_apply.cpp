// tune apply: apply a profile (or a saved plan) as one journaled transaction.
// --dry-run runs the very same engine over a recording door.
#include "cli/apply_validate.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output_file.h"
#include "cli/planning.h"
#include "cli/validation_record.h"
#include "core/engine.h"
#include "core/journal.h"
#include "util/text.h"
#include "core/policy.h"
#include "detect/probe.h"
#include "util/dry_run_system.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#ifndef TUNE_VERSION
#define TUNE_VERSION "0"
#endif

#include <iostream>
#include <optional>
#include <unistd.h>

namespace tune::cli {
namespace {

struct ApplyOptions {
  std::string profile;    // name, file or auto
  std::string plan_path;  // a saved plan.json instead
  bool dry_run = false;
  bool yes = false;
  // --validate: measure with and without the change; keep it or roll it back.
  bool validate = false;
  ValidateOptions validation;
};

bool confirmed(Context& context, size_t pending) {
  context.out("Apply these " + std::to_string(pending) + " changes? [y/N] ");
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes";
}

nlohmann::json report_json(const ApplyReport& report, bool dry_run) {
  return {{"transaction", report.transaction},
          {"applied", report.applied},
          {"dry_run", dry_run},
          {"failed", report.failed},
          {"failure", report.failure},
          {"undo_errors", report.undo_errors}};
}

int run_apply(Context& context, const ApplyOptions& options) {
  if (!options.plan_path.empty() && !options.profile.empty()) {
    return context.fail(Error{"give either a saved plan or --profile, not both"}, exit_code::kUsage);
  }
  if (!options.validation.report.empty() && !options.validate) {
    return context.fail(Error{"--report writes the page of a validation: add --validate"}, exit_code::kUsage);
  }
  if (options.validate && options.dry_run) {
    return context.fail(Error{"--validate measures a real apply: it cannot be combined with --dry-run"},
                        exit_code::kUsage);
  }
  Plan plan;
  std::string why;
  if (!options.plan_path.empty()) {
    auto text = read_input_file(options.plan_path);
    if (!text) return context.fail(text.error());
    auto loaded = plan_from_text(*text, options.plan_path);
    if (!loaded) return context.fail(loaded.error());
    plan = std::move(*loaded);
  } else {
    auto planned = plan_profile(context, options.profile.empty() ? "auto" : options.profile);
    if (!planned) return context.fail(planned.error());
    plan = std::move(planned->plan);
    why = planned->why;
  }

  if (!context.options.json) {
    if (!why.empty()) context.out("Profile chosen automatically: " + why + ".\n");
    context.out(render_plan_table(plan, context.style()));
    const std::string diff = render_plan_diff(plan, context.style());
    if (!diff.empty()) context.out("\n" + diff);
  }
  const HostIdentity here = detect_identity(context.system());
  const std::string state_dir = context.options.state_dir;
  auto journal_dir = context.journal_dir();
  if (!journal_dir) return context.fail(journal_dir.error());

  if (options.dry_run) {
    DryRunSystem dry(context.system());
    Engine engine(dry, context.platform().knobs, state_dir, *journal_dir);
    auto report = engine.apply(plan, here);
    if (!report) return context.fail(report.error());
    if (context.options.json) {
      auto out = report_json(*report, true);
      out["plan"] = plan_to_json(plan);
      context.out(out.dump(2) + "\n");
    } else if (plan.pending() > 0) {
      context.out("\nDry run: " + std::to_string(report->applied) + " changes would be made; nothing was changed.\n");
    }
    return report->failed ? exit_code::kUndone : exit_code::kOk;
  }

  if (plan.pending() == 0) {
    if (context.options.json) context.out(report_json(ApplyReport{}, false).dump(2) + "\n");
    return exit_code::kOk;
  }
  if (!context.system().may_change_host()) {
    return context.fail(Error{"applying changes this host and needs root: run it with sudo, or review with --dry-run"});
  }
  // A bad policy, metric name or report path is found before anything is asked or changed.
  std::optional<ValidationPolicy> validation;
  if (options.validate) {
    auto policy = validation_policy(context, options.validation);
    if (!policy) return context.fail(policy.error());
    validation = std::move(*policy);
  }
  if (!options.yes) {
    if (!::isatty(STDIN_FILENO)) {
      return context.fail(Error{"not asking for confirmation without a terminal: add --yes to apply, or --dry-run to review"});
    }
    if (!confirmed(context, plan.pending())) {
      context.out("Nothing was changed.\n");
      return exit_code::kOk;
    }
  }
  if (validation) return apply_validated(context, options.validation, *validation, plan, here, *journal_dir);
  Engine engine(context.system(), context.platform().knobs, state_dir, *journal_dir);
  auto report = engine.apply(plan, here);
  if (!report) return context.fail(report.error());
  if (context.options.json) context.out(report_json(*report, false).dump(2) + "\n");
  if (report->failed) {
    const Error failure{describe_failed_apply(*report)};
    return context.options.json ? context.fail_after_report(failure, exit_code::kUndone)
                                : context.fail(failure, exit_code::kUndone);
  }
  if (!context.options.json) {
    context.out("\nApplied " + std::to_string(report->applied) + " changes as transaction " +
                std::to_string(report->transaction) + ". Undo with: tune rollback " +
                std::to_string(report->transaction) + "\n");
    // What waits for the next boot, said last so it is not missed.
    std::vector<std::string> at_boot;
    for (const auto& change : plan.changes) {
      if (change.needs_reboot && change.action != Action::None) at_boot.push_back(change.domain + " " + change.target);
    }
    if (!at_boot.empty()) {
      context.out("Reboot needed: " + join(at_boot, ", ") + " take" + (at_boot.size() == 1 ? "s" : "") +
                  " effect at the next boot (until then `tune verify` reports them pending).\n");
    }
  }
  return exit_code::kOk;
}

}  // namespace

void add_apply_command(CLI::App& app, Context& context) {
  auto options = std::make_shared<ApplyOptions>();
  CLI::App* command = app.add_subcommand("apply", "Apply a profile or a saved plan as one transaction");
  command->add_option("plan", options->plan_path, "A plan saved by `tune plan --out`, applied exactly");
  command->add_option("-p,--profile", options->profile, "Profile name, profile file, or 'auto' (default)");
  command->add_flag("-n,--dry-run", options->dry_run, "Show the plan and diff, run every step against a recorder, change nothing");
  command->add_flag("-y,--yes", options->yes, "Do not ask for confirmation");
  command->add_flag("--validate", options->validate,
                    "Measure with and without the change, alternately; roll back (exit 4) when the deciding metric "
                    "got worse than allowed");
  command->add_flag("--keep", options->validation.keep, "With --validate: keep the change whatever the verdict");
  command->add_option("--max-regression", options->validation.max_regression,
                      "With --validate: the slowdown in percent allowed before rolling back "
                      "(default: max_regression_pct in /etc/tune/tune.toml, else 5)")
      ->check(CLI::Range(0.0, 100.0));
  command->add_option("--decide-on", options->validation.decide_on,
                      "With --validate: a metric that decides (repeatable; default: metrics in tune.toml, else "
                      "decode_tokens_per_s)");
  command->add_option("--bench-model", options->validation.bench_model,
                      "With --validate: the model to measure with (synthetic:SIZE or a file)")
      ->capture_default_str();
  command->add_option("--report", options->validation.report,
                      "With --validate: also write the validation as one self-contained HTML page to FILE");
  command->callback([&context, options] { context.exit_code = run_apply(context, *options); });
}

}  // namespace tune::cli
