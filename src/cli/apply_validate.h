// `tune apply --validate`: apply a plan so that it proves itself. The host is
// measured against itself first (its noise floor), then with and without the
// change in alternating pairs (validation_run.h); the change is kept, or
// rolled back when the deciding metric got worse by more than the policy
// allows, with a verdict that says when this host's noise cannot answer.
#pragma once

#include "cli/context.h"
#include "bench/bench_result.h"
#include "core/plan.h"
#include "core/policy.h"

#include <optional>
#include <string>
#include <vector>

namespace tune::cli {

struct ValidateOptions {
  bool keep = false;                     // keep the change whatever the verdict
  std::optional<double> max_regression;  // percent; overrides the policy
  std::vector<std::string> decide_on;    // metrics; override the policy's
  std::string bench_model = "synthetic:110m";
  std::string report;  // an HTML page to write, or empty
};

// The policy a validation runs under: the [validation] table of tune.toml
// with the command line's overrides, the metrics named checked, and the
// report's directory checked: all found before anything is asked or changed.
Result<ValidationPolicy> validation_policy(Context& context, const ValidateOptions& options);

// Apply `plan` under validation with the policy validation_policy gave;
// returns the exit code (0 kept, 4 rolled back by the verdict, 3 a step
// failed and was put back, 1 an error: the host is then as it was, or the
// message says what to roll back).
int apply_validated(Context& context, const ValidateOptions& options, ValidationPolicy policy, const Plan& plan,
                    const HostIdentity& here, const std::string& journal_dir);

// One measurement block as a validation takes it (the policy's repeats after
// a warm-up run, no cold loads, short probes once): also `tune bench --calibrate`'s.
Result<bench::BenchResult> measure_validation_block(Context& context, const std::string& model,
                                                    const ValidationPolicy& policy, const std::string& what);

}  // namespace tune::cli
