#include "bench/html_report.h"
#include "bench/svg_charts.h"

#include <gtest/gtest.h>

#include <regex>

namespace tune::bench {
namespace {

Metric metric(const std::string& name, const std::string& label, const std::string& unit, bool higher,
              std::vector<double> samples) {
  return Metric{name, label, unit, higher, std::move(samples)};
}

BenchResult result(double scale) {
  BenchResult r;
  r.tune_version = "test";
  r.started_at = "2026-12-07T00:00:00Z";
  r.cpu = "Test CPU";
  r.cores = 2;
  r.threads = 2;
  r.model = "synthetic:tiny";
  r.weight_type = "q8_0";
  r.repeat = 5;
  r.metrics = {
      metric("decode_tokens_per_s", "decode", "tok/s", true, {100 * scale, 101 * scale, 99 * scale, 100.5 * scale, 99.5 * scale}),
      metric("ttft_ms", "time to first token", "ms", false, {10 / scale, 10.1 / scale, 9.9 / scale, 10 / scale, 10.2 / scale}),
      metric("itl_p50_ms", "inter-token p50", "ms", false, {1, 1.1, 0.9, 1, 1}),
      metric("itl_p95_ms", "inter-token p95", "ms", false, {2, 2.1, 1.9, 2, 2}),
      metric("itl_p99_ms", "inter-token p99", "ms", false, {3, 3.1, 2.9, 3, 3}),
      metric("decode_roofline_pct", "decode, share of read roofline", "%", true, {40, 41, 39, 40, 40}),
      metric("prefill_fma_pct", "prefill, share of FMA peak", "%", true, {20, 21, 19, 20, 20}),
  };
  return r;
}

struct Fixture {
  BenchResult before = result(1.0);
  BenchResult after = result(0.8);  // 20% slower decode, longer time to first token
  Comparison comparison = compare_results(before, after);
  ReportPage page() const {
    ReportPage p;
    p.title = "Validation of profile 'x'";
    p.before = &before;
    p.after = &after;
    p.comparison = &comparison;
    return p;
  }
};

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(HtmlReport, EveryMetricHasAFigureWithItsSamplesAndChangeCharts) {
  Fixture f;
  const std::string html = render_report_page(f.page());
  for (const auto& m : f.comparison.metrics) {
    const std::string figure = "<figure class=\"metric\" data-metric=\"" + m.name + "\"";
    ASSERT_NE(html.find(figure), std::string::npos) << m.name;
    const size_t start = html.find(figure);
    const std::string body = html.substr(start, html.find("</figure>", start) - start);
    EXPECT_EQ(count(body, "<svg"), 2u) << m.name << ": a samples chart and a change chart";
    EXPECT_EQ(count(body, "class=\"sample\""), 10u) << m.name << ": one dot per run, before and after";
    EXPECT_NE(html.find("<tr data-metric=\"" + m.name + "\""), std::string::npos) << m.name << " in the summary";
  }
}

TEST(HtmlReport, LatencyPercentilesAndRooflineSharesHaveTheirCharts) {
  Fixture f;
  const std::string html = render_report_page(f.page());
  EXPECT_NE(html.find("<div data-chart=\"itl\"><svg"), std::string::npos);
  EXPECT_NE(html.find("<div data-chart=\"roofline\"><svg"), std::string::npos);
}

TEST(HtmlReport, ResultsWithoutProbesSayTheRooflineWasNotMeasured) {
  Fixture f;
  for (auto* r : {&f.before, &f.after}) {
    std::erase_if(r->metrics, [](const Metric& m) { return m.unit == "%"; });
  }
  f.comparison = compare_results(f.before, f.after);
  const std::string html = render_report_page(f.page());
  EXPECT_EQ(html.find("data-chart=\"roofline\""), std::string::npos);
  EXPECT_NE(html.find("Not measured: the results were taken without the bandwidth and FMA probes"), std::string::npos);
}

TEST(HtmlReport, ThePageLoadsNothingAndRunsNothing) {
  Fixture f;
  const std::string html = render_report_page(f.page());
  EXPECT_NE(html.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(html.find("href="), std::string::npos);
  // The only address is the SVG namespace, which is a name, not a fetch.
  const std::string without_namespace = std::regex_replace(html, std::regex("http://www.w3.org/2000/svg"), "");
  EXPECT_EQ(without_namespace.find("://"), std::string::npos);
}

TEST(HtmlReport, ValuesFromFilesAreEscaped) {
  Fixture f;
  f.before.model = "<script>alert(1)</script>";
  f.before.cpu = "A & B \"quoted\"";
  ReportPage page = f.page();
  page.diff = "+++ /etc/x\n+<img src=x onerror=alert(1)>\n";
  const std::string html = render_report_page(page);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("A &amp; B &quot;quoted&quot;"), std::string::npos);
}

TEST(HtmlReport, ARolledBackValidationSaysSoAndDrawsTheAllowedRegression) {
  Fixture f;
  for (auto& m : f.comparison.metrics) {
    m.decides = m.name == "decode_tokens_per_s" || m.name == "ttft_ms";
    m.decision = m.decides ? "worse" : "within the allowance";
  }
  f.comparison.metrics[0].noise = 0.012;
  f.comparison.metrics[0].resolvable = 0.011;
  ReportPage page = f.page();
  ReportDecision decision;
  decision.allowed_regression_pct = 5;
  decision.verdict = "worse";
  decision.design = "3 A/A pairs, then interleaved: 7 pairs";
  decision.rolled_back = true;
  decision.lines = {"decode: -20%"};
  page.decision = decision;
  page.diff = "--- sysctl (before)\n+++ sysctl (after)\n@@ -1 +1 @@\n-vm.swappiness = 60\n+vm.swappiness = 10\n";
  const std::string html = render_report_page(page);
  EXPECT_NE(html.find("class=\"verdict worse\""), std::string::npos);
  EXPECT_NE(html.find("Worse: the change was rolled back"), std::string::npos);
  EXPECT_NE(html.find("Measured 3 A/A pairs, then interleaved: 7 pairs."), std::string::npos);
  EXPECT_NE(html.find("A/A noise of one pair ±1.2%; resolvable here: about ±1.1%"), std::string::npos);
  EXPECT_NE(html.find("<li>decode: -20%</li>"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"del\">-vm.swappiness = 60</span>"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"add\">+vm.swappiness = 10</span>"), std::string::npos);
  // The deciding metrics (decode, time to first token) carry the allowed-regression line.
  EXPECT_EQ(count(html, "class=\"limit\""), 2u);
  EXPECT_EQ(count(html, "<span class=\"badge gate\">decides</span>"), 2u);
}

TEST(HtmlReport, AComparisonWithoutADecisionCountsVerdictsAndDrawsNoLimit) {
  Fixture f;
  const std::string html = render_report_page(f.page());
  EXPECT_EQ(html.find("class=\"limit\""), std::string::npos);
  EXPECT_NE(html.find("worse, "), std::string::npos);
}

TEST(HtmlReport, TheSamePageComesOutForTheSameInput) {
  Fixture f;
  EXPECT_EQ(render_report_page(f.page()), render_report_page(f.page()));
}

TEST(SvgCharts, TicksAreRoundAndCoverTheRange) {
  auto ticks = nice_ticks(3.2, 97.5);
  ASSERT_GE(ticks.size(), 3u);
  EXPECT_LE(ticks.front(), 3.2);
  EXPECT_GE(ticks.back(), 97.5);
  EXPECT_DOUBLE_EQ(ticks[1] - ticks[0], 20.0);
  auto small = nice_ticks(0.0261, 0.0319);
  EXPECT_LE(small.front(), 0.0261);
  EXPECT_GE(small.back(), 0.0319);
  EXPECT_EQ(nice_ticks(5, 5), std::vector<double>{5});
}

TEST(SvgCharts, MarkupIsEscaped) {
  EXPECT_EQ(escape_markup("<a href='x'>&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
  EXPECT_EQ(escape_markup(std::string("a\x01" "b", 3)), "a\\x01b");
}

}  // namespace
}  // namespace tune::bench
