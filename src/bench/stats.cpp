#include "bench/stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace tune::bench {

Summary summarize(std::vector<double> samples) {
  Summary s;
  s.count = samples.size();
  if (samples.empty()) return s;
  std::sort(samples.begin(), samples.end());
  s.min = samples.front();
  s.max = samples.back();
  s.median = percentile(samples, 50);
  s.mean = std::accumulate(samples.begin(), samples.end(), 0.0) / static_cast<double>(samples.size());
  if (samples.size() > 1) {
    double sum = 0;
    for (double v : samples) sum += (v - s.mean) * (v - s.mean);
    s.stddev = std::sqrt(sum / static_cast<double>(samples.size() - 1));
  }
  return s;
}

double percentile(std::vector<double> samples, double p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  const double rank = std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(samples.size() - 1);
  const size_t below = static_cast<size_t>(std::floor(rank));
  const size_t above = std::min(below + 1, samples.size() - 1);
  const double fraction = rank - static_cast<double>(below);
  return samples[below] + (samples[above] - samples[below]) * fraction;
}

namespace {

uint64_t next_random(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

double resampled_median(const std::vector<double>& samples, std::vector<double>& scratch, uint64_t& state) {
  for (size_t i = 0; i < samples.size(); ++i) scratch[i] = samples[next_random(state) % samples.size()];
  const size_t middle = scratch.size() / 2;
  std::nth_element(scratch.begin(), scratch.begin() + static_cast<long>(middle), scratch.end());
  double median = scratch[middle];
  if (scratch.size() % 2 == 0) {
    median = (median + *std::max_element(scratch.begin(), scratch.begin() + static_cast<long>(middle))) / 2;
  }
  return median;
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

}  // namespace

Interval bootstrap_change_interval(const std::vector<double>& before, const std::vector<double>& after,
                                   double confidence, int resamples, uint64_t seed) {
  if (before.empty() || after.empty()) return {};
  std::vector<double> changes;
  changes.reserve(static_cast<size_t>(resamples));
  std::vector<double> scratch_before(before.size()), scratch_after(after.size());
  uint64_t state = seed;
  for (int i = 0; i < resamples; ++i) {
    const double b = resampled_median(before, scratch_before, state);
    const double a = resampled_median(after, scratch_after, state);
    if (b != 0) changes.push_back(a / b - 1.0);
  }
  if (changes.empty()) return {};
  const double tail = (1.0 - confidence) / 2.0 * 100.0;
  return {percentile(changes, tail), percentile(changes, 100.0 - tail)};
}

Interval bootstrap_median_interval(const std::vector<double>& samples, double confidence, int resamples,
                                   uint64_t seed) {
  if (samples.empty()) return {};
  std::vector<double> medians;
  medians.reserve(static_cast<size_t>(resamples));
  std::vector<double> scratch(samples.size());
  uint64_t state = seed;
  for (int i = 0; i < resamples; ++i) medians.push_back(resampled_median(samples, scratch, state));
  const double tail = (1.0 - confidence) / 2.0 * 100.0;
  return {percentile(medians, tail), percentile(medians, 100.0 - tail)};
}

double mann_whitney_p(const std::vector<double>& before, const std::vector<double>& after) {
  const size_t n1 = before.size();
  const size_t n2 = after.size();
  if (n1 == 0 || n2 == 0) return 1.0;
  // Ranks of the pooled samples, ties sharing their mean rank.
  std::vector<std::pair<double, int>> pooled;
  for (double v : before) pooled.push_back({v, 0});
  for (double v : after) pooled.push_back({v, 1});
  std::sort(pooled.begin(), pooled.end());
  const size_t n = pooled.size();
  std::vector<double> rank(n);
  bool ties = false;
  double tie_term = 0;  // sum of t^3 - t over tie groups
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j + 1 < n && pooled[j + 1].first == pooled[i].first) ++j;
    const double mean_rank = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (size_t k = i; k <= j; ++k) rank[k] = mean_rank;
    const double t = static_cast<double>(j - i + 1);
    if (t > 1) {
      ties = true;
      tie_term += t * t * t - t;
    }
    i = j + 1;
  }
  double rank_sum_before = 0;
  for (size_t i = 0; i < n; ++i) {
    if (pooled[i].second == 0) rank_sum_before += rank[i];
  }
  const double u1 = rank_sum_before - static_cast<double>(n1 * (n1 + 1)) / 2.0;
  const double mean_u = static_cast<double>(n1 * n2) / 2.0;

  if (!ties && n1 <= 30 && n2 <= 30) {
    // Exact: count the arrangements whose U is at least as far from the mean.
    // ways[i][j][u]: arrangements of i "before" and j "after" values with U = u.
    const size_t max_u = n1 * n2;
    std::vector<std::vector<double>> previous(n2 + 1, std::vector<double>(max_u + 1, 0.0));
    for (size_t j = 0; j <= n2; ++j) previous[j][0] = 1.0;  // i = 0: U is 0
    for (size_t i = 1; i <= n1; ++i) {
      std::vector<std::vector<double>> current(n2 + 1, std::vector<double>(max_u + 1, 0.0));
      current[0][0] = 1.0;
      for (size_t j = 1; j <= n2; ++j) {
        for (size_t u = 0; u <= i * j; ++u) {
          // The largest value is a "before" one (it beats all j "after"
          // values) or an "after" one.
          double count = u >= j ? previous[j][u - j] : 0.0;
          count += current[j - 1][u];
          current[j][u] = count;
        }
      }
      previous = std::move(current);
    }
    const std::vector<double>& counts = previous[n2];
    double total = 0, extreme = 0;
    const double distance = std::fabs(u1 - mean_u);
    for (size_t u = 0; u <= max_u; ++u) {
      total += counts[u];
      if (std::fabs(static_cast<double>(u) - mean_u) >= distance - 1e-9) extreme += counts[u];
    }
    return std::min(1.0, extreme / total);
  }
  const double nn = static_cast<double>(n);
  const double variance =
      static_cast<double>(n1 * n2) / 12.0 * ((nn + 1.0) - tie_term / (nn * (nn - 1.0)));
  if (variance <= 0) return 1.0;
  const double z = (std::fabs(u1 - mean_u) - 0.5) / std::sqrt(variance);  // continuity correction
  return std::min(1.0, 2.0 * (1.0 - normal_cdf(std::max(0.0, z))));
}

}  // namespace tune::bench
