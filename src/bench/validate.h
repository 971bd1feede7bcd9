// The decision behind `tune apply --validate`: from measurements of the
// baseline and the changed host, is the change better, harmless, worse than
// the allowed regression, or beyond what this host's noise can tell?
//
// The rule: a change is worse only when the whole confidence interval of the
// deciding metric lies beyond the allowed regression; inconclusive when the
// interval reaches across that line (the host is too noisy for the question);
// better when it lies wholly on the good side of zero; within the allowance
// otherwise. One metric decides (decode tokens/s unless the policy names
// others); when several do, Holm's correction keeps the chance of a false
// "worse" at the stated level for all of them together.
#pragma once

#include "bench/compare.h"
#include "bench/paired_stats.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tune::bench {

inline constexpr const char* kDefaultDecisionMetric = "decode_tokens_per_s";

enum class Decision { kBetter, kWithinAllowance, kInconclusive, kWorse };
std::string_view decision_name(Decision decision);  // "better", "within the allowance", "inconclusive", "worse"

// One metric's values over a validation, one per measurement block.
struct MetricSeries {
  std::string name;
  std::string label;
  std::string unit;
  bool higher_is_better = true;
  std::vector<double> baseline;  // interleaved: pair i is baseline[i], changed[i]
  std::vector<double> changed;
  std::vector<double> calibration_first;   // A/A pairs measured before anything changed
  std::vector<double> calibration_second;
};

// How the measurements were taken.
enum class Design {
  kInterleaved,  // baseline and changed alternate, pair by pair (A B, B A, A B ...)
  kBlocked,      // all baseline blocks, then all changed ones (plans that restart units or need a reboot)
};
std::string_view design_name(Design design);  // "interleaved", "blocked"

struct ValidationSettings {
  double allowed_regression_pct = 5;
  double confidence = 0.95;
  std::vector<std::string> deciding = {kDefaultDecisionMetric};
  bool roll_back_when_inconclusive = false;
};

struct MetricDecision {
  std::string name;
  std::string label;
  std::string unit;
  bool higher_is_better = true;
  bool decides = false;
  PairedChange change;          // of the changed state against the baseline (the paired or block estimate)
  double worse_p = 1;           // one-sided p of "worse than the allowance" (paired design)
  Decision decision = Decision::kInconclusive;
  std::optional<double> noise;  // the A/A calibration's noise for one pair, as a fraction
  double resolvable = 0;        // the smallest change this design could tell from noise here, as a fraction
};

struct ValidationOutcome {
  Design design = Design::kInterleaved;
  std::vector<MetricDecision> metrics;  // every metric measured, in the results' order
  Decision verdict = Decision::kInconclusive;  // over the deciding metrics
  bool roll_back = false;  // worse, or inconclusive where the policy says so
  std::vector<std::string> missing;  // deciding metrics the measurements lack
  // One line per deciding metric for people ("decode: -10.2% (95% CI -12.0% to -8.1%), worse than the 5% allowed").
  std::vector<std::string> lines;
};

ValidationOutcome judge_validation(const std::vector<MetricSeries>& series, Design design,
                                   const ValidationSettings& settings);

// The paired changes as a Comparison, so the terminal table, the JSON and the
// report page show what the decision used.
Comparison comparison_of(const ValidationOutcome& outcome, const std::vector<MetricSeries>& series,
                         double confidence);

}  // namespace tune::bench
