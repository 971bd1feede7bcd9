// tune apply: apply a profile (or a saved plan) as one journaled transaction.
// --dry-run runs the very same engine over a recording door.
#include "bench/html_report.h"
#include "bench/report.h"
#include "bench/runner.h"
#include "bench/validate.h"
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
  // --validate: benchmark, apply, benchmark again, roll back on a regression.
  bool validate = false;
  bool keep = false;                    // keep the change even when it regressed
  std::optional<double> max_regression;  // percent; --max-regression
  std::string bench_model = "synthetic:110m";
  std::string report;  // --report FILE: the validation as an HTML page
};

// What --validate measures and tolerates: the host policy's [validation]
// table (/etc/tune/tune.toml: max_regression_pct, repeats, confidence_pct;
// its defaults when the file is absent), with --max-regression overriding
// the threshold.
Result<ValidationPolicy> validation_policy(Context& context, const ApplyOptions& options) {
  auto policy = context.policy();
  if (!policy) return policy.error();
  ValidationPolicy validation = policy->validation;
  if (options.max_regression) validation.max_regression_pct = *options.max_regression;
  return validation;
}

Result<bench::BenchResult> measure(Context& context, const ApplyOptions& options, const ValidationPolicy& policy,
                                   const std::string& when) {
  bench::BenchOptions bench;
  bench.model = options.bench_model;
  bench.repeat = policy.repeats;
  bench.cold_load = false;  // the gate is on inference speed; cold loads only add minutes
  bench.tune_version = TUNE_VERSION;
  if (!context.options.json && !context.options.quiet) {
    context.out("Measuring " + when + " (" + bench.model + ", " + std::to_string(bench.repeat) + " runs)...\n");
    bench.progress = bench::terminal_progress();
  }
  auto result = bench::run_benchmark(bench);
  if (!result) return with_context("measuring " + when, result.error());
  return result;
}

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

// After a successful apply under --validate: measure again, compare, and
// roll the transaction back when a gated metric regressed past the threshold.
// The page of --report: the plan's diff, the host, and every metric; written
// whatever the verdict, since a rolled-back change is what a reviewer most
// wants to see.
Status write_validation_page(const ApplyOptions& options, const Plan& plan, const HostIdentity& here,
                             const ApplyReport& report, const bench::BenchResult& before,
                             const bench::BenchResult& after, const bench::Comparison& comparison,
                             const bench::ReportDecision& decision) {
  bench::ReportPage page;
  page.title = "Validation of profile '" + plan.profile + "'";
  page.subtitle = "tune apply --validate, transaction " + std::to_string(report.transaction) +
                  (here.hostname.empty() ? "" : " on " + here.hostname);
  page.generated_at = utc_now_iso8601();
  page.tune_version = TUNE_VERSION;
  page.before = &before;
  page.after = &after;
  page.comparison = &comparison;
  for (const auto& [name, value] : {std::pair<std::string, std::string>{"host name", here.hostname},
                                    {"kernel", here.kernel},
                                    {"machine id", here.machine_id}}) {
    if (!value.empty()) page.host.emplace_back(name, value);
  }
  page.host.emplace_back("profile", plan.profile + (plan.profile_digest.empty() ? "" : " (sha256 " + plan.profile_digest.substr(0, 12) + "…)"));
  page.host.emplace_back("changes applied", std::to_string(report.applied));
  page.diff = render_plan_diff(plan, Style{});
  page.decision = decision;
  return write_output_file(options.report, bench::render_report_page(page));
}

