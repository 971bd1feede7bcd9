// Benchmark results and comparisons for people (a table, Markdown) and for
// programs (JSON).
#pragma once

#include "bench/bench_result.h"
#include "bench/compare.h"

#include <functional>
#include <string>

namespace tune::bench {

std::string render_result_text(const BenchResult& result);
std::string render_result_markdown(const BenchResult& result);

std::string render_comparison_text(const Comparison& comparison);
std::string render_comparison_markdown(const Comparison& comparison);
nlohmann::json comparison_to_json(const Comparison& comparison);

// A progress callback for BenchOptions::progress that redraws one line on
// stderr ("[######----] loading ..."), and clears it when the run is done.
// Returns an empty function (no output) when stderr is not a terminal.
std::function<void(const std::string&, double)> terminal_progress();

// 1234 -> "1234", 45.678 -> "45.68", 0.01234 -> "0.0123".
std::string format_value(double value);

}  // namespace tune::bench
