// The measurements of `tune apply --validate`: first the host against itself
// (A/A pairs: its noise floor), then the baseline (A) and the changed host (B)
// in alternating pairs, A B, B A, A B..., switching between them with the
// engine's own apply and rollback; drift of the host then cancels within each
// pair and, with the order alternating, between the pair's two members too.
// A plan whose changes cannot be toggled cheaply (unit restarts, settings
// that wait for a reboot) is measured in two blocks instead, and says so.
#pragma once

#include "bench/bench_result.h"
#include "bench/validate.h"
#include "core/plan.h"
#include "core/policy.h"
#include "util/result.h"

#include <functional>
#include <string>
#include <vector>

namespace tune::cli {

// Why a plan cannot be measured interleaved: one entry per change that would
// restart a unit or only take effect at the next boot. Empty: it can.
std::vector<std::string> why_not_interleaved(const Plan& plan);

struct ValidationMeasurements {
  bench::Design design = bench::Design::kInterleaved;
  std::vector<bench::MetricSeries> series;  // one per metric every block measured
  // The blocks' values gathered into two results (one sample per block, the
  // block's median), with the first block's host and model facts: what the
  // comparison table and the report page show.
  bench::BenchResult baseline;
  bench::BenchResult changed;
  std::string order;  // the blocks in the order measured: "aa aa aa AB BA AB ..." (a: calibration)
  int switches = 0;   // applies and rollbacks made to alternate
};

// The two states, as the engine provides them.
struct StateSwitch {
  std::function<Status()> to_changed;   // apply the plan
  std::function<Status()> to_baseline;  // roll it back
};

// Measure per the policy (calibration_pairs, pairs; repeats is the measure
// callback's business). The host starts in the baseline; `changed_in_effect`
// follows every switch, also when an error ends the run half-way, so the
// caller knows what to put back.
Result<ValidationMeasurements> measure_validation(
    const ValidationPolicy& policy, bench::Design design,
    const std::function<Result<bench::BenchResult>(const std::string& what)>& measure_block,
    const StateSwitch& states, bool& changed_in_effect);

}  // namespace tune::cli