int validate_applied(Context& context, const ApplyOptions& options, const ValidationPolicy& policy, Engine& engine,
                     const Plan& plan, const HostIdentity& here, const ApplyReport& report,
                     const bench::BenchResult& before) {
  const std::string& profile = plan.profile;
  const std::string transaction = std::to_string(report.transaction);
  if (!context.options.json) {
    context.out("Applied " + std::to_string(report.applied) + " changes as transaction " + transaction + ".\n");
  }
  auto after = measure(context, options, policy, "after applying");
  if (!after) {
    return context.fail(Error{after.error().message + "; the changes stay applied: undo with `tune rollback " +
                              transaction + "`"});
  }
  const double threshold = policy.max_regression_pct;
  const bench::Comparison comparison = bench::compare_results(before, *after, policy.confidence_pct / 100.0);
  const bench::ValidationOutcome outcome = bench::judge_validation(comparison, threshold);
  const bool roll_back = outcome.regression && !options.keep;
  std::optional<RollbackReport> undone;
  std::string rollback_error;
  if (roll_back) {
    auto rolled = engine.rollback(report.transaction);
    if (rolled && rolled->errors.empty()) {
      undone = *rolled;
    } else {
      rollback_error = rolled ? rolled->errors.front() : rolled.error().message;
    }
  }

  // For `tune status`; losing it loses no setting, so a failure is a warning.
  ValidationRecord record{report.transaction, profile, utc_now_iso8601(), threshold, outcome.regression,
                          outcome.regression && options.keep, undone.has_value(), outcome.gains, outcome.reasons};
  if (auto saved = save_validation_record(context.system(), context.options.state_dir, record); !saved) {
    spdlog::warn("the validation's verdict was not kept for tune status: {}", saved.error().message);
  }
  if (!options.report.empty()) {
    const bench::ReportDecision decision{threshold,          policy.confidence_pct, outcome.regression,
                                         outcome.regression && options.keep, undone.has_value(), outcome.reasons,
                                         outcome.gains};
    // The verdict and exit code stand either way; a lost page is said, not hidden.
    if (auto written = write_validation_page(options, plan, here, report, before, *after, comparison, decision); !written) {
      spdlog::error("the report page was not written: {}", written.error().message);
    } else if (!context.options.json) {
      context.out("Report page: " + options.report + "\n");
    }
  }

  if (context.options.json) {
    nlohmann::json out = report_json(report, false);
    out["validation"] = {{"threshold_pct", threshold},
                         {"confidence_pct", policy.confidence_pct},
                         {"repeats", policy.repeats},
                         {"regression", outcome.regression},
                         {"reasons", outcome.reasons},
                         {"gains", outcome.gains},
                         {"kept", outcome.regression && options.keep},
                         {"rolled_back", undone.has_value()},
                         {"rollback_transaction", undone ? undone->transaction : 0},
                         {"rollback_error", rollback_error},
                         {"comparison", bench::comparison_to_json(comparison)},
                         {"before", bench::result_to_json(before)},
                         {"after", bench::result_to_json(*after)}};
    context.out(out.dump(2) + "\n");
  } else {
    context.out("\n" + bench::render_comparison_text(comparison) + "\n");
    for (const auto& gain : outcome.gains) context.out("Gain: " + gain + "\n");
    if (outcome.gains.empty() && !outcome.regression) {
      context.out("No significant change in decode, prefill or time to first token: no gain can be claimed.\n");
    }
    for (const auto& reason : outcome.reasons) context.out("Regression: " + reason + "\n");
  }
  if (!rollback_error.empty()) {
    return context.fail(Error{"the change regressed and rolling back transaction " + transaction + " failed (" +
                              rollback_error + "); run `tune rollback " + transaction + "` once the cause is fixed"},
                        exit_code::kRegression);
  }
  if (undone) {
    if (!context.options.json) {
      context.out("Rolled back transaction " + transaction + " (as transaction " + std::to_string(undone->transaction) +
                  "): the host is as it was. Keep such a change anyway with --keep.\n");
    }
    return exit_code::kRegression;
  }
  if (!context.options.json) {
    context.out(std::string(outcome.regression ? "Kept despite the regression (--keep)." : "Kept.") +
                " Undo with: tune rollback " + transaction + "\n");
  }
  return exit_code::kOk;
}

int run_apply(Context& context, const ApplyOptions& options) {
  if (!options.plan_path.empty() && !options.profile.empty()) {
    return context.fail(Error{"give either a saved plan or --profile, not both"}, exit_code::kUsage);
  }
  if (!options.report.empty() && !options.validate) {
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
  if (!options.yes) {
    if (!::isatty(STDIN_FILENO)) {
      return context.fail(Error{"not asking for confirmation without a terminal: add --yes to apply, or --dry-run to review"});
    }
    if (!confirmed(context, plan.pending())) {
      context.out("Nothing was changed.\n");
      return exit_code::kOk;
    }
  }
  std::optional<bench::BenchResult> before;
  ValidationPolicy policy;
  if (options.validate) {
    auto loaded = validation_policy(context, options);
    if (!loaded) return context.fail(loaded.error());
    policy = *loaded;
    // A report that cannot be written is found out before anything changes.
    if (!options.report.empty()) {
      if (auto writable = check_output_writable(options.report); !writable) return context.fail(writable.error());
    }
    auto measured = measure(context, options, policy, "before applying");
    if (!measured) return context.fail(measured.error());
    before = std::move(*measured);
  }
  Engine engine(context.system(), context.platform().knobs, state_dir, *journal_dir);
  auto report = engine.apply(plan, here);
  if (!report) return context.fail(report.error());
  if (options.validate && !report->failed) return validate_applied(context, options, policy, engine, plan, here, *report, *before);
  if (context.options.json) context.out(report_json(*report, false).dump(2) + "\n");
  if (report->failed) {
    std::string message = "apply failed at " + report->failure + "; the " +
                          std::to_string(report->applied) + " changes made before it were put back";
    if (!report->undo_errors.empty()) {
      message = "apply failed at " + report->failure + ", and putting back failed too (" + report->undo_errors.front() +
                "); run `tune rollback " + std::to_string(report->transaction) + "` once the cause is fixed";
    }
    return context.fail(Error{message}, exit_code::kUndone);
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
                    "Benchmark before and after; roll back (exit 4) if inference got significantly slower");
  command->add_flag("--keep", options->keep, "With --validate: keep the change even when it regressed");
  command->add_option("--max-regression", options->max_regression,
                      "With --validate: the slowdown in percent tolerated before rolling back "
                      "(default: max_regression_pct in /etc/tune/tune.toml, else 5)")
      ->check(CLI::Range(0.0, 100.0));
  command->add_option("--bench-model", options->bench_model,
                      "With --validate: the model to measure with (synthetic:SIZE or a file)")
      ->capture_default_str();
  command->add_option("--report", options->report,
                      "With --validate: also write the validation as one self-contained HTML page to FILE");
  command->callback([&context, options] { context.exit_code = run_apply(context, *options); });
}

}  // namespace tune::cli
