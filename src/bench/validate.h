// The policy behind `tune apply --validate`: which measured changes count as
// a regression bad enough to undo the apply.
#pragma once

#include "bench/compare.h"

#include <string>
#include <vector>

namespace tune::bench {

// The metrics a tuning change is judged on: throughput both ways and the
// latency a user waits for first.
const std::vector<std::string>& validation_metrics();

struct ValidationOutcome {
  bool regression = false;
  std::vector<std::string> reasons;  // one line per metric that regressed past the threshold
  std::vector<std::string> gains;    // one line per metric that improved significantly
};

// A regression: a gated metric whose verdict is "slower" and whose median
// got worse by more than max_regression_pct percent. The threshold comes from
// the caller (a flag today; the host policy, /etc/tune/tune.toml, once its
// loader exists), so this stays a pure function of the comparison.
ValidationOutcome judge_validation(const Comparison& comparison, double max_regression_pct);

}  // namespace tune::bench
