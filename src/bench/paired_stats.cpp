#include "bench/paired_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace tune::bench {
namespace {

std::vector<double> log_ratios(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> ratios;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (a[i] > 0 && b[i] > 0 && std::isfinite(a[i]) && std::isfinite(b[i])) ratios.push_back(std::log(b[i] / a[i]));
  }
  return ratios;
}

double median_of(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// 1.4826 times the median absolute deviation: the standard deviation for
// normal noise, and barely moved by one wild value. Below five values the
// MAD is too coarse (with three, two close values make it near zero), so
// the plain standard deviation stands in.
double robust_spread(const std::vector<double>& values) {
  if (values.size() < 2) return 0;
  if (values.size() < 5) return summarize(values).stddev;
  const double centre = median_of(values);
  std::vector<double> deviations;
  for (double v : values) deviations.push_back(std::fabs(v - centre));
  return 1.4826 * median_of(deviations);
}

// Counts of each signed-rank sum 0..n(n+1)/2 over the 2^n sign patterns,
// divided by 2^n as they are built so that large n stays in range.
std::vector<double> signed_rank_distribution(size_t n) {
  std::vector<double> p = {1.0};
  for (size_t k = 1; k <= n; ++k) {
    std::vector<double> next(p.size() + k, 0.0);
    for (size_t w = 0; w < p.size(); ++w) {
      next[w] += p[w] / 2;
      next[w + k] += p[w] / 2;
    }
    p = std::move(next);
  }
  return p;
}

// Continued fraction of the regularized incomplete beta function (modified Lentz).
double beta_fraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 300; ++m) {
    const double m2 = 2.0 * m;
    double numerator = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    for (int half = 0; half < 2; ++half) {
      d = 1 + numerator * d;
      if (std::fabs(d) < kTiny) d = kTiny;
      c = 1 + numerator / c;
      if (std::fabs(c) < kTiny) c = kTiny;
      d = 1 / d;
      h *= d * c;
      numerator = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    }
    if (std::fabs(d * c - 1) < 1e-14) break;
  }
  return h;
}

double incomplete_beta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) +
                                b * std::log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return front * beta_fraction(a, b, x) / a;
  return 1 - front * beta_fraction(b, a, 1 - x) / b;
}

double student_t_cdf(double t, double df) {
  const double tail = 0.5 * incomplete_beta(df / 2, 0.5, df / (df + t * t));
  return t >= 0 ? 1 - tail : tail;
}

}  // namespace

size_t signed_rank_critical_count(size_t pairs, double tail) {
  const std::vector<double> p = signed_rank_distribution(pairs);
  double cumulative = 0;
  size_t count = 0;
  for (double probability : p) {
    cumulative += probability;
    if (cumulative > tail * (1 + 1e-12)) break;
    ++count;
  }
  return count;
}

PairedChange paired_change(const std::vector<double>& a, const std::vector<double>& b, double confidence) {
  const std::vector<double> ratios = log_ratios(a, b);
  PairedChange result;
  result.pairs = ratios.size();
  if (ratios.empty()) return result;
  // Walsh averages: the mean of every pair of log ratios, each with itself too.
  std::vector<double> walsh;
  for (size_t i = 0; i < ratios.size(); ++i) {
    for (size_t j = i; j < ratios.size(); ++j) walsh.push_back((ratios[i] + ratios[j]) / 2);
  }
  std::sort(walsh.begin(), walsh.end());
  const double estimate = median_of(walsh);
  const size_t c = signed_rank_critical_count(ratios.size(), (1 - confidence) / 2);
  double low = *std::min_element(ratios.begin(), ratios.end());
  double high = *std::max_element(ratios.begin(), ratios.end());
  if (c >= 1 && c <= walsh.size()) {
    low = walsh[c - 1];
    high = walsh[walsh.size() - c];
    result.bounded = true;
  }
  result.change = std::expm1(estimate);
  result.interval = {std::expm1(low), std::expm1(high)};
  result.spread = robust_spread(ratios);
  return result;
}

double signed_rank_p_below(const std::vector<double>& a, const std::vector<double>& b, double shift) {
  const double centre = std::log1p(shift);
  std::vector<double> differences;
  for (double ratio : log_ratios(a, b)) {
    const double d = ratio - centre;
    if (std::fabs(d) > 1e-12) differences.push_back(d);
  }
  const size_t n = differences.size();
  if (n == 0) return 1.0;
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](size_t x, size_t y) { return std::fabs(differences[x]) < std::fabs(differences[y]); });
  double positive_ranks = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j + 1 < n && std::fabs(differences[order[j + 1]]) == std::fabs(differences[order[i]])) ++j;
    const double mean_rank = (static_cast<double>(i) + static_cast<double>(j)) / 2 + 1;
    for (size_t k = i; k <= j; ++k) {
      if (differences[order[k]] > 0) positive_ranks += mean_rank;
    }
    i = j + 1;
  }
  // Few positive ranks: the ratios lie below the shift. P(T+ <= observed).
  const std::vector<double> p = signed_rank_distribution(n);
  const auto last = static_cast<size_t>(std::floor(positive_ranks + 1e-9));
  double cumulative = 0;
  for (size_t w = 0; w <= last && w < p.size(); ++w) cumulative += p[w];
  return std::min(1.0, cumulative);
}

std::vector<bool> holm_reject(const std::vector<double>& p_values, double alpha) {
  const size_t m = p_values.size();
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return p_values[x] < p_values[y]; });
  std::vector<bool> rejected(m, false);
  for (size_t k = 0; k < m; ++k) {
    if (p_values[order[k]] > alpha / static_cast<double>(m - k)) break;
    rejected[order[k]] = true;
  }
  return rejected;
}

double pair_noise(const std::vector<double>& a, const std::vector<double>& b) {
  return robust_spread(log_ratios(a, b));
}

double resolvable_change(double noise, size_t pairs, double confidence) {
  if (pairs < 2) return INFINITY;
  const double t = student_t_quantile(1 - (1 - confidence) / 2, static_cast<double>(pairs - 1));
  return std::expm1(t * noise / std::sqrt(static_cast<double>(pairs)));
}

double student_t_quantile(double p, double df) {
  if (p <= 0) return -INFINITY;
  if (p >= 1) return INFINITY;
  if (p < 0.5) return -student_t_quantile(1 - p, df);
  double low = 0, high = 1;
  while (student_t_cdf(high, df) < p && high < 1e12) high *= 2;
  for (int i = 0; i < 200 && high - low > 1e-12 * std::max(1.0, high); ++i) {
    const double mid = (low + high) / 2;
    (student_t_cdf(mid, df) < p ? low : high) = mid;
  }
  return (low + high) / 2;
}

}  // namespace tune::bench
