// The report page: one self-contained HTML file (inline SVG and CSS, no
// script, nothing fetched) that shows a before/after comparison as people
// review it in a change request or a CI job's artifacts: the verdict, the
// host and workload, the applied diff, every metric's samples with their
// intervals, the inter-token latency percentiles and the roofline shares.
#pragma once

#include "bench/bench_result.h"
#include "bench/compare.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tune::bench {

// What `tune apply --validate` decided, for the page's verdict.
struct ReportDecision {
  double allowed_regression_pct = 0;
  double confidence_pct = 95;
  std::string verdict;      // better, within the allowance, inconclusive, worse
  std::string design;       // how it was measured, in one line
  bool rolled_back = false;
  bool kept_anyway = false;  // --keep kept what the verdict would have rolled back
  std::string inconclusive_policy = "keep";
  std::vector<std::string> lines;  // one per deciding metric
};

struct ReportPage {
  std::string title;                 // "Validation of profile 'throughput'"
  std::string subtitle;              // what produced it: the command, the transaction
  std::string generated_at;          // UTC, ISO 8601
  std::string tune_version;
  std::string before_name = "before";  // the result files, for `bench compare`
  std::string after_name = "after";
  const BenchResult* before = nullptr;
  const BenchResult* after = nullptr;
  const Comparison* comparison = nullptr;
  std::vector<std::pair<std::string, std::string>> host;  // more facts: host name, kernel...
  std::string diff;                  // the applied changes as a unified diff (plain text); empty: none shown
  std::optional<ReportDecision> decision;
};

// The whole page. Every value from a file or the host is escaped.
std::string render_report_page(const ReportPage& page);

}  // namespace tune::bench
