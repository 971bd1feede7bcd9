#include "bench/validate.h"

#include <gtest/gtest.h>

#include <cmath>

namespace tune::bench {
namespace {

// n pairs around `level`, the changed state at level * (1 + change), each
// value disturbed by a fixed pattern of relative size `noise`, and the host
// drifting by `drift` per pair (which pairing must cancel).
MetricSeries series(const std::string& name, bool higher_is_better, double change, double noise, size_t n = 7,
                    double drift = 0.0) {
  MetricSeries s{name, name, higher_is_better ? "tok/s" : "ms", higher_is_better, {}, {}, {}, {}};
  for (size_t i = 0; i < n; ++i) {
    const double host = 100 * (1 + drift * static_cast<double>(i));
    s.baseline.push_back(host * (1 + noise * std::sin(1.7 * static_cast<double>(i))));
    s.changed.push_back(host * (1 + change) * (1 + noise * std::cos(2.3 * static_cast<double>(i) + 0.4)));
  }
  return s;
}

ValidationSettings settings(std::vector<std::string> deciding = {"decode_tokens_per_s"}) {
  ValidationSettings s;
  s.allowed_regression_pct = 5;
  s.deciding = std::move(deciding);
  return s;
}

TEST(Validate, AClearLossBeyondTheAllowanceIsWorseAndRollsBack) {
  auto outcome = judge_validation({series("decode_tokens_per_s", true, -0.12, 0.005)}, Design::kInterleaved, settings());
  EXPECT_EQ(outcome.verdict, Decision::kWorse);
  EXPECT_TRUE(outcome.roll_back);
  ASSERT_EQ(outcome.lines.size(), 1u);
  EXPECT_NE(outcome.lines[0].find("worse, beyond the 5% allowed"), std::string::npos) << outcome.lines[0];
}

TEST(Validate, ASureLossSmallerThanTheAllowanceIsKept) {
  auto outcome = judge_validation({series("decode_tokens_per_s", true, -0.02, 0.003)}, Design::kInterleaved, settings());
  EXPECT_EQ(outcome.verdict, Decision::kWithinAllowance);
  EXPECT_FALSE(outcome.roll_back);
}

TEST(Validate, AGainIsBetter) {
  auto outcome = judge_validation({series("decode_tokens_per_s", true, 0.08, 0.005)}, Design::kInterleaved, settings());
  EXPECT_EQ(outcome.verdict, Decision::kBetter);
  EXPECT_FALSE(outcome.roll_back);
}

TEST(Validate, AnIntervalAcrossTheAllowanceIsInconclusiveAndFollowsThePolicy) {
  const auto noisy = series("decode_tokens_per_s", true, -0.05, 0.06);
  auto outcome = judge_validation({noisy}, Design::kInterleaved, settings());
  EXPECT_EQ(outcome.verdict, Decision::kInconclusive);
  EXPECT_FALSE(outcome.roll_back) << "keep is the default on inconclusive";
  EXPECT_NE(outcome.lines[0].find("this host resolves about"), std::string::npos) << outcome.lines[0];
  ValidationSettings strict = settings();
  strict.roll_back_when_inconclusive = true;
  EXPECT_TRUE(judge_validation({noisy}, Design::kInterleaved, strict).roll_back);
}

TEST(Validate, ForLatencyWorseIsUp) {
  auto slower = judge_validation({series("itl_p99_ms", false, 0.12, 0.005)}, Design::kInterleaved,
                                 settings({"itl_p99_ms"}));
  EXPECT_EQ(slower.verdict, Decision::kWorse);
  auto faster = judge_validation({series("itl_p99_ms", false, -0.10, 0.005)}, Design::kInterleaved,
                                 settings({"itl_p99_ms"}));
  EXPECT_EQ(faster.verdict, Decision::kBetter);
}

TEST(Validate, DriftBetweenPairsDoesNotMakeAHarmlessChangeWorse) {
  // The host loses 4% per pair while nothing changes: blocks would see a
  // large loss; pairs see none.
  const auto drifting = series("decode_tokens_per_s", true, 0.0, 0.004, 9, -0.04);
  auto paired = judge_validation({drifting}, Design::kInterleaved, settings());
  EXPECT_NE(paired.verdict, Decision::kWorse);
  EXPECT_NEAR(paired.metrics[0].change.change, 0.0, 0.01);
}

TEST(Validate, OnlyTheDecidingMetricDecides) {
  // Prefill got much worse, decode did not move: decode decides.
  auto outcome = judge_validation({series("prefill_tokens_per_s", true, -0.3, 0.005),
                                   series("decode_tokens_per_s", true, 0.0, 0.003)},
                                  Design::kInterleaved, settings());
  EXPECT_NE(outcome.verdict, Decision::kWorse);
  EXPECT_FALSE(outcome.roll_back);
  EXPECT_EQ(outcome.metrics[0].decision, Decision::kWorse) << "reported, not deciding";
  EXPECT_FALSE(outcome.metrics[0].decides);
  EXPECT_TRUE(outcome.metrics[1].decides);
}

TEST(Validate, SeveralDecidingMetricsAreCorrectedTogether) {
  // Two of three deciding metrics clearly worse, one harmless: with seven
  // pairs each worse one has p = 1/128, below Holm's first two steps
  // (2.5% / 3 and 2.5% / 2), so both are still found worse.
  auto outcome = judge_validation({series("decode_tokens_per_s", true, -0.2, 0.003),
                                   series("ttft_ms", false, 0.2, 0.003), series("itl_p99_ms", false, 0.0, 0.003)},
                                  Design::kInterleaved, settings({"decode_tokens_per_s", "ttft_ms", "itl_p99_ms"}));
  EXPECT_EQ(outcome.verdict, Decision::kWorse);
  EXPECT_EQ(outcome.metrics[0].decision, Decision::kWorse);
  EXPECT_EQ(outcome.metrics[1].decision, Decision::kWorse);
  EXPECT_NE(outcome.metrics[2].decision, Decision::kWorse);
  EXPECT_NE(outcome.lines[0].find("Holm-corrected over 3 metrics"), std::string::npos) << outcome.lines[0];
}

TEST(Validate, HolmTakesBackAWorseThatOnlyHoldsAlone) {
  // Six pairs all clearly below the line: one-sided p = 1/64 = 1.6%, worse
  // for one metric (at 2.5%), not for the smallest Holm step of four (0.6%).
  auto alone = judge_validation({series("decode_tokens_per_s", true, -0.2, 0.003, 6)}, Design::kInterleaved,
                                settings());
  EXPECT_EQ(alone.verdict, Decision::kWorse);
  auto family = judge_validation(
      {series("decode_tokens_per_s", true, -0.2, 0.003, 6), series("prefill_tokens_per_s", true, 0.0, 0.003, 6),
       series("ttft_ms", false, 0.0, 0.003, 6), series("itl_p99_ms", false, 0.0, 0.003, 6)},
      Design::kInterleaved, settings({"decode_tokens_per_s", "prefill_tokens_per_s", "ttft_ms", "itl_p99_ms"}));
  EXPECT_EQ(family.metrics[0].decision, Decision::kInconclusive);
  EXPECT_NE(family.verdict, Decision::kWorse);
}

TEST(Validate, ADecidingMetricThatWasNotMeasuredIsSaid) {
  auto outcome = judge_validation({series("decode_tokens_per_s", true, 0.0, 0.003)}, Design::kInterleaved,
                                  settings({"itl_p99_ms"}));
  EXPECT_EQ(outcome.missing, std::vector<std::string>{"itl_p99_ms"});
  EXPECT_EQ(outcome.verdict, Decision::kInconclusive);
  EXPECT_NE(outcome.lines.back().find("itl_p99_ms: not measured"), std::string::npos);
}

TEST(Validate, TheCalibrationGivesTheNoiseAndWhatTheDesignResolves) {
  MetricSeries s = series("decode_tokens_per_s", true, 0.0, 0.003);
  for (size_t i = 0; i < 3; ++i) {
    s.calibration_first.push_back(100);
    s.calibration_second.push_back(100 * (1 + 0.02 * (static_cast<double>(i) - 1)));
  }
  auto outcome = judge_validation({s}, Design::kInterleaved, settings());
  ASSERT_TRUE(outcome.metrics[0].noise);
  EXPECT_GT(*outcome.metrics[0].noise, 0.01);
  // What the run resolved: half the width of its interval.
  const Interval ci = outcome.metrics[0].change.interval;
  EXPECT_NEAR(outcome.metrics[0].resolvable, (ci.high - ci.low) / 2, 1e-12);
}

TEST(Validate, ABlockedDesignJudgesTheBlocksWithoutPairing) {
  auto outcome = judge_validation({series("decode_tokens_per_s", true, -0.12, 0.005)}, Design::kBlocked, settings());
  EXPECT_EQ(outcome.design, Design::kBlocked);
  EXPECT_EQ(outcome.verdict, Decision::kWorse);
}

TEST(Validate, TheComparisonCarriesTheDecisions) {
  const std::vector<MetricSeries> measured = {series("decode_tokens_per_s", true, -0.12, 0.005),
                                              series("prefill_tokens_per_s", true, 0.0, 0.003)};
  auto outcome = judge_validation(measured, Design::kInterleaved, settings());
  const Comparison comparison = comparison_of(outcome, measured, 0.95);
  EXPECT_EQ(comparison.design, "interleaved");
  ASSERT_EQ(comparison.metrics.size(), 2u);
  EXPECT_EQ(comparison.metrics[0].decision, "worse");
  EXPECT_TRUE(comparison.metrics[0].decides);
  EXPECT_EQ(comparison.metrics[0].verdict, Verdict::kSlower);
  EXPECT_FALSE(comparison.metrics[1].decides);
  EXPECT_LT(comparison.metrics[0].p_value, 0.05);
}

}  // namespace
}  // namespace tune::bench
