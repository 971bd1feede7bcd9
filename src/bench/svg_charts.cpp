#include "bench/svg_charts.h"

#include "bench/report.h"
#include "bench/stats.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace tune::bench {
namespace {

// Chart geometry, in SVG user units (the page scales the whole drawing).
constexpr double kWidth = 640;
constexpr double kLeft = 70;    // room for row labels
constexpr double kRight = 20;

// A linear map from data to pixels.
struct Scale {
  double low, high, from, to;
  double operator()(double value) const {
    if (high == low) return (from + to) / 2;
    return from + (value - low) / (high - low) * (to - from);
  }
};

std::string px(double value) { return fmt::format("{:.1f}", value); }

// Ticks and the range they span, widened so a flat series still has an axis.
struct Axis {
  std::vector<double> ticks;
  double low = 0, high = 1;
};

Axis axis_for(double low, double high, bool from_zero) {
  if (from_zero) low = std::min(low, 0.0);
  if (!(high > low)) {
    const double pad = std::fabs(low) > 0 ? std::fabs(low) * 0.05 : 1;
    low -= pad;
    high += pad;
  }
  Axis axis;
  axis.ticks = nice_ticks(low, high);
  axis.low = std::min(low, axis.ticks.front());
  axis.high = std::max(high, axis.ticks.back());
  return axis;
}

// "5", "2.5", "0.02", "140000": as few digits as the tick needs.
std::string tick_label(double value) {
  if (value == 0) return "0";
  std::string text = fmt::format("{:.6g}", value);
  if (text.find('e') != std::string::npos) text = format_value(value);
  return text;
}

std::string open_svg(double height, const std::string& label, const std::string& kind) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart {}\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "aria-label=\"{}\"><title>{}</title>",
      kind, px(kWidth), px(height), escape_markup(label), escape_markup(label));
}

// A horizontal axis at y with its ticks, grid lines up to `top` and a unit label.
std::string x_axis(const Scale& x, const std::vector<double>& ticks, double y, double top, const std::string& unit,
                   const std::string& suffix = "") {
  std::string out = fmt::format("<line class=\"axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", px(x.from), px(y),
                                px(x.to), px(y));
  for (double tick : ticks) {
    const double at = x(tick);
    out += fmt::format("<line class=\"grid\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>", px(at), px(top), px(y));
    out += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", px(at), px(y + 14),
                       escape_markup(tick_label(tick) + suffix));
  }
  if (!unit.empty()) {
    out += fmt::format("<text class=\"unit\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", px(x.to), px(y + 28),
                       escape_markup(unit));
  }
  return out;
}

// A row's name, right-aligned against the plot.
std::string row_label(double right, double y, const std::string& text) {
  return fmt::format("<text class=\"row-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", px(right), px(y),
                     escape_markup(text));
}

// One row of a samples chart: the median's interval as a band, the samples
// as dots (spread over three lanes so equal values stay visible), the median.
std::string sample_row(const Scale& x, const std::vector<double>& samples, double y, const std::string& label,
                       const std::string& series, const std::string& unit) {
  std::string out = fmt::format("<g class=\"series {}\">", series);
  out += row_label(kLeft - 10, y + 4, label);
  if (samples.empty()) return out + "</g>";
  const Interval ci = bootstrap_median_interval(samples);
  const Summary summary = summarize(samples);
  out += fmt::format(
      "<rect class=\"ci\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"22\" rx=\"3\"><title>{}: median {} {}, 95% "
      "interval {} to {}</title></rect>",
      px(x(ci.low)), px(y - 11), px(std::max(2.0, x(ci.high) - x(ci.low))), escape_markup(label),
      format_value(summary.median), escape_markup(unit), format_value(ci.low), format_value(ci.high));
  for (size_t i = 0; i < samples.size(); ++i) {
    const double lane = (static_cast<double>(i % 3) - 1.0) * 5.0;
    out += fmt::format("<circle class=\"sample\" cx=\"{}\" cy=\"{}\" r=\"3.5\"><title>run {}: {} {}</title></circle>",
                       px(x(samples[i])), px(y + lane), i + 1, format_value(samples[i]), escape_markup(unit));
  }
  out += fmt::format("<line class=\"median\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>", px(x(summary.median)),
                     px(y - 14), px(y + 14));
  return out + "</g>";
}

}  // namespace

