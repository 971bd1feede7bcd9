#include "bench/validate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace tune::bench {

const std::vector<std::string>& validation_metrics() {
  static const std::vector<std::string> names = {"decode_tokens_per_s", "prefill_tokens_per_s", "ttft_ms"};
  return names;
}

ValidationOutcome judge_validation(const Comparison& comparison, double max_regression_pct) {
  ValidationOutcome outcome;
  const auto& gated = validation_metrics();
  for (const MetricChange& m : comparison.metrics) {
    if (std::find(gated.begin(), gated.end(), m.name) == gated.end()) continue;
    // How much worse, in percent, whichever way "worse" points for this metric.
    const double worse_pct = (m.higher_is_better ? -m.change : m.change) * 100.0;
    const std::string line =
        fmt::format("{}: {:+.1f}% ({:g}% CI {:+.1f}% to {:+.1f}%, p = {:.3f})", m.label, m.change * 100.0,
                    comparison.confidence * 100.0, m.interval.low * 100.0, m.interval.high * 100.0, m.p_value);
    if (m.verdict == Verdict::kSlower && worse_pct > max_regression_pct) {
      outcome.regression = true;
      outcome.reasons.push_back(line + fmt::format(", worse than the {:.1f}% allowed", max_regression_pct));
    } else if (m.verdict == Verdict::kFaster) {
      outcome.gains.push_back(line);
    }
  }
  return outcome;
}

}  // namespace tune::bench
