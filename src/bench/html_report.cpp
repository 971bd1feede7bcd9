#include "bench/html_report.h"

#include "bench/report.h"
#include "bench/svg_charts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace tune::bench {
namespace {

// The style sheet. The content security policy in the head forbids every
// fetch, so a page that tried to load anything would show it as an error.
constexpr const char* kStyle = R"css(
:root { --before: #5b7083; --after: #d9782d; --better: #2e7d32; --worse: #c62828; --same: #6d6d6d;
        --ink: #1d2430; --muted: #5d6675; --line: #d8dde4; --paper: #ffffff; --band: #f4f6f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       background: var(--band); }
main { max-width: 1080px; margin: 0 auto; padding: 24px 28px 48px; }
header h1 { margin: 0 0 4px; font-size: 26px; }
header p { margin: 0; color: var(--muted); }
section { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px;
          margin-top: 18px; }
h2 { font-size: 18px; margin: 0 0 12px; }
h3 { font-size: 15px; margin: 0; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 5px 10px 5px 0; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td.num { text-align: right; }
tr.differs td { background: #fff6e5; }
.verdict { border-left: 8px solid var(--same); }
.verdict.better { border-left-color: var(--better); }
.verdict.worse { border-left-color: var(--worse); }
.verdict .headline { font-size: 20px; font-weight: 700; margin: 0 0 6px; }
.verdict ul { margin: 6px 0 0; padding-left: 20px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600;
         color: #fff; background: var(--same); white-space: nowrap; }
.badge.better { background: var(--better); }
.badge.worse { background: var(--worse); }
.badge.untested { background: #9aa3ad; }
.badge.gate { background: #34495e; }
.legend span { display: inline-block; margin-right: 16px; color: var(--muted); font-size: 13px; }
.legend i { display: inline-block; width: 12px; height: 12px; border-radius: 6px; margin-right: 5px;
            vertical-align: -1px; }
.legend .before i { background: var(--before); }
.legend .after i { background: var(--after); }
.metrics { display: grid; grid-template-columns: repeat(auto-fill, minmax(470px, 1fr)); gap: 14px; }
figure.metric { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
figure.metric .head { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; }
figure.metric figcaption { color: var(--muted); font-size: 13px; margin-top: 2px; }
svg.chart { display: block; width: 100%; height: auto; font-size: 11px; }
[data-chart] svg.chart { max-width: 720px; }
svg .axis { stroke: #8a94a3; stroke-width: 1; }
svg .grid { stroke: #e7eaee; stroke-width: 1; }
svg .tick, svg .unit { fill: var(--muted); }
svg .row-label { fill: var(--ink); font-size: 12px; }
svg .before .sample, svg .before .bar { fill: var(--before); }
svg .after .sample, svg .after .bar { fill: var(--after); }
svg .sample { fill-opacity: 0.85; }
svg .ci { fill-opacity: 0.18; }
svg .before .ci { fill: var(--before); }
svg .after .ci { fill: var(--after); }
svg .median { stroke: var(--ink); stroke-width: 2; }
svg .range { stroke: var(--ink); stroke-width: 1.2; }
svg .zero { stroke: var(--ink); stroke-width: 1; }
svg .limit { stroke: var(--worse); stroke-width: 1.5; stroke-dasharray: 5 4; }
svg .estimate .interval { stroke-width: 3; }
svg .estimate.better .interval, svg .estimate.better .point { stroke: var(--better); fill: var(--better); }
svg .estimate.worse .interval, svg .estimate.worse .point { stroke: var(--worse); fill: var(--worse); }
svg .estimate.same .interval, svg .estimate.same .point { stroke: var(--same); fill: var(--same); }
pre.diff { margin: 0; padding: 10px 12px; background: #fbfcfd; border: 1px solid var(--line); border-radius: 6px;
           overflow-x: auto; font: 12.5px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; }
pre.diff .add { color: #1b5e20; background: #e8f5e9; display: block; }
pre.diff .del { color: #b71c1c; background: #ffebee; display: block; }
pre.diff .hunk { color: #6a1b9a; display: block; }
pre.diff .file { font-weight: 700; display: block; }
.note { color: var(--muted); font-size: 13px; }
footer { color: var(--muted); font-size: 12px; margin-top: 20px; }
)css";

std::string e(const std::string& text) { return escape_markup(text); }

// The page says better and worse: "faster" reads oddly for memory or a share.
std::string verdict_word(Verdict verdict) {
  switch (verdict) {
    case Verdict::kFaster: return "better";
    case Verdict::kSlower: return "worse";
    default: return std::string(verdict_name(verdict));
  }
}

// A validation's metric shows its decision (better, within the allowance,
// inconclusive, worse); a plain comparison's its verdict.
std::string badge_word(const MetricChange& m) { return m.decision.empty() ? verdict_word(m.verdict) : m.decision; }
std::string badge_css(const MetricChange& m) {
  if (m.decision.empty()) return verdict_class(m.verdict);
  if (m.decision == "worse") return "worse";
  if (m.decision == "better") return "better";
  return m.decision == "inconclusive" ? "untested" : "same";
}

std::string percent(double fraction) { return fmt::format("{:+.1f}%", fraction * 100); }

const std::vector<double>& samples_of(const BenchResult& result, const std::string& name) {
  static const std::vector<double> none;
  const Metric* metric = result.metric(name);
  return metric ? metric->samples : none;
}

std::string verdict_section(const ReportPage& page) {
  const Comparison& comparison = *page.comparison;
  std::string css = "same", headline;
  std::vector<std::string> lines;
  if (page.decision) {
    const ReportDecision& d = *page.decision;
    const std::string action = d.rolled_back ? "the change was rolled back"
                               : d.kept_anyway ? "the change was kept with --keep"
                                               : "the change was kept";
    css = d.verdict == "worse" ? "worse" : (d.verdict == "better" ? "better" : "same");
    std::string verdict = d.verdict;
    if (!verdict.empty()) verdict[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(verdict[0])));
    headline = verdict + ": " + action;
    if (d.verdict == "inconclusive") headline += " (on_inconclusive = " + d.inconclusive_policy + ")";
    lines = d.lines;
    lines.push_back("Measured " + d.design + ".");
    lines.push_back(fmt::format("Rolled back when the whole {:g}% interval of a deciding metric lies beyond the "
                                "allowed regression of {:g}%.",
                                d.confidence_pct, d.allowed_regression_pct));
  } else {
    int better = 0, worse = 0, same = 0;
    for (const auto& m : comparison.metrics) {
      better += m.verdict == Verdict::kFaster;
      worse += m.verdict == Verdict::kSlower;
      same += m.verdict == Verdict::kNoChange;
    }
    css = worse ? "worse" : (better ? "better" : "same");
    headline = fmt::format("{} better, {} worse, {} without a significant change", better, worse, same);
    lines.push_back(fmt::format("A change is claimed only when the {:.0f}% interval excludes zero and the rank test "
                                "agrees (p < {:.2f}).",
                                comparison.confidence * 100, 1 - comparison.confidence));
  }
  std::string out = fmt::format("<section id=\"verdict\" class=\"verdict {}\"><p class=\"headline\">{}</p><ul>", css,
                                e(headline));
  for (const auto& line : lines) out += "<li>" + e(line) + "</li>";
  return out + "</ul></section>";
}

std::string host_section(const ReportPage& page) {
  const BenchResult& b = *page.before;
  const BenchResult& a = *page.after;
  auto threads = [](const BenchResult& r) { return fmt::format("{}{}", r.threads, r.pinned ? ", pinned" : ", not pinned"); };
  const std::vector<std::tuple<std::string, std::string, std::string>> rows = {
      {"CPU", b.cpu, a.cpu},
      {"cores", std::to_string(b.cores), std::to_string(a.cores)},
      {"threads", threads(b), threads(a)},
      {"kernels", b.kernels, a.kernels},
      {"transparent huge pages", b.thp_mode, a.thp_mode},
      {"explicit huge pages", std::to_string(b.hugepages_total), std::to_string(a.hugepages_total)},
      {"read bandwidth, peak", format_value(b.read_bandwidth_gbs) + " GB/s", format_value(a.read_bandwidth_gbs) + " GB/s"},
      {"FMA, peak", format_value(b.fma_gflops) + " GFLOP/s", format_value(a.fma_gflops) + " GFLOP/s"},
      {"measured at", b.started_at, a.started_at},
      {"tune", b.tune_version, a.tune_version},
  };
  std::string out = "<section id=\"host\"><h2>Host</h2>";
  if (!page.host.empty()) {
    out += "<table class=\"facts\"><tbody>";
    for (const auto& [name, value] : page.host) out += "<tr><th>" + e(name) + "</th><td>" + e(value) + "</td></tr>";
    out += "</tbody></table><p></p>";
  }
  out += fmt::format("<table><thead><tr><th></th><th>{}</th><th>{}</th></tr></thead><tbody>", e(page.before_name),
                     e(page.after_name));
  for (const auto& [name, before, after] : rows) {
    out += fmt::format("<tr{}><th>{}</th><td>{}</td><td>{}</td></tr>", before != after && name != "measured at" ? " class=\"differs\"" : "",
                       e(name), e(before), e(after));
  }
  return out + "</tbody></table></section>";
}

std::string workload_section(const ReportPage& page) {
  const BenchResult& r = *page.before;
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"model", r.model + (r.model_file.empty() || r.model_file == r.model ? "" : " (" + r.model_file + ")")},
      {"weights", fmt::format("{}, {} layers, dim {}, {} heads / {} kv, hidden {}, vocab {}", r.weight_type, r.layers,
                              r.dim, r.heads, r.kv_heads, r.hidden, r.vocab)},
      {"weight memory", r.weight_memory},
      {"key/value cache", r.kv_cache},
      {"workload", fmt::format("{}-token prompt, {} generated tokens, {} repetitions", r.prompt_tokens,
                               r.generate_tokens, r.repeat)},
  };
  std::string out = "<section id=\"workload\"><h2>Model and workload</h2><table><tbody>";
  for (const auto& [name, value] : rows) out += "<tr><th>" + e(name) + "</th><td>" + e(value) + "</td></tr>";
  return out + "</tbody></table></section>";
}

std::string diff_section(const std::string& diff) {
  if (diff.empty()) return "";
  std::string out = "<section id=\"diff\"><h2>Applied changes</h2><pre class=\"diff\">";
  size_t start = 0;
  while (start < diff.size()) {
    size_t end = diff.find('\n', start);
    if (end == std::string::npos) end = diff.size();
    const std::string line = diff.substr(start, end - start);
    std::string css;
    if (line.rfind("+++", 0) == 0 || line.rfind("---", 0) == 0) css = "file";
    else if (line.rfind("@@", 0) == 0) css = "hunk";
    else if (!line.empty() && line[0] == '+') css = "add";
    else if (!line.empty() && line[0] == '-') css = "del";
    out += css.empty() ? e(line) + "\n" : "<span class=\"" + css + "\">" + e(line) + "</span>";
    start = end + 1;
  }
  return out + "</pre></section>";
}

std::string summary_table(const ReportPage& page) {
  std::string out =
      "<table class=\"summary\"><thead><tr><th>metric</th><th class=\"num\">before</th><th class=\"num\">after</th>"
      "<th class=\"num\">change</th><th class=\"num\">95% interval</th><th class=\"num\">p</th><th>verdict</th></tr>"
      "</thead><tbody>";
  for (const auto& m : page.comparison->metrics) {
    out += fmt::format(
        "<tr data-metric=\"{}\"><td>{}{}</td><td class=\"num\">{} {}</td><td class=\"num\">{} {}</td>"
        "<td class=\"num\">{}</td><td class=\"num\">{} to {}</td><td class=\"num\">{}</td>"
        "<td><span class=\"badge {}\">{}</span></td></tr>",
        e(m.name), e(m.label), m.decides ? " <span class=\"badge gate\">decides</span>" : "",
        format_value(m.before.median), e(m.unit), format_value(m.after.median), e(m.unit), percent(m.change),
        percent(m.interval.low), percent(m.interval.high), fmt::format("{:.3f}", m.p_value), badge_css(m),
        e(badge_word(m)));
  }
  return out + "</tbody></table>";
}

std::string metric_figure(const ReportPage& page, const MetricChange& m) {
  std::optional<double> limit;
  if (page.decision && m.decides) limit = page.decision->allowed_regression_pct;
  std::string caption = fmt::format("median {} → {} {}, change {} (95% interval {} to {}), p = {:.3f}",
                                    format_value(m.before.median), format_value(m.after.median), m.unit,
                                    percent(m.change), percent(m.interval.low), percent(m.interval.high), m.p_value);
  if (!m.why.empty()) caption += "; " + m.why;
  if (m.noise) caption += fmt::format("; A/A noise of one pair ±{:.1f}%", *m.noise * 100);
  if (!m.decision.empty() && m.resolvable > 0 && std::isfinite(m.resolvable)) {
    caption += fmt::format("; resolvable here: about ±{:.1f}%", m.resolvable * 100);
  }
  return fmt::format(
      "<figure class=\"metric\" data-metric=\"{}\"><div class=\"head\"><h3>{}</h3><span class=\"badge {}\">{}</span>"
      "</div>{}{}<figcaption>{}</figcaption></figure>",
      e(m.name), e(m.label + " (" + m.unit + ")"), badge_css(m), e(badge_word(m)),
      samples_chart(m, samples_of(*page.before, m.name), samples_of(*page.after, m.name)), change_chart(m, limit),
      e(caption));
}

std::vector<const MetricChange*> pick(const Comparison& comparison, const std::vector<std::string>& names) {
  std::vector<const MetricChange*> found;
  for (const auto& name : names) {
    for (const auto& m : comparison.metrics) {
      if (m.name == name) found.push_back(&m);
    }
  }
  return found;
}

std::string legend() {
  return "<p class=\"legend\"><span class=\"before\"><i></i>before</span><span class=\"after\"><i></i>after</span>"
         "<span>dots: one run each; band: 95% interval of the median; bar: the median</span></p>";
}

std::string metrics_section(const ReportPage& page) {
  std::string out = "<section id=\"metrics\"><h2>Every metric</h2>" + summary_table(page) + legend() +
                    "<div class=\"metrics\">";
  for (const auto& m : page.comparison->metrics) out += metric_figure(page, m);
  return out + "</div></section>";
}

std::string latency_section(const ReportPage& page) {
  const auto metrics = pick(*page.comparison, {"itl_p50_ms", "itl_p95_ms", "itl_p99_ms"});
  std::string out = "<section id=\"latency\"><h2>Inter-token latency</h2>";
  if (metrics.empty()) return out + "<p class=\"note\">Not measured in these results.</p></section>";
  return out + "<div data-chart=\"itl\">" +
         grouped_bars_chart(metrics, "inter-token latency percentiles, before and after") +
         "</div><p class=\"note\">Bars: the median over the repetitions; lines: the fastest to the slowest "
         "repetition.</p></section>";
}

std::string roofline_section(const ReportPage& page) {
  const auto metrics = pick(*page.comparison, {"decode_roofline_pct", "prefill_fma_pct"});
  std::string out = "<section id=\"roofline\"><h2>Roofline shares</h2>";
  if (metrics.empty()) {
    return out + "<p class=\"note\">Not measured: the results were taken without the bandwidth and FMA probes "
                 "(--no-probes).</p></section>";
  }
  return out + "<div data-chart=\"roofline\">" +
         share_bars_chart(metrics, "shares of the host's measured peaks, before and after") +
         "</div><p class=\"note\">Decode reads every weight once per token, so its ceiling is the read bandwidth; "
         "prefill is bound by the FMA peak. A share far below 100% leaves room a setting cannot give; one near it "
         "leaves none.</p></section>";
}

std::string notes_section(const ReportPage& page) {
  std::vector<std::string> notes = page.comparison->warnings;
  for (const auto* result : {page.before, page.after}) {
    for (const auto& note : result->notes) {
      if (std::find(notes.begin(), notes.end(), note) == notes.end()) notes.push_back(note);
    }
  }
  if (notes.empty()) return "";
  std::string out = "<section id=\"notes\"><h2>Notes</h2><ul>";
  for (const auto& note : notes) out += "<li>" + e(note) + "</li>";
  return out + "</ul></section>";
}

}  // namespace

std::string render_report_page(const ReportPage& page) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>" + e(page.title) + "</title><style>" + kStyle + "</style></head><body><main>";
  out += "<header><h1>" + e(page.title) + "</h1><p>" + e(page.subtitle) + "</p></header>";
  out += verdict_section(page);
  out += host_section(page);
  out += workload_section(page);
  out += diff_section(page.diff);
  out += metrics_section(page);
  out += latency_section(page);
  out += roofline_section(page);
  out += notes_section(page);
  out += "<footer>Written by tune " + e(page.tune_version) + " at " + e(page.generated_at) +
         ". One file: no scripts, nothing loaded from the network.</footer>";
  return out + "</main></body></html>\n";
}

}  // namespace tune::bench
