// Comparing two benchmark results metric by metric: the change of the
// median with a 95% bootstrap confidence interval, the Mann-Whitney rank
// test, and a verdict that claims a change only when both agree it is real.
#pragma once

#include "bench/bench_result.h"
#include "bench/stats.h"

#include <optional>
#include <string>
#include <vector>

namespace tune::bench {

enum class Verdict { kFaster, kSlower, kNoChange, kNotTested };
std::string_view verdict_name(Verdict verdict);  // "faster", "slower", "no significant change", "not tested"

struct MetricChange {
  std::string name;
  std::string label;
  std::string unit;
  bool higher_is_better = true;
  Summary before;
  Summary after;
  double change = 0;       // median(after) / median(before) - 1
  Interval interval;       // bootstrap interval of change (95% unless asked otherwise)
  double p_value = 1;      // Mann-Whitney, two-sided
  Verdict verdict = Verdict::kNotTested;
  std::string why;         // for kNotTested, and for kNoChange: what fell short
  // Filled for a validation (apply --validate): its decision on this metric,
  // whether the metric decides, the A/A noise of one pair and the smallest
  // change the design could resolve (fractions).
  std::string decision;
  bool decides = false;
  std::optional<double> noise;
  double resolvable = 0;
};

struct Comparison {
  std::vector<MetricChange> metrics;
  std::vector<std::string> warnings;  // runs that differ in more than the host's settings
  double confidence = 0.95;           // of the intervals; the rank test's level is 1 - confidence
  std::string design;                 // a validation's: "interleaved" (paired) or "blocked"; empty for compare
};

// Metrics present in both results, in `before`'s order. confidence: 0.95
// gives 95% intervals and claims a change only at p < 0.05.
Comparison compare_results(const BenchResult& before, const BenchResult& after, double confidence = 0.95);

}  // namespace tune::bench
