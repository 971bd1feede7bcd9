#include "bench/stats.h"

#include <gtest/gtest.h>

namespace tune::bench {
namespace {

TEST(Stats, SummarizeGivesMedianRangeAndSpread) {
  const Summary s = summarize({5, 1, 3, 2, 4});
  EXPECT_EQ(s.count, 5u);
  EXPECT_DOUBLE_EQ(s.median, 3);
  EXPECT_DOUBLE_EQ(s.min, 1);
  EXPECT_DOUBLE_EQ(s.max, 5);
  EXPECT_DOUBLE_EQ(s.mean, 3);
  EXPECT_NEAR(s.stddev, 1.5811, 1e-4);
  EXPECT_DOUBLE_EQ(summarize({1, 2, 3, 4}).median, 2.5);
}

TEST(Stats, PercentileInterpolatesBetweenRanks) {
  std::vector<double> values;
  for (int i = 1; i <= 100; ++i) values.push_back(i);
  EXPECT_DOUBLE_EQ(percentile(values, 0), 1);
  EXPECT_DOUBLE_EQ(percentile(values, 100), 100);
  EXPECT_NEAR(percentile(values, 99), 99.01, 1e-9);
  EXPECT_DOUBLE_EQ(percentile({7}, 95), 7);
}

TEST(Stats, RankTestIsExactForSmallSeparatedSamples) {
  // 5 against 5, completely separated: 2 of the 252 orderings are as extreme.
  EXPECT_NEAR(mann_whitney_p({1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}), 2.0 / 252.0, 1e-12);
  EXPECT_NEAR(mann_whitney_p({6, 7, 8, 9, 10}, {1, 2, 3, 4, 5}), 2.0 / 252.0, 1e-12);
  // 3 against 3 can never reach 0.05: the smallest two-sided p is 0.1.
  EXPECT_NEAR(mann_whitney_p({1, 2, 3}, {4, 5, 6}), 0.1, 1e-12);
}

TEST(Stats, RankTestFindsNothingInInterleavedSamples) {
  EXPECT_GT(mann_whitney_p({1, 3, 5, 7, 9}, {2, 4, 6, 8, 10}), 0.5);
  EXPECT_DOUBLE_EQ(mann_whitney_p({4, 4, 4}, {4, 4, 4}), 1.0);
}

TEST(Stats, RankTestHandlesTiesWithTheNormalApproximation) {
  const double p = mann_whitney_p({1, 1, 2, 2, 3, 3, 3, 4}, {5, 5, 6, 6, 7, 7, 8, 8});
  EXPECT_LT(p, 0.01);
  EXPECT_GT(p, 0.0);
}

TEST(Stats, BootstrapIntervalBracketsARealChange) {
  const std::vector<double> before = {100, 101, 99, 100.5, 99.5, 100.2, 99.8};
  const std::vector<double> after = {110, 111, 109, 110.5, 109.5, 110.2, 109.8};
  const Interval ci = bootstrap_change_interval(before, after);
  EXPECT_GT(ci.low, 0.08);
  EXPECT_LT(ci.high, 0.12);
  EXPECT_LE(ci.low, 0.10);
  EXPECT_GE(ci.high, 0.10);
}

TEST(Stats, BootstrapIntervalOfNoiseContainsZero) {
  const Interval ci = bootstrap_change_interval({100, 90, 110, 95, 105}, {104, 92, 108, 97, 101});
  EXPECT_LT(ci.low, 0);
  EXPECT_GT(ci.high, 0);
}

TEST(Stats, BootstrapIsDeterministic) {
  const std::vector<double> a = {1, 2, 3, 4, 5}, b = {2, 3, 4, 5, 6};
  const Interval x = bootstrap_change_interval(a, b);
  const Interval y = bootstrap_change_interval(a, b);
  EXPECT_EQ(x.low, y.low);
  EXPECT_EQ(x.high, y.high);
}

TEST(Stats, MedianIntervalBracketsTheMedianWithinTheSampleRange) {
  const std::vector<double> samples = {10, 12, 11, 13, 9, 11.5, 10.5};
  const Interval ci = bootstrap_median_interval(samples);
  EXPECT_LE(ci.low, 11.0);
  EXPECT_GE(ci.high, 11.0);
  EXPECT_GE(ci.low, 9.0);
  EXPECT_LE(ci.high, 13.0);
  EXPECT_LT(ci.high - ci.low, 13.0 - 9.0) << "narrower than the whole range";
}

TEST(Stats, MedianIntervalOfIdenticalSamplesIsThatValue) {
  const Interval ci = bootstrap_median_interval({5, 5, 5, 5});
  EXPECT_EQ(ci.low, 5);
  EXPECT_EQ(ci.high, 5);
  const Interval none = bootstrap_median_interval({});
  EXPECT_EQ(none.low, 0);
  EXPECT_EQ(none.high, 0);
}

}  // namespace
}  // namespace tune::bench
