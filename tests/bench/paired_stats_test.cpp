#include "bench/paired_stats.h"

#include <gtest/gtest.h>

#include <cmath>

namespace tune::bench {
namespace {

// A small, repeatable disturbance: +-0.3% in a fixed pattern.
double jitter(size_t i) { return 1.0 + 0.003 * std::sin(static_cast<double>(i) * 2.1); }

TEST(PairedStats, StudentQuantilesMatchTheTables) {
  EXPECT_NEAR(student_t_quantile(0.975, 1), 12.706, 1e-3);
  EXPECT_NEAR(student_t_quantile(0.975, 4), 2.776, 1e-3);
  EXPECT_NEAR(student_t_quantile(0.975, 6), 2.447, 1e-3);
  EXPECT_NEAR(student_t_quantile(0.95, 10), 1.812, 1e-3);
  EXPECT_NEAR(student_t_quantile(0.975, 1e6), 1.960, 1e-3);
  EXPECT_NEAR(student_t_quantile(0.025, 6), -2.447, 1e-3);
}

TEST(PairedStats, SignedRankCriticalCountsMatchTheTables) {
  // Two-sided 5%: no interval below six pairs; then 1, 3, 4, 6, 9 (n = 6..10).
  EXPECT_EQ(signed_rank_critical_count(5, 0.025), 0u);
  EXPECT_EQ(signed_rank_critical_count(6, 0.025), 1u);
  EXPECT_EQ(signed_rank_critical_count(7, 0.025), 3u);
  EXPECT_EQ(signed_rank_critical_count(8, 0.025), 4u);
  EXPECT_EQ(signed_rank_critical_count(9, 0.025), 6u);
  EXPECT_EQ(signed_rank_critical_count(10, 0.025), 9u);
}

TEST(PairedStats, PairingCancelsDriftThatSwampsTwoBlocks) {
  // The host drifts 3% per pair (bandwidth wandering on a shared VM); the
  // change is a true 10% loss.
  std::vector<double> baseline, changed;
  for (size_t i = 0; i < 9; ++i) {
    const double host = 100 * (1 + 0.03 * static_cast<double>(i));
    baseline.push_back(host * jitter(i));
    changed.push_back(host * 0.9 * jitter(i + 17));
  }
  const PairedChange paired = paired_change(baseline, changed);
  ASSERT_TRUE(paired.bounded);
  EXPECT_NEAR(paired.change, -0.10, 0.01);
  EXPECT_LE(paired.interval.low, -0.10);
  EXPECT_GE(paired.interval.high, -0.10);
  EXPECT_LT(paired.interval.high - paired.interval.low, 0.02);
  // Treated as two unpaired blocks, the same samples say far less.
  const Interval blocks = bootstrap_change_interval(baseline, changed);
  EXPECT_GT(blocks.high - blocks.low, 5 * (paired.interval.high - paired.interval.low));
}

TEST(PairedStats, AlternatingTheOrderInsideThePairsCancelsDriftBetweenItsMembers) {
  // A/A: nothing changes, but every measurement runs 1% faster than the one
  // before. Pairs measured A then B would all show +1%; A B, B A, A B...
  // show +1%, -1%, +1%..., which the estimate averages away.
  std::vector<double> first, second;
  double host = 100;
  for (size_t i = 0; i < 8; ++i) {
    const double x = host, y = host * 1.01;
    host *= 1.02;
    if (i % 2 == 0) {
      first.push_back(x);  // baseline measured first
      second.push_back(y);
    } else {
      first.push_back(y);  // baseline measured second
      second.push_back(x);
    }
  }
  const PairedChange change = paired_change(first, second);
  EXPECT_NEAR(change.change, 0.0, 0.002);
  EXPECT_LE(change.interval.low, 0.0);
  EXPECT_GE(change.interval.high, 0.0);
}

TEST(PairedStats, OneDisturbedPairMovesTheEstimateLittle) {
  std::vector<double> baseline, changed;
  for (size_t i = 0; i < 8; ++i) {
    baseline.push_back(100 * jitter(i));
    changed.push_back(90 * jitter(i + 5));
  }
  changed[3] = 50;  // a neighbour's burst during one measurement
  const PairedChange change = paired_change(baseline, changed);
  EXPECT_NEAR(change.change, -0.10, 0.01);
  EXPECT_GT(change.interval.high, -0.11);
}

TEST(PairedStats, TooFewPairsGiveNoBoundedInterval) {
  const PairedChange change = paired_change({100, 101, 99, 100, 102}, {90, 91, 89, 90, 92});
  EXPECT_FALSE(change.bounded);
  EXPECT_EQ(change.pairs, 5u);
  const PairedChange none = paired_change({}, {});
  EXPECT_EQ(none.pairs, 0u);
  EXPECT_EQ(paired_change({0, -1}, {1, 2}).pairs, 0u) << "values that are not positive are left out";
}

TEST(PairedStats, SignedRankTestSaysWhetherTheRatiosLieBelowAShift) {
  std::vector<double> baseline, much_slower, slightly_slower;
  for (size_t i = 0; i < 7; ++i) {
    baseline.push_back(100 * jitter(i));
    much_slower.push_back(85 * jitter(i + 3));
    slightly_slower.push_back(98 * jitter(i + 3));
  }
  // Every ratio is below -5%: the smallest p seven pairs can give, 1/128.
  EXPECT_NEAR(signed_rank_p_below(baseline, much_slower, -0.05), 1.0 / 128, 1e-12);
  EXPECT_GT(signed_rank_p_below(baseline, slightly_slower, -0.05), 0.5);
}

TEST(PairedStats, HolmRejectsStepByStep) {
  EXPECT_EQ(holm_reject({0.01, 0.04, 0.03}, 0.05), (std::vector<bool>{true, false, false}));
  EXPECT_EQ(holm_reject({0.001, 0.01, 0.02}, 0.05), (std::vector<bool>{true, true, true}));
  EXPECT_EQ(holm_reject({0.2, 0.001}, 0.05), (std::vector<bool>{false, true}));
  EXPECT_EQ(holm_reject({0.03}, 0.05), (std::vector<bool>{true}));
  EXPECT_TRUE(holm_reject({}, 0.05).empty());
}

TEST(PairedStats, HolmKeepsTheFamilyWiseErrorNearItsLevel) {
  // Three independent metrics with no effect: uniform p-values. Testing each
  // at 5% rejects something in about 14% of families; Holm in at most 5%.
  uint64_t state = 12345;
  auto uniform = [&state] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<double>(state >> 11) / static_cast<double>(1ull << 53);
  };
  int families = 20000, any_plain = 0, any_holm = 0;
  for (int f = 0; f < families; ++f) {
    std::vector<double> p = {uniform(), uniform(), uniform()};
    any_plain += p[0] < 0.05 || p[1] < 0.05 || p[2] < 0.05;
    auto rejected = holm_reject(p, 0.05);
    any_holm += rejected[0] || rejected[1] || rejected[2];
  }
  EXPECT_GT(any_plain, families * 0.12);
  EXPECT_LE(any_holm, families * 0.055);
}

TEST(PairedStats, NoiseOfAnAACalibrationAndTheChangeItLetsUsResolve) {
  std::vector<double> first, second;
  for (size_t i = 0; i < 9; ++i) {
    first.push_back(100);
    second.push_back(100 * (1 + 0.01 * (static_cast<double>(i) - 4)));  // -4% .. +4%
  }
  // Median absolute deviation of the log ratios: 2%.
  const double noise = pair_noise(first, second);
  EXPECT_NEAR(noise, 1.4826 * 0.02, 0.002);
  // t(0.975, 6) = 2.447: about 2.447 * noise / sqrt(7).
  EXPECT_NEAR(resolvable_change(0.02, 7), std::expm1(2.447 * 0.02 / std::sqrt(7.0)), 1e-4);
  EXPECT_GT(resolvable_change(0.02, 7), resolvable_change(0.02, 15));
  EXPECT_TRUE(std::isinf(resolvable_change(0.02, 1)));
}

}  // namespace
}  // namespace tune::bench
