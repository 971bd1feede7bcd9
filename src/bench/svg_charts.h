// The charts of the report page, drawn as inline SVG text: the page must
// work offline and as a CI artifact, so there is no script and no library.
// Each chart is a function of the numbers only; colours and fonts come from
// the page's style sheet (classes), so the charts stay small.
#pragma once

#include "bench/compare.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tune::bench {

// Text for HTML and SVG: & < > " ' escaped, control bytes shown as \xNN.
std::string escape_markup(std::string_view text);

// The style class of a verdict: better, worse, same, untested.
std::string verdict_class(Verdict verdict);

// Round axis ticks (1, 2 or 5 times a power of ten) covering [low, high].
std::vector<double> nice_ticks(double low, double high, int about = 5);

// One metric's samples before and after as two rows of dots on a shared
// axis, each with its median and the 95% interval of that median.
std::string samples_chart(const MetricChange& metric, const std::vector<double>& before,
                          const std::vector<double>& after);

// The change of the median in percent with its confidence interval, against
// zero and, for a gated metric, the allowed regression (a dashed line).
std::string change_chart(const MetricChange& metric, std::optional<double> allowed_regression_pct);

// Grouped bars, before and after, for metrics of one unit (the inter-token
// latency percentiles): the medians, with the range of the repetitions.
std::string grouped_bars_chart(const std::vector<const MetricChange*>& metrics, const std::string& title);

// Horizontal bars on a 0-100% axis (the roofline shares): before and after medians.
std::string share_bars_chart(const std::vector<const MetricChange*>& metrics, const std::string& title);

}  // namespace tune::bench
