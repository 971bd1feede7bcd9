#include "bench/report.h"

#include "bench/stats.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <unistd.h>

namespace tune::bench {
namespace {

std::string mib(size_t bytes) { return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1 << 20)); }

// Left-aligned first column, right-aligned others, two spaces between.
std::string render_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      const std::string pad(widths[i] - row[i].size(), ' ');
      line += i == 0 ? row[i] + pad : "  " + pad + row[i];
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string markdown_table(const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  for (size_t r = 0; r < rows.size(); ++r) {
    out += "|";
    for (const auto& cell : rows[r]) out += " " + cell + " |";
    out += "\n";
    if (r == 0) {
      out += "|";
      for (size_t i = 0; i < rows[r].size(); ++i) out += i == 0 ? " --- |" : " ---: |";
      out += "\n";
    }
  }
  return out;
}

std::vector<std::vector<std::string>> metric_rows(const BenchResult& r) {
  std::vector<std::vector<std::string>> rows = {{"metric", "median", "min", "max", "spread", "unit", "n"}};
  for (const Metric& m : r.metrics) {
    const Summary s = summarize(m.samples);
    // Spread: the range as a share of the median, the quickest read of noise.
    const std::string spread = s.median != 0 && s.count > 1
                                   ? fmt::format("±{:.1f}%", 50.0 * (s.max - s.min) / std::fabs(s.median))
                                   : "-";
    rows.push_back({m.label, format_value(s.median), format_value(s.min), format_value(s.max), spread, m.unit,
                    std::to_string(s.count)});
  }
  return rows;
}

std::vector<std::string> header_lines(const BenchResult& r) {
  std::vector<std::string> lines;
  lines.push_back(fmt::format("model: {} ({}, {} layers, dim {}, {} heads / {} kv, hidden {}, vocab {})", r.model,
                              r.weight_type, r.layers, r.dim, r.heads, r.kv_heads, r.hidden, r.vocab));
  lines.push_back(fmt::format("weights: {} read per token, memory: {}{}", mib(r.weight_bytes_per_token),
                              r.weight_memory,
                              r.huge_page_bytes ? fmt::format(" ({} in huge pages)", mib(r.huge_page_bytes)) : ""));
  lines.push_back(fmt::format("host: {}, {} cores; {} threads{}; kernels {}; THP {}, {} explicit huge pages", r.cpu,
                              r.cores, r.threads, r.pinned ? " pinned" : " (not pinned)", r.kernels, r.thp_mode,
                              r.hugepages_total));
  if (r.read_bandwidth_gbs > 0) {
    lines.push_back(fmt::format("probes: read bandwidth {} GB/s, FMA {} GFLOP/s (peaks over the same threads)",
                                format_value(r.read_bandwidth_gbs), format_value(r.fma_gflops)));
  }
  lines.push_back(fmt::format("workload: {}-token prompt, {} generated tokens, {} repetitions{}", r.prompt_tokens,
                              r.generate_tokens, r.repeat,
                              r.kv_cache.empty() ? "" : fmt::format("; {} key/value cache", r.kv_cache)));
  return lines;
}

std::string change_text(const MetricChange& m) {
  if (m.verdict == Verdict::kNotTested) return fmt::format("{:+.1f}%", m.change * 100);
  return fmt::format("{:+.1f}% [{:+.1f}%, {:+.1f}%]", m.change * 100, m.interval.low * 100, m.interval.high * 100);
}

std::vector<std::vector<std::string>> comparison_rows(const Comparison& c) {
  std::vector<std::vector<std::string>> rows = {
      {"metric", "before", "after", "unit", fmt::format("change [{:g}% CI]", c.confidence * 100), "p", "verdict"}};
  for (const MetricChange& m : c.metrics) {
    rows.push_back({m.label, format_value(m.before.median), format_value(m.after.median), m.unit, change_text(m),
                    m.verdict == Verdict::kNotTested ? "-" : fmt::format("{:.3f}", m.p_value),
                    std::string(verdict_name(m.verdict))});
  }
  return rows;
}

}  // namespace