std::string verdict_class(Verdict verdict) {
  switch (verdict) {
    case Verdict::kFaster: return "better";
    case Verdict::kSlower: return "worse";
    case Verdict::kNoChange: return "same";
    case Verdict::kNotTested: return "untested";
  }
  return "untested";
}

std::string escape_markup(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
          out += fmt::format("\\x{:02x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

std::vector<double> nice_ticks(double low, double high, int about) {
  if (!std::isfinite(low) || !std::isfinite(high)) return {0};
  if (high < low) std::swap(low, high);
  if (high == low) return {low};
  const double rough = (high - low) / std::max(1, about);
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  double step = power;
  for (double factor : {1.0, 2.0, 5.0, 10.0}) {
    step = factor * power;
    if (step >= rough) break;
  }
  std::vector<double> ticks;
  const double first = std::floor(low / step) * step;
  for (double tick = first; tick <= high + step * 0.5 && ticks.size() < 50; tick += step) {
    ticks.push_back(std::fabs(tick) < step * 1e-9 ? 0.0 : tick);
  }
  if (ticks.back() < high) ticks.push_back(ticks.back() + step);
  return ticks;
}

std::string samples_chart(const MetricChange& metric, const std::vector<double>& before,
                          const std::vector<double>& after) {
  double low = INFINITY, high = -INFINITY;
  for (const auto* side : {&before, &after}) {
    for (double v : *side) {
      low = std::min(low, v);
      high = std::max(high, v);
    }
  }
  if (!std::isfinite(low)) low = high = 0;
  // A little room either side, so the extreme dots are not on the frame.
  const double pad = (high - low) * 0.08;
  const Axis axis = axis_for(low - pad, high + pad, false);
  const Scale x{axis.low, axis.high, kLeft, kWidth - kRight};
  const double height = 132;
  std::string out = open_svg(height, metric.label + ": samples before and after", "samples");
  out += x_axis(x, axis.ticks, 96, 8, metric.unit);
  out += sample_row(x, before, 30, "before", "before", metric.unit);
  out += sample_row(x, after, 70, "after", "after", metric.unit);
  return out + "</svg>";
}

std::string change_chart(const MetricChange& metric, std::optional<double> allowed_regression_pct) {
  const double change = metric.change * 100, low = metric.interval.low * 100, high = metric.interval.high * 100;
  // A regression is a fall for throughput and a rise for latency.
  std::optional<double> limit;
  if (allowed_regression_pct) limit = metric.higher_is_better ? -*allowed_regression_pct : *allowed_regression_pct;
  double from = std::min({0.0, low, change}), to = std::max({0.0, high, change});
  if (limit) {
    from = std::min(from, *limit);
    to = std::max(to, *limit);
  }
  const double pad = std::max(1.0, (to - from) * 0.1);
  const Axis axis = axis_for(from - pad, to + pad, false);
  const Scale x{axis.low, axis.high, kLeft, kWidth - kRight};
  const double height = 84, y = 26;
  std::string out = open_svg(height, metric.label + ": change of the median with its confidence interval", "change");
  out += x_axis(x, axis.ticks, 50, 6, "change of the median", "%");
  out += row_label(kLeft - 10, y + 4, "change");
  out += fmt::format("<line class=\"zero\" x1=\"{0}\" y1=\"6\" x2=\"{0}\" y2=\"50\"/>", px(x(0)));
  if (limit) {
    out += fmt::format(
        "<line class=\"limit\" x1=\"{0}\" y1=\"6\" x2=\"{0}\" y2=\"50\"><title>allowed regression: {1}%</title></line>",
        px(x(*limit)), format_value(*limit));
  }
  if (metric.verdict != Verdict::kNotTested) {
    out += fmt::format("<g class=\"estimate {}\">", verdict_class(metric.verdict));
    out += fmt::format(
        "<line class=\"interval\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"><title>95% interval {}% to {}%</title></line>",
        px(x(low)), px(y), px(x(high)), px(y), format_value(low), format_value(high));
    for (double end : {low, high}) {
      out += fmt::format("<line class=\"interval\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>", px(x(end)),
                         px(y - 7), px(y + 7));
    }
    out += fmt::format("<circle class=\"point\" cx=\"{}\" cy=\"{}\" r=\"5\"><title>change {}%</title></circle>",
                       px(x(change)), px(y), format_value(change));
    out += "</g>";
  }
  return out + "</svg>";
}

std::string grouped_bars_chart(const std::vector<const MetricChange*>& metrics, const std::string& title) {
  double top = 0;
  for (const auto* m : metrics) top = std::max({top, m->before.max, m->after.max});
  const Axis axis = axis_for(0, top * 1.05, true);
  const double height = 60 + 44.0 * static_cast<double>(metrics.size());
  const double axis_y = height - 34;
  const Scale x{axis.low, axis.high, kLeft + 40, kWidth - kRight};
  std::string out = open_svg(height, title, "bars");
  out += x_axis(x, axis.ticks, axis_y, 6, metrics.empty() ? "" : metrics.front()->unit);
  double y = 14;
  for (const auto* m : metrics) {
    out += row_label(kLeft + 30, y + 17, m->label);
    const std::pair<const Summary*, const char*> sides[] = {{&m->before, "before"}, {&m->after, "after"}};
    for (const auto& [summary, series] : sides) {
      out += fmt::format(
          "<g class=\"series {0}\"><rect class=\"bar\" x=\"{1}\" y=\"{2}\" width=\"{3}\" height=\"14\">"
          "<title>{4} {0}: median {5} {6} (runs {7} to {8})</title></rect>"
          "<line class=\"range\" x1=\"{9}\" y1=\"{10}\" x2=\"{11}\" y2=\"{10}\"/></g>",
          series, px(x(0)), px(y), px(std::max(1.0, x(summary->median) - x(0))), escape_markup(m->label),
          format_value(summary->median), escape_markup(m->unit), format_value(summary->min), format_value(summary->max),
          px(x(summary->min)), px(y + 7), px(x(summary->max)));
      y += 16;
    }
    y += 12;
  }
  return out + "</svg>";
}

std::string share_bars_chart(const std::vector<const MetricChange*>& metrics, const std::string& title) {
  const double height = 60 + 44.0 * static_cast<double>(metrics.size());
  const double axis_y = height - 34;
  const Scale x{0, 100, kLeft + 150, kWidth - kRight};
  std::string out = open_svg(height, title, "shares");
  out += x_axis(x, {0, 20, 40, 60, 80, 100}, axis_y, 6, "", "%");
  double y = 14;
  for (const auto* m : metrics) {
    out += row_label(kLeft + 140, y + 17, m->label);
    const std::pair<const Summary*, const char*> sides[] = {{&m->before, "before"}, {&m->after, "after"}};
    for (const auto& [summary, series] : sides) {
      const double share = std::clamp(summary->median, 0.0, 100.0);
      out += fmt::format(
          "<g class=\"series {0}\"><rect class=\"bar\" x=\"{1}\" y=\"{2}\" width=\"{3}\" height=\"14\">"
          "<title>{4} {0}: {5}%</title></rect></g>",
          series, px(x(0)), px(y), px(std::max(1.0, x(share) - x(0))), escape_markup(m->label),
          format_value(summary->median));
      y += 16;
    }
    y += 12;
  }
  return out + "</svg>";
}

}  // namespace tune::bench
