#include "bench/compare.h"

#include <fmt/format.h>

namespace tune::bench {

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kFaster: return "faster";
    case Verdict::kSlower: return "slower";
    case Verdict::kNoChange: return "no significant change";
    case Verdict::kNotTested: return "not tested";
  }
  return "?";
}

namespace {

MetricChange compare_metric(const Metric& before, const Metric& after, double confidence) {
  MetricChange change;
  change.name = before.name;
  change.label = before.label;
  change.unit = before.unit;
  change.higher_is_better = before.higher_is_better;
  change.before = summarize(before.samples);
  change.after = summarize(after.samples);
  if (change.before.median != 0) change.change = change.after.median / change.before.median - 1.0;
  if (before.samples.size() < 3 || after.samples.size() < 3) {
    change.why = "fewer than 3 samples on a side";
    return change;
  }
  if (change.before.median == 0) {
    change.why = "the median before is zero";
    return change;
  }
  change.interval = bootstrap_change_interval(before.samples, after.samples, confidence);
  change.p_value = mann_whitney_p(before.samples, after.samples);
  // A change is claimed only when the rank test rejects "same distribution"
  // and the whole confidence interval lies on one side of zero.
  const bool ranks_differ = change.p_value < 1.0 - confidence;
  const bool above = change.interval.low > 0;
  const bool below = change.interval.high < 0;
  if (ranks_differ && (above || below)) {
    const bool better = above == change.higher_is_better;
    change.verdict = better ? Verdict::kFaster : Verdict::kSlower;
  } else {
    change.verdict = Verdict::kNoChange;
    change.why = !ranks_differ ? fmt::format("rank test p = {:.3f}", change.p_value)
                               : "the confidence interval includes zero";
  }
  return change;
}

}  // namespace

Comparison compare_results(const BenchResult& before, const BenchResult& after, double confidence) {
  Comparison comparison;
  comparison.confidence = confidence;
  for (const Metric& metric : before.metrics) {
    const Metric* other = after.metric(metric.name);
    if (!other) continue;
    if (other->unit != metric.unit || other->higher_is_better != metric.higher_is_better) {
      comparison.warnings.push_back(fmt::format("metric {} is measured differently in the two files: skipped", metric.name));
      continue;
    }
    comparison.metrics.push_back(compare_metric(metric, *other, confidence));
  }
  auto differs = [&](const std::string& what, const std::string& a, const std::string& b) {
    if (a != b) comparison.warnings.push_back(fmt::format("{} differs: {} before, {} after", what, a, b));
  };
  differs("model", before.model, after.model);
  differs("weight type", before.weight_type, after.weight_type);
  differs("threads", std::to_string(before.threads), std::to_string(after.threads));
  differs("kernels", before.kernels, after.kernels);
  differs("key/value cache", before.kv_cache, after.kv_cache);
  differs("prompt tokens", std::to_string(before.prompt_tokens), std::to_string(after.prompt_tokens));
  differs("generated tokens", std::to_string(before.generate_tokens), std::to_string(after.generate_tokens));
  return comparison;
}

}  // namespace tune::bench