std::function<void(const std::string&, double)> terminal_progress() {
  if (!::isatty(STDERR_FILENO)) return {};
  return [](const std::string& stage, double done) {
    constexpr int kWidth = 24;
    const int filled = static_cast<int>(std::clamp(done, 0.0, 1.0) * kWidth);
    if (done >= 1.0) {
      std::fprintf(stderr, "\r\033[K");
    } else {
      std::string shown = stage.size() > 60 ? "..." + stage.substr(stage.size() - 57) : stage;
      std::fprintf(stderr, "\r\033[K[%s%s] %s", std::string(static_cast<size_t>(filled), '#').c_str(),
                   std::string(static_cast<size_t>(kWidth - filled), '-').c_str(), shown.c_str());
    }
    std::fflush(stderr);
  };
}

std::string format_value(double value) {
  const double magnitude = std::fabs(value);
  if (magnitude >= 1000) return fmt::format("{:.0f}", value);
  if (magnitude >= 100) return fmt::format("{:.1f}", value);
  if (magnitude >= 1) return fmt::format("{:.2f}", value);
  if (magnitude == 0) return "0";
  return fmt::format("{:.3g}", value);
}

std::string render_result_text(const BenchResult& r) {
  std::string out;
  for (const auto& line : header_lines(r)) out += line + "\n";
  out += "\n" + render_table(metric_rows(r));
  for (const auto& note : r.notes) out += "note: " + note + "\n";
  return out;
}

std::string render_result_markdown(const BenchResult& r) {
  std::string out = "### tune bench\n\n";
  for (const auto& line : header_lines(r)) out += "- " + line + "\n";
  out += "\n" + markdown_table(metric_rows(r));
  if (!r.notes.empty()) out += "\n";
  for (const auto& note : r.notes) out += "> note: " + note + "\n";
  return out;
}

std::string render_comparison_text(const Comparison& c) {
  std::string out = render_table(comparison_rows(c));
  if (c.design == "interleaved") {
    out += fmt::format("\nchange: of the pairs' ratios (Hodges-Lehmann), before = baseline, after = changed; {:g}% "
                       "interval and p: Wilcoxon signed-rank test over the pairs.\n",
                       c.confidence * 100);
  } else {
    out += fmt::format("\nchange: median after / median before - 1; {:g}% bootstrap interval; p: Mann-Whitney rank "
                       "test.\nA change is claimed only when p < {:g} and the interval excludes zero.\n",
                       c.confidence * 100, 1.0 - c.confidence);
  }
  for (const auto& warning : c.warnings) out += "warning: " + warning + "\n";
  return out;
}

std::string render_comparison_markdown(const Comparison& c) {
  std::string out = "### tune bench compare\n\n" + markdown_table(comparison_rows(c));
  out += fmt::format("\nChange: median after / median before − 1, with a {:g}% bootstrap interval; p: Mann–Whitney "
                     "rank test. A change is claimed only when p < {:g} and the interval excludes zero.\n",
                     c.confidence * 100, 1.0 - c.confidence);
  for (const auto& warning : c.warnings) out += "\n> warning: " + warning + "\n";
  return out;
}

nlohmann::json comparison_to_json(const Comparison& c) {
  nlohmann::json metrics = nlohmann::json::array();
  for (const MetricChange& m : c.metrics) {
    metrics.push_back({{"name", m.name},
                       {"label", m.label},
                       {"unit", m.unit},
                       {"better", m.higher_is_better ? "higher" : "lower"},
                       {"before_median", m.before.median},
                       {"after_median", m.after.median},
                       {"change", m.change},
                       {"interval", {m.interval.low, m.interval.high}},
                       {"p_value", m.p_value},
                       {"verdict", std::string(verdict_name(m.verdict))},
                       {"why", m.why}});
    if (!m.decision.empty()) {
      auto& last = metrics.back();
      last["decision"] = m.decision;
      last["decides"] = m.decides;
      last["noise"] = m.noise ? nlohmann::json(*m.noise) : nlohmann::json(nullptr);
      last["resolvable"] = m.resolvable;
    }
  }
  nlohmann::json out = {{"metrics", metrics}, {"warnings", c.warnings}, {"confidence", c.confidence},
                        {"significance", 1.0 - c.confidence}};
  if (!c.design.empty()) out["design"] = c.design;
  return out;
}

}  // namespace tune::bench
