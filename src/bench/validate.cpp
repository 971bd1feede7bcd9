#include "bench/validate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace tune::bench {
namespace {

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The interval's place against zero and the allowed regression, whichever way
// "worse" points for the metric (down for throughput, up for latency).
Decision by_interval(const MetricDecision& m, double allowed) {
  if (!m.change.bounded) return Decision::kInconclusive;
  const double low = m.change.interval.low, high = m.change.interval.high;
  if (m.higher_is_better) {
    if (high < -allowed) return Decision::kWorse;
    if (low > 0) return Decision::kBetter;
    return low >= -allowed ? Decision::kWithinAllowance : Decision::kInconclusive;
  }
  if (low > allowed) return Decision::kWorse;
  if (high < 0) return Decision::kBetter;
  return high <= allowed ? Decision::kWithinAllowance : Decision::kInconclusive;
}

// One-sided p of "worse by more than the allowance" from the pairs.
double worse_p(const MetricSeries& s, double allowed) {
  if (s.higher_is_better) return signed_rank_p_below(s.baseline, s.changed, -allowed);
  // Latency: changed above (1 + allowed) x baseline, i.e. baseline/changed below 1/(1 + allowed).
  return signed_rank_p_below(s.changed, s.baseline, 1 / (1 + allowed) - 1);
}

PairedChange blocked_change(const MetricSeries& s, double confidence) {
  PairedChange change;
  change.pairs = std::min(s.baseline.size(), s.changed.size());
  const Summary before = summarize(s.baseline), after = summarize(s.changed);
  if (before.median > 0) change.change = after.median / before.median - 1;
  if (s.baseline.size() >= 3 && s.changed.size() >= 3 && before.median > 0) {
    change.interval = bootstrap_change_interval(s.baseline, s.changed, confidence);
    change.bounded = true;
  }
  return change;
}

std::string pct(double fraction) { return fmt::format("{:+.1f}%", fraction * 100); }

std::string describe(const MetricDecision& m, const ValidationSettings& settings, size_t deciding) {
  std::string line = fmt::format("{}: {} ({:g}% CI {} to {}, {} pairs): {}", m.label, pct(m.change.change),
                                 settings.confidence * 100, pct(m.change.interval.low), pct(m.change.interval.high),
                                 m.change.pairs, decision_name(m.decision));
  switch (m.decision) {
    case Decision::kWorse:
      line += fmt::format(", beyond the {:g}% allowed", settings.allowed_regression_pct);
      if (deciding > 1) line += fmt::format(" (Holm-corrected over {} metrics)", deciding);
      break;
    case Decision::kWithinAllowance:
      line += fmt::format(" of {:g}%", settings.allowed_regression_pct);
      break;
    case Decision::kInconclusive:
      if (!m.change.bounded) {
        line += ": too few pairs for an interval";
      } else {
        line += fmt::format(": the interval reaches past the {:g}% allowed; this host resolves about ±{:.1f}% here",
                            settings.allowed_regression_pct, m.resolvable * 100);
      }
      break;
    case Decision::kBetter:
      break;
  }
  return line;
}

}  // namespace

std::string_view decision_name(Decision decision) {
  switch (decision) {
    case Decision::kBetter: return "better";
    case Decision::kWithinAllowance: return "within the allowance";
    case Decision::kInconclusive: return "inconclusive";
    case Decision::kWorse: return "worse";
  }
  return "?";
}

std::string_view design_name(Design design) { return design == Design::kInterleaved ? "interleaved" : "blocked"; }

