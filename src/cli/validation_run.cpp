#include "cli/validation_run.h"

#include "bench/stats.h"
#include "util/text.h"

#include <fmt/format.h>

#include <algorithm>

namespace tune::cli {
namespace {

struct Block {
  char state;  // 'a' calibration, 'A' baseline, 'B' changed
  bench::BenchResult result;
};

// Gather the blocks into per-metric series: only metrics every block has.
ValidationMeasurements gather(const std::vector<Block>& blocks, bench::Design design) {
  ValidationMeasurements out;
  out.design = design;
  if (blocks.empty()) return out;
  const bench::BenchResult& first = blocks.front().result;
  for (const auto& metric : first.metrics) {
    bench::MetricSeries series{metric.name, metric.label, metric.unit, metric.higher_is_better, {}, {}, {}, {}};
    bool everywhere = true;
    size_t calibration_index = 0;
    for (const Block& block : blocks) {
      const bench::Metric* found = block.result.metric(metric.name);
      if (!found || found->samples.empty()) {
        everywhere = false;
        break;
      }
      const double value = bench::summarize(found->samples).median;
      if (block.state == 'a') {
        (calibration_index++ % 2 == 0 ? series.calibration_first : series.calibration_second).push_back(value);
      } else {
        (block.state == 'A' ? series.baseline : series.changed).push_back(value);
      }
    }
    if (everywhere) out.series.push_back(std::move(series));
  }
  // The two results for the report: the first block of each state for the
  // facts, the block values as samples.
  auto merged = [&](char state) {
    auto it = std::find_if(blocks.begin(), blocks.end(), [&](const Block& b) { return b.state == state; });
    bench::BenchResult result = it != blocks.end() ? it->result : first;
    result.metrics.clear();
    result.notes.clear();
    int count = 0;
    for (const Block& block : blocks) {
      if (block.state != state) continue;
      ++count;
      for (const auto& note : block.result.notes) {
        if (std::find(result.notes.begin(), result.notes.end(), note) == result.notes.end()) result.notes.push_back(note);
      }
    }
    result.repeat = count;
    for (const auto& series : out.series) {
      result.metrics.push_back({series.name, series.label, series.unit, series.higher_is_better,
                                state == 'A' ? series.baseline : series.changed});
    }
    return result;
  };
  out.baseline = merged('A');
  out.changed = merged('B');
  return out;
}

}  // namespace

std::vector<std::string> why_not_interleaved(const Plan& plan) {
  std::vector<std::string> reasons;
  for (const auto& change : plan.changes) {
    if (change.action == Action::None) continue;
    if (change.needs_reboot) {
      reasons.push_back(change.domain + " " + change.target + " takes effect at the next boot");
    } else if (starts_with(change.target, "restart ")) {
      reasons.push_back(change.target.substr(8) + " would be restarted at every switch");
    }
  }
  return reasons;
}

Result<ValidationMeasurements> measure_validation(
    const ValidationPolicy& policy, bench::Design design,
    const std::function<Result<bench::BenchResult>(const std::string& what)>& measure_block,
    const StateSwitch& states, bool& changed_in_effect) {
  std::vector<Block> blocks;
  std::string order;
  int switches = 0;
  const int pairs = policy.pairs;
  const int total = 1 + 2 * policy.calibration_pairs + 2 * pairs;  // the warm-up block too

  auto measure = [&](char state) -> Status {
    const bool want_changed = state == 'B';
    if (want_changed != changed_in_effect) {
      Status switched = want_changed ? states.to_changed() : states.to_baseline();
      if (!switched) return switched.error();
      changed_in_effect = want_changed;
      ++switches;
    }
    const std::string what =
        fmt::format("{} (block {} of {})",
                    state == 'a' ? "the host against itself" : (state == 'A' ? "the baseline" : "the change"),
                    blocks.size() + 2, total);
    auto result = measure_block(what);
    if (!result) return result.error();
    blocks.push_back({state, std::move(*result)});
    order += state;
    return {};
  };

  // One block first that counts for nothing: the first run in a process pays
  // for the model's pages, the threads' start and the caches, whatever the state.
  {
    auto warmup = measure_block(fmt::format("a warm-up (block 1 of {})", total));
    if (!warmup) return warmup.error();
    order += "w ";
  }
  for (int i = 0; i < policy.calibration_pairs; ++i) {
    TUNE_RETURN_IF_ERROR(measure('a'));
    TUNE_RETURN_IF_ERROR(measure('a'));
    order += ' ';
  }
  if (design == bench::Design::kInterleaved) {
    // A B, then B A, then A B...: each switch serves two blocks, and a drift
    // between the two members of a pair changes sign from one pair to the next.
    for (int i = 0; i < pairs; ++i) {
      const bool baseline_first = i % 2 == 0;
      TUNE_RETURN_IF_ERROR(measure(baseline_first ? 'A' : 'B'));
      TUNE_RETURN_IF_ERROR(measure(baseline_first ? 'B' : 'A'));
      order += ' ';
    }
  } else {
    for (int i = 0; i < pairs; ++i) TUNE_RETURN_IF_ERROR(measure('A'));
    order += ' ';
    for (int i = 0; i < pairs; ++i) TUNE_RETURN_IF_ERROR(measure('B'));
  }

  ValidationMeasurements out = gather(blocks, design);
  while (!order.empty() && order.back() == ' ') order.pop_back();
  out.order = order;
  out.switches = switches;
  return out;
}

}  // namespace tune::cli
