#include "cli/apply_validate.h"

#include "bench/html_report.h"
#include "bench/report.h"
#include "bench/runner.h"
#include "bench/validate.h"
#include "cli/exit_codes.h"
#include "cli/output_file.h"
#include "cli/validation_record.h"
#include "cli/validation_run.h"
#include "core/engine.h"
#include "core/journal.h"
#include "core/render.h"
#include "util/text.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#ifndef TUNE_VERSION
#define TUNE_VERSION "0"
#endif

namespace tune::cli {

Result<ValidationPolicy> validation_policy(Context& context, const ValidateOptions& options) {
  auto policy = context.policy();
  if (!policy) return policy.error();
  ValidationPolicy validation = policy->validation;
  if (options.max_regression) validation.max_regression_pct = *options.max_regression;
  if (!options.decide_on.empty()) {
    validation.metrics.clear();
    for (const auto& name : options.decide_on) {
      if (!is_validation_metric(name)) return Error{"--decide-on " + not_a_validation_metric(&name)};
      if (std::find(validation.metrics.begin(), validation.metrics.end(), name) == validation.metrics.end()) {
        validation.metrics.push_back(name);
      }
    }
  }
  if (!options.report.empty()) TUNE_RETURN_IF_ERROR(check_output_writable(options.report));
  return validation;
}

// No cold loads (the gate is on inference, and dropping caches would cost
// minutes), and shorter peak probes than tune bench's, once per block (the
// bandwidth one still well past the caches): a validation measures some
// thirty blocks.
Result<bench::BenchResult> measure_validation_block(Context& context, const std::string& model,
                                                    const ValidationPolicy& policy, const std::string& what) {
  bench::BenchOptions bench;
  bench.model = model;
  bench.repeat = policy.repeats;
  bench.warmup = 1;
  bench.cold_load = false;
  bench.probe_bytes = size_t{128} << 20;
  bench.probe_passes = 2;
  bench.fma_probe_seconds = 0.02;
  bench.probe_each_run = false;  // the pairs, not the shares, carry the verdict
  bench.tune_version = TUNE_VERSION;
  if (!context.options.json && !context.options.quiet) {
    auto bar = bench::terminal_progress();
    if (bar) bench.progress = [bar, what](const std::string& stage, double done) { bar(what + ": " + stage, done); };
  }
  auto result = bench::run_benchmark(bench);
  if (!result) return with_context("measuring " + what, result.error());
  return result;
}

namespace {

std::string design_line(const ValidationPolicy& policy, const ValidationMeasurements& m, const std::string& model) {
  std::string line = m.design == bench::Design::kInterleaved
                         ? fmt::format("interleaved: {} pairs, alternating A B and B A", policy.pairs)
                         : fmt::format("in two blocks: {} baseline, then {} changed", policy.pairs, policy.pairs);
  if (policy.calibration_pairs > 0) line = fmt::format("{} A/A pairs, then {}", policy.calibration_pairs, line);
  return line + fmt::format("; {} run{} per block with {}; {} switch{}", policy.repeats, policy.repeats == 1 ? "" : "s",
                            model, m.switches, m.switches == 1 ? "" : "es");
}

std::string noise_lines(const bench::ValidationOutcome& outcome, int pairs, double confidence) {
  std::string out;
  for (const auto& m : outcome.metrics) {
    if (!m.decides) continue;
    out += fmt::format("Noise ({}): ", m.label);
    if (m.noise) {
      out += fmt::format("±{:.1f}% for one pair in the A/A calibration, which predicts ±{:.1f}% for {} pairs",
                         *m.noise * 100, bench::resolvable_change(*m.noise, static_cast<size_t>(pairs), confidence) * 100,
                         pairs);
    } else {
      out += "no A/A calibration (calibration_pairs = 0)";
    }
    if (std::isfinite(m.resolvable)) out += fmt::format("; this run resolved ±{:.1f}%", m.resolvable * 100);
    out += ".\n";
  }
  return out;
}

Status write_page(const ValidateOptions& options, const Plan& plan, const HostIdentity& here, int transaction,
                  size_t applied, const ValidationMeasurements& measured, const bench::Comparison& comparison,
                  const bench::ReportDecision& decision) {
  bench::ReportPage page;
  page.title = "Validation of profile '" + plan.profile + "'";
  page.subtitle = "tune apply --validate" + (transaction ? ", transaction " + std::to_string(transaction) : "") +
                  (here.hostname.empty() ? "" : " on " + here.hostname);
  page.generated_at = utc_now_iso8601();
  page.tune_version = TUNE_VERSION;
  page.before_name = "baseline";
  page.after_name = "changed";
  page.before = &measured.baseline;
  page.after = &measured.changed;
  page.comparison = &comparison;
  for (const auto& [name, value] : {std::pair<std::string, std::string>{"host name", here.hostname},
                                    {"kernel", here.kernel},
                                    {"machine id", here.machine_id}}) {
    if (!value.empty()) page.host.emplace_back(name, value);
  }
  page.host.emplace_back("profile", plan.profile + (plan.profile_digest.empty()
                                                        ? ""
                                                        : " (sha256 " + plan.profile_digest.substr(0, 12) + "…)"));
  page.host.emplace_back("changes applied", std::to_string(applied));
  page.host.emplace_back("blocks measured", measured.order);
  page.diff = render_plan_diff(plan, Style{});
  page.decision = decision;
  return write_output_file(options.report, bench::render_report_page(page));
}

}  // namespace

int apply_validated(Context& context, const ValidateOptions& options, ValidationPolicy policy, const Plan& plan,
                    const HostIdentity& here, const std::string& journal_dir) {
  // Who names the deciding metrics: --decide-on, else tune.toml when it
  // names them (the operator's word on this host), else the profile (its
  // author knows the workload: an API server's inter-token p99), else decode.
  if (options.decide_on.empty() && !policy.metrics_set && !plan.validate_on.empty()) policy.metrics = plan.validate_on;
  const std::vector<std::string> blockers = why_not_interleaved(plan);
  const bench::Design design = blockers.empty() ? bench::Design::kInterleaved : bench::Design::kBlocked;
  const bool talk = !context.options.json;
  if (talk) {
    context.out(fmt::format("\nValidating with {} ({} blocks): deciding on {}, allowing a {:g}% regression.\n",
                            options.bench_model, 1 + 2 * (policy.calibration_pairs + policy.pairs),
                            join(policy.metrics, ", "), policy.max_regression_pct));
    if (!blockers.empty()) {
      context.out("Measured in two blocks, not interleaved: " + join(blockers, "; ") + ".\n");
    }
  }

  Engine engine(context.system(), context.platform().knobs, context.options.state_dir, journal_dir);
  int in_effect = 0;          // the transaction that holds the change while it is applied
  int first_transaction = 0;  // the first apply, for messages
  size_t applied = 0;
  std::optional<ApplyReport> failed_apply;
  StateSwitch states;
  states.to_changed = [&]() -> Status {
    auto report = engine.apply(plan, here);
    if (!report) return report.error();
    if (report->failed) {
      failed_apply = *report;
      return Error{"applying failed at " + report->failure};
    }
    in_effect = report->transaction;
    if (!first_transaction) first_transaction = report->transaction;
    applied = report->applied;
    return {};
  };
  int rollback_transaction = 0;
  states.to_baseline = [&]() -> Status {
    auto rolled = engine.rollback(in_effect);
    if (!rolled) return rolled.error();
    if (!rolled->errors.empty()) return Error{"rolling back transaction " + std::to_string(in_effect) + " failed: " +
                                              rolled->errors.front()};
    rollback_transaction = rolled->transaction;
    return {};
  };

  bool changed_in_effect = false;
  auto measured = measure_validation(
      policy, design,
      [&](const std::string& what) { return measure_validation_block(context, options.bench_model, policy, what); }, states,
      changed_in_effect);
  if (!measured) {
    // Failed on a later switch, the earlier state is the baseline: nothing stays applied.
    if (failed_apply) return context.fail(Error{describe_failed_apply(*failed_apply)}, exit_code::kUndone);
    std::string message = "validation stopped: " + measured.error().message;
    if (changed_in_effect) {
      if (Status undone = states.to_baseline(); undone) {
        message += "; the change was rolled back, so the host is as it was";
      } else {
        message += "; rolling the change back failed too (" + undone.error().message + "): run `tune rollback " +
                   std::to_string(in_effect) + "`";
      }
    } else if (first_transaction) {
      message += "; the change is not in effect (it was rolled back between measurements)";
    }
    return context.fail(Error{message});
  }

  bench::ValidationSettings settings;
  settings.allowed_regression_pct = policy.max_regression_pct;
  settings.confidence = policy.confidence_pct / 100;
  settings.deciding = policy.metrics;
  settings.roll_back_when_inconclusive = policy.rollback_on_inconclusive;
  const bench::ValidationOutcome outcome = bench::judge_validation(measured->series, design, settings);
  const bench::Comparison comparison = bench::comparison_of(outcome, measured->series, settings.confidence);

  // End where the verdict says: the change in effect, or not.
  const bool roll_back = outcome.roll_back && !options.keep;
  std::string final_error;
  if (roll_back && changed_in_effect) {
    if (Status undone = states.to_baseline(); undone) {
      changed_in_effect = false;
    } else {
      final_error = "the verdict was to roll back, and rolling back transaction " + std::to_string(in_effect) +
                    " failed (" + undone.error().message + "); run `tune rollback " + std::to_string(in_effect) +
                    "` once the cause is fixed";
    }
  } else if (!roll_back && !changed_in_effect) {
    if (Status reapplied = states.to_changed(); reapplied) {
      changed_in_effect = true;
    } else {
      final_error = "the verdict was to keep the change, and applying it again failed (" +
                    reapplied.error().message + "); the host is as it was before";
    }
  }
  const bool rolled_back = roll_back && !changed_in_effect;
  const int transaction = in_effect;

  const std::string design_text = design_line(policy, *measured, options.bench_model);
  ValidationRecord record;
  record.transaction = transaction;
  record.profile = plan.profile;
  record.measured_at = utc_now_iso8601();
  record.threshold_pct = policy.max_regression_pct;
  record.regression = outcome.verdict == bench::Decision::kWorse;
  record.kept = outcome.roll_back && options.keep;
  record.rolled_back = rolled_back;
  record.verdict = std::string(bench::decision_name(outcome.verdict));
  record.lines = outcome.lines;
  if (auto saved = save_validation_record(context.system(), context.options.state_dir, record); !saved) {
    spdlog::warn("the validation's verdict was not kept for tune status: {}", saved.error().message);
  }
  if (!options.report.empty()) {
    bench::ReportDecision decision;
    decision.allowed_regression_pct = policy.max_regression_pct;
    decision.confidence_pct = policy.confidence_pct;
    decision.verdict = record.verdict;
    decision.design = design_text;
    decision.rolled_back = rolled_back;
    decision.kept_anyway = record.kept;
    decision.inconclusive_policy = policy.rollback_on_inconclusive ? "rollback" : "keep";
    decision.lines = outcome.lines;
    // The verdict and the exit code stand either way; a lost page is said, not hidden.
    if (auto written = write_page(options, plan, here, transaction, applied, *measured, comparison, decision);
        !written) {
      spdlog::error("the report page was not written: {}", written.error().message);
    } else if (talk) {
      context.out("Report page: " + options.report + "\n");
    }
  }

  if (context.options.json) {
    nlohmann::json noise = nlohmann::json::object();
    for (const auto& m : outcome.metrics) {
      noise[m.name] = {{"noise", m.noise ? nlohmann::json(*m.noise) : nlohmann::json(nullptr)},
                       {"resolvable", std::isfinite(m.resolvable) ? nlohmann::json(m.resolvable) : nlohmann::json(nullptr)}};
    }
    nlohmann::json out = {{"transaction", transaction},
                          {"applied", applied},
                          {"dry_run", false},
                          {"failed", false},
                          {"failure", ""},
                          {"undo_errors", nlohmann::json::array()}};
    out["validation"] = {{"design", std::string(bench::design_name(design))},
                         {"design_text", design_text},
                         {"not_interleaved_because", blockers},
                         {"order", measured->order},
                         {"switches", measured->switches},
                         {"pairs", policy.pairs},
                         {"calibration_pairs", policy.calibration_pairs},
                         {"repeats", policy.repeats},
                         {"threshold_pct", policy.max_regression_pct},
                         {"confidence_pct", policy.confidence_pct},
                         {"deciding_metrics", policy.metrics},
                         {"missing_metrics", outcome.missing},
                         {"on_inconclusive", policy.rollback_on_inconclusive ? "rollback" : "keep"},
                         {"verdict", record.verdict},
                         {"lines", outcome.lines},
                         {"regression", record.regression},
                         {"kept", record.kept},
                         {"rolled_back", rolled_back},
                         {"rollback_transaction", rolled_back ? rollback_transaction : 0},
                         {"rollback_error", final_error},
                         {"noise", noise},
                         {"comparison", bench::comparison_to_json(comparison)},
                         {"before", bench::result_to_json(measured->baseline)},
                         {"after", bench::result_to_json(measured->changed)}};
    context.out(out.dump(2) + "\n");
  } else {
    context.out("Measured " + design_text + ".\n\n");
    context.out(bench::render_comparison_text(comparison) + "\n");
    context.out(noise_lines(outcome, policy.pairs, settings.confidence));
    for (const auto& line : outcome.lines) context.out(line + "\n");
  }
  if (!final_error.empty()) {
    const int code = roll_back ? exit_code::kRegression : exit_code::kError;
    // The JSON report above carries rollback_error: stdout stays one document.
    return context.options.json ? context.fail_after_report(Error{final_error}, code) : context.fail(Error{final_error}, code);
  }
  if (talk) {
    const std::string verdict(bench::decision_name(outcome.verdict));
    if (rolled_back) {
      context.out(fmt::format("Verdict: {}. Rolled back (transaction {}): the host is as it was. Keep such a change "
                              "anyway with --keep.\n",
                              verdict, rollback_transaction));
    } else {
      context.out(fmt::format("Verdict: {}. {} as transaction {}. Undo with: tune rollback {}\n", verdict,
                              record.kept ? "Kept with --keep" : "Kept", transaction, transaction));
    }
  }
  return rolled_back ? exit_code::kRegression : exit_code::kOk;
}

}  // namespace tune::cli