ValidationOutcome judge_validation(const std::vector<MetricSeries>& series, Design design,
                                   const ValidationSettings& settings) {
  ValidationOutcome outcome;
  outcome.design = design;
  const double allowed = settings.allowed_regression_pct / 100;
  size_t deciding = 0;
  for (const auto& name : settings.deciding) {
    const bool measured = std::any_of(series.begin(), series.end(), [&](const MetricSeries& s) { return s.name == name; });
    if (measured) {
      ++deciding;
    } else {
      outcome.missing.push_back(name);
    }
  }
  // Blocked designs have no pairs to test; their intervals are widened
  // (Bonferroni) when several metrics decide.
  const double blocked_confidence = 1 - (1 - settings.confidence) / static_cast<double>(std::max<size_t>(1, deciding));

  std::vector<double> p_values;
  std::vector<size_t> deciding_index;
  for (const MetricSeries& s : series) {
    MetricDecision m;
    m.name = s.name;
    m.label = s.label;
    m.unit = s.unit;
    m.higher_is_better = s.higher_is_better;
    m.decides = contains(settings.deciding, s.name);
    if (design == Design::kInterleaved) {
      m.change = paired_change(s.baseline, s.changed, settings.confidence);
      m.worse_p = worse_p(s, allowed);
    } else {
      m.change = blocked_change(s, m.decides ? blocked_confidence : settings.confidence);
    }
    if (s.calibration_first.size() >= 2) m.noise = pair_noise(s.calibration_first, s.calibration_second);
    // What this run could resolve: half its interval's width when it has one;
    // otherwise what the noise (the calibration's, else the pairs') predicts.
    if (m.change.bounded) {
      m.resolvable = (m.change.interval.high - m.change.interval.low) / 2;
    } else {
      m.resolvable = resolvable_change(m.noise.value_or(m.change.spread), m.change.pairs, settings.confidence);
    }
    m.decision = by_interval(m, allowed);
    if (m.decides) {
      p_values.push_back(m.worse_p);
      deciding_index.push_back(outcome.metrics.size());
    }
    outcome.metrics.push_back(std::move(m));
  }

  // Several deciding metrics in a paired design: "worse" only where Holm's
  // step-down rejects "no worse than allowed" at the one-sided level.
  if (design == Design::kInterleaved && deciding > 1) {
    const std::vector<bool> rejected = holm_reject(p_values, (1 - settings.confidence) / 2);
    for (size_t k = 0; k < deciding_index.size(); ++k) {
      MetricDecision& m = outcome.metrics[deciding_index[k]];
      if (rejected[k]) {
        m.decision = Decision::kWorse;
      } else if (m.decision == Decision::kWorse) {
        m.decision = Decision::kInconclusive;  // worse at its own level, not for the family
      }
    }
  }

  bool any_worse = false, any_inconclusive = deciding == 0, any_better = false;
  for (size_t index : deciding_index) {
    const MetricDecision& m = outcome.metrics[index];
    any_worse |= m.decision == Decision::kWorse;
    any_inconclusive |= m.decision == Decision::kInconclusive;
    any_better |= m.decision == Decision::kBetter;
    outcome.lines.push_back(describe(m, settings, deciding));
  }
  outcome.verdict = any_worse          ? Decision::kWorse
                    : any_inconclusive ? Decision::kInconclusive
                    : any_better       ? Decision::kBetter
                                       : Decision::kWithinAllowance;
  outcome.roll_back = outcome.verdict == Decision::kWorse ||
                      (outcome.verdict == Decision::kInconclusive && settings.roll_back_when_inconclusive);
  for (const auto& name : outcome.missing) outcome.lines.push_back(name + ": not measured, so it cannot decide");
  return outcome;
}

Comparison comparison_of(const ValidationOutcome& outcome, const std::vector<MetricSeries>& series,
                         double confidence) {
  Comparison comparison;
  comparison.confidence = confidence;
  comparison.design = std::string(design_name(outcome.design));
  for (size_t i = 0; i < outcome.metrics.size() && i < series.size(); ++i) {
    const MetricDecision& d = outcome.metrics[i];
    const MetricSeries& s = series[i];
    MetricChange m;
    m.name = d.name;
    m.label = d.label;
    m.unit = d.unit;
    m.higher_is_better = d.higher_is_better;
    m.before = summarize(s.baseline);
    m.after = summarize(s.changed);
    m.change = d.change.change;
    m.interval = d.change.interval;
    if (outcome.design == Design::kInterleaved) {
      const double lower = signed_rank_p_below(s.baseline, s.changed, 0);
      const double upper = signed_rank_p_below(s.changed, s.baseline, 0);
      m.p_value = std::min(1.0, 2 * std::min(lower, upper));
    } else {
      m.p_value = mann_whitney_p(s.baseline, s.changed);
    }
    if (!d.change.bounded) {
      m.verdict = Verdict::kNotTested;
      m.why = "too few pairs for an interval";
    } else if (m.interval.low > 0 || m.interval.high < 0) {
      m.verdict = (m.interval.low > 0) == m.higher_is_better ? Verdict::kFaster : Verdict::kSlower;
    } else {
      m.verdict = Verdict::kNoChange;
      m.why = "the confidence interval includes zero";
    }
    m.decision = std::string(decision_name(d.decision));
    m.decides = d.decides;
    m.noise = d.noise;
    m.resolvable = d.resolvable;
    comparison.metrics.push_back(std::move(m));
  }
  return comparison;
}

}  // namespace tune::bench
